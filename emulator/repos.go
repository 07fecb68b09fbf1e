package emulator

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// repoName is ^[A-Za-z0-9_.-]{1,96}$ (see nameRule).
var repoName = nameRule{first: isRepoNameByte, rest: isRepoNameByte, max: 96}

// checkRepoID applies the Hub's rules to a namespace/name id.
func checkRepoID(id string) error {
	ns, name, ok := strings.Cut(id, "/")
	if !ok || strings.Contains(name, "/") {
		return errorf(http.StatusBadRequest, "Invalid repo id %q: want namespace/name", id)
	}
	for _, part := range []string{ns, name} {
		if !repoName.MatchString(part) || strings.Contains(part, "--") || strings.Contains(part, "..") ||
			strings.HasPrefix(part, "-") || strings.HasPrefix(part, ".") ||
			strings.HasSuffix(part, "-") || strings.HasSuffix(part, ".") || strings.HasSuffix(part, ".git") {
			return errorf(http.StatusBadRequest, "Invalid repo name %q: use up to 96 letters, digits, '-', '_' or '.', not starting or ending with '-' or '.', without '--' or '..'", part)
		}
	}
	return nil
}

var sdks = []string{"gradio", "streamlit", "docker", "static"}

// spaceOptions are the settings a new Space can start with, from a create
// or a duplicate request.
type spaceOptions struct {
	Hardware         *string    `json:"hardware"`
	StorageTier      *string    `json:"storageTier"`
	SleepTimeSeconds *int       `json:"sleepTimeSeconds"`
	Secrets          []envInput `json:"secrets"`
	Variables        []envInput `json:"variables"`
	Volumes          []Volume   `json:"volumes"`
}

type envInput struct {
	Key         string  `json:"key"`
	Value       string  `json:"value"`
	Description *string `json:"description"`
}

func (o *spaceOptions) check() error {
	if o.Hardware != nil && !knownFlavor(*o.Hardware) {
		return errorf(http.StatusBadRequest, "Invalid hardware flavor %q: must be one of %s", *o.Hardware, flavorNames())
	}
	if o.StorageTier != nil && !slices.Contains([]string{"small", "medium", "large"}, *o.StorageTier) {
		return errorf(http.StatusBadRequest, "Invalid storage tier: must be one of small, medium, large")
	}
	if o.SleepTimeSeconds != nil {
		if err := checkSleep(*o.SleepTimeSeconds); err != nil {
			return err
		}
	}
	if err := checkVolumes(o.Volumes); err != nil {
		return err
	}
	for _, list := range [][]envInput{o.Secrets, o.Variables} {
		for _, v := range list {
			if !envKey.MatchString(v.Key) {
				return errorf(http.StatusBadRequest, "Invalid key %q", v.Key)
			}
			if err := checkEnvValue(v.Key, v.Value, v.Description); err != nil {
				return err
			}
		}
	}
	var rec spaceRecord
	o.apply(&rec, time.Time{})
	if err := checkEnvTotal(&rec); err != nil {
		return err
	}
	return nil
}

func (o *spaceOptions) apply(rec *spaceRecord, now time.Time) {
	if o.Hardware != nil && !rec.static() {
		rec.HardwareRequested = *o.Hardware
	}
	if o.StorageTier != nil {
		rec.Storage = *o.StorageTier
	}
	if o.SleepTimeSeconds != nil {
		rec.SleepTime = *o.SleepTimeSeconds
	}
	for _, v := range o.Secrets {
		rec.Secrets = upsertEntry(rec.Secrets, envEntry{Key: v.Key, Value: v.Value, Description: v.Description, UpdatedAt: now})
	}
	for _, v := range o.Variables {
		rec.Variables = upsertEntry(rec.Variables, envEntry{Key: v.Key, Value: v.Value, Description: v.Description, UpdatedAt: now})
	}
	if len(o.Volumes) > 0 {
		rec.Volumes = o.Volumes
	}
}

// newSpace makes the record of a Space just created; initRepo (or
// forkRepo) gives it its files. The Hub's first commits hold
// .gitattributes and a README (and a page for a static Space), so a Space
// with an SDK that needs an app file waits in NO_APP_FILE for one.
func newSpace(id, sdk string, private bool, now time.Time) spaceRecord {
	ns, _, _ := strings.Cut(id, "/")
	rec := spaceRecord{
		ObjectID: objectID(now), ID: id, Author: ns, SDK: sdk, Private: private,
		CreatedAt: now, LastModified: now, Sha: randomHex(20),
		Files: map[string]string{},
	}
	if sdk == "static" {
		rec.Stage = StageRunning
		rec.RunningSince = now
	} else {
		rec.Stage = StageNoAppFile
		rec.HardwareRequested = "cpu-basic"
	}
	return rec
}

