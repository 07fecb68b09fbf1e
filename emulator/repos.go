package emulator

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
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

// newSpace makes the record of a Space just created: the Hub's first
// commit holds .gitattributes and a README, so a Space with an SDK that
// needs an app file waits in NO_APP_FILE for one.
func newSpace(id, sdk string, private bool, now time.Time) spaceRecord {
	ns, _, _ := strings.Cut(id, "/")
	rec := spaceRecord{
		ObjectID: objectID(now), ID: id, Author: ns, SDK: sdk, Private: private,
		CreatedAt: now, LastModified: now, Sha: randomHex(20),
		Files: map[string]string{
			".gitattributes": blobID([]byte("*.bin filter=lfs diff=lfs merge=lfs -text\n")),
			"README.md":      blobID([]byte("---\ntitle: " + id + "\nsdk: " + sdk + "\n---\n")),
		},
	}
	if sdk == "static" {
		rec.Files["index.html"] = blobID([]byte("<!doctype html><title>" + id + "</title>\n"))
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
		Private      *bool   `json:"private"`
		Type         string  `json:"type"`
		SDK          string  `json:"sdk"`
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
	rec := newSpace(id, req.SDK, req.Private != nil && *req.Private, now)
	req.spaceOptions.apply(&rec, now)
	_, saved := e.addSpace(rec)
	e.mu.Unlock()
	if err := saved.wait(); err != nil {
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
	rec.Files = maps(srcRec.Files)
	rec.Sha = randomHex(20)
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

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// handlePreupload answers which upload mode each file takes: regular, or
// lfs for large files, with the current blob id of files that exist.
func (e *Emulator) handlePreupload(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Files []struct {
			Path string `json:"path"`
			Size int64  `json:"size"`
		} `json:"files"`
	}
	body, err := readBody(w, r)
	if err != nil {
		failErr(w, err)
		return
	}
	e.withSpace(w, r, accessWrite, func(s *space, now time.Time) (any, error) {
		if err := parseJSON(body, &req); err != nil {
			return nil, err
		}
		files := make([]obj, 0, len(req.Files))
		for _, f := range req.Files {
			mode := "regular"
			if f.Size > 10<<20 {
				mode = "lfs"
			}
			o := obj{{"path", f.Path}, {"uploadMode", mode}, {"shouldIgnore", false}}
			if oid := s.rec.Files[f.Path]; oid != "" {
				o = append(o, kv{"oid", oid})
			}
			files = append(files, o)
		}
		return obj{{"files", files}, {"commitOid", s.rec.Sha}}, nil
	})
}

// handleCommit applies an NDJSON commit (header, file, deletedFile
// lines). Committing to a Space rebuilds it, unless it is paused.
func (e *Emulator) handleCommit(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		failErr(w, err)
		return
	}
	type op struct {
		Key   string `json:"key"`
		Value struct {
			Summary  string `json:"summary"`
			Path     string `json:"path"`
			Content  string `json:"content"`
			Encoding string `json:"encoding"`
			Oid      string `json:"oid"`
		} `json:"value"`
	}
	var ops []op
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), maxBody+1)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var o op
		if err := json.Unmarshal(line, &o); err != nil {
			fail(w, http.StatusBadRequest, "", "Invalid NDJSON commit payload")
			return
		}
		ops = append(ops, o)
	}
	if len(ops) == 0 || ops[0].Key != "header" {
		fail(w, http.StatusBadRequest, "", "A commit must start with a header line")
		return
	}
	e.withSpace(w, r, accessWrite, func(s *space, now time.Time) (any, error) {
		if rev := r.PathValue("revision"); rev != "main" {
			return nil, &apiError{status: http.StatusNotFound, code: "RevisionNotFound", msg: "Invalid rev id: " + rev}
		}
		rec := &s.rec
		for _, o := range ops[1:] {
			switch o.Key {
			case "file":
				content := []byte(o.Value.Content)
				if o.Value.Encoding == "base64" {
					b, err := base64.StdEncoding.DecodeString(o.Value.Content)
					if err != nil {
						return nil, errorf(http.StatusBadRequest, "Invalid base64 content for %s", o.Value.Path)
					}
					content = b
				}
				rec.Files[o.Value.Path] = blobID(content)
			case "lfsFile":
				rec.Files[o.Value.Path] = o.Value.Oid
			case "deletedFile":
				delete(rec.Files, o.Value.Path)
			case "deletedFolder":
				for p := range rec.Files {
					if strings.HasPrefix(p, strings.TrimSuffix(o.Value.Path, "/")+"/") {
						delete(rec.Files, p)
					}
				}
			default:
				return nil, errorf(http.StatusBadRequest, "Unknown commit operation %q", o.Key)
			}
		}
		rec.Sha = randomHex(20)
		rec.LastModified = now
		if rec.Stage != StagePaused {
			e.startBuild(rec, now, e.cfg.BuildDuration, e.cfg.StartDuration)
			e.settle(rec, now)
		}
		return obj{
			{"success", true},
			{"commitOid", rec.Sha},
			{"commitUrl", spaceURL(r, rec.ID) + "/commit/" + rec.Sha},
			{"hookOutput", ""},
		}, nil
	})
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
