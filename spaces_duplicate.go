package hfhub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// DuplicateOptions modifies Duplicate. Every field may be left zero.
type DuplicateOptions struct {
	// ToID is the new Space's id. Without a namespace ("name") or empty (the
	// source's name), the caller's own namespace is used (asked of WhoAmI).
	ToID string
	// Private makes the copy private (true) or public (false); nil keeps the
	// Hub's default (the source's visibility).
	Private *bool
	// Visibility is "public", "private" or "protected"; set it or Private,
	// not both.
	Visibility string
	// Hardware is the copy's flavor; empty leaves it to the Hub.
	Hardware Hardware
	// Storage is the copy's persistent storage tier; empty asks for none.
	Storage Storage
	// SleepTime is the copy's sleep time in seconds (-1: never); nil
	// leaves it to the Hub.
	SleepTime *int
	// Secrets and Variables are set on the copy. Keys must be unique
	// within each list.
	Secrets   []EnvVar
	Variables []EnvVar
	// Volumes are mounted into the copy.
	Volumes []Volume
	// ExistOK makes an existing target Space a success instead of ErrConflict.
	ExistOK bool
}

type duplicateBody struct {
	Repository       string   `json:"repository"`
	Visibility       string   `json:"visibility,omitempty"`
	Hardware         Hardware `json:"hardware,omitempty"`
	StorageTier      Storage  `json:"storageTier,omitempty"`
	SleepTimeSeconds *int     `json:"sleepTimeSeconds,omitempty"`
	Secrets          []EnvVar `json:"secrets,omitempty"`
	Variables        []EnvVar `json:"variables,omitempty"`
	Volumes          []Volume `json:"volumes,omitempty"`
}

func (o *DuplicateOptions) valid() error {
	if o == nil {
		return nil
	}
	if o.Private != nil && o.Visibility != "" {
		return fmt.Errorf("%w: set Private or Visibility, not both", ErrInvalidOption)
	}
	switch o.Visibility {
	case "", "public", "private", "protected":
	default:
		return fmt.Errorf("%w: visibility %q; want public, private or protected", ErrInvalidOption, clip(o.Visibility))
	}
	if o.ToID != "" {
		if err := ValidateRepoID(o.ToID); err != nil {
			return fmt.Errorf("target: %w", err)
		}
	}
	if err := validateSettings(o.Hardware, o.Storage, o.SleepTime); err != nil {
		return err
	}
	for _, group := range []struct {
		what string
		list []EnvVar
	}{{"secret", o.Secrets}, {"variable", o.Variables}} {
		what := group.what
		seen := map[string]bool{}
		for _, e := range group.list {
			if err := ValidateEnvKey(e.Key); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if seen[e.Key] {
				return fmt.Errorf("%w: %s %q given twice", ErrInvalidKey, what, e.Key)
			}
			seen[e.Key] = true
		}
	}
	return validateVolumes(o.Volumes)
}

// Duplicate copies a Space, optionally onto other hardware and storage and
// with its own secrets and variables. It is sent once: a second try after
// the first was applied would get 409. When it fails after its request may
// have reached the Hub, the error wraps ErrOutcomeUnknown: look for the
// target Space (GetInfo) before trying again, or try again with ExistOK.
func (s *SpacesService) Duplicate(ctx context.Context, fromID string, opts *DuplicateOptions) (*RepoURL, error) {
	if err := validateSpaceID(fromID); err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	var o DuplicateOptions
	if opts != nil {
		o = *opts
	}
	if err := o.valid(); err != nil {
		return nil, err
	}

	toID := o.ToID
	if toID == "" {
		_, toID, _ = strings.Cut(fromID, "/")
	}
	if !strings.Contains(toID, "/") {
		me, err := s.client.WhoAmI(ctx)
		if err != nil {
			if ctx != nil && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("hfhub: Duplicate: finding your namespace for %q: %w", toID, err)
		}
		if me.Name == "" {
			return nil, errors.New("hfhub: Duplicate: the Hub did not say who you are; give a target id with its namespace")
		}
		toID = me.Name + "/" + toID
	}

	body := duplicateBody{Repository: toID, Visibility: o.Visibility, Hardware: o.Hardware, StorageTier: o.Storage,
		SleepTimeSeconds: o.SleepTime, Secrets: o.Secrets, Variables: o.Variables, Volumes: o.Volumes}
	if o.Private != nil {
		body.Visibility = "public"
		if *o.Private {
			body.Visibility = "private"
		}
	}
	cl := call{op: "Duplicate", method: http.MethodPost, path: spacePath(fromID, "duplicate"), body: body}
	for _, e := range o.Secrets {
		cl.secrets = append(cl.secrets, e.Value)
	}
	data, _, err := s.client.exchange(ctx, cl)
	if err != nil {
		if o.ExistOK && errors.Is(err, ErrConflict) {
			return s.client.repoURL(toID, ""), nil
		}
		return nil, err
	}
	// The copy is made: an answer without a usable URL still names it.
	var answer struct {
		URL string `json:"url"`
	}
	_ = lenientUnmarshal(data, &answer)
	return s.client.repoURL(toID, answer.URL), nil
}

// repoURL describes a Space, from the URL the Hub answered when it gave one.
func (c *Client) repoURL(repoID, answered string) *RepoURL {
	r := &RepoURL{URL: answered, Endpoint: c.base, RepoType: "space", RepoID: repoID}
	if r.URL == "" {
		r.URL = r.Endpoint + "/spaces/" + repoID
		return r
	}
	if u, err := url.Parse(answered); err == nil {
		if _, id, ok := strings.Cut(u.Path, "/spaces/"); ok && strings.Count(id, "/") == 1 {
			r.RepoID = strings.TrimSuffix(id, "/")
		}
	}
	return r
}

// validateSettings checks what a new Space (Create, Duplicate) may be given
// along with it: each is optional.
func validateSettings(hw Hardware, storage Storage, sleepTime *int) error {
	if hw != "" {
		if err := hw.Validate(); err != nil {
			return err
		}
	}
	if storage != "" {
		if err := storage.Validate(); err != nil {
			return err
		}
	}
	if sleepTime != nil {
		return validateSleepTime(*sleepTime)
	}
	return nil
}
