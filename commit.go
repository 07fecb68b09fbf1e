package hfhub

import (
	"context"
	"errors"
	"io"
)

// CommitOperation is one change of a commit: build it with AddFileBytes,
// AddFileFromPath, AddFileFunc, DeleteFile or DeleteFolder.
type CommitOperation interface {
	commitOp()
}

type addFile struct {
	path  string
	data  []byte
	local string
	size  int64
	open  func() (io.ReadCloser, error)
}

func (*addFile) commitOp() {}

type deleteOp struct {
	path   string
	folder bool
}

func (*deleteOp) commitOp() {}

// AddFileBytes adds or replaces a file with the given content.
func AddFileBytes(pathInRepo string, data []byte) CommitOperation {
	return &addFile{path: pathInRepo, data: data, size: int64(len(data))}
}

// AddFileFromPath adds or replaces a file with a local file's content.
func AddFileFromPath(pathInRepo, localPath string) CommitOperation {
	return &addFile{path: pathInRepo, local: localPath, size: -1}
}

// AddFileFunc adds or replaces a file whose content open returns; open is
// called again for each read (hashing, upload, retries).
func AddFileFunc(pathInRepo string, size int64, open func() (io.ReadCloser, error)) CommitOperation {
	return &addFile{path: pathInRepo, size: size, open: open}
}

// DeleteFile deletes a file.
func DeleteFile(pathInRepo string) CommitOperation {
	return &deleteOp{path: pathInRepo}
}

// DeleteFolder deletes a folder and everything in it.
func DeleteFolder(pathInRepo string) CommitOperation {
	return &deleteOp{path: pathInRepo, folder: true}
}

// CommitOptions modifies Commit.
type CommitOptions struct {
	Message, Description string
	Revision             string // "" = main
	ParentCommit         string // the commit fails with ErrConflict (and ErrStaleParent) if the head moved
	CreatePR             bool
	Progress             func(UploadProgress) // optional; called from any goroutine, must be cheap
}

// UploadProgress reports the upload of one file.
type UploadProgress struct {
	Path             string
	BytesSent, Total int64 // for this file
}

// ErrStaleParent: the commit named a ParentCommit that is no longer the
// head of the branch. The error also matches ErrConflict.
var ErrStaleParent = errors.New("parent commit is not the head")

// CommitInfo describes a commit.
type CommitInfo struct {
	OID            string // the new commit; the current head when nothing was committed
	URL            string
	PullRequestURL string   // "" unless CreatePR
	Committed      bool     // false: nothing changed, no commit was sent
	Uploaded       []string // paths added or changed
	Deleted        []string // paths deleted
	Skipped        []string // paths whose remote content was already identical
}

// Commit sends one commit to a Space.
func (s *SpacesService) Commit(ctx context.Context, repoID string, ops []CommitOperation, opts *CommitOptions) (*CommitInfo, error) {
	return nil, errNotImplemented
}
