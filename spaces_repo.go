package hfhub

import (
	"context"
	"errors"
)

// errNotImplemented is returned by the parts of the repository API that are
// still being written.
var errNotImplemented = errors.New("hfhub: not implemented yet")

// Visibility says who can see a repository.
type Visibility string

// The visibilities of a repository. Protected is for Spaces only: the code
// is private, the app public.
const (
	VisibilityPublic    Visibility = "public"
	VisibilityPrivate   Visibility = "private"
	VisibilityProtected Visibility = "protected"
)

// Validate reports an unknown visibility (ErrInvalidOption).
func (v Visibility) Validate() error { return errNotImplemented }

// SDK is the framework a Space runs with.
type SDK string

// The Space SDKs.
const (
	SDKGradio    SDK = "gradio"
	SDKDocker    SDK = "docker"
	SDKStatic    SDK = "static"
	SDKStreamlit SDK = "streamlit"
)

// Validate reports an unknown SDK (ErrInvalidOption).
func (s SDK) Validate() error { return errNotImplemented }

// CreateOptions describes a new Space.
type CreateOptions struct {
	SDK        SDK        // required
	Visibility Visibility // "" = public
	Hardware   Hardware   // "" = the Hub's default (cpu-basic)
	Storage    Storage
	SleepTime  *int
	Secrets    map[string]string
	Variables  map[string]string
	Volumes    []Volume
	ExistOK    bool // a 409 is success: the URL of the existing Space is returned
}

// Create creates a Space.
func (s *SpacesService) Create(ctx context.Context, repoID string, opts *CreateOptions) (*RepoURL, error) {
	return nil, errNotImplemented
}

// DeleteOptions modifies Delete.
type DeleteOptions struct {
	MissingOK bool // a missing Space is success
}

// Delete deletes a Space.
func (s *SpacesService) Delete(ctx context.Context, repoID string, opts *DeleteOptions) error {
	return errNotImplemented
}

// SettingsOptions are the repository settings UpdateSettings changes.
type SettingsOptions struct {
	Visibility Visibility // "" = unchanged
	Gated      *string    // nil = unchanged; "auto", "manual" or "false"
}

// UpdateSettings changes a Space's repository settings.
func (s *SpacesService) UpdateSettings(ctx context.Context, repoID string, opts *SettingsOptions) error {
	return errNotImplemented
}

// Move renames a Space or moves it to another namespace.
func (s *SpacesService) Move(ctx context.Context, fromID, toID string) error {
	return errNotImplemented
}
