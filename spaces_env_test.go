package hfhub

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const variablesPath = "/api/spaces/user/tmp_test_space/variables"
const secretsPath = "/api/spaces/user/tmp_test_space/secrets"

func TestSpacesService_GetVariables(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(variablesPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_variables", "GET", variablesPath, 1))
	})
	got, err := client.Spaces.GetVariables(t.Context(), "user/tmp_test_space")
	if err != nil {
		t.Fatalf("GetVariables: %v", err)
	}
	want := map[string]SpaceVariable{
		"foo": {Key: "foo", Value: "456", Description: "updated description",
			UpdatedAt: mustTime(t, "2025-03-07T12:24:19.875Z")},
		"MODEL_REPO_ID": {Key: "MODEL_REPO_ID", Value: "user/repo",
			UpdatedAt: mustTime(t, "2025-03-07T12:24:19.140Z")},
		"MODEL_PAPER": {Key: "MODEL_PAPER", Value: "arXiv", Description: "found it there",
			UpdatedAt: mustTime(t, "2025-03-07T12:24:19.337Z")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GetVariables mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_GetVariables_Empty(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(variablesPath, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_variables", "GET", variablesPath, 0))
	})
	got, err := client.Spaces.GetVariables(t.Context(), "user/tmp_test_space")
	if err != nil {
		t.Fatalf("GetVariables: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("GetVariables = %v, want an empty map", got)
	}
}

func TestSpacesService_AddVariable(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(variablesPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		// No description given: no "description" key at all.
		testJSONBody(t, r, map[string]any{"key": "foo", "value": "123"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_variables", "POST", variablesPath, 0))
	})
	for _, opts := range []*VariableOptions{nil, {}} {
		got, err := client.Spaces.AddVariable(t.Context(), "user/tmp_test_space", "foo", "123", opts)
		if err != nil {
			t.Fatalf("AddVariable: %v", err)
		}
		want := &SpaceVariable{Key: "foo", Value: "123", UpdatedAt: mustTime(t, "2025-03-07T12:24:18.657Z")}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("AddVariable(opts %+v) mismatch (-want +got):\n%s", opts, diff)
		}
	}
}

func TestSpacesService_AddVariable_WithDescription(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(variablesPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{"key": "MODEL_PAPER", "value": "arXiv", "description": "found it there"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_variables", "POST", variablesPath, 2))
	})
	got, err := client.Spaces.AddVariable(t.Context(), "user/tmp_test_space", "MODEL_PAPER", "arXiv",
		&VariableOptions{Description: "found it there"})
	if err != nil {
		t.Fatalf("AddVariable: %v", err)
	}
	want := &SpaceVariable{Key: "MODEL_PAPER", Value: "arXiv", Description: "found it there",
		UpdatedAt: mustTime(t, "2025-03-07T12:24:19.337Z")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AddVariable mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_UpdateVariable(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(variablesPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{"key": "foo", "value": "456", "description": "updated description"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_variables", "POST", variablesPath, 4))
	})
	got, err := client.Spaces.AddVariable(t.Context(), "user/tmp_test_space", "foo", "456",
		&VariableOptions{Description: "updated description"})
	if err != nil {
		t.Fatalf("AddVariable: %v", err)
	}
	want := &SpaceVariable{Key: "foo", Value: "456", Description: "updated description",
		UpdatedAt: mustTime(t, "2025-03-07T12:24:19.875Z")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AddVariable (update) mismatch (-want +got):\n%s", diff)
	}
}

// TestSpacesService_DeleteVariable: DELETE on the collection with a JSON
// body naming the key, not DELETE /variables/{key}.
func TestSpacesService_DeleteVariable(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(variablesPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		testPath(t, r, variablesPath)
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"key": "gh_api_key"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_variables", "DELETE", variablesPath, 0))
	})
	if err := client.Spaces.DeleteVariable(t.Context(), "user/tmp_test_space", "gh_api_key"); err != nil {
		t.Fatalf("DeleteVariable: %v", err)
	}
}

// TestSpacesService_DeleteVariable_Missing: the Hub answers 200 for a key
// it does not have, and so does the library.
func TestSpacesService_DeleteVariable_Missing(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(variablesPath, func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, map[string]any{"key": "missing_key"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_variables", "DELETE", variablesPath, 1))
	})
	if err := client.Spaces.DeleteVariable(t.Context(), "user/tmp_test_space", "missing_key"); err != nil {
		t.Fatalf("DeleteVariable of a missing key: %v", err)
	}
}

func TestSpacesService_GetSecrets(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(secretsPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, nil)
		testNoBody(t, r)
		writeJSON(w, http.StatusOK, `{"foo":{"description":"This is a secret","updatedAt":"2025-03-07T12:23:40.512Z"},
			"token":{"updatedAt":"2025-03-07T12:23:39.101Z"}}`)
	})
	got, err := client.Spaces.GetSecrets(t.Context(), "user/tmp_test_space")
	if err != nil {
		t.Fatalf("GetSecrets: %v", err)
	}
	want := map[string]SpaceSecret{
		"foo":   {Key: "foo", Description: "This is a secret", UpdatedAt: mustTime(t, "2025-03-07T12:23:40.512Z")},
		"token": {Key: "token", UpdatedAt: mustTime(t, "2025-03-07T12:23:39.101Z")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GetSecrets mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_AddSecret(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(secretsPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"key": "token", "value": "hf_api_123456"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_secrets", "POST", secretsPath, 1))
	})
	if err := client.Spaces.AddSecret(t.Context(), "user/tmp_test_space", "token", "hf_api_123456", nil); err != nil {
		t.Fatalf("AddSecret: %v", err)
	}
}

func TestSpacesService_AddSecret_WithDescription(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(secretsPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{"key": "bar", "value": "123", "description": "This is a secret"})
		writeJSON(w, http.StatusOK, `{}`)
	})
	err := client.Spaces.AddSecret(t.Context(), "user/tmp_test_space", "bar", "123", &SecretOptions{Description: "This is a secret"})
	if err != nil {
		t.Fatalf("AddSecret: %v", err)
	}
}

// TestSpacesService_UpdateSecret: updating is adding again under the same key.
func TestSpacesService_UpdateSecret(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(secretsPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testJSONBody(t, r, map[string]any{"key": "foo", "value": "789", "description": "This is a secret"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_secrets", "POST", secretsPath, 5))
	})
	err := client.Spaces.AddSecret(t.Context(), "user/tmp_test_space", "foo", "789", &SecretOptions{Description: "This is a secret"})
	if err != nil {
		t.Fatalf("AddSecret (update): %v", err)
	}
}

func TestSpacesService_DeleteSecret(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(secretsPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "DELETE")
		testPath(t, r, secretsPath)
		testQuery(t, r, nil)
		testJSONBody(t, r, map[string]any{"key": "gh_api_key"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_secrets", "DELETE", secretsPath, 0))
	})
	if err := client.Spaces.DeleteSecret(t.Context(), "user/tmp_test_space", "gh_api_key"); err != nil {
		t.Fatalf("DeleteSecret: %v", err)
	}
}

func TestSpacesService_DeleteSecret_Missing(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc(secretsPath, func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, map[string]any{"key": "missing_key"})
		writeJSON(w, http.StatusOK, recordedAnswer(t, "test_manage_secrets", "DELETE", secretsPath, 1))
	})
	if err := client.Spaces.DeleteSecret(t.Context(), "user/tmp_test_space", "missing_key"); err != nil {
		t.Fatalf("DeleteSecret of a missing key: %v", err)
	}
}

