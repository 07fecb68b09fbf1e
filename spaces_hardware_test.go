package hfhub

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpacesService_RequestHardware_GPU(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/hardware", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		// No sleep time asked: no "sleepTimeSeconds" key.
		testJSONBody(t, r, map[string]any{"flavor": "t4-medium"})
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING_BUILDING","hardware":{"current":"cpu-basic","requested":"t4-medium"},
			"storage":null,"gcTimeout":3600,"devMode":false}`)
	})
	for _, opts := range []*HardwareOptions{nil, {}} {
		got, err := client.Spaces.RequestHardware(t.Context(), "user/space", HardwareT4Medium, opts)
		if err != nil {
			t.Fatalf("RequestHardware: %v", err)
		}
		want := &SpaceRuntime{Stage: StageRunningBuilding, Hardware: HardwareCPUBasic,
			RequestedHardware: HardwareT4Medium, SleepTime: ptr(3600)}
		if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
			t.Errorf("RequestHardware(opts %+v) mismatch (-want +got):\n%s", opts, diff)
		}
	}
}

func TestSpacesService_RequestHardware_WithSleepTime(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/hardware", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{"flavor": "a10g-small", "sleepTimeSeconds": float64(900)})
		writeJSON(w, http.StatusOK, `{"stage":"BUILDING","hardware":{"current":null,"requested":"a10g-small"},"gcTimeout":900}`)
	})
	got, err := client.Spaces.RequestHardware(t.Context(), "user/space", HardwareA10GSmall, &HardwareOptions{SleepTime: ptr(900)})
	if err != nil {
		t.Fatalf("RequestHardware: %v", err)
	}
	if got.RequestedHardware != HardwareA10GSmall || got.SleepTime == nil || *got.SleepTime != 900 {
		t.Errorf("RequestHardware = requested %q sleep %v, want a10g-small and 900", got.RequestedHardware, got.SleepTime)
	}
}

func TestSpacesService_RequestHardware_DowngradeToCPU(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/hardware", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{"flavor": "cpu-basic"})
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING_BUILDING","hardware":{"current":"a100-large","requested":"cpu-basic"},
			"storage":null,"gcTimeout":172800}`)
	})
	got, err := client.Spaces.RequestHardware(t.Context(), "user/space", HardwareCPUBasic, nil)
	if err != nil {
		t.Fatalf("RequestHardware: %v", err)
	}
	want := &SpaceRuntime{Stage: StageRunningBuilding, Hardware: HardwareA100Large,
		RequestedHardware: HardwareCPUBasic, SleepTime: ptr(172800)}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Errorf("RequestHardware mismatch (-want +got):\n%s", diff)
	}
}

