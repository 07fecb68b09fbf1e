package hfhub

import (
	"context"
	"io"
	"iter"
)

// RepoFile is a file or folder of a repository.
type RepoFile struct {
	Path string
	Type string // "file" or "directory"
	Size int64
	OID  string   // git blob id (SHA-1 hex) for a file, tree id for a directory
	LFS  *LFSInfo // nil for a regular file
}

// LFSInfo describes a file stored with Git LFS.
type LFSInfo struct {
	SHA256      string
	Size        int64
	PointerSize int64
}

// ListFilesOptions modifies ListFiles.
type ListFilesOptions struct {
	Revision  string // "" = main
	Path      string // "" = root
	Recursive bool
}

// ListFiles lists a Space's files.
func (s *SpacesService) ListFiles(ctx context.Context, repoID string, opts *ListFilesOptions) iter.Seq2[*RepoFile, error] {
	return func(yield func(*RepoFile, error) bool) { yield(nil, errNotImplemented) }
}

// DownloadOptions modifies Download.
type DownloadOptions struct {
	Revision string // "" = main
}

// Download opens a file of a Space.
func (s *SpacesService) Download(ctx context.Context, repoID, path string, opts *DownloadOptions) (io.ReadCloser, *RepoFile, error) {
	return nil, nil, errNotImplemented
}
