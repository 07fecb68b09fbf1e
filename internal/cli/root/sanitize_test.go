package root

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
)

// hostile is text a Hub (or whoever wrote a variable) could send: a window
// title change, a screen clear, a C1 control sequence introducer, a bell.
const hostile = "\x1b]0;pwned\x07\x1b[2J\u009b31mred"

// TestServerTextIsInert: what the Hub says reaches the terminal (or the
// pipe) with its control characters neutralised; --json keeps it exact.
func TestServerTextIsInert(t *testing.T) {
	t.Parallel()
	hostileError := func(e *clitest.Env, base http.RoundTripper) http.RoundTripper {
		return roundTrip(func(r *http.Request) (*http.Response, error) {
			if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/pause") {
				return base.RoundTrip(r)
			}
			h := http.Header{"Content-Type": {"application/json"}, "X-Error-Message": {"no " + hostile}}
			return &http.Response{StatusCode: 400, Status: "400 Bad Request", Header: h, Request: r,
				Body: io.NopCloser(strings.NewReader(`{"error":"no ` + strings.ReplaceAll(hostile, "\x1b", `\u001b`) + `"}`))}, nil
		})
	}
	tests := []struct {
		name string
		args []string
		opts clitest.Options
	}{
		{name: "variables ls", args: []string{"variables", "ls", "demo/gradio-app"}},
		{name: "secrets ls", args: []string{"secrets", "ls", "demo/gradio-app"}},
		{name: "runtime error message", args: []string{"runtime", "demo/gradio-app"}},
		{name: "wait settles in an error", args: []string{"wait", "demo/gradio-app"}},
		{name: "error message", args: []string{"pause", "demo/gradio-app", "--debug"}, opts: clitest.Options{Transport: hostileError}},
		{name: "logs", args: []string{"logs", "demo/gradio-app"}},
		{name: "build logs", args: []string{"logs", "demo/gradio-app", "--build"}},
	}
	for _, tt := range tests {
		for _, tty := range []bool{false, true} {
			name := tt.name + map[bool]string{false: " piped", true: " on a terminal"}[tty]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				e := clitest.New(t, tt.opts)
				seedHostile(t, e)
				e.SetTTY(tty)
				Run(t.Context(), e.Factory, tt.args)
				for stream, s := range map[string]string{"stdout": e.Out.String(), "stderr": e.Err.String()} {
					if strings.ContainsAny(s, "\x1b\x07\u009b") {
						t.Errorf("%s carries a control character:\n%q", stream, s)
					}
				}
				if !strings.Contains(e.Out.String()+e.Err.String(), "^[]0;pwned^G") {
					t.Errorf("the hostile text is not shown inert:\nstdout %q\nstderr %q", e.Out, e.Err)
				}
			})
		}
	}

	t.Run("json keeps the exact value", func(t *testing.T) {
		t.Parallel()
		e := clitest.New(t, clitest.Options{})
		seedHostile(t, e)
		if code := Run(t.Context(), e.Factory, []string{"variables", "ls", "demo/gradio-app", "--json"}); code != 0 {
			t.Fatalf("exit %d: %s", code, e.Err)
		}
		var got []struct{ Key, Value, Description string }
		if err := json.Unmarshal(e.Out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		for _, v := range got {
			if v.Key == "HOSTILE" && v.Value == hostile && v.Description == hostile {
				return
			}
		}
		t.Errorf("--json lost the exact value: %s", e.Out)
	})
}

func seedHostile(t *testing.T, e *clitest.Env) {
	t.Helper()
	c, err := e.Factory.Client()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Spaces.AddVariable(t.Context(), "demo/gradio-app", "HOSTILE", hostile, &hfhub.VariableOptions{Description: hostile}); err != nil {
		t.Fatal(err)
	}
	if err := c.Spaces.AddSecret(t.Context(), "demo/gradio-app", "HOSTILE", "v", &hfhub.SecretOptions{Description: hostile}); err != nil {
		t.Fatal(err)
	}
	e.Server.Emulator.AppendLog("demo/gradio-app", false, "app says "+hostile)
	e.Server.Emulator.AppendLog("demo/gradio-app", true, "build says "+hostile)
	if err := e.Server.Emulator.SetBuildFailure("demo/gradio-app", hostile); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Spaces.Restart(t.Context(), "demo/gradio-app", nil); err != nil {
		t.Fatal(err)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestPlanShowsServerValuesInert: a variable's value from the Hub, shown as
// the old side of a change, reaches the terminal inert.
func TestPlanShowsServerValuesInert(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	seedHostile(t, e)
	e.SetTTY(true)
	file := filepath.Join(t.TempDir(), "spaces.yaml")
	if err := os.WriteFile(file, []byte("version: 1\nspaces:\n  demo/gradio-app:\n    variables:\n      HOSTILE: calm\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	Run(t.Context(), e.Factory, []string{"plan", "-f", file})
	out := e.Out.String() + e.Err.String()
	if !strings.Contains(out, "^[]0;pwned^G") {
		t.Errorf("plan does not show the old value inert:\n%q", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "pwned") && strings.ContainsAny(l, "\x07\u009b") {
			t.Errorf("a raw control character in %q", l)
		}
	}
}
