package emulator

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// runtimeObject is the Space's runtime as the Hub answers it (cassettes
// test_space_runtime, test_static_space_runtime).
func runtimeObject(s *spaceRecord) obj {
	running := s.Stage == StageRunning || s.Stage == StageRunningBuilding || s.Stage == StageRunningAppStarting
	replicas := obj{{"requested", 1}}
	if running {
		replicas = append(replicas, kv{"current", 1})
	}
	if s.static() {
		o := obj{
			{"stage", s.Stage},
			{"hardware", obj{{"current", nil}, {"requested", nil}}},
			{"storage", nullable(s.Storage)},
			{"replicas", replicas},
		}
		if len(s.Volumes) > 0 {
			o = append(o, kv{"volumes", s.Volumes})
		}
		return o
	}
	var gc any
	if sleep := s.sleepSeconds(); sleep > 0 {
		gc = sleep
	}
	o := obj{
		{"stage", s.Stage},
		{"hardware", obj{{"current", nullable(s.HardwareCurrent)}, {"requested", nullable(s.HardwareRequested)}}},
		{"storage", nullable(s.Storage)},
		{"gcTimeout", gc},
		{"replicas", replicas},
		{"devMode", s.DevMode},
		{"domains", []obj{{{"domain", s.subdomain() + ".hf.space"}, {"stage", "READY"}}}},
	}
	if s.ErrorMessage != "" {
		o = append(o, kv{"errorMessage", s.ErrorMessage})
	}
	if len(s.Volumes) > 0 {
		o = append(o, kv{"volumes", s.Volumes})
	}
	return o
}

// baseURL is the emulator's own address as the client sees it, so that
// answers carry URLs that lead back here.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

func spaceURL(r *http.Request, id string) string { return baseURL(r) + "/spaces/" + id }

func (s *spaceRecord) siblings() []obj {
	paths := sortedKeys(s.Files)
	out := make([]obj, len(paths))
	for i, p := range paths {
		out[i] = obj{{"rfilename", p}}
	}
	return out
}

func (s *spaceRecord) tags() []string {
	return []string{s.SDK, "region:us"}
}

func (s *spaceRecord) cardData() any {
	if len(s.CardData) > 0 {
		return s.CardData
	}
	o := obj{
		{"title", s.name()},
		{"emoji", "🚀"},
		{"colorFrom", "blue"},
		{"colorTo", "purple"},
		{"sdk", s.SDK},
	}
	switch s.SDK {
	case "gradio":
		o = append(o, kv{"sdk_version", "5.20.0"}, kv{"app_file", "app.py"})
	case "streamlit":
		o = append(o, kv{"sdk_version", "1.43.0"}, kv{"app_file", "app.py"})
	}
	return append(o, kv{"pinned", false})
}

// infoObject is the Space object of GET /api/spaces/{id}.
func infoObject(s *spaceRecord) obj {
	sub := s.subdomain()
	return obj{
		{"_id", s.ObjectID},
		{"id", s.ID},
		{"author", s.Author},
		{"sha", s.Sha},
		{"lastModified", hubTime(s.LastModified)},
		{"private", s.Private},
		{"gated", false},
		{"disabled", false},
		{"host", "https://" + sub + ".hf.space"},
		{"subdomain", sub},
		{"likes", s.Likes},
		{"sdk", s.SDK},
		{"tags", s.tags()},
		{"siblings", s.siblings()},
		{"createdAt", hubTime(s.CreatedAt)},
		{"cardData", s.cardData()},
		{"runtime", runtimeObject(s)},
		{"models", []string{}},
		{"datasets", []string{}},
		{"usedStorage", 0},
	}
}

// listObject is a Space in GET /api/spaces: the short form, or the whole
// object with full=true.
func listObject(s *spaceRecord, full bool) obj {
	if full {
		o := infoObject(s)
		return slices.DeleteFunc(o, func(m kv) bool { return m.k == "runtime" })
	}
	return obj{
		{"_id", s.ObjectID},
		{"id", s.ID},
		{"likes", s.Likes},
		{"trendingScore", 0},
		{"private", s.Private},
		{"sdk", s.SDK},
		{"tags", s.tags()},
		{"createdAt", hubTime(s.CreatedAt)},
	}
}

func hasExpand(r *http.Request) bool {
	q := r.URL.Query()
	return len(q["expand"]) > 0 || len(q["expand[]"]) > 0
}

