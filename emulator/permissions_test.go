package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPermissions walks the Hub's access rules, one row each.
func TestPermissions(t *testing.T) {
	t.Parallel()
	type want struct {
		Status  int
		Code    string // X-Error-Code
		Message string // X-Error-Message, when it matters
	}
	tests := []struct {
		name   string
		method string
		path   string
		token  string
		body   any
		want   want
	}{
		{"bad token on a public read", "GET", "/api/spaces/demo/gradio-app/runtime", "hf_not_a_token", nil,
			want{401, "", msgInvalidCredentials}},
		{"bad token on the catalog", "GET", "/api/spaces/hardware", "hf_not_a_token", nil,
			want{401, "", msgInvalidCredentials}},
		{"bad token on whoami", "GET", "/api/whoami-v2", "hf_not_a_token", nil,
			want{401, "", msgInvalidCredentials}},
		{"bad token on an unknown path", "GET", "/api/nothing-here", "hf_not_a_token", nil,
			want{401, "", msgInvalidCredentials}},
		{"anonymous public read", "GET", "/api/spaces/demo/gradio-app/runtime", "", nil,
			want{200, "", ""}},
		{"anonymous private read", "GET", "/api/spaces/demo/gpu-app/runtime", "", nil,
			want{401, "RepoNotFound", ""}},
		{"anonymous missing Space", "GET", "/api/spaces/demo/nope/runtime", "", nil,
			want{401, "RepoNotFound", ""}},
		{"other user's private Space", "GET", "/api/spaces/other/private-space/runtime", DemoWriteToken, nil,
			want{404, "RepoNotFound", msgRepoNotFound}},
		{"other user's private Space, logs", "GET", "/api/spaces/other/private-space/logs/run", DemoWriteToken, nil,
			want{404, "RepoNotFound", msgRepoNotFound}},
		{"missing Space with a token", "GET", "/api/spaces/demo/nope/runtime", DemoWriteToken, nil,
			want{404, "RepoNotFound", msgRepoNotFound}},
		{"owner reads private", "GET", "/api/spaces/other/private-space/runtime", OtherWriteToken, nil,
			want{200, "", ""}},
		{"read token reads private", "GET", "/api/spaces/demo/gpu-app/runtime", DemoReadToken, nil,
			want{200, "", ""}},
		{"read token mutates", "POST", "/api/spaces/demo/gradio-app/variables", DemoReadToken, map[string]string{"key": "A", "value": "1"},
			want{403, "", ""}},
		{"read token pauses", "POST", "/api/spaces/demo/gradio-app/pause", DemoReadToken, nil,
			want{403, "", ""}},
		{"read token creates", "POST", "/api/repos/create", DemoReadToken, map[string]any{"name": "x", "type": "space", "sdk": "gradio"},
			want{403, "", ""}},
		{"non-owner mutates a public Space", "POST", "/api/spaces/demo/gradio-app/restart", OtherWriteToken, nil,
			want{403, "", ""}},
		{"non-owner lists secrets of a public Space", "GET", "/api/spaces/demo/gradio-app/secrets", OtherWriteToken, nil,
			want{403, "", ""}},
		{"non-owner mutates a private Space", "POST", "/api/spaces/demo/gpu-app/pause", OtherWriteToken, nil,
			want{404, "RepoNotFound", msgRepoNotFound}},
		{"anonymous mutates a public Space", "POST", "/api/spaces/demo/gradio-app/pause", "", nil,
			want{401, "", ""}},
		{"org member mutates an org Space", "POST", "/api/spaces/demo-org/team-space/variables", DemoWriteToken, map[string]string{"key": "A", "value": "1"},
			want{200, "", ""}},
		{"non-member mutates an org Space", "POST", "/api/spaces/demo-org/team-space/variables", OtherWriteToken, map[string]string{"key": "A", "value": "1"},
			want{403, "", ""}},
		{"org member creates in the org", "POST", "/api/repos/create", DemoWriteToken, map[string]any{"name": "new", "organization": "demo-org", "type": "space", "sdk": "gradio"},
			want{200, "", ""}},
		{"non-member creates in the org", "POST", "/api/repos/create", OtherWriteToken, map[string]any{"name": "new", "organization": "demo-org", "type": "space", "sdk": "gradio"},
			want{403, "", ""}},
		{"non-owner deletes", "DELETE", "/api/repos/delete", OtherWriteToken, map[string]any{"name": "gradio-app", "organization": "demo", "type": "space"},
			want{403, "", ""}},
		{"whoami without a token", "GET", "/api/whoami-v2", "", nil,
			want{401, "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHub(t, Config{Seed: "demo"})
			r := h.do(tt.method, tt.path, tt.token, tt.body)
			got := want{Status: r.status, Code: r.header.Get("X-Error-Code")}
			if tt.want.Message != "" {
				got.Message = r.header.Get("X-Error-Message")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s\nbody: %s", tt.method, tt.path, diff, r.body)
			}
			if r.header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
			if r.status >= 400 {
				msg, _ := field(r.json(t), "error").(string)
				if msg == "" || msg != r.header.Get("X-Error-Message") {
					t.Errorf("error body %s does not carry X-Error-Message %q", r.body, r.header.Get("X-Error-Message"))
				}
			}
		})
	}
}

