package hfhub

import (
	"context"
	"errors"
)

// UploadOptions modifies Upload.
type UploadOptions struct {
	Include, Exclude []string                              // glob patterns on the slash path relative to dir (as allow/ignore_patterns)
	Filter           func(relPath string, isDir bool) bool // optional extra filter (the CLI's .gitignore); false skips
	Delete           bool                                  // remove remote files not in the folder (never .gitattributes)
	Message          string
	CreatePR         bool
	Revision         string
	DryRun           bool // compute Uploaded/Deleted/Skipped (preupload + remote listing only); send no commit/LFS upload
	Progress         func(UploadProgress)
}

// Upload sends a local folder to a Space as one commit.
func (s *SpacesService) Upload(ctx context.Context, repoID, dir string, opts *UploadOptions) (*CommitInfo, error) {
	return nil, errNotImplemented
}

// errNotImplemented is returned by the parts of the repository API that are
// still being written.
var errNotImplemented = errors.New("hfhub: not implemented yet")
