package hfhub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hfhub-go/hfhub/internal/cassette"
)

// The replay test serves each recorded cassette's answers from a local
// server, drives the same Spaces calls through the client, and checks that
// every request the reference client made for Spaces management is made
// again, in order, with the recorded method, path, query and JSON body.
//
// The cassettes also hold the test fixture's repository plumbing (create,
// preupload, commit, revision, delete), which this library does not do:
// those answers are served only if asked for, and skipped otherwise.

// spacesOps are the last path segments of the Spaces management endpoints.
var spacesOps = map[string]bool{
	"runtime": true, "pause": true, "restart": true, "variables": true, "secrets": true, "hardware": true,
	"sleeptime": true, "storage": true, "dev-mode": true, "volumes": true, "duplicate": true,
}

// spaceCall splits a recorded request URI into the Space id and the
// operation; ok is false for anything that is not Spaces management.
func spaceCall(uri string) (repoID, op string, u *url.URL, ok bool) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", "", nil, false
	}
	if u.Path == "/api/whoami-v2" || u.Path == "/api/spaces/hardware" {
		return "", u.Path, u, true
	}
	rest, found := strings.CutPrefix(u.Path, "/api/spaces/")
	if !found {
		return "", "", u, false
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 2:
		return rest, "", u, true // space info
	case len(parts) == 3 && spacesOps[parts[2]]:
		return parts[0] + "/" + parts[1], parts[2], u, true
	}
	return "", "", u, false
}

// replayServer answers requests with a cassette's recorded answers, in order.
type replayServer struct {
	t      *testing.T
	c      *cassette.Cassette
	mu     sync.Mutex
	next   int    // index of the next interaction to serve
	served []bool // which interactions were requested
}

func (rs *replayServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := rs.t
	body, _ := io.ReadAll(r.Body)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for rs.next < len(rs.c.Interactions) {
		i := rs.next
		it := rs.c.Interactions[i]
		rec, err := url.Parse(it.Request.URI)
		if err != nil {
			t.Fatalf("interaction %d: %v", i, err)
		}
		matches := it.Request.Method == r.Method && rec.EscapedPath() == r.URL.EscapedPath()
		_, _, _, isSpaces := spaceCall(it.Request.URI)
		if !matches && !isSpaces {
			rs.next++ // repository plumbing the library does not do
			continue
		}
		rs.next++
		if !matches {
			t.Errorf("request %s %s, but the next recorded Spaces request (#%d) is %s %s",
				r.Method, r.URL.RequestURI(), i, it.Request.Method, rec.RequestURI())
			http.Error(w, `{"error":"not what was recorded"}`, http.StatusTeapot)
			return
		}
		rs.served[i] = true
		checkRecordedRequest(t, i, it.Request, rec, r, body)
		for k, vs := range it.Response.Header {
			switch http.CanonicalHeaderKey(k) {
			case "Content-Length", "Content-Encoding", "Transfer-Encoding", "Connection":
				continue
			}
			w.Header()[http.CanonicalHeaderKey(k)] = vs
		}
		w.WriteHeader(it.Response.Status)
		io.WriteString(w, it.Response.Body)
		return
	}
	t.Errorf("request %s %s after the end of the cassette", r.Method, r.URL.RequestURI())
	http.Error(w, `{"error":"cassette exhausted"}`, http.StatusTeapot)
}

