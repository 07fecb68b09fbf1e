package hfhub

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestStage_TransitionalAndFailed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stage        Stage
		transitional bool
		failed       bool
	}{
		{StageNoAppFile, false, true},
		{StageConfigError, false, true},
		{StageBuilding, true, false},
		{StageBuildError, false, true},
		{StageRunning, false, false},
		{StageRunningBuilding, true, false},
		{StageRuntimeError, false, true},
		{StageDeleting, false, false},
		{StageStopped, false, false},
		{StagePaused, false, false},
		{StageSleeping, false, false},
		{StageAppStarting, true, false},
		{StageRunningAppStarting, true, false},
		{Stage("HIBERNATING"), false, false},
		{Stage(""), false, false},
	}
	for _, tt := range tests {
		if got := tt.stage.Transitional(); got != tt.transitional {
			t.Errorf("%q.Transitional() = %v, want %v", tt.stage, got, tt.transitional)
		}
		if got := tt.stage.Failed(); got != tt.failed {
			t.Errorf("%q.Failed() = %v, want %v", tt.stage, got, tt.failed)
		}
	}
}

// TestStage_Values pins every stage constant to the Hub's spelling.
func TestStage_Values(t *testing.T) {
	t.Parallel()
	got := []Stage{StageNoAppFile, StageConfigError, StageBuilding, StageBuildError, StageRunning,
		StageRunningBuilding, StageRuntimeError, StageDeleting, StageStopped, StagePaused, StageSleeping,
		StageAppStarting, StageRunningAppStarting}
	want := []Stage{"NO_APP_FILE", "CONFIG_ERROR", "BUILDING", "BUILD_ERROR", "RUNNING", "RUNNING_BUILDING",
		"RUNTIME_ERROR", "DELETING", "STOPPED", "PAUSED", "SLEEPING", "APP_STARTING", "RUNNING_APP_STARTING"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stage constants (-want +got):\n%s", diff)
	}
}

// TestHardware_Values pins every flavor constant WIRE.md names.
func TestHardware_Values(t *testing.T) {
	t.Parallel()
	got := []Hardware{HardwareCPUBasic, HardwareCPUUpgrade, HardwareCPUPerformance, HardwareCPUXL, HardwareSPRx8,
		HardwareZeroA10G, HardwareInf2x6, HardwareT4Small, HardwareT4Medium, HardwareL4x1, HardwareL4x4,
		HardwareL40Sx1, HardwareL40Sx4, HardwareL40Sx8, HardwareA10GSmall, HardwareA10GLarge, HardwareA10GLargex2,
		HardwareA10GLargex4, HardwareA100Large, HardwareA100x4, HardwareA100x8, HardwareH100, HardwareH100x8}
	want := []Hardware{"cpu-basic", "cpu-upgrade", "cpu-performance", "cpu-xl", "sprx8", "zero-a10g", "inf2x6",
		"t4-small", "t4-medium", "l4x1", "l4x4", "l40sx1", "l40sx4", "l40sx8", "a10g-small", "a10g-large",
		"a10g-largex2", "a10g-largex4", "a100-large", "a100x4", "a100x8", "h100", "h100x8"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hardware constants (-want +got):\n%s", diff)
	}
	for _, hw := range got {
		if err := hw.Validate(); err != nil {
			t.Errorf("%q.Validate() = %v", hw, err)
		}
	}
	if diff := cmp.Diff([]Storage{"small", "medium", "large"}, []Storage{StorageSmall, StorageMedium, StorageLarge}); diff != "" {
		t.Errorf("storage constants (-want +got):\n%s", diff)
	}
}

