package hfhub

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignoreRaw leaves the Raw copies of the Hub's objects out of comparisons;
// tests of Raw check it on its own.
var ignoreRaw = cmpopts.IgnoreFields(SpaceRuntime{}, "Raw")

// runningGPURuntime is a runtime of a running Space on a GPU with storage,
// dev mode and a volume: every modelled field set.
const runningGPURuntime = `{"stage":"RUNNING",
 "hardware":{"current":"t4-medium","requested":"t4-medium","currentPrettyName":"Nvidia T4 - medium","requestedPrettyName":"Nvidia T4 - medium"},
 "storage":"small","gcTimeout":3600,"replicas":{"requested":1,"current":1},"devMode":true,
 "sdk":"gradio","sdkVersion":"5.20.0","rawLogs":false,"hotReloading":false,
 "volumes":[{"type":"dataset","source":"user/data","mountPath":"/data","readOnly":true}],
 "domains":[{"domain":"user-space.hf.space","stage":"READY"}]}`

func TestSpacesService_GetRuntime_RunningSpace(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/runtime", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testPath(t, r, "/api/spaces/user/space/runtime")
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, runningGPURuntime)
	})
	got, err := client.Spaces.GetRuntime(t.Context(), "user/space")
	if err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	want := &SpaceRuntime{
		Stage:             StageRunning,
		Hardware:          HardwareT4Medium,
		RequestedHardware: HardwareT4Medium,
		SleepTime:         ptr(3600),
		Storage:           StorageSmall,
		DevMode:           true,
		SDK:               "gradio",
		SDKVersion:        "5.20.0",
		Volumes:           []Volume{{Type: "dataset", Source: "user/data", MountPath: "/data", ReadOnly: ptr(true)}},
		Domains:           []Domain{{Domain: "user-space.hf.space", Stage: "READY"}},
		Replicas:          &Replicas{Requested: "1", Current: 1},
	}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Errorf("GetRuntime mismatch (-want +got):\n%s", diff)
	}
	if got.Stage.Transitional() || got.Stage.Failed() {
		t.Errorf("RUNNING: Transitional %v, Failed %v; want both false", got.Stage.Transitional(), got.Stage.Failed())
	}
}

// TestSpacesService_GetRuntime_RunningStaticSpace decodes the recorded
// runtime of a running static Space: both hardware values and the storage
// null, no gcTimeout.
func TestSpacesService_GetRuntime_RunningStaticSpace(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	recorded := recordedStaticRuntime(t)
	mux.HandleFunc("/api/spaces/victor/static-space/runtime", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		writeJSON(w, http.StatusOK, recorded)
	})
	got, err := client.Spaces.GetRuntime(t.Context(), "victor/static-space")
	if err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	want := &SpaceRuntime{Stage: StageRunning, Replicas: &Replicas{Requested: "1", Current: 1}}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Errorf("GetRuntime mismatch (-want +got):\n%s", diff)
	}
	if string(got.Raw) != recorded {
		t.Errorf("Raw = %s, want the recorded object %s", got.Raw, recorded)
	}
}

func TestSpacesService_GetRuntime_PausedSpace(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/tmp_test_space/runtime", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		writeJSON(w, http.StatusOK, recordedPausedRuntime(t))
	})
	got, err := client.Spaces.GetRuntime(t.Context(), "user/tmp_test_space")
	if err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	want := &SpaceRuntime{
		Stage:             StagePaused,
		RequestedHardware: HardwareCPUBasic,
		SleepTime:         ptr(172800),
		Domains:           []Domain{{Domain: "user-tmp-test-space.hf.space", Stage: "READY"}},
		Replicas:          &Replicas{Requested: "1"},
	}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Errorf("GetRuntime mismatch (-want +got):\n%s", diff)
	}
	if got.Stage.Transitional() || got.Stage.Failed() {
		t.Errorf("PAUSED is settled, not failed: Transitional %v, Failed %v", got.Stage.Transitional(), got.Stage.Failed())
	}
}