// TestSpacesService_AddSecret_ValueNeverLogged sends a secret with debug
// logging on and a failing answer, and checks that neither the value nor
// the token appear in the logs or the error.
func TestSpacesService_AddSecret_ValueNeverLogged(t *testing.T) {
	t.Parallel()
	const secretValue = "s3cr3t-value-that-must-not-leak"
	logs := newLogRecorder()
	client, mux, _ := setup(t, WithLogger(slogLogger(logs)))
	mux.HandleFunc(secretsPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-HF-Warning", "secrets; this Space will restart")
		writeJSON(w, http.StatusServiceUnavailable, `{"error":"try later"}`)
	})
	err := client.Spaces.AddSecret(t.Context(), "user/tmp_test_space", "API_KEY", secretValue, nil)
	if err == nil {
		t.Fatal("AddSecret succeeded against a failing server")
	}
	lines := logs.Lines()
	if len(lines) == 0 {
		t.Fatal("nothing was logged; the test cannot see what would leak")
	}
	for _, s := range append(lines, err.Error()) {
		if strings.Contains(s, secretValue) || strings.Contains(s, testToken) {
			t.Errorf("leaked the secret value or the token: %s", s)
		}
	}
}

// TestSpacesService_WritesIgnoreEmptyAnswer: the calls that return nothing
// from the answer succeed on any 2xx, an empty 200 or a 204 included (a
// proxy may strip the body); the change was made, so no error may say
// otherwise and tempt a caller to send the secret again.
func TestSpacesService_WritesIgnoreEmptyAnswer(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusOK, http.StatusNoContent} {
		client, mux, _ := setup(t)
		answer := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }
		mux.HandleFunc(secretsPath, answer)
		mux.HandleFunc(variablesPath, answer)
		if err := client.Spaces.AddSecret(t.Context(), "user/tmp_test_space", "K", "v", nil); err != nil {
			t.Errorf("AddSecret on an empty %d: %v", status, err)
		}
		if err := client.Spaces.DeleteSecret(t.Context(), "user/tmp_test_space", "K"); err != nil {
			t.Errorf("DeleteSecret on an empty %d: %v", status, err)
		}
		if err := client.Spaces.DeleteVariable(t.Context(), "user/tmp_test_space", "K"); err != nil {
			t.Errorf("DeleteVariable on an empty %d: %v", status, err)
		}
	}
}