// TestSpaceRuntime_DecodeLenient: nulls, absent fields, unknown keys and
// unknown enum values never fail and decode to zero values or unchanged.
func TestSpaceRuntime_DecodeLenient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		want SpaceRuntime
	}{
		{"empty object", `{}`, SpaceRuntime{}},
		{"every field null", `{"stage":null,"hardware":null,"storage":null,"gcTimeout":null,"replicas":null,
			"devMode":null,"sdk":null,"sdkVersion":null,"rawLogs":null,"hotReloading":null,"errorMessage":null,
			"volumes":null,"domains":null}`, SpaceRuntime{}},
		{"hardware values null", `{"stage":"RUNNING","hardware":{"current":null,"requested":null}}`,
			SpaceRuntime{Stage: StageRunning}},
		{"unknown stage and flavor", `{"stage":"HIBERNATING","hardware":{"current":"b300x16","requested":"b300x16"},"storage":"xl"}`,
			SpaceRuntime{Stage: "HIBERNATING", Hardware: "b300x16", RequestedHardware: "b300x16", Storage: "xl"}},
		{"replicas auto and unknown keys", `{"stage":"RUNNING","replicas":{"requested":"auto","current":2},
			"somethingNew":{"nested":[1,2,3]},"hardware":{"current":"cpu-basic","requested":"cpu-basic","currentPrettyName":"CPU basic"}}`,
			SpaceRuntime{Stage: StageRunning, Hardware: HardwareCPUBasic, RequestedHardware: HardwareCPUBasic,
				Replicas: &Replicas{Requested: "auto", Current: 2}}},
		{"error stage with message", `{"stage":"RUNTIME_ERROR","errorMessage":"Exit code: 1. Reason: ImportError","gcTimeout":-1}`,
			SpaceRuntime{Stage: StageRuntimeError, ErrorMessage: "Exit code: 1. Reason: ImportError", SleepTime: ptr(-1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got SpaceRuntime
			if err := json.Unmarshal([]byte(tt.json), &got); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, ignoreRaw); diff != "" {
				t.Errorf("decoded runtime mismatch (-want +got):\n%s", diff)
			}
			if !jsonEqual(t, got.Raw, tt.json) {
				t.Errorf("Raw = %s, want the whole object", got.Raw)
			}
		})
	}
}

// TestSpaceRuntime_RoundTrip: a runtime written back as JSON keeps what the
// Hub sent that the fields hold, unknown stages and flavors included; keys
// the type does not model stay in Raw.
func TestSpaceRuntime_RoundTrip(t *testing.T) {
	t.Parallel()
	in := `{"stage":"HIBERNATING","hardware":{"current":"b300x16","requested":"b300x16"},"futureKey":[1,"two"]}`
	var rt SpaceRuntime
	if err := json.Unmarshal([]byte(in), &rt); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(rt)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, out, `{"stage":"HIBERNATING","hardware":{"current":"b300x16","requested":"b300x16"},"storage":null,"devMode":false}`) {
		t.Errorf("round trip = %s", out)
	}
	if !jsonEqual(t, rt.Raw, in) {
		t.Errorf("Raw = %s, want %s", rt.Raw, in)
	}
	for _, v := range []any{Stage("HIBERNATING"), Hardware("b300x16"), Storage("xl")} {
		b, _ := json.Marshal(v)
		if want := `"` + toString(v) + `"`; string(b) != want {
			t.Errorf("Marshal(%v) = %s, want %s", v, b, want)
		}
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case Stage:
		return string(v)
	case Hardware:
		return string(v)
	case Storage:
		return string(v)
	}
	return ""
}

// TestSpaceRuntime_DecodeMistyped: a field of an unexpected type is left at
// its zero value; the fields around it still decode.
func TestSpaceRuntime_DecodeMistyped(t *testing.T) {
	t.Parallel()
	in := `{"gcTimeout":true,"devMode":"yes","hardware":"cpu-basic","domains":{"a":1},"stage":"RUNNING",
		"sdk":7,"storage":"small","errorMessage":["x"],"volumes":"none","replicas":[1]}`
	var got SpaceRuntime
	if err := json.Unmarshal([]byte(in), &got); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if got.Stage != StageRunning || got.Storage != StorageSmall {
		t.Errorf("stage %q storage %q, want RUNNING and small despite the mistyped fields", got.Stage, got.Storage)
	}
	if got.SleepTime != nil || got.DevMode || got.SDK != "" || got.ErrorMessage != "" || got.Volumes != nil || got.Domains != nil {
		t.Errorf("mistyped fields decoded to %+v, want zero values", got)
	}
}

// TestSpaceRuntime_DecodeNumbersLeniently: numeric fields arrive as numbers
// or numeric strings; a word where a number belongs is no decode error.
func TestSpaceRuntime_DecodeNumbersLeniently(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json      string
		sleepTime *int
		replicas  *Replicas
	}{
		{`{"stage":"RUNNING","gcTimeout":3600,"replicas":{"requested":2,"current":1}}`, ptr(3600), &Replicas{Requested: "2", Current: 1}},
		{`{"stage":"RUNNING","gcTimeout":"3600","replicas":{"requested":"auto","current":"2"}}`, ptr(3600), &Replicas{Requested: "auto", Current: 2}},
		{`{"stage":"RUNNING","gcTimeout":"soon","replicas":{"current":"two"}}`, nil, &Replicas{}},
		{`{"stage":"RUNNING","gcTimeout":{"seconds":5},"replicas":{"current":[1]}}`, nil, &Replicas{}},
	}
	for _, tt := range tests {
		var got SpaceRuntime
		if err := json.Unmarshal([]byte(tt.json), &got); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.json, err)
			continue
		}
		if got.Stage != StageRunning || !cmp.Equal(tt.sleepTime, got.SleepTime) || !cmp.Equal(tt.replicas, got.Replicas) {
			t.Errorf("Unmarshal(%s) = stage %q, sleep %v, replicas %+v; want RUNNING, %v, %+v",
				tt.json, got.Stage, got.SleepTime, got.Replicas, tt.sleepTime, tt.replicas)
		}
	}
}

