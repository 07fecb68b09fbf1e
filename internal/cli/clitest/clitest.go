// Package clitest runs hfspaces commands in tests: against an emulated Hub
// on a loopback address, with fake terminals and a scripted prompter.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/emulator/emulatortest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// Epoch is the fake clock's time when a test starts.
var Epoch = time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC)

// Options configure New.
type Options struct {
	// Config of the emulator. The zero value means the demo seed on a fake
	// clock at Epoch with instant builds.
	Config *emulator.Config
	// Token the client sends: the demo user's write token when "", none
	// when NoToken.
	Token   string
	NoToken bool
	// Env is what LookupEnv sees (-s KEY, -e KEY).
	Env map[string]string
	// Transport, if set, wraps the client's transport (for example to move
	// the emulator's fake clock as requests go by).
	Transport func(e *Env, base http.RoundTripper) http.RoundTripper
}

// Env is a test's emulator, factory and streams.
type Env struct {
	T        testing.TB
	Server   *emulatortest.Server
	Factory  *cmdutil.Factory
	IO       *iostreams.IOStreams
	In       *bytes.Buffer
	Out      *bytes.Buffer
	Err      *bytes.Buffer
	Prompter *Prompter
}

// New starts an emulator and a factory whose client talks to it.
func New(t testing.TB, o Options) *Env {
	t.Helper()
	cfg := emulator.Config{Seed: emulator.DemoSeed, Clock: emulator.NewFakeClock(Epoch)}
	if o.Config != nil {
		cfg = *o.Config
	}
	srv := emulatortest.NewServer(t, cfg)
	e := NewOffline(t, o.Env)
	e.Server = srv
	token := o.Token
	if token == "" {
		token = emulator.DemoWriteToken
	}
	f := e.Factory
	// Waits poll the emulator at once and often: its clock is fake, and a
	// wait that must read past a stale runtime should not cost seconds.
	f.WaitInterval = time.Millisecond
	if fc := srv.FakeClock(); fc != nil {
		f.Now = fc.Now
	}
	f.Client = func() (*hfhub.Client, error) {
		g := *f.Globals
		if g.Endpoint == "" {
			g.Endpoint = srv.URL
		}
		var extra []hfhub.Option
		switch {
		case g.Token != "":
		case o.NoToken:
			extra = append(extra, hfhub.WithNoToken())
		default:
			g.Token = token
		}
		var base http.RoundTripper
		if o.Transport != nil {
			base = o.Transport(e, http.DefaultTransport)
		}
		return cmdutil.NewClient(&g, f.IOStreams.ErrOut, "test", base, extra...)
	}
	return e
}

// AdvanceOnRuntime returns a Transport that moves the emulator's fake clock
// by step after every runtime read, so that each poll of a wait finds the
// Space one phase further: deterministic, with no sleeping.
func AdvanceOnRuntime(step time.Duration) func(e *Env, base http.RoundTripper) http.RoundTripper {
	return func(e *Env, base http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := base.RoundTrip(r)
			if err == nil && strings.HasSuffix(r.URL.Path, "/runtime") {
				e.Server.FakeClock().Advance(step)
			}
			return resp, err
		})
	}
}

// StaleRuntime returns a Transport under which, after each POST whose path
// ends in suffix ("/hardware", "/restart"…), the next n runtime reads
// answer what the runtime was just before that POST, as a lagging replica
// or cache would; every other runtime read moves the emulator's fake clock
// by step, as AdvanceOnRuntime does. Reads counts the runtime reads.
func StaleRuntime(suffix string, n int, step time.Duration, reads *atomic.Int64) func(e *Env, base http.RoundTripper) http.RoundTripper {
	return func(e *Env, base http.RoundTripper) http.RoundTripper {
		var (
			mu       sync.Mutex
			snapshot []byte
			left     int
		)
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			isRuntime := r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/runtime")
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, suffix) {
				get, err := http.NewRequestWithContext(r.Context(), http.MethodGet, strings.TrimSuffix(r.URL.String(), suffix)+"/runtime", nil)
				if err != nil {
					return nil, err
				}
				get.Header = r.Header.Clone()
				resp, err := base.RoundTrip(get)
				if err != nil {
					return nil, err
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					return nil, err
				}
				mu.Lock()
				snapshot, left = body, n
				mu.Unlock()
			}
			if isRuntime {
				if reads != nil {
					reads.Add(1)
				}
				mu.Lock()
				stale := left > 0
				if stale {
					left--
				}
				body := snapshot
				mu.Unlock()
				if stale {
					return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Request: r,
						Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body))}, nil
				}
			}
			resp, err := base.RoundTrip(r)
			if err == nil && isRuntime {
				e.Server.FakeClock().Advance(step)
			}
			return resp, err
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// NewOffline returns a factory with no Hub behind it, for parsing tests:
// its Client fails.
func NewOffline(t testing.TB, env map[string]string) *Env {
	ios, in, out, errOut := iostreams.Test()
	p := &Prompter{}
	f := &cmdutil.Factory{
		IOStreams: ios,
		Prompter:  p,
		Globals:   &cmdutil.GlobalFlags{},
		Version:   "test",
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Now:       func() time.Time { return Epoch },
		Client:    func() (*hfhub.Client, error) { return nil, errors.New("no client in a parsing test") },
	}
	return &Env{T: t, Factory: f, IO: ios, In: in, Out: out, Err: errOut, Prompter: p}
}