func checkRecordedRequest(t *testing.T, i int, want cassette.Request, wantURL *url.URL, r *http.Request, body []byte) {
	t.Helper()
	if diff := cmp.Diff(wantURL.Query(), r.URL.Query()); len(wantURL.Query())+len(r.URL.Query()) > 0 && diff != "" {
		t.Errorf("#%d %s %s: query mismatch (-recorded +sent):\n%s", i, want.Method, wantURL.Path, diff)
	}
	if !want.HasBody {
		if len(body) != 0 {
			t.Errorf("#%d %s %s: sent body %q, recorded none", i, want.Method, wantURL.Path, body)
		}
		return
	}
	var wantBody, gotBody any
	if err := json.Unmarshal([]byte(want.Body), &wantBody); err != nil {
		t.Fatalf("#%d: recorded body is not JSON: %v", i, err)
	}
	if err := json.Unmarshal(body, &gotBody); err != nil {
		t.Errorf("#%d %s %s: sent body %q is not JSON: %v", i, want.Method, wantURL.Path, body, err)
		return
	}
	if diff := cmp.Diff(wantBody, gotBody); diff != "" {
		t.Errorf("#%d %s %s: body mismatch (-recorded +sent):\n%s", i, want.Method, wantURL.Path, diff)
	}
}

// recordedJSON decodes a recorded body into generic JSON.
func recordedJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("recorded body %q: %v", s, err)
	}
	return m
}

// runtimeFromRecord is the SpaceRuntime a recorded runtime object must
// decode to, built from the generic JSON, independently of the decoder.
func runtimeFromRecord(t *testing.T, body string) SpaceRuntime {
	m := recordedJSON(t, body)
	str := func(v any) string { s, _ := v.(string); return s }
	var want SpaceRuntime
	want.Stage = Stage(str(m["stage"]))
	if hw, ok := m["hardware"].(map[string]any); ok {
		want.Hardware = Hardware(str(hw["current"]))
		want.RequestedHardware = Hardware(str(hw["requested"]))
	}
	want.Storage = Storage(str(m["storage"]))
	if gc, ok := m["gcTimeout"].(float64); ok {
		want.SleepTime = ptr(int(gc))
	}
	want.DevMode, _ = m["devMode"].(bool)
	if ds, ok := m["domains"].([]any); ok {
		for _, d := range ds {
			dm := d.(map[string]any)
			want.Domains = append(want.Domains, Domain{Domain: str(dm["domain"]), Stage: str(dm["stage"])})
		}
	}
	if rep, ok := m["replicas"].(map[string]any); ok {
		want.Replicas = &Replicas{}
		if n, ok := rep["requested"].(float64); ok {
			want.Replicas.Requested = fmt.Sprint(n)
		}
		if n, ok := rep["current"].(float64); ok {
			want.Replicas.Current = int(n)
		}
	}
	return want
}

// variablesFromRecord is the variables map a recorded answer must decode to.
func variablesFromRecord(t *testing.T, body string) map[string]SpaceVariable {
	want := map[string]SpaceVariable{}
	for k, v := range recordedJSON(t, body) {
		e := v.(map[string]any)
		sv := SpaceVariable{Key: k}
		sv.Value, _ = e["value"].(string)
		sv.Description, _ = e["description"].(string)
		if s, ok := e["updatedAt"].(string); ok {
			sv.UpdatedAt = mustTime(t, s)
		}
		want[k] = sv
	}
	return want
}