func TestSpacesService_GetRuntime_BuildingSpace(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/tmp_test_space/runtime", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	got, err := client.Spaces.GetRuntime(t.Context(), "user/tmp_test_space")
	if err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	if got.Stage != StageBuilding || !got.Stage.Transitional() {
		t.Errorf("stage = %q (transitional %v), want BUILDING, transitional", got.Stage, got.Stage.Transitional())
	}
	if got.Hardware != "" || got.RequestedHardware != HardwareCPUBasic {
		t.Errorf("hardware = %q requested %q, want none yet and cpu-basic", got.Hardware, got.RequestedHardware)
	}
	if got.SleepTime == nil || *got.SleepTime != 172800 {
		t.Errorf("SleepTime = %v, want 172800 (gcTimeout)", got.SleepTime)
	}
}

// TestSpacesService_GetRuntime_EscapesPath checks that each part of the id
// is put into the path as one escaped segment.
func TestSpacesService_GetRuntime_EscapesPath(t *testing.T) {
	t.Parallel()
	var gotPath string
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/", func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING"}`)
	})
	if _, err := client.Spaces.GetRuntime(t.Context(), "User_1/my-space.v2"); err != nil {
		t.Fatalf("GetRuntime: %v", err)
	}
	if want := "/api/spaces/User_1/my-space.v2/runtime"; gotPath != want {
		t.Errorf("escaped path = %q, want %q", gotPath, want)
	}
}

func TestSpacesService_GetInfo(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"_id":"67cae5","id":"user/space","author":"user","sha":"abc123",
			"sdk":"gradio","private":true,"disabled":false,"likes":42,"lastModified":"2025-03-07T12:24:19.000Z",
			"createdAt":"2025-01-02T03:04:05.000Z","subdomain":"user-space","host":"https://user-space.hf.space",
			"tags":["gradio","region:us"],"someNewField":{"x":1},"runtime":`+runningGPURuntime+`}`)
	})
	got, err := client.Spaces.GetInfo(t.Context(), "user/space")
	if err != nil {
		t.Fatalf("GetInfo: %v", err)
	}
	want := &SpaceInfo{
		ID: "user/space", Author: "user", SHA: "abc123", SDK: "gradio", Private: true, Likes: 42,
		LastModified: mustTime(t, "2025-03-07T12:24:19Z"), CreatedAt: mustTime(t, "2025-01-02T03:04:05Z"),
		Subdomain: "user-space", Host: "https://user-space.hf.space", Tags: []string{"gradio", "region:us"},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(SpaceInfo{}, "Raw", "Runtime")); diff != "" {
		t.Errorf("GetInfo mismatch (-want +got):\n%s", diff)
	}
	if got.Runtime == nil || got.Runtime.Stage != StageRunning || got.Runtime.Hardware != HardwareT4Medium {
		t.Errorf("GetInfo runtime = %+v, want RUNNING on t4-medium", got.Runtime)
	}
	if !jsonEqual(t, got.Raw, `{"_id":"67cae5","id":"user/space","author":"user","sha":"abc123","sdk":"gradio","private":true,"disabled":false,"likes":42,"lastModified":"2025-03-07T12:24:19.000Z","createdAt":"2025-01-02T03:04:05.000Z","subdomain":"user-space","host":"https://user-space.hf.space","tags":["gradio","region:us"],"someNewField":{"x":1},"runtime":`+runningGPURuntime+`}`) {
		t.Errorf("Raw does not keep the whole object: %s", got.Raw)
	}
}

