package whoami

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
)

func TestNewCmdWhoamiParsing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantJSON bool
		wantCode int
	}{
		{name: "plain", args: []string{"whoami"}},
		{name: "json", args: []string{"whoami", "--json"}, wantJSON: true},
		{name: "extra argument", args: []string{"whoami", "demo"}, wantCode: 1},
		{name: "unknown flag", args: []string{"whoami", "--nope"}, wantCode: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := clitest.NewOffline(t, nil)
			var got *WhoamiOptions
			res := env.Run(NewCmdWhoami(env.Factory, clitest.Capture(&got)), tt.args...)
			if res.Code != tt.wantCode {
				t.Fatalf("exit code %d, want %d (stderr %q)", res.Code, tt.wantCode, res.ErrOut)
			}
			if tt.wantCode != 0 {
				return
			}
			if got.JSON != tt.wantJSON {
				t.Errorf("JSON = %v, want %v", got.JSON, tt.wantJSON)
			}
		})
	}
}

func TestWhoamiRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		opts       clitest.Options
		tty        bool
		args       []string
		wantCode   int
		wantOut    string
		wantErrOut string
	}{
		{name: "terminal", tty: true, args: []string{"whoami"},
			wantOut: "✓ Logged in to {{URL}} as demo\n  Account:        user\n  Organizations:  demo-org\n  Token role:     write (demo-write)\n"},
		{name: "piped", args: []string{"whoami"},
			wantOut: "name\tdemo\ntype\tuser\norgs\tdemo-org\ntoken_role\twrite\nendpoint\t{{URL}}\n"},
		{name: "json", args: []string{"whoami", "--json"},
			wantOut: `{
  "name": "demo",
  "fullname": "Demo",
  "type": "user",
  "orgs": [
    "demo-org"
  ],
  "token_name": "demo-write",
  "token_role": "write",
  "endpoint": "{{URL}}"
}
`},
		{name: "bad token", opts: clitest.Options{Token: "hf_wrong"}, args: []string{"whoami"}, wantCode: 4,
			wantErrOut: "error: The Hub rejected the token (401: invalid credentials).\nPass a valid token with --token or HF_TOKEN, or run `hf auth login`.\n"},
		{name: "bad token flag", args: []string{"whoami", "--token", "hf_wrong_flag"}, wantCode: 4,
			wantErrOut: "error: The Hub rejected the token (401: invalid credentials).\nPass a valid token with --token or HF_TOKEN, or run `hf auth login`.\n"},
		{name: "no token", opts: clitest.Options{NoToken: true}, args: []string{"whoami"}, wantCode: 4,
			wantErrOut: "error: not logged in: no token.\nPass one with --token or HF_TOKEN, or run `hf auth login`\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := clitest.New(t, tt.opts)
			env.SetTTY(tt.tty)
			res := env.Run(NewCmdWhoami(env.Factory, nil), tt.args...)
			if res.Code != tt.wantCode {
				t.Fatalf("exit code %d, want %d (stderr %q)", res.Code, tt.wantCode, res.ErrOut)
			}
			if diff := cmp.Diff(clitest.Expand(tt.wantOut, env), res.Out); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrOut, res.ErrOut); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
