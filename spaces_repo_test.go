package hfhub

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpacesService_Create(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	mux.HandleFunc("/api/repos/create", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{
			"name": "tmp_test_space", "organization": "user", "type": "space", "sdk": "gradio",
		})
		// Recorded (cas:test_space_runtime), with the host of this test.
		writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/user/tmp_test_space","name":"user/tmp_test_space","id":"67cae57bc3f95553ede73be7"}`)
	})
	got, err := client.Spaces.Create(t.Context(), "user/tmp_test_space", &CreateOptions{SDK: SDKGradio})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	want := &RepoURL{URL: serverURL + "/spaces/user/tmp_test_space", Endpoint: serverURL, RepoType: "space", RepoID: "user/tmp_test_space"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Create mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_Create_AllOptions(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	mux.HandleFunc("/api/repos/create", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{
			"name": "app", "organization": "org", "type": "space", "sdk": "docker",
			"visibility": "private", "hardware": "t4-small", "storageTier": "small", "sleepTimeSeconds": float64(3600),
			"secrets": []any{
				map[string]any{"key": "A_TOKEN", "value": "s3cr3t-value"},
				map[string]any{"key": "B_TOKEN", "value": "other-secret"},
			},
			"variables": []any{map[string]any{"key": "MODEL", "value": "gpt2"}},
			"volumes":   []any{map[string]any{"type": "dataset", "source": "org/data", "mountPath": "/data"}},
		})
		writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/org/app","name":"org/app","id":"x"}`)
	})
	_, err := client.Spaces.Create(t.Context(), "org/app", &CreateOptions{
		SDK: SDKDocker, Visibility: VisibilityPrivate, Hardware: HardwareT4Small, Storage: StorageSmall,
		SleepTime: ptr(3600), Secrets: map[string]string{"B_TOKEN": "other-secret", "A_TOKEN": "s3cr3t-value"},
		Variables: map[string]string{"MODEL": "gpt2"},
		Volumes:   []Volume{{Type: "dataset", Source: "org/data", MountPath: "/data"}},
	})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
}

func TestSpacesService_Create_Conflict(t *testing.T) {
	t.Parallel()
	for _, existOK := range []bool{false, true} {
		client, mux, serverURL := setup(t)
		var n atomic.Int64
		mux.HandleFunc("/api/repos/create", func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			// Recorded (cas:test_manage_secrets).
			writeJSON(w, http.StatusConflict, `{"error":"You already created this space repo","url":"`+serverURL+`/spaces/user/tmp_test_space"}`)
		})
		got, err := client.Spaces.Create(t.Context(), "user/tmp_test_space", &CreateOptions{SDK: SDKStatic, ExistOK: existOK})
		if n.Load() != 1 {
			t.Errorf("ExistOK=%v: %d create requests, want 1", existOK, n.Load())
		}
		if !existOK {
			if !errors.Is(err, ErrConflict) || got != nil {
				t.Errorf("without ExistOK: got %v, %v; want ErrConflict", got, err)
			}
			continue
		}
		if err != nil || got.URL != serverURL+"/spaces/user/tmp_test_space" {
			t.Errorf("with ExistOK: got %+v, %v; want the existing Space's URL", got, err)
		}
	}
}

func TestSpacesService_Create_ConflictingOperationInProgressIsSentAgain(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	var n atomic.Int64
	mux.HandleFunc("/api/repos/create", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, http.StatusConflict, `{"error":"Cannot create repo: another conflicting operation is in progress"}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/u/s"}`)
	})
	if _, err := client.Spaces.Create(t.Context(), "u/s", &CreateOptions{SDK: SDKStatic}); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2", n.Load())
	}
}