// TestSpacesService_List_Pagination follows Link rel="next" over three
// pages and checks the first request's query.
func TestSpacesService_List_Pagination(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	var requests atomic.Int64
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		testMethod(t, r, "GET")
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("page %q sent without the token", r.URL.RawQuery)
		}
		switch cursor := r.URL.Query().Get("cursor"); cursor {
		case "":
			testQuery(t, r, url.Values{"author": {"user"}, "search": {"demo app"}, "limit": {"10"}, "full": {"true"}})
			w.Header().Set("Link", fmt.Sprintf(`<%s/api/spaces?author=user&cursor=p2&full=true>; rel="next"`, serverURL))
			writeJSON(w, http.StatusOK, `[{"id":"user/a","likes":1},{"id":"user/b","likes":2}]`)
		case "p2":
			w.Header().Set("Link", fmt.Sprintf(`<%s/api/spaces?author=user&cursor=p3&full=true>; rel="next"`, serverURL))
			writeJSON(w, http.StatusOK, `[{"id":"user/c"},{"id":"user/d","runtime":{"stage":"PAUSED"}}]`)
		case "p3":
			writeJSON(w, http.StatusOK, `[{"id":"user/e"}]`)
		default:
			t.Errorf("unexpected cursor %q", cursor)
			writeJSON(w, http.StatusOK, `[]`)
		}
	})
	var ids []string
	for info, err := range client.Spaces.List(t.Context(), &ListOptions{Author: "user", Search: "demo app", Limit: 10}) {
		if err != nil {
			t.Fatalf("List yielded error after %v: %v", ids, err)
		}
		ids = append(ids, info.ID)
		if info.ID == "user/d" && (info.Runtime == nil || info.Runtime.Stage != StagePaused) {
			t.Errorf("user/d runtime = %+v, want PAUSED", info.Runtime)
		}
	}
	if diff := cmp.Diff([]string{"user/a", "user/b", "user/c", "user/d", "user/e"}, ids); diff != "" {
		t.Errorf("List ids mismatch (-want +got):\n%s", diff)
	}
	if got := requests.Load(); got != 3 {
		t.Errorf("server saw %d page requests, want 3", got)
	}
}

func TestSpacesService_List_NilOptions(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{"full": {"true"}})
		writeJSON(w, http.StatusOK, `[{"id":"a/b"}]`)
	})
	n := 0
	for _, err := range client.Spaces.List(t.Context(), nil) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("List yielded %d spaces, want 1", n)
	}
}

// TestSpacesService_List_BreakStopsPaging: leaving the loop after the first
// Space must not fetch the next page.
func TestSpacesService_List_BreakStopsPaging(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	var requests atomic.Int64
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Link", fmt.Sprintf(`<%s/api/spaces?cursor=next>; rel="next"`, serverURL))
		writeJSON(w, http.StatusOK, `[{"id":"user/a"},{"id":"user/b"}]`)
	})
	var ids []string
	for info, err := range client.Spaces.List(t.Context(), nil) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		ids = append(ids, info.ID)
		break
	}
	if diff := cmp.Diff([]string{"user/a"}, ids); diff != "" {
		t.Errorf("ids mismatch (-want +got):\n%s", diff)
	}
	if got := requests.Load(); got != 1 {
		t.Errorf("server saw %d requests after the caller broke out, want 1", got)
	}
}

// TestSpacesService_List_YieldsError: a failing second page yields the
// first page's Spaces, then the error, and nothing more.
func TestSpacesService_List_YieldsError(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t, WithRetry(noRetry))
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			w.Header().Set("Link", fmt.Sprintf(`<%s/api/spaces?cursor=2>; rel="next"`, serverURL))
			writeJSON(w, http.StatusOK, `[{"id":"user/a"}]`)
			return
		}
		w.Header().Set("X-Request-Id", "req-page-2")
		writeJSON(w, http.StatusInternalServerError, `{"error":"database on fire"}`)
	})
	var ids []string
	var errs []error
	for info, err := range client.Spaces.List(t.Context(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, info.ID)
	}
	if diff := cmp.Diff([]string{"user/a"}, ids); diff != "" {
		t.Errorf("ids mismatch (-want +got):\n%s", diff)
	}
	if len(errs) != 1 {
		t.Fatalf("List yielded %d errors (%v), want 1", len(errs), errs)
	}
	if !errors.Is(errs[0], ErrServer) {
		t.Errorf("error = %v, want ErrServer", errs[0])
	}
	var apiErr *APIError
	if !errors.As(errs[0], &apiErr) || apiErr.RequestID != "req-page-2" || apiErr.Message != "database on fire" {
		t.Errorf("error = %#v, want an *APIError with the request id and message", errs[0])
	}
}