// TestSpacesService_RequestHardware_InvalidTier covers both halves of the
// rule: a malformed flavor never leaves the client; a well-formed flavor
// this library does not know is sent, and the Hub's 400 comes back as
// ErrBadRequest with the Hub's own message.
func TestSpacesService_RequestHardware_InvalidTier(t *testing.T) {
	t.Parallel()
	t.Run("malformed flavor is refused before sending", func(t *testing.T) {
		t.Parallel()
		client, requests := noRequests(t)
		for _, hw := range []Hardware{"", "T4-Medium", "t4 medium", "t4_medium", "t4-medium\n", "a100/large", "gpü"} {
			_, err := client.Spaces.RequestHardware(t.Context(), "user/space", hw, nil)
			if !errors.Is(err, ErrInvalidHardware) {
				t.Errorf("RequestHardware(%q) = %v, want ErrInvalidHardware", hw, err)
			}
		}
		if n := requests.Load(); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
	t.Run("unknown well-formed flavor is sent and the Hub decides", func(t *testing.T) {
		t.Parallel()
		const hubMessage = "Invalid flavor: 'b300x16'. Must be one of cpu-basic, cpu-upgrade, t4-small"
		client, mux, _ := setup(t)
		calls := 0
		mux.HandleFunc("/api/spaces/user/space/hardware", func(w http.ResponseWriter, r *http.Request) {
			calls++
			testJSONBody(t, r, map[string]any{"flavor": "b300x16"})
			w.Header().Set("X-Request-Id", "Root=1-abc")
			writeJSON(w, http.StatusBadRequest, `{"error":"`+hubMessage+`"}`)
		})
		rt, err := client.Spaces.RequestHardware(t.Context(), "user/space", Hardware("b300x16"), nil)
		if rt != nil {
			t.Errorf("RequestHardware returned a runtime %+v with its error", rt)
		}
		if !errors.Is(err, ErrBadRequest) {
			t.Fatalf("RequestHardware = %v, want ErrBadRequest", err)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("error %v is not an *APIError", err)
		}
		if apiErr.StatusCode != http.StatusBadRequest || apiErr.Message != hubMessage || apiErr.RequestID != "Root=1-abc" {
			t.Errorf("APIError = %+v, want status 400, the Hub's message and request id", apiErr)
		}
		if !strings.Contains(err.Error(), hubMessage) {
			t.Errorf("Error() = %q, want it to carry the Hub's message", err.Error())
		}
		if calls != 1 {
			t.Errorf("the Hub saw %d requests, want 1 (a 400 is not retried)", calls)
		}
	})
}

func TestSpacesService_ListHardware(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/hardware", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `[
			{"name":"cpu-basic","prettyName":"CPU basic","cpu":"2 vCPU","ram":"16 GB","ephemeralStorage":"50 GB",
			 "accelerator":null,"unitCostMicroUSD":0,"unitCostUSD":0,"unitLabel":"hour"},
			{"name":"t4-medium","prettyName":"Nvidia T4 - medium","cpu":"8 vCPU","ram":"30 GB",
			 "accelerator":{"type":"gpu","model":"T4","quantity":1,"vram":"16 GB","manufacturer":"Nvidia"},
			 "unitCostMicroUSD":10000,"unitCostUSD":0.01,"unitLabel":"minute"},
			{"name":"b300x16","prettyName":"Future GPU","cpu":"256 vCPU","ram":"4 TB",
			 "accelerator":{"type":"gpu","model":"B300","quantity":"16","vram":"4 TB","manufacturer":"Nvidia"},
			 "unitCostMicroUSD":2500000,"unitCostUSD":2.5,"unitLabel":"minute","somethingNew":true}]`)
	})
	got, err := client.Spaces.ListHardware(t.Context())
	if err != nil {
		t.Fatalf("ListHardware: %v", err)
	}
	want := []HardwareInfo{
		{Name: HardwareCPUBasic, PrettyName: "CPU basic", CPU: "2 vCPU", RAM: "16 GB", EphemeralStorage: "50 GB",
			UnitLabel: "hour"},
		{Name: HardwareT4Medium, PrettyName: "Nvidia T4 - medium", CPU: "8 vCPU", RAM: "30 GB",
			Accelerator:      &Accelerator{Type: "gpu", Model: "T4", Quantity: 1, VRAM: "16 GB", Manufacturer: "Nvidia"},
			UnitCostMicroUSD: 10000, UnitCostUSD: 0.01, UnitLabel: "minute"},
		{Name: "b300x16", PrettyName: "Future GPU", CPU: "256 vCPU", RAM: "4 TB",
			Accelerator:      &Accelerator{Type: "gpu", Model: "B300", Quantity: 16, VRAM: "4 TB", Manufacturer: "Nvidia"},
			UnitCostMicroUSD: 2500000, UnitCostUSD: 2.5, UnitLabel: "minute"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListHardware mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_SetSleepTime(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/sleeptime", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"seconds": float64(3600)})
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING","hardware":{"current":"t4-small","requested":"t4-small"},"gcTimeout":3600}`)
	})
	got, err := client.Spaces.SetSleepTime(t.Context(), "user/space", 3600)
	if err != nil {
		t.Fatalf("SetSleepTime: %v", err)
	}
	if got.SleepTime == nil || *got.SleepTime != 3600 {
		t.Errorf("SleepTime = %v, want 3600", got.SleepTime)
	}
}

func TestSpacesService_SetSleepTime_Disable(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/sleeptime", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{"seconds": float64(-1)})
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING","hardware":{"current":"t4-small","requested":"t4-small"},"gcTimeout":-1}`)
	})
	got, err := client.Spaces.SetSleepTime(t.Context(), "user/space", -1)
	if err != nil {
		t.Fatalf("SetSleepTime(-1): %v", err)
	}
	if got.SleepTime == nil || *got.SleepTime != -1 {
		t.Errorf("SleepTime = %v, want -1 (never sleeps)", got.SleepTime)
	}
}

// TestSpacesService_SetSleepTime_Bounds: 1 second and MaxSleepTime are
// sent as they are (0 is refused: TestSpacesService_RejectsInvalidSleepTime).
func TestSpacesService_SetSleepTime_Bounds(t *testing.T) {
	t.Parallel()
	for _, seconds := range []int{1, MaxSleepTime} {
		client, mux, _ := setup(t)
		mux.HandleFunc("/api/spaces/user/space/sleeptime", func(w http.ResponseWriter, r *http.Request) {
			testJSONBody(t, r, map[string]any{"seconds": float64(seconds)})
			writeJSON(w, http.StatusOK, `{"stage":"RUNNING"}`)
		})
		if _, err := client.Spaces.SetSleepTime(t.Context(), "user/space", seconds); err != nil {
			t.Fatalf("SetSleepTime(%d): %v", seconds, err)
		}
	}
}