func TestSpacesService_Create_ExistOKWithoutCreateRight(t *testing.T) {
	t.Parallel()
	for _, exists := range []bool{true, false} {
		client, mux, serverURL := setup(t)
		mux.HandleFunc("/api/repos/create", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusForbidden, `{"error":"You don't have the rights to create a space under the namespace \"org\""}`)
		})
		mux.HandleFunc("/api/spaces/org/app", func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, "GET")
			if !exists {
				writeJSON(w, http.StatusNotFound, `{"error":"Repository not found"}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"id":"org/app","sdk":"static"}`)
		})
		got, err := client.Spaces.Create(t.Context(), "org/app", &CreateOptions{SDK: SDKStatic, ExistOK: true})
		if exists && (err != nil || got.URL != serverURL+"/spaces/org/app") {
			t.Errorf("existing Space: %+v, %v", got, err)
		}
		if !exists && !errors.Is(err, ErrForbidden) {
			t.Errorf("missing Space: %v, want the 403", err)
		}
	}
}

func TestSpacesService_Create_NotRetried(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var n atomic.Int64
	mux.HandleFunc("/api/repos/create", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, http.StatusServiceUnavailable, `{"error":"try later"}`)
	})
	_, err := client.Spaces.Create(t.Context(), "u/s", &CreateOptions{SDK: SDKStatic})
	if !errors.Is(err, ErrServer) || n.Load() != 1 {
		t.Errorf("got %v after %d requests; want ErrServer after 1", err, n.Load())
	}
}

func TestSpacesService_Create_SecretNeverInError(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/repos/create", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"error":"bad secret value my-secret-value"}`)
	})
	_, err := client.Spaces.Create(t.Context(), "u/s", &CreateOptions{SDK: SDKStatic, Secrets: map[string]string{"K": "my-secret-value"}})
	if err == nil || strings.Contains(err.Error(), "my-secret-value") {
		t.Errorf("error %v shows the secret", err)
	}
}

func TestSpacesService_Create_BadInput(t *testing.T) {
	t.Parallel()
	client, _ := noRequests(t)
	cases := []struct {
		id   string
		opts *CreateOptions
		want error
		text string
	}{
		{"u/s", nil, ErrInvalidOption, "SDK"},
		{"u/s", &CreateOptions{}, ErrInvalidOption, "no SDK"},
		{"u/s", &CreateOptions{SDK: "flask"}, ErrInvalidOption, `"flask"`},
		{"u/s", &CreateOptions{SDK: SDKStatic, Visibility: "secret"}, ErrInvalidOption, `"secret"`},
		{"u/s", &CreateOptions{SDK: SDKStatic, Hardware: "T4 small"}, ErrInvalidHardware, ""},
		{"u/s", &CreateOptions{SDK: SDKStatic, Storage: "huge"}, ErrInvalidStorage, ""},
		{"u/s", &CreateOptions{SDK: SDKStatic, SleepTime: ptr(-5)}, ErrInvalidSleepTime, ""},
		{"u/s", &CreateOptions{SDK: SDKStatic, Secrets: map[string]string{"A B": "x"}}, ErrInvalidKey, "secret"},
		{"u/s", &CreateOptions{SDK: SDKStatic, Variables: map[string]string{"": "x"}}, ErrInvalidKey, "variable"},
		{"u/s", &CreateOptions{SDK: SDKStatic, Variables: map[string]string{"MY-KEY": "x"}}, ErrInvalidKey, "variable"},
		{"u/s", &CreateOptions{SDK: SDKStatic, Volumes: []Volume{{Type: "model"}}}, ErrInvalidVolume, ""},
		{"s", &CreateOptions{SDK: SDKStatic}, ErrInvalidRepoID, "namespace"},
		{"u/s--x", &CreateOptions{SDK: SDKStatic}, ErrInvalidRepoID, ""},
	}
	for _, tc := range cases {
		_, err := client.Spaces.Create(t.Context(), tc.id, tc.opts)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("Create(%q, %+v) = %v; want %v mentioning %q", tc.id, tc.opts, err, tc.want, tc.text)
		}
	}
	// A bad secret and a bad variable: the secret is reported, every time.
	both := &CreateOptions{SDK: SDKStatic, Secrets: map[string]string{"BAD SECRET": "x"}, Variables: map[string]string{"BAD VAR": "y"}}
	for range 50 {
		_, err := client.Spaces.Create(t.Context(), "u/s", both)
		if err == nil || !strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "BAD VAR") {
			t.Fatalf("Create with a bad secret and a bad variable = %v; want the secret reported", err)
		}
	}
}