// TestSpacesService_List_Limit: Limit caps the Spaces yielded in all, not
// only the page size, and no page past it is fetched.
func TestSpacesService_List_Limit(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	var requests atomic.Int64
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		if got := r.URL.Query().Get("limit"); n == 1 && got != "3" {
			t.Errorf("limit = %q, want 3", got)
		}
		w.Header().Set("Link", fmt.Sprintf(`<%s/api/spaces?cursor=%d>; rel="next"`, serverURL, n+1))
		writeJSON(w, http.StatusOK, fmt.Sprintf(`[{"id":"user/a%d"},{"id":"user/b%d"}]`, n, n))
	})
	var ids []string
	for info, err := range client.Spaces.List(t.Context(), &ListOptions{Limit: 3}) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		ids = append(ids, info.ID)
	}
	if diff := cmp.Diff([]string{"user/a1", "user/b1", "user/a2"}, ids); diff != "" {
		t.Errorf("ids mismatch (-want +got):\n%s", diff)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
}

func TestSpacesService_List_NegativeLimit(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	var errs []error
	for _, err := range client.Spaces.List(t.Context(), &ListOptions{Limit: -1}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrInvalidOption) {
		t.Errorf("List(Limit -1) yielded %v, want one ErrInvalidOption", errs)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestSpacesService_List_NextPageOnOtherHost: a next-page link to another
// host must not get the token.
func TestSpacesService_List_NextPageOnOtherHost(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Values("Authorization"); got != nil {
			t.Errorf("the other host received Authorization %q", got)
		}
		writeJSON(w, http.StatusOK, `[]`)
	}))
	defer other.Close()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", fmt.Sprintf(`<%s/api/spaces?cursor=2>; rel="next"`, other.URL))
		writeJSON(w, http.StatusOK, `[{"id":"user/a"}]`)
	})
	n := 0
	for _, err := range client.Spaces.List(t.Context(), nil) {
		if err == nil {
			n++
		}
	}
	if n != 1 {
		t.Errorf("List yielded %d Spaces, want the first page's 1", n)
	}
}

func TestSpacesService_Pause(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/pause", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, recordedPausedRuntime(t))
	})
	got, err := client.Spaces.Pause(t.Context(), "user/space")
	if err != nil {
		t.Fatalf("Pause: %v", err)
	}
	if got.Stage != StagePaused || got.RequestedHardware != HardwareCPUBasic {
		t.Errorf("Pause = stage %q requested %q, want PAUSED cpu-basic", got.Stage, got.RequestedHardware)
	}
}

// TestSpacesService_Pause_StaticSpace: the Hub refuses to pause a static
// Space with a 400, which must come back as ErrBadRequest with its message.
func TestSpacesService_Pause_StaticSpace(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/victor/static-space/pause", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"error":"Cannot pause a static Space"}`)
	})
	_, err := client.Spaces.Pause(t.Context(), "victor/static-space")
	var apiErr *APIError
	if !errors.Is(err, ErrBadRequest) || !errors.As(err, &apiErr) || apiErr.Message != "Cannot pause a static Space" {
		t.Errorf("Pause = %v, want ErrBadRequest with the Hub's message", err)
	}
}

func TestSpacesService_Restart(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/restart", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.URL.RawQuery != "" {
			t.Errorf("query = %q, want none for a plain restart", r.URL.RawQuery)
		}
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_pause_and_restart_space", "POST", "/api/spaces/user/tmp_test_space/restart", 0))
	})
	for _, opts := range []*RestartOptions{nil, {}, {FactoryReboot: false}} {
		got, err := client.Spaces.Restart(t.Context(), "user/space", opts)
		if err != nil {
			t.Fatalf("Restart(%+v): %v", opts, err)
		}
		if got.Stage != StageBuilding {
			t.Errorf("Restart(%+v) stage = %q, want BUILDING", opts, got.Stage)
		}
	}
}

func TestSpacesService_Restart_FactoryReboot(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/restart", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		if r.URL.RawQuery != "factory=true" {
			t.Errorf("query = %q, want factory=true", r.URL.RawQuery)
		}
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, recordedBuildingRuntime(t))
	})
	got, err := client.Spaces.Restart(t.Context(), "user/space", &RestartOptions{FactoryReboot: true})
	if err != nil {
		t.Fatalf("Restart: %v", err)
	}
	if got.Stage != StageBuilding {
		t.Errorf("stage = %q, want BUILDING", got.Stage)
	}
}

