package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// snapshot is what a life-cycle test looks at in a runtime object.
type snapshot struct {
	Stage     string
	Current   any
	Requested any
	GC        any
}

func (h *hub) snap(id string) snapshot {
	h.t.Helper()
	v := h.do("GET", "/api/spaces/"+id+"/runtime", DemoWriteToken, nil).json(h.t)
	return snapshot{
		Stage:     field(v, "stage").(string),
		Current:   field(v, "hardware", "current"),
		Requested: field(v, "hardware", "requested"),
		GC:        field(v, "gcTimeout"),
	}
}

func TestLifecycleRestart(t *testing.T) {
	t.Parallel()
	for _, factory := range []bool{false, true} {
		t.Run(map[bool]string{false: "restart", true: "factory reboot"}[factory], func(t *testing.T) {
			t.Parallel()
			h := newHub(t, Config{Seed: "demo", BuildDuration: 10 * time.Second, StartDuration: 5 * time.Second})
			const id = "demo/gradio-app"
			path := "/api/spaces/" + id + "/restart"
			if factory {
				path += "?factory=true"
			}
			r := h.do("POST", path, DemoWriteToken, nil)
			mustStatus(t, r, 200)
			if got := field(r.json(t), "stage"); got != StageBuilding {
				t.Fatalf("restart answered stage %v", got)
			}
			var got []snapshot
			for range 4 {
				got = append(got, h.snap(id))
				h.clock.Advance(5 * time.Second)
			}
			want := []snapshot{
				{StageBuilding, nil, "cpu-basic", 172800.0},
				{StageBuilding, nil, "cpu-basic", 172800.0},
				{StageAppStarting, "cpu-basic", "cpu-basic", 172800.0},
				{StageRunning, "cpu-basic", "cpu-basic", 172800.0},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("stages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLifecycleHardwareRebuildsWhileServing(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", BuildDuration: 10 * time.Second, StartDuration: 4 * time.Second})
	const id = "demo/gradio-app"
	r := h.do("POST", "/api/spaces/"+id+"/hardware", DemoWriteToken, map[string]any{"flavor": "a100x8", "sleepTimeSeconds": 600})
	mustStatus(t, r, 200)
	var got []snapshot
	for _, step := range []time.Duration{0, 10 * time.Second, 4 * time.Second, 599 * time.Second, time.Second} {
		h.clock.Advance(step)
		got = append(got, h.snap(id))
	}
	want := []snapshot{
		{StageRunningBuilding, "cpu-basic", "a100x8", 600.0},
		{StageRunningAppStarting, "cpu-basic", "a100x8", 600.0},
		{StageRunning, "a100x8", "a100x8", 600.0},
		{StageRunning, "a100x8", "a100x8", 600.0},
		{StageSleeping, nil, "a100x8", 600.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
}

func TestLifecycleSleep(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	// Free cpu-basic sleeps after 48 h whatever it is told.
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/sleeptime", DemoWriteToken, map[string]int{"seconds": -1}), 200)
	// Paid hardware told -1 never sleeps.
	mustStatus(t, h.do("POST", "/api/spaces/demo/gpu-app/sleeptime", DemoWriteToken, map[string]int{"seconds": -1}), 200)
	h.clock.Advance(48*time.Hour - time.Second)
	if diff := cmp.Diff([]string{StageRunning, StageRunning}, []string{h.stage("demo/gradio-app"), h.stage("demo/gpu-app")}); diff != "" {
		t.Fatalf("before 48 h (-want +got):\n%s", diff)
	}
	h.clock.Advance(time.Second)
	if diff := cmp.Diff([]string{StageSleeping, StageRunning}, []string{h.stage("demo/gradio-app"), h.stage("demo/gpu-app")}); diff != "" {
		t.Fatalf("at 48 h (-want +got):\n%s", diff)
	}
	if gc := h.snap("demo/gpu-app").GC; gc != nil {
		t.Errorf("gcTimeout of a Space that never sleeps = %v, want null", gc)
	}
	// A restart wakes it.
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/restart", DemoWriteToken, nil), 200)
	if got := h.stage("demo/gradio-app"); got != StageRunning {
		t.Errorf("after restart: %s", got)
	}
}

func TestLifecyclePause(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", BuildDuration: time.Second})
	const id = "demo/gradio-app"
	r := h.do("POST", "/api/spaces/"+id+"/pause", DemoWriteToken, nil)
	mustStatus(t, r, 200)
	if diff := cmp.Diff(snapshot{StagePaused, nil, "cpu-basic", 172800.0}, h.snap(id)); diff != "" {
		t.Fatalf("after pause (-want +got):\n%s", diff)
	}
	// Neither time, nor a hardware request, nor a commit wakes it.
	mustStatus(t, h.do("POST", "/api/spaces/"+id+"/hardware", DemoWriteToken, map[string]string{"flavor": "t4-small"}), 200)
	h.clock.Advance(100 * time.Hour)
	if got := h.stage(id); got != StagePaused {
		t.Fatalf("paused Space moved to %s", got)
	}
	mustStatus(t, h.do("POST", "/api/spaces/"+id+"/restart", DemoWriteToken, nil), 200)
	if got := h.stage(id); got != StageBuilding {
		t.Fatalf("after restart: %s", got)
	}
	h.clock.Advance(time.Second)
	if diff := cmp.Diff(snapshot{StageRunning, "t4-small", "t4-small", nil}, h.snap(id)); diff != "" {
		t.Errorf("after the rebuild (-want +got):\n%s", diff)
	}
}

func TestLifecycleBuildFailure(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", BuildDuration: 10 * time.Second})
	const id = "demo/gradio-app"
	if err := h.e.SetBuildFailure(id, "No matching distribution found for tourch"); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, h.do("POST", "/api/spaces/"+id+"/restart", DemoWriteToken, nil), 200)
	h.clock.Advance(10 * time.Second)
	r := h.do("GET", "/api/spaces/"+id+"/runtime", DemoWriteToken, nil)
	v := r.json(t)
	if field(v, "stage") != StageBuildError || !strings.Contains(field(v, "errorMessage").(string), "tourch") {
		t.Fatalf("runtime after a failed build: %s", r.body)
	}
	logs := h.do("GET", "/api/spaces/"+id+"/logs/build", DemoWriteToken, nil)
	if !strings.Contains(string(logs.body), "ERROR: No matching distribution found for tourch") {
		t.Errorf("build log does not say why:\n%s", logs.body)
	}
	// Fixed, it builds again.
	if err := h.e.SetBuildFailure(id, ""); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, h.do("POST", "/api/spaces/"+id+"/restart", DemoWriteToken, nil), 200)
	h.clock.Advance(10 * time.Second)
	if got := h.stage(id); got != StageRunning {
		t.Errorf("after the fix: %s", got)
	}
	// The seeded broken build keeps failing.
	mustStatus(t, h.do("POST", "/api/spaces/demo/broken-build/restart", DemoWriteToken, nil), 200)
	h.clock.Advance(10 * time.Second)
	if got := h.stage("demo/broken-build"); got != StageBuildError {
		t.Errorf("broken-build after restart: %s", got)
	}
}

func TestCreateCommitBuilds(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", BuildDuration: 2 * time.Second, StartDuration: time.Second})
	r := h.do("POST", "/api/repos/create", DemoWriteToken, map[string]any{
		"name": "fresh", "type": "space", "sdk": "gradio", "private": true, "hardware": "t4-small",
		"variables": []map[string]string{{"key": "A", "value": "1"}},
	})
	mustStatus(t, r, 200)
	if got := field(r.json(t), "url"); got != "http://hub.test/spaces/demo/fresh" {
		t.Errorf("url = %v", got)
	}
	if diff := cmp.Diff(snapshot{StageNoAppFile, nil, "t4-small", nil}, h.snap("demo/fresh")); diff != "" {
		t.Errorf("new Space (-want +got):\n%s", diff)
	}
	commit := `{"key":"header","value":{"summary":"add app","description":""}}
{"key":"file","value":{"content":"cHJpbnQoMSkK","path":"app.py","encoding":"base64"}}
`
	mustStatus(t, h.do("POST", "/api/spaces/demo/fresh/commit/main", DemoWriteToken, commit), 200)
	if got := h.stage("demo/fresh"); got != StageBuilding {
		t.Errorf("after committing app.py: %s", got)
	}
	h.clock.Advance(3 * time.Second)
	if diff := cmp.Diff(snapshot{StageRunning, "t4-small", "t4-small", nil}, h.snap("demo/fresh")); diff != "" {
		t.Errorf("after the build (-want +got):\n%s", diff)
	}
	pre := h.do("POST", "/api/spaces/demo/fresh/preupload/main", DemoWriteToken, map[string]any{"files": []map[string]any{{"path": "app.py", "sample": "", "size": 9}}})
	if got := field(pre.json(t).(map[string]any)["files"].([]any)[0], "oid"); got != blobID([]byte("print(1)\n")) {
		t.Errorf("preupload oid of app.py = %v", got)
	}
	mustStatus(t, h.do("POST", "/api/repos/create", DemoWriteToken, map[string]any{"name": "fresh", "type": "space", "sdk": "gradio"}), 409)
	del := h.do("DELETE", "/api/repos/delete", DemoWriteToken, map[string]any{"name": "fresh", "organization": "demo", "type": "space"})
	mustStatus(t, del, 200)
	if string(del.body) != "OK" || del.header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("delete answered %q (%s)", del.body, del.header.Get("Content-Type"))
	}
	mustStatus(t, h.do("GET", "/api/spaces/demo/fresh/runtime", DemoWriteToken, nil), 404)
	mustStatus(t, h.do("DELETE", "/api/repos/delete", DemoWriteToken, map[string]any{"name": "fresh", "organization": "demo", "type": "space"}), 404)
}

func TestDuplicate(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	// Without a target, the caller's namespace and the source's name.
	r := h.do("POST", "/api/spaces/demo-org/team-space/duplicate", OtherWriteToken, map[string]any{"visibility": "private", "hardware": "t4-small"})
	mustStatus(t, r, 200)
	if diff := cmp.Diff(map[string]any{"url": "http://hub.test/spaces/other/team-space"}, r.json(t)); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
	info := h.do("GET", "/api/spaces/other/team-space", OtherWriteToken, nil).json(t)
	if field(info, "private") != true || field(info, "sdk") != "streamlit" || field(info, "runtime", "hardware", "requested") != "t4-small" {
		t.Errorf("duplicate: %v", info)
	}
	mustStatus(t, h.do("GET", "/api/spaces/other/team-space", DemoWriteToken, nil), 404)
	// Onto an existing id.
	r = h.do("POST", "/api/spaces/demo/gradio-app/duplicate", DemoWriteToken, map[string]any{"repository": "demo/static-site"})
	mustStatus(t, r, 409)
	if got := field(r.json(t), "url"); got != "http://hub.test/spaces/demo/static-site" {
		t.Errorf("url of the 409: %v (the reference client reads it with exist_ok)", got)
	}
	// A private source the caller may not see does not exist.
	mustStatus(t, h.do("POST", "/api/spaces/other/private-space/duplicate", DemoWriteToken, map[string]any{}), 404)
	// "private" as older clients send it.
	mustStatus(t, h.do("POST", "/api/spaces/demo/static-site/duplicate", DemoWriteToken, map[string]any{"repository": "demo/static-copy", "private": true}), 200)
	if got := field(h.do("GET", "/api/spaces/demo/static-copy", DemoWriteToken, nil).json(t), "private"); got != true {
		t.Errorf("private of the static copy: %v", got)
	}
	// Variables come along.
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/duplicate", DemoWriteToken, map[string]any{"repository": "demo-org/copy"}), 200)
	vars := h.do("GET", "/api/spaces/demo-org/copy/variables", DemoWriteToken, nil).json(t)
	if field(vars, "MODEL_ID", "value") != "demo/tiny-model" {
		t.Errorf("variables of the copy: %v", vars)
	}
}

// TestBadRequests covers the answers to requests the Hub refuses.
func TestBadRequests(t *testing.T) {
	t.Parallel()
	big := `{"key":"A","value":"` + strings.Repeat("x", 1<<20) + `"}`
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		msg    string // a part of the error
	}{
		{"unknown flavor", "POST", "/api/spaces/demo/gradio-app/hardware", map[string]string{"flavor": "tpu-v9"}, 400, "t4-medium"},
		{"flavor of the wrong type", "POST", "/api/spaces/demo/gradio-app/hardware", map[string]int{"flavor": 3}, 400, ""},
		{"storage tier", "POST", "/api/spaces/demo/gradio-app/storage", map[string]string{"tier": "huge"}, 400, "small"},
		{"delete missing storage", "DELETE", "/api/spaces/demo/gradio-app/storage", nil, 400, ""},
		{"delete missing volumes", "DELETE", "/api/spaces/demo/gradio-app/volumes", nil, 400, ""},
		{"malformed JSON", "POST", "/api/spaces/demo/gradio-app/variables", `{"key":`, 400, ""},
		{"value of the wrong type", "POST", "/api/spaces/demo/gradio-app/variables", map[string]any{"key": "A", "value": 1}, 400, ""},
		{"missing key", "POST", "/api/spaces/demo/gradio-app/secrets", map[string]any{"value": "v"}, 400, ""},
		{"body over 1 MiB", "POST", "/api/spaces/demo/gradio-app/variables", big, 413, ""},
		{"body over 1 MiB on a commit is read (up to 1 GiB)", "POST", "/api/spaces/demo/gradio-app/commit/main", big, 400, "line 1"},
		{"body over 1 MiB where none is read", "POST", "/api/spaces/demo/gradio-app/pause", big, 413, ""},
		{"body over 1 MiB on an unknown path", "POST", "/api/nothing", big, 413, ""},
		{"pause a static Space", "POST", "/api/spaces/demo/static-site/pause", nil, 400, "static"},
		{"restart a static Space", "POST", "/api/spaces/demo/static-site/restart", nil, 400, "static"},
		{"dev mode on a static Space", "POST", "/api/spaces/demo/static-site/dev-mode", map[string]bool{"enabled": true}, 400, "static"},
		{"sleep time zero", "POST", "/api/spaces/demo/gpu-app/sleeptime", map[string]int{"seconds": 0}, 400, ""},
		{"sleep time -2", "POST", "/api/spaces/demo/gpu-app/sleeptime", map[string]int{"seconds": -2}, 400, ""},
		{"sleep time beyond a week", "POST", "/api/spaces/demo/gpu-app/sleeptime", map[string]int{"seconds": 604801}, 400, "must be from 1 to 604800 seconds"},
		{"sleep time that would overflow", "POST", "/api/spaces/demo/gpu-app/sleeptime", map[string]int64{"seconds": 1 << 62}, 400, ""},
		{"sleep time beyond int64", "POST", "/api/spaces/demo/gpu-app/sleeptime", `{"seconds":1e30}`, 400, ""},
		{"hardware sleep time beyond a week", "POST", "/api/spaces/demo/gpu-app/hardware", map[string]any{"flavor": "t4-small", "sleepTimeSeconds": 1 << 40}, 400, ""},
		{"duplicate onto an existing id", "POST", "/api/spaces/demo/gradio-app/duplicate", map[string]string{"repository": "demo/gpu-app"}, 409, ""},
		{"create with a bad name", "POST", "/api/repos/create", map[string]any{"name": "bad--name", "type": "space", "sdk": "gradio"}, 400, ""},
		{"create without an SDK", "POST", "/api/repos/create", map[string]any{"name": "x", "type": "space"}, 400, ""},
		{"create a model", "POST", "/api/repos/create", map[string]any{"name": "x", "type": "model"}, 400, ""},
		{"unknown log kind", "GET", "/api/spaces/demo/gradio-app/logs/other", nil, 404, ""},
		{"volume of an unknown type", "PUT", "/api/spaces/demo/gradio-app/volumes", map[string]any{"volumes": []map[string]any{{"type": "disk", "source": "a/b", "mountPath": "/d"}}}, 400, "type"},
		{"create with a volume of an unknown type", "POST", "/api/repos/create", map[string]any{"name": "x", "type": "space", "sdk": "gradio", "volumes": []map[string]any{{"type": "disk", "source": "a/b", "mountPath": "/d"}}}, 400, "type"},
		{"duplicate with a volume without a mount path", "POST", "/api/spaces/demo/gradio-app/duplicate", map[string]any{"repository": "demo/copy", "volumes": []map[string]any{{"type": "dataset", "source": "a/b"}}}, 400, "mountPath"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHub(t, Config{Seed: "demo"})
			r := h.do(tt.method, tt.path, DemoWriteToken, tt.body)
			mustStatus(t, r, tt.status)
			msg, _ := field(r.json(t), "error").(string)
			if msg == "" || !strings.Contains(msg, tt.msg) {
				t.Errorf("error %q does not mention %q", msg, tt.msg)
			}
		})
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	const sp = "/api/spaces/demo/gradio-app"
	r := h.do("POST", sp+"/dev-mode", DemoWriteToken, map[string]bool{"enabled": true})
	mustStatus(t, r, 200)
	if field(r.json(t), "devMode") != true {
		t.Errorf("dev mode: %s", r.body)
	}
	r = h.do("POST", sp+"/storage", DemoWriteToken, map[string]string{"tier": "medium"})
	if field(r.json(t), "storage") != "medium" {
		t.Errorf("storage: %s", r.body)
	}
	r = h.do("DELETE", sp+"/storage", DemoWriteToken, nil)
	if v := r.json(t); field(v, "storage") != nil || r.status != 200 {
		t.Errorf("storage after delete: %s", r.body)
	}
	vol := map[string]any{"volumes": []map[string]any{{"type": "dataset", "source": "demo/data", "mountPath": "/data", "readOnly": true}}}
	r = h.do("PUT", sp+"/volumes", DemoWriteToken, vol)
	mustStatus(t, r, 200)
	want := []any{map[string]any{"type": "dataset", "source": "demo/data", "mountPath": "/data", "readOnly": true}}
	if diff := cmp.Diff(want, field(h.do("GET", sp+"/runtime", DemoWriteToken, nil).json(t), "volumes")); diff != "" {
		t.Errorf("volumes (-want +got):\n%s", diff)
	}
	mustStatus(t, h.do("DELETE", sp+"/volumes", DemoWriteToken, nil), 200)
	mustStatus(t, h.do("DELETE", sp+"/volumes", DemoWriteToken, nil), 400)
}

func TestWhoamiAndCatalog(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	v := h.do("GET", "/api/whoami-v2", DemoReadToken, nil).json(t)
	got := map[string]any{
		"type": field(v, "type"), "name": field(v, "name"),
		"org":  field(v.(map[string]any)["orgs"].([]any)[0], "name"),
		"role": field(v, "auth", "accessToken", "role"),
	}
	if diff := cmp.Diff(map[string]any{"type": "user", "name": "demo", "org": "demo-org", "role": "read"}, got); diff != "" {
		t.Errorf("whoami (-want +got):\n%s", diff)
	}

	r := h.do("GET", "/api/spaces/hardware", "", nil)
	mustStatus(t, r, http.StatusOK)
	var names []string
	for _, f := range r.json(t).([]any) {
		names = append(names, field(f, "name").(string))
		for _, k := range []string{"prettyName", "cpu", "ram", "unitCostMicroUSD", "unitCostUSD", "unitLabel"} {
			if field(f, k) == nil {
				t.Errorf("flavor %v has no %s", field(f, "name"), k)
			}
		}
	}
	// Priced per minute as the Hub does (the official CLI multiplies by 60
	// for its hourly column): the public hourly list price divided by 60.
	for _, f := range r.json(t).([]any) {
		switch field(f, "name") {
		case "t4-small":
			if field(f, "unitLabel") != "minute" || field(f, "unitCostMicroUSD") != 6667.0 || field(f, "unitCostUSD") != 0.006667 || field(f, "prettyName") != "Nvidia T4 - small" {
				t.Errorf("t4-small: %v", f)
			}
		case "cpu-basic":
			if field(f, "unitLabel") != "minute" || field(f, "unitCostMicroUSD") != 0.0 || field(f, "prettyName") != "CPU Basic" {
				t.Errorf("cpu-basic: %v", f)
			}
		}
	}
	// Every flavor WIRE.md names.
	wire := strings.Fields("cpu-basic cpu-upgrade cpu-performance cpu-xl sprx8 zero-a10g inf2x6 t4-small t4-medium l4x1 l4x4 l40sx1 l40sx4 l40sx8 a10g-small a10g-large a10g-largex2 a10g-largex4 a100-large a100x4 a100x8 h100 h100x8")
	if diff := cmp.Diff(wire, names); diff != "" {
		t.Errorf("catalog (-want +got):\n%s", diff)
	}
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	var ids []string
	next := "/api/spaces?author=demo&limit=2"
	for range 10 {
		r := h.do("GET", next, DemoWriteToken, nil)
		mustStatus(t, r, 200)
		for _, s := range r.json(t).([]any) {
			ids = append(ids, field(s, "id").(string))
		}
		link := r.header.Get("Link")
		if link == "" {
			break
		}
		u, rel, ok := strings.Cut(link, ">; ")
		if !ok || rel != `rel="next"` || !strings.HasPrefix(u, "<"+h.base) {
			t.Fatalf("Link header %q", link)
		}
		next = strings.TrimPrefix(u, "<"+h.base)
	}
	if diff := cmp.Diff([]string{"demo/broken-build", "demo/gpu-app", "demo/gradio-app", "demo/static-site"}, ids); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	// Anonymous callers do not see private Spaces; search filters.
	r := h.do("GET", "/api/spaces?search=app&full=true", "", nil)
	var anon []string
	for _, s := range r.json(t).([]any) {
		anon = append(anon, field(s, "id").(string))
		if field(s, "author") == nil {
			t.Errorf("full=true item without author: %v", s)
		}
	}
	if diff := cmp.Diff([]string{"demo/gradio-app"}, anon); diff != "" {
		t.Errorf("anonymous search (-want +got):\n%s", diff)
	}
	info := h.do("GET", "/api/spaces/demo/gradio-app", "", nil).json(t)
	if field(info, "runtime", "stage") != StageRunning || field(info, "subdomain") != "demo-gradio-app" {
		t.Errorf("space info: %v", info)
	}
}

// TestExpand covers what the JavaScript client asks for: the space info at
// revision HEAD, and lists, with expand= naming the keys it wants.
func TestExpand(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	r := h.do("GET", "/api/spaces/demo/gradio-app/revision/HEAD?expand=sdk&expand=lastModified&expand=runtime", DemoReadToken, nil)
	mustStatus(t, r, 200)
	v := r.json(t).(map[string]any)
	if diff := cmp.Diff([]string{"_id", "id", "lastModified", "runtime", "sdk"}, sortedKeys(v)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	mustStatus(t, h.do("GET", "/api/spaces/demo/gradio-app/revision/v9", DemoReadToken, nil), 404)
	list := h.do("GET", "/api/spaces?author=demo&expand[]=lastModified&expand[]=runtime", DemoReadToken, nil).json(t).([]any)
	for _, s := range list {
		if field(s, "lastModified") == nil || field(s, "runtime", "stage") == nil || field(s, "likes") != nil {
			t.Errorf("list item with expand: %v", s)
		}
	}
}