// expanded keeps _id, id and the keys the request asks for with expand=…
// (or expand[]=…), or the whole object when it names none.
func expanded(r *http.Request, o obj) obj {
	q := r.URL.Query()
	want := append(q["expand"], q["expand[]"]...)
	if len(want) == 0 {
		return o
	}
	out := obj{}
	for _, m := range o {
		if m.k == "_id" || m.k == "id" || slices.Contains(want, m.k) {
			out = append(out, m)
		}
	}
	for _, k := range want {
		if k == "xetEnabled" {
			out = append(out, kv{"xetEnabled", false})
		}
	}
	return out
}

func (e *Emulator) handleRuntime(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessRead, func(s *space, now time.Time) (any, error) {
		return runtimeObject(&s.rec), nil
	})
}

func (e *Emulator) handleInfo(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessRead, func(s *space, now time.Time) (any, error) {
		o, err := e.repoInfo(r, &s.rec, "main")
		return expanded(r, o), err
	})
}

func (e *Emulator) handleRevision(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessRead, func(s *space, now time.Time) (any, error) {
		o, err := e.repoInfo(r, &s.rec, r.PathValue("revision"))
		return expanded(r, o), err
	})
}

var errStatic = func(what string) error {
	return errorf(http.StatusBadRequest, "Cannot %s a static Space", what)
}

func (e *Emulator) handleHardware(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Flavor           *string `json:"flavor"`
		SleepTimeSeconds *int    `json:"sleepTimeSeconds"`
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
		if req.Flavor == nil || !knownFlavor(*req.Flavor) {
			got := ""
			if req.Flavor != nil {
				got = *req.Flavor
			}
			return nil, errorf(http.StatusBadRequest, "Invalid hardware flavor %q: must be one of %s", got, flavorNames())
		}
		if req.SleepTimeSeconds != nil {
			if err := checkSleep(*req.SleepTimeSeconds); err != nil {
				return nil, err
			}
		}
		rec := &s.rec
		if rec.static() {
			return nil, errorf(http.StatusBadRequest, "Static Spaces run on no hardware: cannot request %s", *req.Flavor)
		}
		if req.SleepTimeSeconds != nil {
			rec.SleepTime = *req.SleepTimeSeconds
		}
		changed := rec.HardwareRequested != *req.Flavor
		rec.HardwareRequested = *req.Flavor
		rec.LastModified = now
		if changed {
			switch rec.Stage {
			case StagePaused, StageNoAppFile:
				// Takes effect on the next start.
			default:
				e.startBuild(rec, now, e.cfg.BuildDuration, e.cfg.StartDuration)
				e.settle(rec, now)
			}
		}
		return runtimeObject(rec), nil
	})
}

func checkSleep(seconds int) error {
	if seconds != -1 && seconds <= 0 {
		return errorf(http.StatusBadRequest, "Invalid sleep time %d: must be a positive number of seconds, or -1 to never sleep", seconds)
	}
	return nil
}

func (e *Emulator) handleSleeptime(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Seconds *int `json:"seconds"`
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
		if req.Seconds == nil {
			return nil, errorf(http.StatusBadRequest, "seconds is required")
		}
		if err := checkSleep(*req.Seconds); err != nil {
			return nil, err
		}
		if s.rec.static() {
			return nil, errStatic("set the sleep time of")
		}
		s.rec.SleepTime = *req.Seconds
		e.settle(&s.rec, now)
		return runtimeObject(&s.rec), nil
	})
}

func (e *Emulator) handlePause(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessWrite, func(s *space, now time.Time) (any, error) {
		rec := &s.rec
		if rec.static() {
			return nil, errStatic("pause")
		}
		rec.Stage = StagePaused
		rec.HardwareCurrent = ""
		return runtimeObject(rec), nil
	})
}

func (e *Emulator) handleRestart(w http.ResponseWriter, r *http.Request) {
	factory := r.URL.Query().Get("factory") == "true"
	e.withSpace(w, r, accessWrite, func(s *space, now time.Time) (any, error) {
		rec := &s.rec
		if rec.static() {
			return nil, errStatic("restart")
		}
		if rec.Stage == StageRunning || rec.Stage == StageRunningBuilding || rec.Stage == StageRunningAppStarting {
			// A restart replaces the running app rather than serving the
			// old one meanwhile.
			rec.Stage = StageStopped
		}
		e.startBuild(rec, now, e.cfg.BuildDuration, e.cfg.StartDuration)
		if factory && len(rec.BuildLog) > 0 {
			e.appendLog(rec, true, LogLine{Data: "Factory reboot: rebuilding from scratch without cache\n", Timestamp: now})
		}
		e.settle(rec, now)
		return runtimeObject(rec), nil
	})
}