func TestSpacesService_DevMode(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var wantEnabled atomic.Bool
	mux.HandleFunc("/api/spaces/user/space/dev-mode", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"enabled": wantEnabled.Load()})
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"stage":"RUNNING","devMode":%v}`, wantEnabled.Load()))
	})

	wantEnabled.Store(true)
	got, err := client.Spaces.EnableDevMode(t.Context(), "user/space")
	if err != nil {
		t.Fatalf("EnableDevMode: %v", err)
	}
	if !got.DevMode {
		t.Errorf("EnableDevMode: DevMode = false, want true")
	}

	wantEnabled.Store(false)
	got, err = client.Spaces.DisableDevMode(t.Context(), "user/space")
	if err != nil {
		t.Fatalf("DisableDevMode: %v", err)
	}
	if got.DevMode {
		t.Errorf("DisableDevMode: DevMode = true, want false")
	}
}

// TestSpacesService_List_Expand asks for the runtime in the listing itself,
// as the reference client does with expand (never together with full=true).
func TestSpacesService_List_Expand(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, url.Values{"author": {"user"}, "expand": {"runtime", "private", "sdk"}})
		writeJSON(w, http.StatusOK, `[{"_id":"1","id":"user/a","private":true,"sdk":"gradio","runtime":{"stage":"RUNNING","hardware":{"current":"t4-small","requested":"t4-small"}}}]`)
	})
	var got []*SpaceInfo
	for info, err := range client.Spaces.List(t.Context(), &ListOptions{Author: "user", Expand: []string{"runtime", "private", "sdk"}}) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		got = append(got, info)
	}
	if len(got) != 1 || got[0].Runtime == nil || got[0].Runtime.Hardware != HardwareT4Small || !got[0].Private || got[0].SDK != "gradio" {
		t.Fatalf("List(Expand) = %+v, want user/a private gradio on t4-small", got)
	}
}

func TestSpacesService_List_InvalidExpand(t *testing.T) {
	t.Parallel()
	client, requests := noRequests(t)
	for _, expand := range [][]string{{""}, {"run time"}, {"runtime&full=true"}} {
		var errs []error
		for _, err := range client.Spaces.List(t.Context(), &ListOptions{Expand: expand}) {
			errs = append(errs, err)
		}
		if len(errs) != 1 || !errors.Is(errs[0], ErrInvalidOption) {
			t.Errorf("List(Expand %q) yielded %v, want one ErrInvalidOption", expand, errs)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestSpacesService_List_SkipsNullEntries: a null in a page is no Space; the
// caller must never get a nil *SpaceInfo with a nil error.
func TestSpacesService_List_SkipsNullEntries(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `[null,{"id":"user/a"},null,{"id":"user/b"}]`)
	})
	var ids []string
	for info, err := range client.Spaces.List(t.Context(), &ListOptions{Limit: 2}) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		if info == nil {
			t.Fatal("List yielded a nil *SpaceInfo without an error")
		}
		ids = append(ids, info.ID)
	}
	if diff := cmp.Diff([]string{"user/a", "user/b"}, ids); diff != "" {
		t.Errorf("ids mismatch (-want +got):\n%s", diff)
	}
}

// TestSpacesService_List_ReusesConnection: each page's body is read to its
// end, so the pages come over one connection even when the JSON value ends
// before the body does (trailing white space here; the end of a chunked
// body in practice).
func TestSpacesService_List_ReusesConnection(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	var mu sync.Mutex
	remotes := map[string]int{}
	mux.HandleFunc("/api/spaces", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		remotes[r.RemoteAddr]++
		mu.Unlock()
		cursor, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		if cursor < 3 {
			w.Header().Set("Link", fmt.Sprintf(`<%s/api/spaces?cursor=%d>; rel="next"`, serverURL, cursor+1))
		}
		writeJSON(w, http.StatusOK, fmt.Sprintf(`[{"id":"user/s%d"}]`, cursor)+strings.Repeat(" ", 32<<10))
	})
	n := 0
	for _, err := range client.Spaces.List(t.Context(), nil) {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		n++
	}
	if n != 4 {
		t.Errorf("List yielded %d Spaces, want 4", n)
	}
	if len(remotes) != 1 {
		t.Errorf("the pages came over %d connections (%v), want 1", len(remotes), remotes)
	}
}
