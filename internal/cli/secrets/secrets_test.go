package secrets

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdAddParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdAdd, []clitest.ParseCase[AddOptions]{
		{Name: "pairs", Args: []string{"add", "demo/app", "-s", "A=1", "--secret", "B"},
			Want: AddOptions{Space: "demo/app", Pairs: []string{"A=1", "B"}}},
		{Name: "file and description", Args: []string{"set", "demo/app", "--secrets-file", ".env", "--description", "keys", "--json"},
			Want: AddOptions{Space: "demo/app", Files: []string{".env"}, Description: new("keys"), JSON: true}},
		{Name: "empty description clears", Args: []string{"add", "demo/app", "-s", "A=1", "--description", ""},
			Want: AddOptions{Space: "demo/app", Pairs: []string{"A=1"}, Description: new("")}},
		{Name: "nothing to add", Args: []string{"add", "demo/app"}, WantCode: 1, WantErr: "no secrets given"},
		{Name: "missing space", Args: []string{"add", "-s", "A=1"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

func TestNewCmdDeleteParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdDelete, []clitest.ParseCase[DeleteOptions]{
		{Name: "one", Args: []string{"delete", "demo/app", "A"}, Want: DeleteOptions{Space: "demo/app", Keys: []string{"A"}}},
		{Name: "many with yes", Args: []string{"rm", "demo/app", "A", "B", "-y"}, Want: DeleteOptions{Space: "demo/app", Keys: []string{"A", "B"}, Yes: true}},
		{Name: "no key", Args: []string{"delete", "demo/app"}, WantCode: 1, WantErr: "at least one KEY"},
	})
}

func TestNewCmdListParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdList, []clitest.ParseCase[ListOptions]{
		{Name: "ls", Args: []string{"ls", "demo/app"}, Want: ListOptions{Space: "demo/app"}},
		{Name: "list json", Args: []string{"list", "demo/app", "--json"}, Want: ListOptions{Space: "demo/app", JSON: true}},
		{Name: "missing space", Args: []string{"ls"}, WantCode: 1, WantErr: "missing the Space id"},
	})
}

const secretValue = "s3cr3t-v4lue-never-shown"

// secretIs checks what the emulator stored, the only place a value may be.
func secretIs(key, want string) func(*testing.T, *clitest.Env, clitest.Result) {
	return func(t *testing.T, e *clitest.Env, r clitest.Result) {
		t.Helper()
		got, ok := e.Server.Emulator.SecretValue("demo/gradio-app", key)
		if want == "" {
			if ok {
				t.Errorf("secret %s still set", key)
			}
		} else if !ok || got != want {
			t.Errorf("secret %s = %q (set %v), want %q", key, got, ok, want)
		}
		for _, s := range []string{r.Out, r.ErrOut} {
			if strings.Contains(s, secretValue) || strings.Contains(s, "demo-secret-value") {
				t.Errorf("output leaks a secret value:\n%s", s)
			}
		}
	}
}

func TestSecretsRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdSecrets(f) }
	dir := t.TempDir()
	envFile := filepath.Join(dir, "secrets.env")
	if err := os.WriteFile(envFile, []byte("# keys\nexport FROM_FILE=\""+secretValue+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badFile := filepath.Join(dir, "bad.env")
	if err := os.WriteFile(badFile, []byte("OK=1\n"+secretValue+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "ls, terminal", TTY: true, Args: []string{"secrets", "ls", "demo/gradio-app"},
			WantOut: "KEY         DESCRIPTION  UPDATED\nHF_API_KEY               just now\n"},
		{Name: "ls, piped", Args: []string{"secrets", "ls", "demo/gradio-app"},
			WantOut: "HF_API_KEY\t\t2025-03-07T12:00:00Z\n"},
		{Name: "ls, json has no value", Args: []string{"secrets", "ls", "demo/gradio-app", "--json"},
			WantOut: "[\n  {\n    \"key\": \"HF_API_KEY\",\n    \"description\": \"\",\n    \"updated_at\": \"2025-03-07T12:00:00Z\"\n  }\n]\n"},
		{Name: "ls, none", TTY: true, Args: []string{"secrets", "ls", "demo/gpu-app"},
			WantOut: "demo/gpu-app has no secrets. Add one with `hfspaces secrets add demo/gpu-app -s KEY`.\n"},
		{Name: "add from the command line", TTY: true, Args: []string{"secrets", "add", "demo/gradio-app", "-s", "API=" + secretValue, "--description", "the API key"},
			WantOut: "✓ Set secret API on demo/gradio-app\n", Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				secretIs("API", secretValue)(t, e, r)
				c, _ := e.Factory.Client()
				m, err := c.Spaces.GetSecrets(t.Context(), "demo/gradio-app")
				if err != nil {
					t.Fatal(err)
				}
				if m["API"].Description != "the API key" {
					t.Errorf("description = %q", m["API"].Description)
				}
			}},
		{Name: "add from the environment", Opts: clitest.Options{Env: map[string]string{"TOKEN_X": secretValue}},
			Args: []string{"secrets", "add", "demo/gradio-app", "-s", "TOKEN_X"}, Check: secretIs("TOKEN_X", secretValue)},
		{Name: "add from a hidden prompt on a terminal", TTY: true, Passwords: map[string]string{"PROMPTED": secretValue},
			Args: []string{"secrets", "add", "demo/gradio-app", "-s", "PROMPTED"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				secretIs("PROMPTED", secretValue)(t, e, r)
				clitest.WantAsked(t, e, "Value of secret PROMPTED (hidden):")
			}},
		{Name: "key without value off a terminal", Args: []string{"secrets", "add", "demo/gradio-app", "-s", "MISSING"}, WantCode: 1,
			WantErrOut: "error: -s MISSING: no value given and MISSING is not set in the environment; use -s MISSING=VALUE, export MISSING, or a file\n" +
				"Run `hfspaces secrets add --help` for usage.\n", Check: secretIs("MISSING", "")},
		{Name: "a value without KEY= is never echoed", Args: []string{"secrets", "add", "demo/gradio-app", "-s", secretValue}, WantCode: 1,
			WantErrOut: "error: -s: the 1st -s is not KEY=VALUE (not shown: it may be a secret value); give KEY=VALUE, or a KEY alone to read $KEY\n" +
				"Run `hfspaces secrets add --help` for usage.\n"},
		{Name: "a missing secrets file is missing, not the Hub", Args: []string{"secrets", "add", "demo/gradio-app", "--secrets-file", "no-such.env"}, WantCode: 1,
			WantErrOut: "error: the secret file no-such.env does not exist\n"},
		{Name: "add from a file", Args: []string{"secrets", "add", "demo/gradio-app", "--secrets-file", envFile}, Check: secretIs("FROM_FILE", secretValue)},
		{Name: "add from stdin", Stdin: "PIPED=" + secretValue + "\n", Args: []string{"secrets", "add", "demo/gradio-app", "--secrets-file", "-"}, Check: secretIs("PIPED", secretValue)},
		{Name: "malformed file names file and line, not the value", Args: []string{"secrets", "add", "demo/gradio-app", "--secrets-file", badFile}, WantCode: 1,
			WantErrOut: "error: " + badFile + ":2: expected KEY=VALUE\n", Check: secretIs("OK", "")},
		{Name: "update keeps the description", Setup: func(t *testing.T, e *clitest.Env) {
			c, _ := e.Factory.Client()
			if err := c.Spaces.AddSecret(t.Context(), "demo/gradio-app", "KEPT", "old", &hfhub.SecretOptions{Description: "kept description"}); err != nil {
				t.Fatal(err)
			}
		}, Args: []string{"secrets", "add", "demo/gradio-app", "-s", "KEPT=" + secretValue}, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			secretIs("KEPT", secretValue)(t, e, r)
			c, _ := e.Factory.Client()
			m, err := c.Spaces.GetSecrets(t.Context(), "demo/gradio-app")
			if err != nil {
				t.Fatal(err)
			}
			if m["KEPT"].Description != "kept description" {
				t.Errorf("description = %q", m["KEPT"].Description)
			}
		}},
		{Name: "update", Args: []string{"secrets", "add", "demo/gradio-app", "-s", "HF_API_KEY=" + secretValue}, Check: secretIs("HF_API_KEY", secretValue)},
		{Name: "add, json lists keys only", Args: []string{"secrets", "add", "demo/gradio-app", "-s", "NEW=" + secretValue, "--json"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				secretIs("NEW", secretValue)(t, e, r)
				if !strings.Contains(r.Out, `"key": "NEW"`) || strings.Contains(r.Out, `"value"`) {
					t.Errorf("json output:\n%s", r.Out)
				}
			}},
		{Name: "debug trace redacts the value and the token", Args: []string{"secrets", "add", "demo/gradio-app", "-s", "DBG=" + secretValue, "--debug"}, AnyErrOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				secretIs("DBG", secretValue)(t, e, r)
				if strings.Contains(r.ErrOut, "hf_demo_write") {
					t.Errorf("trace leaks the token:\n%s", r.ErrOut)
				}
				if !strings.Contains(r.ErrOut, `"value":"[redacted]"`) || !strings.Contains(r.ErrOut, "Authorization: Bearer [redacted]") {
					t.Errorf("trace lacks redacted request:\n%s", r.ErrOut)
				}
			}},
		{Name: "read token", Opts: clitest.Options{Token: "hf_demo_read"}, Args: []string{"secrets", "add", "demo/gradio-app", "-s", "X=" + secretValue}, WantCode: 4, AnyErrOut: true,
			Check: secretIs("X", "")},
		{Name: "delete confirmed", TTY: true, Confirm: true, Args: []string{"secrets", "delete", "demo/gradio-app", "HF_API_KEY"},
			WantOut: "✓ Deleted secret HF_API_KEY from demo/gradio-app\n", Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				secretIs("HF_API_KEY", "")(t, e, r)
				clitest.WantAsked(t, e, "This will delete the secret HF_API_KEY from demo/gradio-app. Continue?")
			}},
		{Name: "delete declined", TTY: true, Args: []string{"secrets", "delete", "demo/gradio-app", "HF_API_KEY"}, WantCode: 2, WantErrOut: "Cancelled.\n",
			Check: secretIs("HF_API_KEY", "demo-secret-value")},
		{Name: "delete off a terminal needs --yes", Args: []string{"secrets", "delete", "demo/gradio-app", "HF_API_KEY"}, WantCode: 1, AnyErrOut: true,
			Check: secretIs("HF_API_KEY", "demo-secret-value")},
		{Name: "delete several with --yes, json", Args: []string{"secrets", "delete", "demo/gradio-app", "HF_API_KEY", "NOT_THERE", "--yes", "--json"},
			WantOut: "[]\n", Check: secretIs("HF_API_KEY", "")},
	})
}

