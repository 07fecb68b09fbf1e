package hfhub

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// GetRuntime returns a Space's runtime: stage, hardware, sleep time, storage.
func (s *SpacesService) GetRuntime(ctx context.Context, repoID string) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	return s.runtimeCall(ctx, call{op: "GetRuntime", method: http.MethodGet, path: spacePath(repoID, "runtime"), retry: true})
}

// runtimeCall sends a call whose answer is a runtime object.
func (s *SpacesService) runtimeCall(ctx context.Context, cl call) (*SpaceRuntime, error) {
	var rt SpaceRuntime
	if err := s.client.do(ctx, cl, &rt); err != nil {
		return nil, err
	}
	return &rt, nil
}

// GetInfo returns a Space's metadata with its runtime.
func (s *SpacesService) GetInfo(ctx context.Context, repoID string) (*SpaceInfo, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	var info SpaceInfo
	if err := s.client.do(ctx, call{op: "GetInfo", method: http.MethodGet, path: spacePath(repoID), retry: true}, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// ListOptions filters List. The zero value lists every Space.
type ListOptions struct {
	Author string // only Spaces of this user or organization
	Search string // only Spaces whose id contains this text
	Limit  int    // at most this many Spaces in all; 0 means no limit
	// Expand names the properties each Space should carry, such as
	// "runtime", "private", "sdk", "likes" or "lastModified"; the Hub then
	// answers with the id and those only. Without it the Hub sends its full
	// objects (full=true), which leave the runtime out.
	Expand []string
}

func (o *ListOptions) valid() error {
	if o == nil {
		return nil
	}
	if o.Limit < 0 {
		return fmt.Errorf("%w: list limit %d is negative", ErrInvalidOption, o.Limit)
	}
	if o.Author != "" {
		if err := checkIDPart(o.Author, "author", o.Author, MaxRepoNameLen); err != nil {
			return err
		}
	}
	for _, prop := range o.Expand {
		if !isExpandProperty(prop) {
			return fmt.Errorf("%w: list expand property %s; want a name such as \"runtime\"", ErrInvalidOption, quote(prop))
		}
	}
	return nil
}

// List yields Spaces page by page, following the Hub's Link rel="next"
// header. Breaking out of the loop stops paging; an error is yielded once
// and ends the sequence.
func (s *SpacesService) List(ctx context.Context, opts *ListOptions) iter.Seq2[*SpaceInfo, error] {
	return func(yield func(*SpaceInfo, error) bool) {
		if err := opts.valid(); err != nil {
			yield(nil, err)
			return
		}
		var o ListOptions
		if opts != nil {
			o = *opts
		}
		q := url.Values{}
		if o.Author != "" {
			q.Set("author", o.Author)
		}
		if o.Search != "" {
			q.Set("search", o.Search)
		}
		if o.Limit > 0 {
			q.Set("limit", strconv.Itoa(o.Limit))
		}
		if len(o.Expand) > 0 {
			q["expand"] = append([]string(nil), o.Expand...)
		} else {
			q.Set("full", "true")
		}
		next := s.client.base + "/api/spaces?" + q.Encode()
		cl := call{op: "List", method: http.MethodGet, path: "/api/spaces", retry: true}
		count := 0
		for pages := 0; next != ""; pages++ {
			if pages >= 100000 {
				yield(nil, fmt.Errorf("hfhub: List: stopped after %d pages", pages))
				return
			}
			page, link, err := s.listPage(ctx, cl, next)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, info := range page {
				if info == nil { // a null entry names no Space
					continue
				}
				if !yield(info, nil) {
					return
				}
				count++
				if o.Limit > 0 && count >= o.Limit {
					return
				}
			}
			if next, err = s.client.nextPage(next, link); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

// isExpandProperty accepts a property name: letters, digits and '_'.
func isExpandProperty(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return true
}

func (s *SpacesService) listPage(ctx context.Context, cl call, pageURL string) ([]*SpaceInfo, string, error) {
	resp, data, err := s.client.loop(ctx, cl, pageURL, nil, true)
	if err != nil {
		return nil, "", err
	}
	page, err := decodeSpaces(data)
	if err != nil {
		return nil, "", fmt.Errorf("hfhub: List: decoding the answer: %w", err)
	}
	return page, resp.Header.Get("Link"), nil
}

// nextPage resolves the rel="next" target of a Link header against the
// current page. A next page on another host is refused: the token would go
// with it.
func (c *Client) nextPage(current, link string) (string, error) {
	target := linkNext(link)
	if target == "" {
		return "", nil
	}
	base, err := url.Parse(current)
	if err != nil {
		return "", err
	}
	ref, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("hfhub: List: the Hub's next-page link %q is not a URL", clip(target))
	}
	u := base.ResolveReference(ref)
	if !strings.EqualFold(canonicalHost(u), canonicalHost(c.endpoint)) {
		return "", fmt.Errorf("hfhub: List: the next page is on another host (%s); not following it", u.Host)
	}
	return u.String(), nil
}

// linkNext finds the URL with rel="next" in a Link header.
func linkNext(h string) string {
	for _, part := range strings.Split(h, ",") {
		segs := strings.Split(part, ";")
		if len(segs) < 2 {
			continue
		}
		target := strings.TrimSpace(segs[0])
		if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
			continue
		}
		for _, p := range segs[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "rel") {
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
					if strings.EqualFold(rel, "next") {
						return target[1 : len(target)-1]
					}
				}
			}
		}
	}
	return ""
}

// Pause stops a Space until it is restarted, and stops its billing.
// A static Space cannot be paused (ErrBadRequest).
func (s *SpacesService) Pause(ctx context.Context, repoID string) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	return s.runtimeCall(ctx, call{op: "Pause", method: http.MethodPost, path: spacePath(repoID, "pause"), retry: true})
}

// RestartOptions modifies Restart.
type RestartOptions struct {
	// FactoryReboot rebuilds from scratch, without the build cache.
	FactoryReboot bool
}

func (o *RestartOptions) valid() error { return nil }

// Restart restarts a Space (and starts a paused one). It is sent once: a
// second restart would interrupt the first. When it fails after its
// request may have reached the Hub, the error wraps ErrOutcomeUnknown:
// check the Space's runtime before restarting again.
func (s *SpacesService) Restart(ctx context.Context, repoID string, opts *RestartOptions) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	if err := opts.valid(); err != nil {
		return nil, err
	}
	cl := call{op: "Restart", method: http.MethodPost, path: spacePath(repoID, "restart")}
	if opts != nil && opts.FactoryReboot {
		cl.op = "Restart (factory reboot)"
		cl.query = url.Values{"factory": {"true"}}
	}
	return s.runtimeCall(ctx, cl)
}

// EnableDevMode turns on dev mode (SSH and VS Code into the running Space).
func (s *SpacesService) EnableDevMode(ctx context.Context, repoID string) (*SpaceRuntime, error) {
	return s.setDevMode(ctx, "EnableDevMode", repoID, true)
}

// DisableDevMode turns dev mode off.
func (s *SpacesService) DisableDevMode(ctx context.Context, repoID string) (*SpaceRuntime, error) {
	return s.setDevMode(ctx, "DisableDevMode", repoID, false)
}

func (s *SpacesService) setDevMode(ctx context.Context, op, repoID string, enabled bool) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	body := struct {
		Enabled bool `json:"enabled"`
	}{enabled}
	return s.runtimeCall(ctx, call{op: op, method: http.MethodPost, path: spacePath(repoID, "dev-mode"), body: body, retry: true})
}