// SetTTY makes standard input, output and error terminals, or not.
func (e *Env) SetTTY(tty bool) {
	e.IO.SetStdinTTY(tty)
	e.IO.SetStdoutTTY(tty)
	// The spinner would write escape codes at random moments; tests of
	// terminal output keep standard error plain.
	e.IO.SetStderrTTY(false)
}

// Result is what a command did.
type Result struct {
	Code   int
	Out    string
	ErrOut string
	Err    error
}

// Run executes cmd under a root that has the global flags, with args
// starting with cmd's own name, and reports as hfspaces would.
func (e *Env) Run(cmd *cobra.Command, args ...string) Result {
	e.T.Helper()
	e.Out.Reset()
	e.Err.Reset()
	root := &cobra.Command{Use: "hfspaces", SilenceErrors: true, SilenceUsage: true}
	*e.Factory.Globals = cmdutil.GlobalFlags{}
	cmdutil.AddGlobalFlags(root.PersistentFlags(), e.Factory.Globals)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })
	root.AddCommand(cmd)
	root.SetArgs(args)
	root.SetIn(e.IO.In)
	root.SetOut(e.IO.Out)
	root.SetErr(e.IO.ErrOut)
	ctx := e.T.Context()
	executed, err := root.ExecuteContextC(ctx)
	code := cmdutil.ReportError(e.IO, executed, err)
	return Result{Code: code, Out: e.Out.String(), ErrOut: e.Err.String(), Err: err}
}

// Prompter answers prompts from a script and records the questions.
type Prompter struct {
	ConfirmAnswer bool
	Passwords     map[string]string // by the prompt's text containing the key
	Typed         string            // the answer to every Input
	Asked         []string
}

// Confirm implements cmdutil.Prompter.
func (p *Prompter) Confirm(ctx context.Context, q string) (bool, error) {
	p.Asked = append(p.Asked, q)
	return p.ConfirmAnswer, nil
}

// Password implements cmdutil.Prompter.
func (p *Prompter) Password(ctx context.Context, q string) (string, error) {
	p.Asked = append(p.Asked, q)
	for k, v := range p.Passwords {
		if bytes.Contains([]byte(q), []byte(k)) {
			return v, nil
		}
	}
	return "", io.EOF
}

// Input implements cmdutil.InputPrompter.
func (p *Prompter) Input(ctx context.Context, q string) (string, error) {
	p.Asked = append(p.Asked, q)
	return p.Typed, nil
}

// Capture returns a runF that stores the options it is given.
func Capture[T any](dst **T) func(*T) error {
	return func(o *T) error {
		*dst = o
		return nil
	}
}

// Expand replaces {{URL}} in a wanted output by the emulator's URL.
func Expand(s string, e *Env) string {
	if e.Server == nil {
		return s
	}
	return strings.ReplaceAll(s, "{{URL}}", e.Server.URL)
}

// IgnoreDeps leaves the dependencies (streams, client, prompter, clock,
// environment) out of a comparison of options structs.
var IgnoreDeps = cmp.FilterPath(func(p cmp.Path) bool {
	switch p.Last().String() {
	case ".IO", ".Client", ".Prompter", ".Now", ".LookupEnv", ".Root", ".Factory", ".StepHook":
		return true
	}
	return false
}, cmp.Ignore())