// TestDebugNeverShowsTheSecret: with --debug, a secret value shows in no
// output, not even when the Hub echoes it back in a header or an error, and
// the token shows nowhere either.
func TestDebugNeverShowsTheSecret(t *testing.T) {
	t.Parallel()
	for _, echo := range []bool{false, true} {
		t.Run(fmt.Sprintf("echo=%v", echo), func(t *testing.T) {
			t.Parallel()
			e := clitest.New(t, clitest.Options{Transport: func(e *clitest.Env, base http.RoundTripper) http.RoundTripper {
				return roundTrip(func(r *http.Request) (*http.Response, error) {
					resp, err := base.RoundTrip(r)
					if err != nil || !echo || r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/secrets") {
						return resp, err
					}
					resp.Body.Close()
					// A Hub (or a proxy) that repeats what it was sent.
					h := http.Header{}
					h.Set("Content-Type", "application/json")
					h.Set("X-Error-Message", "bad value "+secretValue+" for token "+emulator.DemoWriteToken)
					h.Set("X-Hf-Warning", "saw "+secretValue)
					body := `{"error":"bad value ` + secretValue + `"}`
					return &http.Response{StatusCode: 400, Status: "400 Bad Request", Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
				})
			}})
			e.SetTTY(true)
			r := e.Run(NewCmdSecrets(e.Factory), "secrets", "add", "demo/gradio-app", "-s", "API="+secretValue, "--debug")
			all := r.Out + r.ErrOut
			if echo && r.Code != 1 || !echo && r.Code != 0 {
				t.Fatalf("exit code %d\n%s", r.Code, all)
			}
			for _, leak := range []string{secretValue, emulator.DemoWriteToken} {
				if strings.Contains(all, leak) {
					t.Errorf("output shows %q:\n%s", leak, all)
				}
			}
			if !strings.Contains(r.ErrOut, "> Authorization: Bearer [redacted]") {
				t.Errorf("trace does not show the redacted Authorization header:\n%s", r.ErrOut)
			}
			if !strings.Contains(r.ErrOut, `"value":"[redacted]"`) {
				t.Errorf("trace does not show the redacted body:\n%s", r.ErrOut)
			}
		})
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