func (e *Emulator) handleDevMode(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Enabled *bool `json:"enabled"`
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
		if req.Enabled == nil {
			return nil, errorf(http.StatusBadRequest, "enabled is required")
		}
		if s.rec.static() {
			return nil, errStatic("enable dev mode on")
		}
		s.rec.DevMode = *req.Enabled
		return runtimeObject(&s.rec), nil
	})
}

func (e *Emulator) handleStoragePost(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Tier *string `json:"tier"`
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
		if req.Tier == nil || !slices.Contains([]string{"small", "medium", "large"}, *req.Tier) {
			return nil, errorf(http.StatusBadRequest, "Invalid storage tier: must be one of small, medium, large")
		}
		s.rec.Storage = *req.Tier
		return runtimeObject(&s.rec), nil
	})
}

func (e *Emulator) handleStorageDelete(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessWrite, func(s *space, now time.Time) (any, error) {
		if s.rec.Storage == "" {
			return nil, errorf(http.StatusBadRequest, "This Space has no persistent storage")
		}
		s.rec.Storage = ""
		return runtimeObject(&s.rec), nil
	})
}

func (e *Emulator) handleVolumesPut(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Volumes *[]Volume `json:"volumes"`
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
		if req.Volumes == nil {
			return nil, errorf(http.StatusBadRequest, "volumes is required")
		}
		if err := checkVolumes(*req.Volumes); err != nil {
			return nil, err
		}
		s.rec.Volumes = *req.Volumes
		return runtimeObject(&s.rec), nil
	})
}

// checkVolumes applies the Hub's rules to volumes to mount.
func checkVolumes(volumes []Volume) error {
	for i, v := range volumes {
		if !slices.Contains([]string{"model", "dataset", "space", "bucket"}, v.Type) {
			return errorf(http.StatusBadRequest, "volumes[%d].type must be one of model, dataset, space, bucket", i)
		}
		if v.Source == "" || !strings.HasPrefix(v.MountPath, "/") {
			return errorf(http.StatusBadRequest, "volumes[%d] needs a source and an absolute mountPath", i)
		}
	}
	return nil
}

func (e *Emulator) handleVolumesDelete(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessWrite, func(s *space, now time.Time) (any, error) {
		if len(s.rec.Volumes) == 0 {
			return nil, errorf(http.StatusBadRequest, "This Space has no volumes")
		}
		s.rec.Volumes = nil
		return runtimeObject(&s.rec), nil
	})
}

// handleList answers GET /api/spaces: the Spaces the caller may see, by
// id, filtered by author and search, limit at a time with a Link to the
// next page.
func (e *Emulator) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	author, search := q.Get("author"), strings.ToLower(q.Get("search"))
	full := q.Get("full") == "true" || q.Get("full") == "1"
	limit := 0
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			fail(w, http.StatusBadRequest, "", "Invalid limit")
			return
		}
		limit = n
	}
	after := ""
	if cur := q.Get("cursor"); cur != "" {
		b, err := base64.RawURLEncoding.DecodeString(cur)
		if err != nil {
			fail(w, http.StatusBadRequest, "", "Invalid cursor")
			return
		}
		after = string(b)
	}
	c := callerOf(r)
	now := e.clock.Now()
	e.mu.Lock()
	ids := sortedKeys(e.spaces)
	var page []any
	next, last := "", ""
	for _, id := range ids {
		if id <= after {
			continue
		}
		s := e.spaces[id]
		rec := &s.rec
		if rec.Private && !e.isMember(c.user, rec.namespace()) {
			continue
		}
		if author != "" && rec.Author != author {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(id), search) {
			continue
		}
		if limit > 0 && len(page) == limit {
			next = last
			break
		}
		if e.settle(rec, now) {
			e.notify(s)
		}
		if hasExpand(r) {
			page = append(page, expanded(r, infoObject(rec)))
		} else {
			page = append(page, listObject(rec, full))
		}
		last = id
	}
	body, err := marshal(append([]any{}, page...))
	e.mu.Unlock()
	if err != nil {
		failErr(w, err)
		return
	}
	if next != "" {
		nq := url.Values{}
		for k, vs := range q {
			nq[k] = vs
		}
		nq.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte(next)))
		w.Header().Set("Link", fmt.Sprintf("<%s/api/spaces?%s>; rel=\"next\"", baseURL(r), nq.Encode()))
	}
	writeBody(w, http.StatusOK, "application/json; charset=utf-8", body)
}