// TestSecretValuesNeverReturned stores secrets through every way in and
// checks that no answer of any reading endpoint carries a value.
func TestSecretValuesNeverReturned(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	const value = "s3cr3t-value-xyz"
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/secrets", DemoWriteToken, map[string]string{"key": "TOKEN", "value": value, "description": "d"}), 200)
	mustStatus(t, h.do("POST", "/api/repos/create", DemoWriteToken, map[string]any{
		"name": "with-secrets", "type": "space", "sdk": "docker",
		"secrets": []map[string]string{{"key": "S", "value": value}},
	}), 200)
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/duplicate", DemoWriteToken, map[string]any{
		"repository": "demo/dup", "secrets": []map[string]string{{"key": "S", "value": value}},
	}), 200)
	if got, ok := h.e.SecretValue("demo/gradio-app", "TOKEN"); !ok || got != value {
		t.Fatalf("stored secret = %q, %v", got, ok)
	}
	for _, id := range []string{"demo/gradio-app", "demo/with-secrets", "demo/dup"} {
		for _, p := range []string{"", "/runtime", "/secrets", "/variables", "/revision/main"} {
			r := h.do("GET", "/api/spaces/"+id+p, DemoWriteToken, nil)
			if strings.Contains(string(r.body), value) {
				t.Errorf("GET %s%s returns the secret value: %s", id, p, r.body)
			}
		}
	}
	r := h.do("GET", "/api/spaces?full=true&author=demo", DemoWriteToken, nil)
	if strings.Contains(string(r.body), value) {
		t.Errorf("list returns the secret value")
	}
	got := h.do("GET", "/api/spaces/demo/gradio-app/secrets", DemoWriteToken, nil).json(t)
	if diff := cmp.Diff(map[string]any{"description": "d", "updatedAt": "2025-03-07T12:00:00.000Z"}, field(got, "TOKEN")); diff != "" {
		t.Errorf("secret entry (-want +got):\n%s", diff)
	}
	if r := h.do("GET", "/api/spaces/demo/gradio-app/secrets", DemoReadToken, nil); r.status != http.StatusOK {
		t.Errorf("owner with a read token lists secrets: %d", r.status)
	}
}

// TestUnknownRoutes: paths and methods the Hub does not serve are JSON 404s.
func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	for _, req := range [][2]string{{"GET", "/api/nothing"}, {"PUT", "/api/spaces/demo/gradio-app/runtime"}, {"PATCH", "/api/repos/create"}} {
		r := h.do(req[0], req[1], DemoWriteToken, nil)
		if r.status != http.StatusNotFound || field(r.json(t), "error") == nil || r.header.Get("X-Request-Id") == "" {
			t.Errorf("%s %s: %d %s", req[0], req[1], r.status, r.body)
		}
	}
}
