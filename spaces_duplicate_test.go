package hfhub

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpacesService_Duplicate(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	mux.HandleFunc("/api/spaces/user/source-space/duplicate", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"repository": "org/copy", "visibility": "private"})
		writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/org/copy"}`)
	})
	got, err := client.Spaces.Duplicate(t.Context(), "user/source-space", &DuplicateOptions{ToID: "org/copy", Private: ptr(true)})
	if err != nil {
		t.Fatalf("Duplicate: %v", err)
	}
	want := &RepoURL{URL: serverURL + "/spaces/org/copy", Endpoint: serverURL, RepoType: "space", RepoID: "org/copy"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Duplicate mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_Duplicate_Public(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	mux.HandleFunc("/api/spaces/user/source-space/duplicate", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, map[string]any{"repository": "org/copy", "visibility": "public"})
		writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/org/copy"}`)
	})
	if _, err := client.Spaces.Duplicate(t.Context(), "user/source-space", &DuplicateOptions{ToID: "org/copy", Private: ptr(false)}); err != nil {
		t.Fatalf("Duplicate: %v", err)
	}
}

func TestSpacesService_Duplicate_ProtectedVisibility(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	mux.HandleFunc("/api/spaces/user/source-space/duplicate", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, map[string]any{"repository": "org/copy", "visibility": "protected"})
		writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/org/copy"}`)
	})
	if _, err := client.Spaces.Duplicate(t.Context(), "user/source-space", &DuplicateOptions{ToID: "org/copy", Visibility: "protected"}); err != nil {
		t.Fatalf("Duplicate: %v", err)
	}
}

func TestSpacesService_Duplicate_WithHardwareAndStorage(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	mux.HandleFunc("/api/spaces/user/source-space/duplicate", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{
			"repository":       "org/gpu-copy",
			"hardware":         "a10g-small",
			"storageTier":      "large",
			"sleepTimeSeconds": float64(-1),
			"secrets": []any{
				map[string]any{"key": "HF_TOKEN", "value": "hf_xyz"},
			},
			"variables": []any{
				map[string]any{"key": "MODEL", "value": "gpt2", "description": "model to load"},
			},
			"volumes": []any{
				map[string]any{"type": "dataset", "source": "user/data", "mountPath": "/data"},
			},
		})
		writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/org/gpu-copy"}`)
	})
	got, err := client.Spaces.Duplicate(t.Context(), "user/source-space", &DuplicateOptions{
		ToID:      "org/gpu-copy",
		Hardware:  HardwareA10GSmall,
		Storage:   StorageLarge,
		SleepTime: ptr(-1),
		Secrets:   []EnvVar{{Key: "HF_TOKEN", Value: "hf_xyz"}},
		Variables: []EnvVar{{Key: "MODEL", Value: "gpt2", Description: "model to load"}},
		Volumes:   []Volume{{Type: "dataset", Source: "user/data", MountPath: "/data"}},
	})
	if err != nil {
		t.Fatalf("Duplicate: %v", err)
	}
	if got.RepoID != "org/gpu-copy" || got.URL != serverURL+"/spaces/org/gpu-copy" {
		t.Errorf("Duplicate = %+v, want org/gpu-copy", got)
	}
}

// TestSpacesService_Duplicate_DefaultTarget: without a target the copy goes
// to the caller's namespace under the source's name, found with WhoAmI.
func TestSpacesService_Duplicate_DefaultTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts *DuplicateOptions
		want string
	}{
		{"nil options", nil, "alice/source-space"},
		{"empty target", &DuplicateOptions{}, "alice/source-space"},
		{"name without namespace", &DuplicateOptions{ToID: "my-copy"}, "alice/my-copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, mux, serverURL := setup(t)
			var whoami atomic.Int64
			mux.HandleFunc("/api/whoami-v2", func(w http.ResponseWriter, r *http.Request) {
				whoami.Add(1)
				testMethod(t, r, "GET")
				writeJSON(w, http.StatusOK, `{"type":"user","name":"alice","orgs":[{"name":"acme"}]}`)
			})
			mux.HandleFunc("/api/spaces/user/source-space/duplicate", func(w http.ResponseWriter, r *http.Request) {
				if whoami.Load() != 1 {
					t.Errorf("duplicate sent before asking whoami-v2 once (%d)", whoami.Load())
				}
				testJSONBody(t, r, map[string]any{"repository": tt.want})
				writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/`+tt.want+`"}`)
			})
			got, err := client.Spaces.Duplicate(t.Context(), "user/source-space", tt.opts)
			if err != nil {
				t.Fatalf("Duplicate: %v", err)
			}
			if got.RepoID != tt.want {
				t.Errorf("RepoID = %q, want %q", got.RepoID, tt.want)
			}
		})
	}
}

// TestSpacesService_Duplicate_TargetWithNamespace must not ask whoami-v2.
func TestSpacesService_Duplicate_TargetWithNamespace(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t) // an unexpected whoami-v2 request fails the test
	mux.HandleFunc("/api/spaces/user/source-space/duplicate", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, map[string]any{"repository": "acme/copy"})
		writeJSON(w, http.StatusOK, `{"url":"`+serverURL+`/spaces/acme/copy"}`)
	})
	if _, err := client.Spaces.Duplicate(t.Context(), "user/source-space", &DuplicateOptions{ToID: "acme/copy"}); err != nil {
		t.Fatalf("Duplicate: %v", err)
	}
}