// TestSpacesService_SecretValueNeverEchoed: should the Hub (or a proxy)
// echo a secret's value in an error or a warning, the error and the logs
// get it redacted, for AddSecret and for Duplicate's secrets alike.
func TestSpacesService_SecretValueNeverEchoed(t *testing.T) {
	t.Parallel()
	const secretValue = "s3cr3t-value-that-must-not-leak"
	echo := func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Value   string `json:"value"`
			Secrets []struct {
				Value string `json:"value"`
			} `json:"secrets"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		v := body.Value
		if len(body.Secrets) > 0 {
			v = body.Secrets[0].Value
		}
		w.Header().Set("X-HF-Warning", "secrets; about "+v)
		w.Header().Set("X-Error-Code", "Bad-"+v)
		writeJSON(w, http.StatusServiceUnavailable, `{"error":"cannot store `+v+`"}`)
	}
	logs := newLogRecorder()
	client, mux, _ := setup(t, WithLogger(slogLogger(logs)))
	mux.HandleFunc(secretsPath, echo)
	mux.HandleFunc("/api/spaces/user/tmp_test_space/duplicate", echo)

	var errs []error
	errs = append(errs, client.Spaces.AddSecret(t.Context(), "user/tmp_test_space", "API_KEY", secretValue, nil))
	_, err := client.Spaces.Duplicate(t.Context(), "user/tmp_test_space", &DuplicateOptions{ToID: "user/copy",
		Secrets: []EnvVar{{Key: "API_KEY", Value: secretValue}}})
	errs = append(errs, err)
	for _, err := range errs {
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("error %v is not an *APIError", err)
		}
		if !strings.Contains(apiErr.Message, "cannot store") {
			t.Errorf("Message = %q, want the Hub's message (redacted)", apiErr.Message)
		}
		for _, s := range []string{err.Error(), apiErr.Message, apiErr.Code, fmt.Sprintf("%+v", apiErr)} {
			if strings.Contains(s, secretValue) {
				t.Errorf("the error holds the secret value: %s", s)
			}
		}
	}
	lines := logs.Lines()
	if len(lines) == 0 {
		t.Fatal("nothing was logged")
	}
	for _, l := range lines {
		if strings.Contains(l, secretValue) {
			t.Errorf("log line holds the secret value: %s", l)
		}
	}
}