// Case is one run of a command in a table test.
type Case struct {
	Name      string
	Opts      Options
	TTY       bool
	Args      []string
	Stdin     string
	Confirm   bool              // the prompter's answer to confirmations
	Passwords map[string]string // the prompter's hidden answers
	Setup     func(t *testing.T, e *Env)

	WantCode   int
	WantOut    string // compared exactly ({{URL}} expanded) unless AnyOut
	AnyOut     bool
	WantErrOut string // compared exactly unless AnyErrOut
	AnyErrOut  bool
	Check      func(t *testing.T, e *Env, r Result)
}

// RunCases runs each case against its own emulator, in parallel.
func RunCases(t *testing.T, newCmd func(f *cmdutil.Factory) *cobra.Command, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			e := New(t, c.Opts)
			e.SetTTY(c.TTY)
			e.In.WriteString(c.Stdin)
			e.Prompter.ConfirmAnswer = c.Confirm
			e.Prompter.Passwords = c.Passwords
			if c.Setup != nil {
				c.Setup(t, e)
			}
			r := e.Run(newCmd(e.Factory), c.Args...)
			if r.Code != c.WantCode {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, c.WantCode, r.Out, r.ErrOut)
			}
			if !c.AnyOut {
				if diff := cmp.Diff(Expand(c.WantOut, e), r.Out); diff != "" {
					t.Errorf("stdout mismatch (-want +got):\n%s", diff)
				}
			}
			if !c.AnyErrOut {
				if diff := cmp.Diff(Expand(c.WantErrOut, e), r.ErrOut); diff != "" {
					t.Errorf("stderr mismatch (-want +got):\n%s", diff)
				}
			}
			if c.Check != nil {
				c.Check(t, e, r)
			}
		})
	}
}

// ParseCase is one command line in a parsing table test.
type ParseCase[T any] struct {
	Name     string
	Args     []string
	Env      map[string]string
	Want     T
	WantCode int
	WantErr  string // a substring of the usage error
}

// RunParseCases parses each command line through newCmd with a capturing
// runF and compares the options (dependencies aside).
func RunParseCases[T any](t *testing.T, newCmd func(f *cmdutil.Factory, runF func(*T) error) *cobra.Command, cases []ParseCase[T], opts ...cmp.Option) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			e := NewOffline(t, c.Env)
			var got *T
			r := e.Run(newCmd(e.Factory, Capture(&got)), c.Args...)
			if r.Code != c.WantCode {
				t.Fatalf("exit code %d, want %d (stderr %q)", r.Code, c.WantCode, r.ErrOut)
			}
			if c.WantCode != 0 {
				if got != nil {
					t.Errorf("runF was called with %+v for a bad command line", *got)
				}
				if !strings.Contains(r.ErrOut, c.WantErr) {
					t.Errorf("stderr %q does not contain %q", r.ErrOut, c.WantErr)
				}
				return
			}
			if diff := cmp.Diff(c.Want, *got, append([]cmp.Option{IgnoreDeps}, opts...)...); diff != "" {
				t.Errorf("options mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// WantJSONFields checks that out is a JSON object holding (at least) want.
func WantJSONFields(t *testing.T, out string, want map[string]any) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not a JSON object: %v\n%s", err, out)
	}
	for k, v := range want {
		if diff := cmp.Diff(v, got[k]); diff != "" {
			t.Errorf("JSON %q mismatch (-want +got):\n%s", k, diff)
		}
	}
}

// WantPrefix checks that s starts with prefix.
func WantPrefix(t *testing.T, s, prefix string) {
	t.Helper()
	if !strings.HasPrefix(s, prefix) {
		t.Errorf("%q does not start with %q", s, prefix)
	}
}

// WantSuffix checks that s ends with suffix.
func WantSuffix(t *testing.T, s, suffix string) {
	t.Helper()
	if !strings.HasSuffix(s, suffix) {
		t.Errorf("%q does not end with %q", s, suffix)
	}
}

// WantAsked checks that the prompter was asked exactly the questions want.
func WantAsked(t *testing.T, e *Env, want ...string) {
	t.Helper()
	if diff := cmp.Diff(want, e.Prompter.Asked); diff != "" {
		t.Errorf("questions mismatch (-want +got):\n%s", diff)
	}
}

// Frozen is an emulator whose builds take a minute on a fake clock that
// never moves: a restarted Space stays BUILDING.
func Frozen() Options {
	return Options{Config: &emulator.Config{Seed: emulator.DemoSeed, Clock: emulator.NewFakeClock(Epoch), BuildDuration: time.Minute, StartDuration: time.Minute}}
}

// DecodeJSON decodes out into v or fails the test.
func DecodeJSON(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
}