func TestSpacesService_Duplicate_Conflict(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var calls atomic.Int64
	mux.HandleFunc("/api/spaces/user/source-space/duplicate", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, http.StatusConflict, `{"error":"You already created this space repo"}`)
	})
	_, err := client.Spaces.Duplicate(t.Context(), "user/source-space", &DuplicateOptions{ToID: "user/copy"})
	if !errors.Is(err, ErrConflict) {
		t.Errorf("Duplicate onto an existing Space = %v, want ErrConflict", err)
	}

	got, err := client.Spaces.Duplicate(t.Context(), "user/source-space", &DuplicateOptions{ToID: "user/copy", ExistOK: true})
	if err != nil {
		t.Fatalf("Duplicate with ExistOK: %v", err)
	}
	if got.RepoID != "user/copy" || got.RepoType != "space" {
		t.Errorf("Duplicate with ExistOK = %+v, want the existing user/copy", got)
	}
	if calls.Load() != 2 {
		t.Errorf("server saw %d requests, want 2", calls.Load())
	}
}

// TestSpacesService_Duplicate_InvalidOptions: every check happens before
// anything is sent, whoami-v2 included.
func TestSpacesService_Duplicate_InvalidOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		from string
		opts *DuplicateOptions
		want error // nil: any error
	}{
		{"bad source id", "user/bad--id", nil, ErrInvalidRepoID},
		{"source without namespace", "space", &DuplicateOptions{ToID: "user/copy"}, ErrInvalidRepoID},
		{"bad target id", "user/space", &DuplicateOptions{ToID: "user/copy.git"}, ErrInvalidRepoID},
		{"Private and Visibility both set", "user/space", &DuplicateOptions{ToID: "user/copy", Private: ptr(true), Visibility: "private"}, ErrInvalidOption},
		{"unknown visibility", "user/space", &DuplicateOptions{ToID: "user/copy", Visibility: "secret"}, ErrInvalidOption},
		{"malformed hardware", "user/space", &DuplicateOptions{ToID: "user/copy", Hardware: "T4 Small"}, ErrInvalidHardware},
		{"bad storage", "user/space", &DuplicateOptions{ToID: "user/copy", Storage: "huge"}, ErrInvalidStorage},
		{"bad sleep time", "user/space", &DuplicateOptions{ToID: "user/copy", SleepTime: ptr(-2)}, ErrInvalidSleepTime},
		{"secret without key", "user/space", &DuplicateOptions{ToID: "user/copy", Secrets: []EnvVar{{Value: "x"}}}, ErrInvalidKey},
		{"variable without key", "user/space", &DuplicateOptions{ToID: "user/copy", Variables: []EnvVar{{Value: "x"}}}, ErrInvalidKey},
		{"volume without source", "user/space", &DuplicateOptions{ToID: "user/copy", Volumes: []Volume{{Type: "dataset", MountPath: "/data"}}}, ErrInvalidVolume},
		{"relative mount path", "user/space", &DuplicateOptions{ToID: "user/copy", Volumes: []Volume{{Type: "dataset", Source: "u/d", MountPath: "data"}}}, ErrInvalidVolume},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, requests := noRequests(t)
			got, err := client.Spaces.Duplicate(t.Context(), tt.from, tt.opts)
			if err == nil {
				t.Fatalf("Duplicate = %+v, want an error", got)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Duplicate = %v, want %v", err, tt.want)
			}
			if n := requests.Load(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// TestDuplicateOptions_ErrorOrderIsStable: with a bad secret and a bad
// variable, the same one is reported every time (secrets first, as given).
func TestDuplicateOptions_ErrorOrderIsStable(t *testing.T) {
	t.Parallel()
	client, _ := noRequests(t)
	opts := &DuplicateOptions{ToID: "user/copy", Secrets: []EnvVar{{Key: "bad secret"}}, Variables: []EnvVar{{Key: ""}}}
	for range 50 {
		_, err := client.Spaces.Duplicate(t.Context(), "user/space", opts)
		if !errors.Is(err, ErrInvalidKey) || !strings.HasPrefix(err.Error(), "secret: ") {
			t.Fatalf("Duplicate = %v, want the secret's error first", err)
		}
	}
}

// TestSpacesService_Duplicate_OddAnswer: a 2xx answer that is empty or not
// the expected object still means the copy was made: Duplicate succeeds
// with the target's URL rather than failing after the fact.
func TestSpacesService_Duplicate_OddAnswer(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{``, `null`, `"ok"`, `{"url":7}`, `{"url":null}`} {
		client, mux, serverURL := setup(t)
		mux.HandleFunc("/api/spaces/user/space/duplicate", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, answer)
		})
		got, err := client.Spaces.Duplicate(t.Context(), "user/space", &DuplicateOptions{ToID: "user/copy"})
		if err != nil {
			t.Errorf("Duplicate with answer %q: %v", answer, err)
			continue
		}
		if want := serverURL + "/spaces/user/copy"; got.URL != want || got.RepoID != "user/copy" {
			t.Errorf("Duplicate with answer %q = %+v, want URL %s", answer, got, want)
		}
	}
}