// drive makes the library call that corresponds to a recorded Spaces request,
// checks its result against the recorded answer and returns it.
func drive(ctx context.Context, t *testing.T, client *Client, i int, it cassette.Interaction) (result any) {
	t.Helper()
	repoID, op, u, _ := spaceCall(it.Request.URI)
	var body map[string]any
	if it.Request.HasBody {
		body = recordedJSON(t, it.Request.Body)
	}
	str := func(k string) string { s, _ := body[k].(string); return s }
	where := fmt.Sprintf("#%d %s %s", i, it.Request.Method, u.Path)
	checkRuntime := func(rt *SpaceRuntime, err error) {
		t.Helper()
		result = rt
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		want := runtimeFromRecord(t, it.Response.Body)
		if diff := cmp.Diff(want, *rt, ignoreRaw); diff != "" {
			t.Errorf("%s: runtime mismatch (-recorded +decoded):\n%s", where, diff)
		}
		if !jsonEqual(t, rt.Raw, it.Response.Body) {
			t.Errorf("%s: Raw = %s, want the recorded object", where, rt.Raw)
		}
	}
	checkErr := func(err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}

	switch method := it.Request.Method; {
	case op == "runtime" && method == "GET":
		checkRuntime(client.Spaces.GetRuntime(ctx, repoID))
	case op == "pause" && method == "POST":
		checkRuntime(client.Spaces.Pause(ctx, repoID))
	case op == "restart" && method == "POST":
		checkRuntime(client.Spaces.Restart(ctx, repoID, &RestartOptions{FactoryReboot: u.Query().Get("factory") == "true"}))
	case op == "dev-mode" && method == "POST":
		if enabled, _ := body["enabled"].(bool); enabled {
			checkRuntime(client.Spaces.EnableDevMode(ctx, repoID))
		} else {
			checkRuntime(client.Spaces.DisableDevMode(ctx, repoID))
		}
	case op == "hardware" && method == "POST":
		var opts *HardwareOptions
		if s, ok := body["sleepTimeSeconds"].(float64); ok {
			opts = &HardwareOptions{SleepTime: ptr(int(s))}
		}
		checkRuntime(client.Spaces.RequestHardware(ctx, repoID, Hardware(str("flavor")), opts))
	case op == "sleeptime" && method == "POST":
		checkRuntime(client.Spaces.SetSleepTime(ctx, repoID, int(body["seconds"].(float64))))
	case op == "storage" && method == "POST":
		checkRuntime(client.Spaces.RequestStorage(ctx, repoID, Storage(str("tier"))))
	case op == "storage" && method == "DELETE":
		checkRuntime(client.Spaces.DeleteStorage(ctx, repoID))
	case op == "variables" && method == "GET":
		got, err := client.Spaces.GetVariables(ctx, repoID)
		result = got
		checkErr(err)
		if diff := cmp.Diff(variablesFromRecord(t, it.Response.Body), got); err == nil && diff != "" {
			t.Errorf("%s: variables mismatch (-recorded +decoded):\n%s", where, diff)
		}
	case op == "variables" && method == "POST":
		var opts *VariableOptions
		if d, ok := body["description"].(string); ok {
			opts = &VariableOptions{Description: d}
		}
		got, err := client.Spaces.AddVariable(ctx, repoID, str("key"), str("value"), opts)
		result = got
		checkErr(err)
		if want := variablesFromRecord(t, it.Response.Body)[str("key")]; err == nil && !cmp.Equal(want, *got) {
			t.Errorf("%s: AddVariable = %+v, want %+v", where, *got, want)
		}
	case op == "variables" && method == "DELETE":
		checkErr(client.Spaces.DeleteVariable(ctx, repoID, str("key")))
	case op == "secrets" && method == "POST":
		var opts *SecretOptions
		if d, ok := body["description"].(string); ok {
			opts = &SecretOptions{Description: d}
		}
		checkErr(client.Spaces.AddSecret(ctx, repoID, str("key"), str("value"), opts))
	case op == "secrets" && method == "DELETE":
		checkErr(client.Spaces.DeleteSecret(ctx, repoID, str("key")))
	case op == "secrets" && method == "GET":
		got, err := client.Spaces.GetSecrets(ctx, repoID)
		result = got
		checkErr(err)
	case op == "" && method == "GET":
		got, err := client.Spaces.GetInfo(ctx, repoID)
		result = got
		checkErr(err)
	default:
		t.Fatalf("%s: the replay test has no call for this recorded request; add one", where)
	}
	return result
}