func TestSpaceRuntime_DecodeErrorOnNonObject(t *testing.T) {
	t.Parallel()
	var rt SpaceRuntime
	if err := json.Unmarshal([]byte(`"RUNNING"`), &rt); err == nil {
		t.Errorf("a JSON string decoded as a runtime: %+v", rt)
	}
}

// TestSpaceRuntime_DecodeNull: a null runtime (a field of a caller's own
// struct) decodes to nothing, as encoding/json does for its own types.
func TestSpaceRuntime_DecodeNull(t *testing.T) {
	t.Parallel()
	var got struct {
		Runtime SpaceRuntime `json:"runtime"`
	}
	if err := json.Unmarshal([]byte(`{"runtime":null}`), &got); err != nil {
		t.Fatalf("Unmarshal of a null runtime: %v", err)
	}
	if diff := cmp.Diff(SpaceRuntime{}, got.Runtime); diff != "" {
		t.Errorf("null runtime decoded to (-want +got):\n%s", diff)
	}
}

// TestHardwareInfo_DecodeLenient: one odd catalog entry (an accelerator
// that is no object, a price that is no finite number, a null entry) must
// not make the whole catalog fail, and what decodes can be written back.
func TestHardwareInfo_DecodeLenient(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/hardware", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `[null,
			{"name":"cpu-basic","prettyName":"CPU basic","accelerator":"none","unitCostUSD":"NaN","unitCostMicroUSD":"1e400","unitLabel":"hour"},
			{"name":"t4-small","accelerator":7,"unitCostUSD":"Infinity","unitCostMicroUSD":"-Inf"},
			{"name":"l4x1","accelerator":{"type":"gpu","model":"L4","quantity":"NaN"},"unitCostUSD":0.8,"unitCostMicroUSD":800000}]`)
	})
	got, err := client.Spaces.ListHardware(t.Context())
	if err != nil {
		t.Fatalf("ListHardware: %v", err)
	}
	want := []HardwareInfo{
		{Name: HardwareCPUBasic, PrettyName: "CPU basic", UnitLabel: "hour"},
		{Name: HardwareT4Small},
		{Name: HardwareL4x1, Accelerator: &Accelerator{Type: "gpu", Model: "L4"}, UnitCostUSD: 0.8, UnitCostMicroUSD: 800000},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListHardware mismatch (-want +got):\n%s", diff)
	}
	if _, err := json.Marshal(got); err != nil {
		t.Errorf("the decoded catalog cannot be written back as JSON: %v", err)
	}
	var a Accelerator
	if err := json.Unmarshal([]byte(`"none"`), &a); err != nil || a != (Accelerator{}) {
		t.Errorf("Unmarshal of a non-object accelerator = %+v, %v; want the zero value, no error", a, err)
	}
}

// TestUser_DecodeLenient: an odd organization or auth value must not make
// WhoAmI fail (Duplicate depends on it for the caller's namespace).
func TestUser_DecodeLenient(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/whoami-v2", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"type":"user","name":"alice","orgs":[{"name":"acme"},"weird",null,{"name":null}],"auth":"session"}`)
	})
	got, err := client.WhoAmI(t.Context())
	if err != nil {
		t.Fatalf("WhoAmI: %v", err)
	}
	if diff := cmp.Diff(&User{Type: "user", Name: "alice", Orgs: []Org{{Name: "acme"}}}, got,
		cmpopts.IgnoreFields(User{}, "Raw")); diff != "" {
		t.Errorf("WhoAmI mismatch (-want +got):\n%s", diff)
	}
	var u User
	if err := json.Unmarshal([]byte(`{"name":"bob","orgs":{"name":"acme"},"auth":{"accessToken":"x"}}`), &u); err != nil || u.Name != "bob" {
		t.Errorf("Unmarshal = %+v, %v; want bob and no error", u, err)
	}
}