func TestSpacesService_RequestStorage(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/storage", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"tier": "medium"})
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING","hardware":{"current":"cpu-basic","requested":"cpu-basic"},"storage":"medium"}`)
	})
	got, err := client.Spaces.RequestStorage(t.Context(), "user/space", StorageMedium)
	if err != nil {
		t.Fatalf("RequestStorage: %v", err)
	}
	if got.Storage != StorageMedium {
		t.Errorf("Storage = %q, want medium", got.Storage)
	}
}

func TestSpacesService_DeleteStorage(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/storage", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"stage":"RUNNING","hardware":{"current":"cpu-basic","requested":"cpu-basic"},"storage":null}`)
	})
	got, err := client.Spaces.DeleteStorage(t.Context(), "user/space")
	if err != nil {
		t.Fatalf("DeleteStorage: %v", err)
	}
	if got.Storage != "" {
		t.Errorf("Storage = %q, want none", got.Storage)
	}
}

func TestSpacesService_DeleteStorage_None(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/storage", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"error":"No persistent storage to delete"}`)
	})
	_, err := client.Spaces.DeleteStorage(t.Context(), "user/space")
	var apiErr *APIError
	if !errors.Is(err, ErrBadRequest) || !errors.As(err, &apiErr) || apiErr.Message != "No persistent storage to delete" {
		t.Errorf("DeleteStorage = %v, want ErrBadRequest with the Hub's message", err)
	}
}

func TestSpacesService_SetVolumes(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/volumes", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PUT")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"volumes": []any{
			map[string]any{"type": "dataset", "source": "user/data", "mountPath": "/data"},
			map[string]any{"type": "model", "source": "user/model", "mountPath": "/models/m",
				"revision": "v1.0", "readOnly": true, "path": "weights"},
			map[string]any{"type": "bucket", "source": "user/bucket", "mountPath": "/scratch", "readOnly": false},
		}})
		w.WriteHeader(http.StatusOK)
	})
	err := client.Spaces.SetVolumes(t.Context(), "user/space", []Volume{
		{Type: "dataset", Source: "user/data", MountPath: "/data"},
		{Type: "model", Source: "user/model", MountPath: "/models/m", Revision: "v1.0", ReadOnly: ptr(true), Path: "weights"},
		{Type: "bucket", Source: "user/bucket", MountPath: "/scratch", ReadOnly: ptr(false)},
	})
	if err != nil {
		t.Fatalf("SetVolumes: %v", err)
	}
}

func TestSpacesService_DeleteVolumes(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/volumes", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		testQuery(t, r, nil)
		testNoBody(t, r)
		w.WriteHeader(http.StatusOK)
	})
	if err := client.Spaces.DeleteVolumes(t.Context(), "user/space"); err != nil {
		t.Fatalf("DeleteVolumes: %v", err)
	}
}

func TestSpacesService_DeleteVolumes_None(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/user/space/volumes", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"error":"This Space has no volumes"}`)
	})
	if err := client.Spaces.DeleteVolumes(t.Context(), "user/space"); !errors.Is(err, ErrBadRequest) {
		t.Errorf("DeleteVolumes = %v, want ErrBadRequest", err)
	}
}

func TestHardwareInfoHourlyMicroUSD(t *testing.T) {
	for _, tc := range []struct {
		h    HardwareInfo
		want int64
		ok   bool
	}{
		{HardwareInfo{UnitCostMicroUSD: 10000, UnitCostUSD: 0.01, UnitLabel: "minute"}, 600000, true},
		{HardwareInfo{UnitCostUSD: 0.01, UnitLabel: "minute"}, 600000, true},
		{HardwareInfo{UnitCostMicroUSD: 600000, UnitLabel: "hour"}, 600000, true},
		{HardwareInfo{UnitCostMicroUSD: 10, UnitLabel: "Second"}, 36000, true},
		{HardwareInfo{UnitCostMicroUSD: 0, UnitLabel: "minute"}, 0, true},
		{HardwareInfo{UnitCostMicroUSD: 10000, UnitLabel: "fortnight"}, 0, false},
		{HardwareInfo{UnitCostMicroUSD: 10000}, 0, false},
		{HardwareInfo{UnitCostMicroUSD: -1, UnitLabel: "minute"}, 0, false},
	} {
		got, ok := tc.h.HourlyMicroUSD()
		if got != tc.want || ok != tc.ok {
			t.Errorf("%+v.HourlyMicroUSD() = %d, %v; want %d, %v", tc.h, got, ok, tc.want, tc.ok)
		}
	}
}