// addSpace adds a new Space and queues it for the data file. e.mu must be
// held; wait on the result after releasing it.
func (e *Emulator) addSpace(rec spaceRecord) (*space, *pending) {
	s := &space{rec: rec, changed: make(chan struct{})}
	e.spaces[rec.ID] = s
	return s, e.queueSave(s)
}

// handleCreate answers POST /api/repos/create for Spaces.
func (e *Emulator) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name         string  `json:"name"`
		Organization *string `json:"organization"`
		Private      *bool   `json:"private"` // what older clients send
		Visibility   *string `json:"visibility"`
		Type         string  `json:"type"`
		SDK          string  `json:"sdk"`
		// Files are the JavaScript client's inline files of the first
		// commit.
		Files []struct {
			Path     string `json:"path"`
			Content  string `json:"content"`
			Encoding string `json:"encoding"`
		} `json:"files"`
		spaceOptions
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	c := callerOf(r)
	if c.user == "" {
		fail(w, http.StatusUnauthorized, "", msgInvalidUser)
		return
	}
	if req.Type != "space" {
		fail(w, http.StatusBadRequest, "", "This emulator hosts Spaces only: type must be \"space\"")
		return
	}
	if !slices.Contains(sdks, req.SDK) {
		fail(w, http.StatusBadRequest, "", "Invalid Space SDK: must be one of "+strings.Join(sdks, ", "))
		return
	}
	ns := c.user
	if req.Organization != nil && *req.Organization != "" {
		ns = *req.Organization
	}
	id := ns + "/" + req.Name
	if err := checkRepoID(id); err != nil {
		failErr(w, err)
		return
	}
	if err := req.spaceOptions.check(); err != nil {
		failErr(w, err)
		return
	}
	private, protected := req.Private != nil && *req.Private, false
	if req.Visibility != nil {
		switch *req.Visibility {
		case "public", "private", "protected":
			private, protected = *req.Visibility == "private", *req.Visibility == "protected"
		default:
			fail(w, http.StatusBadRequest, "", "Invalid visibility: must be public, private or protected")
			return
		}
	}
	files := map[string][]byte{}
	for i, f := range req.Files {
		p, err := cleanRepoPath(f.Path)
		if err != nil {
			failErr(w, err)
			return
		}
		content := []byte(f.Content)
		if f.Encoding == "base64" {
			if content, err = base64.StdEncoding.DecodeString(f.Content); err != nil {
				fail(w, http.StatusBadRequest, "", fmt.Sprintf("files[%d].content is not base64", i))
				return
			}
		}
		files[p] = content
	}
	now := e.clock.Now()
	e.mu.Lock()
	if !e.isMember(c.user, ns) {
		e.mu.Unlock()
		fail(w, http.StatusForbidden, "", "You don't have the rights to create a repo under "+ns)
		return
	}
	if c.role != "write" {
		e.mu.Unlock()
		fail(w, http.StatusForbidden, "", "This action requires a token with write access; yours is read-only")
		return
	}
	if _, exists := e.spaces[id]; exists {
		e.mu.Unlock()
		writeJSON(w, http.StatusConflict, obj{{"error", "You already created this space repo"}, {"url", spaceURL(r, id)}})
		return
	}
	rec := newSpace(id, req.SDK, private, now)
	rec.Protected = protected
	req.spaceOptions.apply(&rec, now)
	err := e.initRepo(&rec, files, now)
	if err == nil && len(files) > 0 {
		e.startBuild(&rec, now, e.cfg.BuildDuration, e.cfg.StartDuration)
		e.settle(&rec, now)
	}
	var saved *pending
	if err == nil {
		_, saved = e.addSpace(rec)
	}
	e.mu.Unlock()
	if err == nil {
		err = saved.wait()
	}
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj{{"url", spaceURL(r, id)}, {"name", id}, {"id", rec.ObjectID}})
}

