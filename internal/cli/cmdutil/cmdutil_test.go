package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"plain", errors.New("boom"), 1},
		{"usage", FlagErrorf("bad flag"), 1},
		{"cancel", ErrCancel, 2},
		{"context cancelled", fmt.Errorf("x: %w", context.Canceled), 2},
		{"unauthorized", &hfhub.APIError{StatusCode: 401, Message: "Invalid credentials in Authorization header"}, 4},
		{"forbidden", &hfhub.APIError{StatusCode: 403}, 4},
		{"not found", &hfhub.APIError{StatusCode: 404}, 1},
		{"explicit", &ExitError{Code: 8, Err: errors.New("timed out")}, 8},
		{"hinted auth", WithHint(&hfhub.APIError{StatusCode: 403}, "hint"), 4},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("%s: ExitCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestReportErrorColour: the "error:" label is red only when standard
// error is a colour terminal, whatever standard output is: not in
// `hfspaces … 2>err.log`, yet in `hfspaces … | jq`.
func TestReportErrorColour(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name                 string
		outColour, errColour bool
		want                 string
	}{
		{"stderr to a file", true, false, "error: boom\n"},
		{"stdout piped, stderr a terminal", false, true, "\x1b[31merror:\x1b[0m boom\n"},
	} {
		ios, _, _, errOut := iostreams.Test()
		ios.SetColorEnabled(tt.outColour)
		ios.SetStderrColorEnabled(tt.errColour)
		if code := ReportError(ios, nil, errors.New("boom")); code != ExitFailure {
			t.Errorf("%s: exit %d", tt.name, code)
		}
		if got := errOut.String(); got != tt.want {
			t.Errorf("%s: stderr %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestReportInterrupted: on a terminal, "Interrupted." replaces the "^C"
// the terminal echoed rather than following it on the same line.
func TestReportInterrupted(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		ios, _, _, errOut := iostreams.Test()
		ios.SetStderrTTY(tty)
		if code := ReportError(ios, nil, fmt.Errorf("waiting: %w", context.Canceled)); code != ExitCancel {
			t.Errorf("tty=%v: exit %d, want 2", tty, code)
		}
		want := "Interrupted.\n"
		if tty {
			want = "\r\x1b[KInterrupted.\n"
		}
		if got := errOut.String(); got != want {
			t.Errorf("tty=%v: stderr %q, want %q", tty, got, want)
		}
	}
}

func TestDescribeError(t *testing.T) {
	t.Parallel()
	const base = "http://127.0.0.1:9/api/spaces/demo/x"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"not found", &hfhub.APIError{StatusCode: 404, Code: "RepoNotFound", Method: "GET", URL: base + "/runtime"},
			"Space demo/x not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`."},
		{"private without token", &hfhub.APIError{StatusCode: 401, Code: "RepoNotFound", Method: "GET", URL: base + "/runtime"},
			"Space demo/x was not found, or this needs a token and the request had none.\nPass a token with --token or HF_TOKEN, or run `hf auth login`."},
		// The Hub answers the same to the secrets of a public Space: the
		// Space exists, listing its secrets needs a token.
		{"secrets without token", &hfhub.APIError{StatusCode: 401, Code: "RepoNotFound", Method: "GET", URL: base + "/secrets"},
			"Space demo/x was not found, or this needs a token and the request had none.\nPass a token with --token or HF_TOKEN, or run `hf auth login`."},
		{"bad token", &hfhub.APIError{StatusCode: 401, Message: "Invalid credentials in Authorization header", URL: "http://127.0.0.1:9/api/whoami-v2"},
			"The Hub rejected the token (401: invalid credentials).\nPass a valid token with --token or HF_TOKEN, or run `hf auth login`."},
		{"no token", &hfhub.APIError{StatusCode: 401, URL: "http://127.0.0.1:9/api/whoami-v2"},
			"This needs a token (401 Unauthorized).\nPass one with --token or HF_TOKEN, or run `hf auth login`."},
		{"forbidden", &hfhub.APIError{StatusCode: 403, Message: "You don't have the rights", Method: "POST", URL: base + "/pause"},
			"Permission denied on Space demo/x (403 Forbidden): You don't have the rights.\nChanges need a write token of the owner or of a member of its organization; check with `hfspaces whoami`."},
		{"bad hardware with hint", WithHint(&hfhub.APIError{StatusCode: 400, Message: "Invalid hardware flavor t4-smal.", Method: "POST", URL: base + "/hardware"}, "Did you mean t4-small?"),
			"The Hub refused the hardware request for demo/x (400 Bad Request): Invalid hardware flavor t4-smal.\nDid you mean t4-small?"},
		{"no storage", &hfhub.APIError{StatusCode: 400, Message: "No storage", Method: "DELETE", URL: base + "/storage"},
			"The Hub refused deleting the storage of demo/x (400 Bad Request): No storage."},
		{"conflict", &hfhub.APIError{StatusCode: 409, Message: "demo/y already exists", URL: base + "/duplicate"},
			"Conflict (409): demo/y already exists."},
		{"rate limited", &hfhub.APIError{StatusCode: 429, RetryAfter: 30 * time.Second},
			"The Hub is rate limiting these requests (429 Too Many Requests).\nTry again in 30s."},
		{"server", &hfhub.APIError{StatusCode: 502, RequestID: "r-1"},
			"The Hub failed (502 Bad Gateway); try again later.\nRequest id for Hugging Face support: r-1"},
		{"refused", fmt.Errorf("hfhub: GetRuntime: %w", &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}),
			"could not connect to the Hub (unknown address): connection refused.\nCheck --endpoint or HF_ENDPOINT, or start one with `hfspaces emulator`."},
		{"library prefix", fmt.Errorf("hfhub: %w: %q", hfhub.ErrInvalidRepoID, "bad..id"), `invalid repo id: "bad..id"`},
		// A syscall.Errno looks like a net.Error (Timeout, Temporary), but
		// a missing file is not the network's fault.
		{"missing file", fmt.Errorf("could not read the variable file /tmp/x.env: %w", &os.PathError{Op: "open", Path: "/tmp/x.env", Err: syscall.ENOENT}),
			"could not read the variable file /tmp/x.env: open /tmp/x.env: no such file or directory"},
		{"bare errno", fmt.Errorf("could not read the secret file s.env: %w", syscall.EACCES),
			"could not read the secret file s.env: permission denied"},
		{"outcome unknown, not to try again", fmt.Errorf("hfhub: Restart: POST %s/restart: %w: %w", base, hfhub.ErrOutcomeUnknown, io.ErrUnexpectedEOF),
			"The request may or may not have reached the Hub: the connection broke after it was sent, so it was not sent again (Restart: POST " + base + "/restart: outcome unknown: unexpected EOF).\nCheck the Space's state before running it again."},
		{"outcome unknown, how to check", OutcomeUnknown(fmt.Errorf("hfhub: Duplicate: POST %s/duplicate: %w: %w", base, hfhub.ErrOutcomeUnknown, syscall.ECONNRESET), "hfspaces info demo/copy"),
			"The request may or may not have reached the Hub: the connection broke after it was sent, so it was not sent again (Duplicate: POST " + base + "/duplicate: outcome unknown: connection reset by peer).\nCheck with `hfspaces info demo/copy` before running it again."},
		{"connection closed", fmt.Errorf("hfhub: Logs: GET %s/logs/run: %w", base, io.EOF),
			"The Hub closed the connection without an answer (Logs: GET " + base + "/logs/run).\nTry again; --debug shows the requests."},
		{"end of input is not the Hub's", fmt.Errorf("reading the answer: %w", io.EOF), "reading the answer: EOF"},
		{"timeout", fmt.Errorf("hfhub: GetRuntime: GET %s/runtime: %w", base, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}),
			"could not reach the Hub: GetRuntime: GET " + base + "/runtime: read tcp: i/o timeout.\nCheck your network connection, --endpoint or HF_ENDPOINT."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, DescribeError(tt.err)); diff != "" {
				t.Errorf("DescribeError mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEnvSpecCollect(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "app.env")
	if err := os.WriteFile(file, []byte("export A=from-file\nB='b file'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.env")
	if err := os.WriteFile(bad, []byte("OK=1\nnot a pair\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"FROM_ENV": "env-value"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	tests := []struct {
		name    string
		spec    EnvSpec
		want    []hfhub.EnvVar
		wantErr string
	}{
		{name: "pairs", spec: EnvSpec{Pairs: []string{"A=1", "B=x=y", "C="}},
			want: []hfhub.EnvVar{{Key: "A", Value: "1"}, {Key: "B", Value: "x=y"}, {Key: "C", Value: ""}}},
		{name: "key from environment", spec: EnvSpec{Pairs: []string{"FROM_ENV"}, LookupEnv: lookup},
			want: []hfhub.EnvVar{{Key: "FROM_ENV", Value: "env-value"}}},
		{name: "key from prompt", spec: EnvSpec{Pairs: []string{"ASKED"}, LookupEnv: lookup, Ask: func(k string) (string, error) { return "typed-" + k, nil }},
			want: []hfhub.EnvVar{{Key: "ASKED", Value: "typed-ASKED"}}},
		{name: "file then flag overrides", spec: EnvSpec{Files: []string{file}, Pairs: []string{"A=flag", "D=4"}},
			want: []hfhub.EnvVar{{Key: "A", Value: "flag"}, {Key: "B", Value: "b file"}, {Key: "D", Value: "4"}}},
		{name: "key missing everywhere", spec: EnvSpec{Kind: "secret", Flag: "-s", Pairs: []string{"NOPE"}, LookupEnv: lookup},
			wantErr: "-s NOPE: no value given and NOPE is not set in the environment; use -s NOPE=VALUE, export NOPE, or a file"},
		{name: "invalid key", spec: EnvSpec{Kind: "variable", Flag: "-e", Pairs: []string{"1X=secretvalue"}},
			wantErr: `-e: invalid variable name "1X": use letters, digits and underscores, not starting with a digit`},
		{name: "malformed file", spec: EnvSpec{Kind: "secret", Flag: "-s", Files: []string{bad}},
			wantErr: bad + ":2: expected KEY=VALUE"},
		{name: "missing file", spec: EnvSpec{Kind: "variable", Flag: "-e", Files: []string{filepath.Join(dir, "nope.env")}},
			wantErr: "the variable file " + filepath.Join(dir, "nope.env") + " does not exist"},
		{name: "secret value without KEY=", spec: EnvSpec{Kind: "secret", Flag: "-s", Pairs: []string{"A=1", "sk-secretvalue"}, LookupEnv: lookup},
			wantErr: "-s: the 2nd -s is not KEY=VALUE (not shown: it may be a secret value); give KEY=VALUE, or a KEY alone to read $KEY"},
		{name: "secret value that looks like a key", spec: EnvSpec{Kind: "secret", Flag: "-s", Pairs: []string{"secretvalue"}, LookupEnv: lookup,
			Ask: func(string) (string, error) {
				t.Error("asked for a value named by what may be a secret value")
				return "", nil
			}},
			wantErr: "-s: the 1st -s has no '=' and names no environment variable (not shown: it may be a secret value); give KEY=VALUE, or export KEY and give KEY alone"},
		{name: "lower-case key from environment", spec: EnvSpec{Kind: "secret", Flag: "-s", Pairs: []string{"secretvalue"}, LookupEnv: func(k string) (string, bool) { return "v", k == "secretvalue" }},
			want: []hfhub.EnvVar{{Key: "secretvalue", Value: "v"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.spec.Collect()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secretvalue") {
					t.Errorf("error leaks a value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Collect mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseVolume(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    hfhub.Volume
		wantErr bool
	}{
		{in: "model:demo/bert:/models", want: hfhub.Volume{Type: "model", Source: "demo/bert", MountPath: "/models"}},
		{in: "dataset:demo/data:/data:ro", want: hfhub.Volume{Type: "dataset", Source: "demo/data", MountPath: "/data", ReadOnly: new(true)}},
		{in: "bucket:demo/b:/mnt/b:rw", want: hfhub.Volume{Type: "bucket", Source: "demo/b", MountPath: "/mnt/b", ReadOnly: new(false)}},
		{in: "model:demo/bert@v1/weights:/w", want: hfhub.Volume{Type: "model", Source: "demo/bert", Revision: "v1", Path: "weights", MountPath: "/w"}},
		{in: "hf://datasets/demo/data:/datasets:ro", want: hfhub.Volume{Type: "dataset", Source: "demo/data", MountPath: "/datasets", ReadOnly: new(true)}},
		{in: "hf://buckets/demo/b:/data", want: hfhub.Volume{Type: "bucket", Source: "demo/b", MountPath: "/data"}},
		{in: "model", wantErr: true},
		{in: "model:demo/bert", wantErr: true},
		{in: "model:demo/bert:models", wantErr: true},
		{in: ":demo/bert:/m", wantErr: true},
		{in: "model::/m", wantErr: true},
		{in: "model:demo/bert:/m:xx", wantErr: true},
		{in: "model:demo/bert@:/m", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseVolume(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseVolume(%q) = %+v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseVolume(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseVolume(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseSleepTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{in: "3600", want: 3600},
		{in: "never", want: -1},
		{in: "NEVER", want: -1},
		{in: "-1", want: -1},
		{in: "30m", want: 1800},
		{in: "2h", want: 7200},
		{in: "0", want: 0},
		{in: "-5", wantErr: true},
		{in: "soon", wantErr: true},
		{in: "1.5s", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseSleepTime(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want && !tt.wantErr {
			t.Errorf("ParseSleepTime(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

type stubPrompter struct {
	answer   bool
	asked    []string
	password string
}

func (p *stubPrompter) Confirm(ctx context.Context, q string) (bool, error) {
	p.asked = append(p.asked, q)
	return p.answer, nil
}
func (p *stubPrompter) Password(ctx context.Context, q string) (string, error) {
	p.asked = append(p.asked, q)
	return p.password, nil
}

func TestConfirmDestructive(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		tty       bool
		yes       bool
		answer    bool
		wantErr   error
		wantAsked bool
	}{
		{name: "yes flag", yes: true},
		{name: "yes flag on terminal", tty: true, yes: true},
		{name: "terminal, confirmed", tty: true, answer: true, wantAsked: true},
		{name: "terminal, declined", tty: true, answer: false, wantErr: ErrCancel, wantAsked: true},
		{name: "not a terminal", wantErr: &FlagError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ios, _, _, _ := iostreams.Test()
			ios.SetStdinTTY(tt.tty)
			ios.SetStdoutTTY(tt.tty)
			p := &stubPrompter{answer: tt.answer}
			err := ConfirmDestructive(t.Context(), ios, p, tt.yes, "delete everything")
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
			case *FlagError:
				var fe *FlagError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), "--yes") {
					t.Fatalf("err = %v, want a usage error mentioning --yes", err)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v", err, want)
				}
			}
			if got := len(p.asked) > 0; got != tt.wantAsked {
				t.Errorf("asked = %v, want %v", p.asked, tt.wantAsked)
			}
		})
	}
}

func TestTerminalPrompterConfirm(t *testing.T) {
	t.Parallel()
	for input, want := range map[string]bool{"y\n": true, "YES\n": true, "n\n": false, "\n": false, "yes": true, "maybe\n": false} {
		ios, in, _, errOut := iostreams.Test()
		in.WriteString(input)
		got, err := NewTerminalPrompter(ios).Confirm(t.Context(), "Delete?")
		if err != nil || got != want {
			t.Errorf("Confirm with %q = %v, %v; want %v", input, got, err, want)
		}
		if !strings.Contains(errOut.String(), "Delete? [y/N]") {
			t.Errorf("prompt = %q", errOut.String())
		}
	}
}

// TestPromptsStopOnInterrupt: Ctrl-C cancels the context while a prompt
// waits for a line that never comes; the prompt gives up at once (exit 2)
// rather than when Enter is pressed.
func TestPromptsStopOnInterrupt(t *testing.T) {
	t.Parallel()
	ios, _, _, errOut := iostreams.Test()
	stdin, typing := io.Pipe() // a terminal where nobody types
	t.Cleanup(func() { typing.Close() })
	ios.In = stdin
	ios.SetStdinTTY(true)
	ios.SetStdoutTTY(true)
	ios.SetPasswordReader(func() (string, error) {
		b := make([]byte, 1)
		_, err := stdin.Read(b)
		return "", err
	})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := NewTerminalPrompter(ios)

	err := ConfirmDestructive(ctx, ios, p, false, "delete everything")
	if !errors.Is(err, context.Canceled) || ExitCode(err) != ExitCancel {
		t.Errorf("ConfirmDestructive after Ctrl-C: %v (exit %d), want context.Canceled (exit 2)", err, ExitCode(err))
	}
	if _, err := p.Password(ctx, "Value of secret K (hidden):"); !errors.Is(err, context.Canceled) {
		t.Errorf("Password after Ctrl-C: %v, want context.Canceled", err)
	}
	// The line of each prompt is ended, so that "Interrupted." starts a
	// line of its own.
	if want := "? This will delete everything. Continue? [y/N] \n? Value of secret K (hidden): \n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
}

func TestTerminalPrompterEndOfInput(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	_, err := NewTerminalPrompter(ios).Confirm(t.Context(), "Delete?")
	if err == nil || DescribeError(err) != "no answer: standard input ended" {
		t.Errorf("Confirm at the end of input: %v", err)
	}
}

func TestHardwareHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flavor hfhub.Hardware
		want   string
	}{
		{"t4-smal", "Did you mean t4-small? Run `hfspaces hardware` for the catalog."},
		{"cpu-basci", "Did you mean cpu-basic? Run `hfspaces hardware` for the catalog."},
		{"t4-small", ""},
		{"warp-drive", "Run `hfspaces hardware` for the catalog of flavors."},
	}
	for _, tt := range tests {
		if got := HardwareHint(t.Context(), nil, tt.flavor); got != tt.want {
			t.Errorf("HardwareHint(%q) = %q, want %q", tt.flavor, got, tt.want)
		}
	}
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	if got := SleepTimeText(nil); got != "default" {
		t.Errorf("SleepTimeText(nil) = %q", got)
	}
	if got := SleepTimeText(new(-1)); got != "never" {
		t.Errorf("SleepTimeText(-1) = %q", got)
	}
	for secs, want := range map[int]string{3600: "1h", 172800: "48h", 300: "5m", 90: "1m30s", 5400: "1h30m", 45: "45s"} {
		if got := SleepTimeText(&secs); got != want {
			t.Errorf("SleepTimeText(%d) = %q, want %q", secs, got, want)
		}
	}
	rt := &hfhub.SpaceRuntime{Hardware: "cpu-basic", RequestedHardware: "t4-small"}
	if got := HardwareText(rt); got != "cpu-basic → t4-small" {
		t.Errorf("HardwareText = %q", got)
	}
	for _, tt := range []struct {
		h    hfhub.HardwareInfo
		want string
	}{
		{hfhub.HardwareInfo{UnitCostUSD: 0.6, UnitLabel: "hour"}, "$0.60/hour"},
		// The Hub prices per minute: shown per hour, to the cent.
		{hfhub.HardwareInfo{UnitCostMicroUSD: 12500, UnitLabel: "minute"}, "$0.75/hour"},
		{hfhub.HardwareInfo{UnitCostMicroUSD: 6667, UnitCostUSD: 0.006667, UnitLabel: "minute"}, "$0.40/hour"},
		{hfhub.HardwareInfo{UnitCostMicroUSD: 138333, UnitLabel: "minute"}, "$8.30/hour"},
		{hfhub.HardwareInfo{UnitCostMicroUSD: 1, UnitLabel: "minute"}, "$0.00006/hour"},
		{hfhub.HardwareInfo{UnitCostMicroUSD: 0, UnitLabel: "minute"}, "free"},
		{hfhub.HardwareInfo{UnitCostUSD: 3, UnitLabel: "fortnight"}, "$3.00/fortnight"},
		{hfhub.HardwareInfo{UnitCostMicroUSD: 12500, UnitLabel: "\x1b[2Jweek"}, "$0.0125/^[[2Jweek"},
		{hfhub.HardwareInfo{}, "free"},
		// Floats that are not exact in binary: 8.3*100 is 829.9999….
		{hfhub.HardwareInfo{UnitCostUSD: 8.3, UnitLabel: "hour"}, "$8.30/hour"},
		{hfhub.HardwareInfo{UnitCostUSD: 0.29, UnitLabel: "hour"}, "$0.29/hour"},
		{hfhub.HardwareInfo{UnitCostUSD: 23.5}, "$23.50/hour"},
		{hfhub.HardwareInfo{UnitCostUSD: 36}, "$36.00/hour"},
		{hfhub.HardwareInfo{UnitCostUSD: 0.0125, UnitLabel: "minute"}, "$0.75/hour"},
		// The exact integer wins over the float when both are given.
		{hfhub.HardwareInfo{UnitCostUSD: 8.299999, UnitCostMicroUSD: 8_300_000, UnitLabel: "hour"}, "$8.30/hour"},
	} {
		if got := PriceText(tt.h); got != tt.want {
			t.Errorf("PriceText(%+v) = %q, want %q", tt.h, got, tt.want)
		}
	}
	if got := AcceleratorText(&hfhub.Accelerator{Model: "T4", Manufacturer: "Nvidia", Quantity: 1, VRAM: "16 GB"}); got != "1x Nvidia T4 (16 GB)" {
		t.Errorf("AcceleratorText = %q", got)
	}
	if got := VolumeText(hfhub.Volume{Type: "model", Source: "demo/bert", Revision: "v1", MountPath: "/m", ReadOnly: new(true)}); got != "model:demo/bert@v1:/m:ro" {
		t.Errorf("VolumeText = %q", got)
	}
}

func TestUntilHardware(t *testing.T) {
	t.Parallel()
	until := UntilHardware("t4-small")
	for _, tt := range []struct {
		rt   hfhub.SpaceRuntime
		want bool
	}{
		// A read from before the request: settled on the old flavor.
		{hfhub.SpaceRuntime{Stage: hfhub.StageRunning, Hardware: "cpu-basic", RequestedHardware: "cpu-basic"}, false},
		{hfhub.SpaceRuntime{Stage: hfhub.StageRunning, Hardware: "cpu-basic", RequestedHardware: "t4-small"}, false},
		{hfhub.SpaceRuntime{Stage: hfhub.StageRunning, Hardware: "t4-small", RequestedHardware: "t4-small"}, true},
		// A paused Space keeps the request until it is restarted.
		{hfhub.SpaceRuntime{Stage: hfhub.StagePaused, RequestedHardware: "t4-small"}, true},
		{hfhub.SpaceRuntime{Stage: hfhub.StagePaused, RequestedHardware: "cpu-basic"}, false},
	} {
		if got := until(&tt.rt); got != tt.want {
			t.Errorf("UntilHardware(t4-small)(%+v) = %v, want %v", tt.rt, got, tt.want)
		}
	}
}
