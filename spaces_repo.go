package hfhub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Visibility says who can see a repository.
type Visibility string

// The visibilities of a repository. Protected is for Spaces only: the code
// is private, the app public.
const (
	VisibilityPublic    Visibility = "public"
	VisibilityPrivate   Visibility = "private"
	VisibilityProtected Visibility = "protected"
)

// Validate reports a visibility other than public, private or protected
// (ErrInvalidOption).
func (v Visibility) Validate() error {
	switch v {
	case VisibilityPublic, VisibilityPrivate, VisibilityProtected:
		return nil
	}
	return fmt.Errorf("%w: visibility %q; want public, private or protected", ErrInvalidOption, clip(string(v)))
}

// SDK is the framework a Space runs with.
type SDK string

// The Space SDKs.
const (
	SDKGradio    SDK = "gradio"
	SDKDocker    SDK = "docker"
	SDKStatic    SDK = "static"
	SDKStreamlit SDK = "streamlit"
)

// Validate reports an SDK other than gradio, docker, static or streamlit
// (ErrInvalidOption).
func (s SDK) Validate() error {
	switch s {
	case SDKGradio, SDKDocker, SDKStatic, SDKStreamlit:
		return nil
	case "":
		return fmt.Errorf("%w: no SDK given; want gradio, docker, static or streamlit", ErrInvalidOption)
	}
	return fmt.Errorf("%w: SDK %q; want gradio, docker, static or streamlit", ErrInvalidOption, clip(string(s)))
}

// CreateOptions describes a new Space. SDK is required.
type CreateOptions struct {
	SDK        SDK        // required
	Visibility Visibility // "" = the Hub's default: public, unless an organization defaults to private
	Hardware   Hardware   // "" = the Hub's default (cpu-basic)
	Storage    Storage    // "" = no persistent storage
	SleepTime  *int       // seconds of inactivity before sleeping (-1: never); nil = the Hub's default
	Secrets    map[string]string
	Variables  map[string]string
	Volumes    []Volume
	ExistOK    bool // a 409 is success: the URL of the existing Space is returned
}

type createBody struct {
	Name             string     `json:"name"`
	Organization     string     `json:"organization"`
	Type             string     `json:"type"`
	Visibility       Visibility `json:"visibility,omitempty"`
	SDK              SDK        `json:"sdk"`
	Hardware         Hardware   `json:"hardware,omitempty"`
	StorageTier      Storage    `json:"storageTier,omitempty"`
	SleepTimeSeconds *int       `json:"sleepTimeSeconds,omitempty"`
	Secrets          []EnvVar   `json:"secrets,omitempty"`
	Variables        []EnvVar   `json:"variables,omitempty"`
	Volumes          []Volume   `json:"volumes,omitempty"`
}

