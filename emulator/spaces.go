package emulator

import (
	"net/http"
	"slices"
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
	return shortListObject(s.ObjectID, s.ID, s.Likes, s.Private, s.SDK, s.CreatedAt)
}

// shortListObject is a Space in the short form of GET /api/spaces, from
// the fields it shows.
func shortListObject(objectID, id string, likes int, private bool, sdk string, createdAt time.Time) obj {
	return obj{
		{"_id", objectID},
		{"id", id},
		{"likes", likes},
		{"trendingScore", 0},
		{"private", private},
		{"sdk", sdk},
		{"tags", []string{sdk, "region:us"}},
		{"createdAt", hubTime(createdAt)},
	}
}

func (e *Emulator) handleRuntime(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessRead, runtimeAnswer)
}

func runtimeAnswer(s *space, now time.Time) (any, error) { return s.runtimeBody() }

func (e *Emulator) handleInfo(w http.ResponseWriter, r *http.Request) {
	want, err := expandKeys(r.URL.Query())
	if err != nil {
		failErr(w, err)
		return
	}
	e.withSpace(w, r, accessRead, func(s *space, now time.Time) (any, error) {
		o, err := e.repoInfo(r, &s.rec, "main")
		return expanded(o, want), err
	})
}

func (e *Emulator) handleRevision(w http.ResponseWriter, r *http.Request) {
	want, err := expandKeys(r.URL.Query())
	if err != nil {
		failErr(w, err)
		return
	}
	e.withSpace(w, r, accessRead, func(s *space, now time.Time) (any, error) {
		o, err := e.repoInfo(r, &s.rec, r.PathValue("revision"))
		return expanded(o, want), err
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

// maxSleep is the longest sleep time: a week, the longest the Hub offers.
const maxSleep = 7 * 24 * 60 * 60

// checkSleep applies the Hub's range to a sleep time: 1 to 604,800 seconds
// (a week), or -1, which means never sleep (on free cpu-basic hardware the
// Space still sleeps after 48 h: that is not configurable). 0 is refused,
// as are other negative values and anything longer than a week.
func checkSleep(seconds int) error {
	if seconds != -1 && (seconds <= 0 || seconds > maxSleep) {
		return errorf(http.StatusBadRequest, "Invalid sleep time %d: must be from 1 to %d seconds (a week), or -1 to never sleep", seconds, maxSleep)
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

// Limits on a Space's volumes, which its record (saved on every write of
// the Space) holds: at most maxVolumes, each string at most maxVolumeField
// bytes.
const (
	maxVolumes     = 20
	maxVolumeField = 1024
)

// checkVolumes applies the Hub's rules to volumes to mount.
func checkVolumes(volumes []Volume) error {
	if len(volumes) > maxVolumes {
		return errorf(http.StatusBadRequest, "At most %d volumes can be mounted, not %d", maxVolumes, len(volumes))
	}
	for i, v := range volumes {
		for _, s := range []*string{&v.Type, &v.Source, &v.MountPath, v.Revision, v.Path} {
			if s != nil && len(*s) > maxVolumeField {
				return errorf(http.StatusBadRequest, "volumes[%d] has a value of %d bytes: at most %d", i, len(*s), maxVolumeField)
			}
		}
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