func TestReplayCassettes(t *testing.T) {
	t.Parallel()
	cassettes, err := loadCassettes()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cassettes {
		t.Run(strings.TrimPrefix(c.Name, "TestSpaceAPIProduction."), func(t *testing.T) {
			t.Parallel()
			rs := &replayServer{t: t, c: c, served: make([]bool, len(c.Interactions))}
			srv := httptest.NewServer(rs)
			defer srv.Close()
			client, err := NewClient(WithEndpoint(srv.URL), WithToken(testToken), WithRetry(noRetry))
			if err != nil {
				t.Fatal(err)
			}
			var results []any // the library's results, one per Spaces request
			for i, it := range c.Interactions {
				if _, _, _, ok := spaceCall(it.Request.URI); ok {
					results = append(results, drive(t.Context(), t, client, i, it))
				}
			}
			if len(results) == 0 {
				t.Fatal("the cassette holds no Spaces request: nothing was replayed")
			}
			for i, it := range c.Interactions {
				if _, _, _, ok := spaceCall(it.Request.URI); ok && !rs.served[i] {
					t.Errorf("recorded request #%d %s %s was never made", i, it.Request.Method, it.Request.URI)
				}
			}
			if !t.Failed() {
				checkReplayOutcome(t, c.Name, results)
			}
		})
	}
}

// checkReplayOutcome pins what each recorded session shows, in terms a
// reader of the cassette would check by eye, on the library's results.
func checkReplayOutcome(t *testing.T, name string, results []any) {
	t.Helper()
	runtimeAt := func(i int) *SpaceRuntime {
		t.Helper()
		rt, ok := results[i].(*SpaceRuntime)
		if !ok || rt == nil {
			t.Fatalf("result %d is %T, want a runtime", i, results[i])
		}
		return rt
	}
	switch strings.TrimPrefix(name, "TestSpaceAPIProduction.") {
	case "test_static_space_runtime":
		rt := runtimeAt(0)
		if rt.Stage != StageRunning || rt.Hardware != "" || rt.RequestedHardware != "" || rt.SleepTime != nil || rt.Storage != "" {
			t.Errorf("static Space runtime = %+v, want RUNNING with null hardware, storage and sleep time", rt)
		}
	case "test_space_runtime":
		rt := runtimeAt(0)
		if rt.Stage != StageBuilding || rt.Hardware != "" || rt.RequestedHardware != HardwareCPUBasic ||
			rt.SleepTime == nil || *rt.SleepTime != 172800 || rt.DevMode {
			t.Errorf("runtime = %+v, want BUILDING, cpu-basic requested, gcTimeout 172800", rt)
		}
	case "test_pause_and_restart_space":
		var stages []Stage
		for i := range results {
			stages = append(stages, runtimeAt(i).Stage)
		}
		if diff := cmp.Diff([]Stage{StageBuilding, StagePaused, StageBuilding, StageBuilding}, stages); diff != "" {
			t.Errorf("stages: runtime, pause, restart, runtime (-want +got):\n%s", diff)
		}
	case "test_manage_variables":
		first, ok := results[0].(map[string]SpaceVariable)
		if !ok || len(first) != 0 {
			t.Errorf("first GetVariables = %v, want an empty map", results[0])
		}
		final, ok := results[len(results)-1].(map[string]SpaceVariable)
		if !ok {
			t.Fatalf("last result is %T, want the variables", results[len(results)-1])
		}
		want := map[string]SpaceVariable{
			"foo":           {Key: "foo", Value: "456", Description: "updated description", UpdatedAt: time.Date(2025, 3, 7, 12, 24, 19, 875e6, time.UTC)},
			"MODEL_REPO_ID": {Key: "MODEL_REPO_ID", Value: "user/repo", UpdatedAt: time.Date(2025, 3, 7, 12, 24, 19, 140e6, time.UTC)},
			"MODEL_PAPER":   {Key: "MODEL_PAPER", Value: "arXiv", Description: "found it there", UpdatedAt: time.Date(2025, 3, 7, 12, 24, 19, 337e6, time.UTC)},
		}
		if diff := cmp.Diff(want, final); diff != "" {
			t.Errorf("final variables (-want +got):\n%s", diff)
		}
	case "test_manage_secrets":
		if len(results) != 9 {
			t.Errorf("%d secrets calls replayed, want 9 (7 adds, 2 deletes)", len(results))
		}
	default:
		t.Errorf("no outcome check for cassette %s; add one", name)
	}
}
