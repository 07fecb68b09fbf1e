package emulator

import (
	"net/http"
	"slices"
	"time"
)

// access is what a request needs to be allowed on a Space.
type access int

const (
	accessRead   access = iota // see the Space
	accessManage               // the owner or an organization member, any token role
	accessWrite                // the owner or a member, with a write token
)

// isMember reports whether user may act for namespace ns: it is the user
// or an organization the user belongs to. e.mu must be held.
func (e *Emulator) isMember(user, ns string) bool {
	if user == "" {
		return false
	}
	if user == ns {
		return true
	}
	a := e.accounts[ns]
	return a != nil && a.Org && slices.Contains(a.Members, user)
}

// authorize decides a request on a Space, as the Hub does: a Space the
// caller may not see does not exist for them (401 RepoNotFound without a
// token, 404 with one); mutations need a member with a write token (403).
// rec is nil when there is no such Space. e.mu must be held.
func (e *Emulator) authorize(c caller, rec *spaceRecord, need access) *apiError {
	visible := rec != nil && (!rec.Private || e.isMember(c.user, rec.namespace()))
	if !visible {
		if c.user == "" {
			return &apiError{status: http.StatusUnauthorized, code: "RepoNotFound", msg: msgInvalidUser}
		}
		return &apiError{status: http.StatusNotFound, code: "RepoNotFound", msg: msgRepoNotFound}
	}
	if need == accessRead {
		return nil
	}
	if c.user == "" {
		return &apiError{status: http.StatusUnauthorized, msg: msgInvalidUser}
	}
	if !e.isMember(c.user, rec.namespace()) {
		return errorf(http.StatusForbidden, "You don't have the rights to perform this action on %s", rec.ID)
	}
	if need == accessWrite && c.role != "write" {
		return errorf(http.StatusForbidden, "This action requires a token with write access; yours is read-only")
	}
	return nil
}

func spaceID(r *http.Request) string {
	return r.PathValue("namespace") + "/" + r.PathValue("name")
}

// withSpace runs fn on the Space named by the request path, with e.mu held,
// after checking access and settling the Space to now. When fn succeeds on a
// write, the Space is queued for the data file under e.mu and the answer
// waits, after e.mu is released, until it is durable: an acknowledged write
// is on disk. If the disk fails the answer is a 500 (see store.go). fn's
// result is written as JSON with status 200.
func (e *Emulator) withSpace(w http.ResponseWriter, r *http.Request, need access, fn func(s *space, now time.Time) (any, error)) {
	e.withSpaceID(w, callerOf(r), spaceID(r), need, fn)
}

// withSpaceID is withSpace for caller c and the Space id.
func (e *Emulator) withSpaceID(w http.ResponseWriter, c caller, id string, need access, fn func(s *space, now time.Time) (any, error)) {
	now := e.clock.Now()
	e.mu.Lock()
	s := e.spaces[id]
	var rec *spaceRecord
	if s != nil {
		rec = &s.rec
	}
	if err := e.authorize(c, rec, need); err != nil {
		e.mu.Unlock()
		failErr(w, err)
		return
	}
	if e.settle(&s.rec, now) {
		e.notify(s)
	}
	v, err := fn(s, now)
	var saved *pending
	if err == nil && need == accessWrite {
		saved = e.queueSave(s)
		e.notify(s)
	}
	var body []byte
	if err == nil {
		body, err = marshal(v)
	}
	e.mu.Unlock()
	if werr := saved.wait(); werr != nil {
		err = werr
	}
	if err != nil {
		failErr(w, err)
		return
	}
	writeBody(w, http.StatusOK, "application/json; charset=utf-8", body)
}

// notify wakes the Space's log followers. e.mu must be held.
func (e *Emulator) notify(s *space) {
	close(s.changed)
	s.changed = make(chan struct{})
}
