package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// A Space that was moved (POST /api/repos/move) is still found at its old
// id, as on the Hub: requests there get a relative 307 to the same path at
// the new id, which the clients follow (a relative redirect is how the
// Python client tells a renamed repository from a CDN). Only callers who
// may see the Space are redirected; a new Space at the old id wins.

// movedLocation returns where a request for a moved Space goes, or "".
func (e *Emulator) movedLocation(r *http.Request, c caller) string {
	p := r.URL.Path
	var prefix string
	switch {
	case strings.HasPrefix(p, "/api/spaces/"):
		prefix = "/api/spaces/"
	case strings.HasPrefix(p, "/spaces/"):
		prefix = "/spaces/"
	default:
		return ""
	}
	parts := strings.SplitN(p[len(prefix):], "/", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	name, git := strings.CutSuffix(parts[1], ".git")
	id := parts[0] + "/" + name
	// The ids ever moved from, known without e.mu: hot reads of other
	// Spaces do not take the lock once more.
	e.git.movedOnce.Do(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, s := range e.spaces {
			for _, old := range s.rec.MovedFrom {
				e.git.moved.Store(old, true)
			}
		}
	})
	if _, ok := e.git.moved.Load(id); !ok {
		return ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.spaces[id] != nil {
		return ""
	}
	for _, s := range e.spaces {
		if !slices.Contains(s.rec.MovedFrom, id) || e.authorize(c, &s.rec, accessRead) != nil {
			continue
		}
		seg := s.rec.ID
		if git {
			seg += ".git"
		}
		loc := prefix + seg
		if len(parts) == 3 {
			loc += "/" + parts[2]
		}
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		return loc
	}
	return ""
}