// handleDelete answers DELETE /api/repos/delete with a text "OK".
func (e *Emulator) handleDelete(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name         string  `json:"name"`
		Organization *string `json:"organization"`
		Type         string  `json:"type"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	c := callerOf(r)
	ns := c.user
	if req.Organization != nil && *req.Organization != "" {
		ns = *req.Organization
	}
	id := ns + "/" + req.Name
	e.mu.Lock()
	s := e.spaces[id]
	var rec *spaceRecord
	if s != nil && (req.Type == "space") {
		rec = &s.rec
	}
	if err := e.authorize(c, rec, accessWrite); err != nil {
		e.mu.Unlock()
		failErr(w, err)
		return
	}
	saved := e.queueRemove(id)
	delete(e.spaces, id)
	e.notify(s)
	e.mu.Unlock()
	if err := saved.wait(); err != nil {
		failErr(w, err)
		return
	}
	writeBody(w, http.StatusOK, "text/plain; charset=utf-8", []byte("OK"))
}

// handleDuplicate answers POST /api/spaces/{from}/duplicate.
func (e *Emulator) handleDuplicate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Repository *string `json:"repository"`
		Visibility *string `json:"visibility"`
		Private    *bool   `json:"private"` // what older clients send
		spaceOptions
	}
	body, err := readBody(w, r)
	if err != nil {
		failErr(w, err)
		return
	}
	c := callerOf(r)
	from := spaceID(r)
	now := e.clock.Now()
	e.mu.Lock()
	locked := true
	defer func() {
		if locked {
			e.mu.Unlock()
		}
	}()
	src := e.spaces[from]
	var srcRec *spaceRecord
	if src != nil {
		srcRec = &src.rec
	}
	if err := e.authorize(c, srcRec, accessRead); err != nil {
		failErr(w, err)
		return
	}
	if c.user == "" {
		fail(w, http.StatusUnauthorized, "", msgInvalidUser)
		return
	}
	if err := parseJSON(body, &req); err != nil {
		failErr(w, err)
		return
	}
	target := c.user + "/" + srcRec.name()
	if req.Repository != nil && *req.Repository != "" {
		target = *req.Repository
	}
	if err := checkRepoID(target); err != nil {
		failErr(w, err)
		return
	}
	private := srcRec.Private
	if req.Private != nil {
		private = *req.Private
	}
	if req.Visibility != nil {
		switch *req.Visibility {
		case "private":
			private = true
		case "public", "protected":
			private = false
		default:
			fail(w, http.StatusBadRequest, "", "Invalid visibility: must be public, private or protected")
			return
		}
	}
	if err := req.spaceOptions.check(); err != nil {
		failErr(w, err)
		return
	}
	ns, _, _ := strings.Cut(target, "/")
	if !e.isMember(c.user, ns) {
		fail(w, http.StatusForbidden, "", "You don't have the rights to create a repo under "+ns)
		return
	}
	if c.role != "write" {
		fail(w, http.StatusForbidden, "", "This action requires a token with write access; yours is read-only")
		return
	}
	if _, exists := e.spaces[target]; exists {
		// With the existing Space's url, like the create 409: a client
		// with exist_ok reads it.
		msg := "You already created this space repo"
		w.Header().Set("X-Error-Message", msg)
		writeJSON(w, http.StatusConflict, obj{{"error", msg}, {"url", spaceURL(r, target)}})
		return
	}
	if e.settle(srcRec, now) {
		e.notify(src)
	}
	rec := newSpace(target, srcRec.SDK, private, now)
	if err := e.forkRepo(&rec, srcRec, c.user, now); err != nil {
		failErr(w, err)
		return
	}
	rec.HardwareRequested = ""
	if !rec.static() {
		rec.HardwareRequested = "cpu-basic"
	}
	for _, v := range srcRec.Variables {
		rec.Variables = append(rec.Variables, envEntry{Key: v.Key, Value: v.Value, Description: v.Description, UpdatedAt: now})
	}
	req.spaceOptions.apply(&rec, now)
	if err := checkEnvTotal(&rec); err != nil {
		failErr(w, err)
		return
	}
	e.startBuild(&rec, now, e.cfg.BuildDuration, e.cfg.StartDuration)
	e.settle(&rec, now)
	_, saved := e.addSpace(rec)
	locked = false
	e.mu.Unlock()
	if err := saved.wait(); err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj{{"url", spaceURL(r, target)}})
}

// handleWhoami answers GET /api/whoami-v2 for the token's user.
func (e *Emulator) handleWhoami(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if c.user == "" {
		fail(w, http.StatusUnauthorized, "", msgInvalidUser)
		return
	}
	auth := r.Header.Get("Authorization")
	_, value, _ := strings.Cut(auth, " ")
	e.mu.Lock()
	u := e.accounts[c.user]
	t := e.tokens[value]
	orgs := []obj{}
	for _, name := range sortedKeys(e.accounts) {
		a := e.accounts[name]
		if a.Org && slices.Contains(a.Members, c.user) {
			orgs = append(orgs, obj{
				{"type", "org"}, {"id", a.ID}, {"name", a.Name}, {"fullname", a.Fullname},
				{"avatarUrl", "/avatars/" + a.Name + ".svg"}, {"roleInOrg", "write"},
			})
		}
	}
	resp := obj{
		{"type", "user"},
		{"id", u.ID},
		{"name", u.Name},
		{"fullname", u.Fullname},
		{"email", u.Name + "@example.com"},
		{"emailVerified", true},
		{"canPay", false},
		{"isPro", false},
		{"periodEnd", nil},
		{"avatarUrl", "/avatars/" + u.Name + ".svg"},
		{"orgs", orgs},
		{"auth", obj{{"type", "access_token"}, {"accessToken", obj{
			{"displayName", t.Name}, {"role", t.Role}, {"createdAt", hubTime(t.CreatedAt)},
		}}}},
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, resp)
}