func TestSpacesService_Delete(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/repos/delete", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"name": "tmp_test_space", "organization": "user", "type": "space"})
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("OK"))
	})
	if err := client.Spaces.Delete(t.Context(), "user/tmp_test_space", nil); err != nil {
		t.Fatalf("Delete: %v", err)
	}
}

func TestSpacesService_Delete_Missing(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/repos/delete", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Error-Code", "RepoNotFound")
		writeJSON(w, http.StatusNotFound, `{"error":"Repository not found"}`)
	})
	if err := client.Spaces.Delete(t.Context(), "u/s", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete = %v, want ErrNotFound", err)
	}
	if err := client.Spaces.Delete(t.Context(), "u/s", &DeleteOptions{MissingOK: true}); err != nil {
		t.Errorf("Delete(MissingOK) = %v, want nil", err)
	}
}

// A retry answered "not found" follows an attempt that did delete.
func TestSpacesService_Delete_RetryAnsweredNotFound(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var n atomic.Int64
	mux.HandleFunc("/api/repos/delete", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, map[string]any{"name": "s", "organization": "u", "type": "space"})
		if n.Add(1) == 1 {
			writeJSON(w, http.StatusBadGateway, `{"error":"upstream cut"}`)
			return
		}
		w.Header().Set("X-Error-Code", "RepoNotFound")
		writeJSON(w, http.StatusNotFound, `{"error":"Repository not found"}`)
	})
	if err := client.Spaces.Delete(t.Context(), "u/s", nil); err != nil || n.Load() != 2 {
		t.Errorf("Delete = %v after %d requests, want nil after 2", err, n.Load())
	}
}

func TestSpacesService_UpdateSettings(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var want map[string]any
	mux.HandleFunc("/api/spaces/u/s/settings", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "PUT")
		testQuery(t, r, nil)
		testJSONBody(t, r, want)
		writeJSON(w, http.StatusOK, `{}`)
	})
	for _, tc := range []struct {
		opts *SettingsOptions
		want map[string]any
	}{
		{&SettingsOptions{Visibility: VisibilityProtected}, map[string]any{"visibility": "protected"}},
		{&SettingsOptions{Gated: ptr("false")}, map[string]any{"gated": false}},
		{&SettingsOptions{Visibility: VisibilityPublic, Gated: ptr("manual")}, map[string]any{"visibility": "public", "gated": "manual"}},
	} {
		want = tc.want
		if err := client.Spaces.UpdateSettings(t.Context(), "u/s", tc.opts); err != nil {
			t.Errorf("UpdateSettings(%+v): %v", tc.opts, err)
		}
	}
}

func TestSpacesService_UpdateSettings_BadInput(t *testing.T) {
	t.Parallel()
	client, _ := noRequests(t)
	for _, opts := range []*SettingsOptions{nil, {}, {Visibility: "hidden"}, {Gated: ptr("yes")}} {
		if err := client.Spaces.UpdateSettings(t.Context(), "u/s", opts); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("UpdateSettings(%+v) = %v, want ErrInvalidOption", opts, err)
		}
	}
}

func TestSpacesService_Move(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var n atomic.Int64
	mux.HandleFunc("/api/repos/move", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"fromRepo": "u/old", "toRepo": "org/new", "type": "space"})
		writeJSON(w, http.StatusServiceUnavailable, `{}`)
	})
	if err := client.Spaces.Move(t.Context(), "u/old", "org/new"); !errors.Is(err, ErrServer) || n.Load() != 1 {
		t.Errorf("Move = %v after %d requests; want ErrServer after 1 (never retried)", err, n.Load())
	}
	noClient, _ := noRequests(t)
	for _, ids := range [][2]string{{"old", "u/new"}, {"u/old", "new"}, {"u/a", "u/a"}} {
		if err := noClient.Spaces.Move(t.Context(), ids[0], ids[1]); err == nil {
			t.Errorf("Move(%q, %q) = nil, want an error", ids[0], ids[1])
		}
	}
}