func (o *CreateOptions) valid() error {
	if err := o.SDK.Validate(); err != nil {
		return err
	}
	if o.Visibility != "" {
		if err := o.Visibility.Validate(); err != nil {
			return err
		}
	}
	if err := validateSettings(o.Hardware, o.Storage, o.SleepTime); err != nil {
		return err
	}
	// Secrets first, then variables, each in key order: the same input
	// always gets the same error.
	for _, group := range []struct {
		what string
		m    map[string]string
	}{{"secret", o.Secrets}, {"variable", o.Variables}} {
		for _, k := range sortedKeys(group.m) {
			if err := ValidateEnvKey(k); err != nil {
				return fmt.Errorf("%s: %w", group.what, err)
			}
		}
	}
	return validateVolumes(o.Volumes)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func envList(m map[string]string) []EnvVar {
	if len(m) == 0 {
		return nil
	}
	list := make([]EnvVar, 0, len(m))
	for _, k := range sortedKeys(m) {
		list = append(list, EnvVar{Key: k, Value: m[k]})
	}
	return list
}

// conflictInProgress is the Hub's 409 for a create that raced another
// create of the same user: nothing was created, so it is sent again.
const conflictInProgress = "another conflicting operation is in progress"

// Create creates a Space with its SDK, visibility, hardware, storage, sleep
// time, secrets, variables and volumes. It is never retried blindly: a
// request that may have reached the Hub before the connection failed is an
// error, not a second request. With ExistOK an existing Space is success
// (a 409; or a 401, 402 or 403 when the Space can be read: the token may
// not create but the Space is there), and its URL is returned.
func (s *SpacesService) Create(ctx context.Context, repoID string, opts *CreateOptions) (*RepoURL, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	if opts == nil {
		return nil, fmt.Errorf("%w: Create needs options with an SDK (gradio, docker, static or streamlit)", ErrInvalidOption)
	}
	o := *opts
	if err := o.valid(); err != nil {
		return nil, err
	}
	ns, name, _ := strings.Cut(repoID, "/")
	body := createBody{Name: name, Organization: ns, Type: "space", Visibility: o.Visibility, SDK: o.SDK,
		Hardware: o.Hardware, StorageTier: o.Storage, SleepTimeSeconds: o.SleepTime,
		Secrets: envList(o.Secrets), Variables: envList(o.Variables), Volumes: o.Volumes}
	cl := call{op: "Create", method: http.MethodPost, path: "/api/repos/create", body: body}
	for _, k := range sortedKeys(o.Secrets) {
		cl.secrets = append(cl.secrets, o.Secrets[k])
	}
	var answer struct {
		URL  string `json:"url"`
		Name string `json:"name"`
	}
	var err error
	for attempt := 0; ; attempt++ {
		err = s.client.do(ctx, cl, &answer)
		var apiErr *APIError
		if err != nil && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict &&
			strings.Contains(apiErr.Message, conflictInProgress) && attempt < s.client.retry.MaxRetries {
			if werr := s.client.sleep(ctx, s.client.retry.backoff(attempt)); werr != nil {
				return nil, werr
			}
			continue
		}
		break
	}
	if err == nil {
		return s.client.repoURL(repoID, answer.URL), nil
	}
	if !o.ExistOK {
		return nil, err
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return nil, err
	}
	switch apiErr.StatusCode {
	case http.StatusConflict:
		if !strings.Contains(apiErr.Message, conflictInProgress) {
			return s.client.repoURL(repoID, ""), nil
		}
	case http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden:
		// The token may not create here, but the Space may exist.
		if _, ierr := s.GetInfo(ctx, repoID); ierr == nil {
			return s.client.repoURL(repoID, ""), nil
		}
	}
	return nil, err
}

// sleep waits d or until ctx is done.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// DeleteOptions modifies Delete.
type DeleteOptions struct {
	MissingOK bool // a missing Space is success
}

// Delete deletes a Space, for good. A failed attempt is retried; a retry
// answered "not found" means the earlier attempt deleted it: success.
func (s *SpacesService) Delete(ctx context.Context, repoID string, opts *DeleteOptions) error {
	if err := validateSpaceID(repoID); err != nil {
		return err
	}
	var o DeleteOptions
	if opts != nil {
		o = *opts
	}
	ns, name, _ := strings.Cut(repoID, "/")
	body := map[string]string{"name": name, "organization": ns, "type": "space"}
	err := s.client.do(ctx, call{op: "Delete", method: http.MethodDelete, path: "/api/repos/delete", body: body, retry: true, checkRefusedRetry: true}, nil)
	var apiErr *APIError
	if errors.Is(err, ErrNotFound) && (o.MissingOK || errors.As(err, &apiErr) && apiErr.earlierMayHaveApplied) {
		// Missing, or deleted by an earlier attempt whose answer was lost.
		return nil
	}
	return err
}

// jsonHeader is the header of a request with a JSON body.
func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json"}}
}

// jsonBody encodes v once and replays it on every attempt.
func jsonBody(v any) func() (io.ReadCloser, int64, error) {
	data, err := json.Marshal(v)
	return func() (io.ReadCloser, int64, error) {
		if err != nil {
			return nil, 0, fmt.Errorf("encoding the request: %w", err)
		}
		return io.NopCloser(bytes.NewReader(data)), int64(len(data)), nil
	}
}

// SettingsOptions are the repository settings UpdateSettings changes. At
// least one must be set.
type SettingsOptions struct {
	Visibility Visibility // "" = unchanged
	Gated      *string    // nil = unchanged; "auto", "manual" or "false"
}

// UpdateSettings changes a Space's repository settings: visibility and
// gating.
func (s *SpacesService) UpdateSettings(ctx context.Context, repoID string, opts *SettingsOptions) error {
	if err := validateSpaceID(repoID); err != nil {
		return err
	}
	body := map[string]any{}
	if opts != nil && opts.Visibility != "" {
		if err := opts.Visibility.Validate(); err != nil {
			return err
		}
		body["visibility"] = opts.Visibility
	}
	if opts != nil && opts.Gated != nil {
		switch g := *opts.Gated; g {
		case "auto", "manual":
			body["gated"] = g
		case "false":
			body["gated"] = false
		default:
			return fmt.Errorf("%w: gated %q; want auto, manual or false", ErrInvalidOption, clip(g))
		}
	}
	if len(body) == 0 {
		return fmt.Errorf("%w: UpdateSettings: no setting to change (set Visibility or Gated)", ErrInvalidOption)
	}
	return s.client.do(ctx, call{op: "UpdateSettings", method: http.MethodPut, path: spacePath(repoID, "settings"), body: body, retry: true}, nil)
}

// Move renames a Space or moves it to another namespace. Both ids need
// their namespace. It is never retried blindly.
func (s *SpacesService) Move(ctx context.Context, fromID, toID string) error {
	if err := validateSpaceID(fromID); err != nil {
		return fmt.Errorf("source: %w", err)
	}
	if err := validateSpaceID(toID); err != nil {
		return fmt.Errorf("target: %w", err)
	}
	if fromID == toID {
		return fmt.Errorf("%w: Move: %q is both source and target", ErrInvalidOption, fromID)
	}
	body := map[string]string{"fromRepo": fromID, "toRepo": toID, "type": "space"}
	return s.client.do(ctx, call{op: "Move", method: http.MethodPost, path: "/api/repos/move", body: body}, nil)
}
