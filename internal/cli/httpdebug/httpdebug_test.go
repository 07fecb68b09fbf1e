package httpdebug

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedactBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		path string
		body string
		want string
	}{
		{name: "secret add", path: "/api/spaces/demo/app/secrets", body: `{"key":"API_KEY","value":"sk-123","description":"d"}`,
			want: `{"description":"d","key":"API_KEY","value":"[redacted]"}`},
		{name: "variable add keeps value", path: "/api/spaces/demo/app/variables", body: `{"key":"MODEL","value":"gpt2"}`,
			want: `{"key":"MODEL","value":"gpt2"}`},
		{name: "duplicate secrets", path: "/api/spaces/demo/app/duplicate",
			body: `{"repository":"demo/copy","secrets":[{"key":"A","value":"s1"},{"key":"B","value":"s2"}],"variables":[{"key":"V","value":"v"}]}`,
			want: `{"repository":"demo/copy","secrets":[{"key":"A","value":"[redacted]"},{"key":"B","value":"[redacted]"}],"variables":[{"key":"V","value":"v"}]}`},
		{name: "secrets as map", path: "/api/repos/create", body: `{"secrets":{"A":"s1"}}`, want: `{"secrets":{"A":"[redacted]"}}`},
		{name: "token field", path: "/x", body: `{"token":"hf_abc","nested":{"password":"p"}}`, want: `{"nested":{"password":"[redacted]"},"token":"[redacted]"}`},
		{name: "not json", path: "/api/spaces/demo/app/secrets", body: `key=A&value=s1`, want: `[14 bytes, not shown]`},
		{name: "numbers kept exact", path: "/api/spaces/demo/app/sleeptime", body: `{"seconds":-1}`, want: `{"seconds":-1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, RedactBody(tt.path, []byte(tt.body))); diff != "" {
				t.Errorf("RedactBody mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTransportRedactsAndForwards(t *testing.T) {
	t.Parallel()
	var gotBody, gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotAuth = string(b), r.Header.Get("Authorization")
		w.Header().Set("X-Request-Id", "req-1")
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)

	var trace bytes.Buffer
	hc := &http.Client{Transport: &Transport{Out: &trace}}
	req, err := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/api/spaces/demo/app/secrets", strings.NewReader(`{"key":"K","value":"hunter2"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer hf_supersecret")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	if gotBody != `{"key":"K","value":"hunter2"}` || gotAuth != "Bearer hf_supersecret" {
		t.Errorf("server got body %q auth %q: the request must pass unchanged", gotBody, gotAuth)
	}
	out := trace.String()
	for _, leak := range []string{"hunter2", "hf_supersecret"} {
		if strings.Contains(out, leak) {
			t.Errorf("trace leaks %q:\n%s", leak, out)
		}
	}
	for _, want := range []string{"> POST " + srv.URL + "/api/spaces/demo/app/secrets", "> Authorization: Bearer [redacted]", `"value":"[redacted]"`, "< 200 OK", "< X-Request-Id: req-1"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
}
