package root

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
)

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		opts       clitest.Options
		wantCode   int
		wantOut    string // substring
		wantErrOut string // substring
	}{
		{name: "help", args: []string{"--help"}, wantOut: "Manage Hugging Face Spaces"},
		{name: "no arguments shows help", args: nil, wantOut: "Usage:"},
		{name: "version", args: []string{"--version"}, wantOut: "hfspaces "},
		{name: "unknown command", args: []string{"nope"}, wantCode: 1, wantErrOut: `unknown command "nope" for "hfspaces"`},
		{name: "unknown command, a suggestion on the same line", args: []string{"runtme", "demo/x"}, wantCode: 1,
			wantErrOut: "error: unknown command \"runtme\" for \"hfspaces\"; did you mean \"runtime\"?\nRun `hfspaces --help` for usage.\n"},
		{name: "unknown flag", args: []string{"whoami", "--nope"}, wantCode: 1, wantErrOut: "unknown flag: --nope"},
		{name: "missing argument", args: []string{"pause"}, wantCode: 1, wantErrOut: "missing the Space id"},
		{name: "group without subcommand", args: []string{"variables"}, wantOut: "Available Commands:"},
		{name: "emulator command is registered", args: []string{"emulator", "--help"}, wantOut: "emulator"},
		{name: "success", args: []string{"runtime", "demo/gradio-app"}, wantOut: "stage\tRUNNING\n"},
		{name: "not found is 1", args: []string{"runtime", "demo/nope"}, wantCode: 1, wantErrOut: "not found"},
		{name: "bad token is 4", args: []string{"whoami"}, opts: clitest.Options{Token: "hf_bad"}, wantCode: 4, wantErrOut: "rejected the token"},
		{name: "forbidden is 4", args: []string{"pause", "demo/gradio-app"}, opts: clitest.Options{Token: "hf_demo_read"}, wantCode: 4, wantErrOut: "403 Forbidden"},
		{name: "destructive off a terminal is 1", args: []string{"volumes", "delete", "demo/gradio-app"}, wantCode: 1, wantErrOut: "--yes"},
		{name: "wait timeout is 8", args: []string{"wait", "demo/gradio-app", "--timeout", "1ns"}, wantCode: 8, wantErrOut: "timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := clitest.New(t, tt.opts)
			code := Run(t.Context(), e.Factory, tt.args)
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, e.Out, e.Err)
			}
			if !strings.Contains(e.Out.String(), tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, e.Out)
			}
			if !strings.Contains(e.Err.String(), tt.wantErrOut) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErrOut, e.Err)
			}
			if strings.Contains(e.Err.String(), "goroutine ") || strings.Contains(e.Err.String(), "panic") {
				t.Errorf("stderr has a stack trace:\n%s", e.Err)
			}
		})
	}
}

func TestEveryCommandHasHelpAndExamples(t *testing.T) {
	t.Parallel()
	e := clitest.NewOffline(t, nil)
	cmd := NewCmdRoot(e.Factory)
	for _, c := range cmd.Commands() {
		if c.Name() == "help" || c.Name() == "emulator" {
			continue
		}
		if c.Short == "" {
			t.Errorf("%s has no short help", c.CommandPath())
		}
		for _, sub := range append(c.Commands(), c) {
			if sub.Runnable() && !sub.HasSubCommands() && sub.Example == "" {
				t.Errorf("%s has no example", sub.CommandPath())
			}
		}
	}
}

// TestInterrupted: Ctrl-C cancels the command's context; long work stops
// and the exit code is 2.
func TestInterrupted(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"wait", "demo/gradio-app"},
		{"logs", "demo/gradio-app", "-f"},
		{"restart", "demo/gradio-app", "--wait"},
	} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			e := clitest.New(t, clitest.Frozen())
			c, _ := e.Factory.Client()
			if _, err := c.Spaces.Restart(t.Context(), "demo/gradio-app", nil); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if code := Run(ctx, e.Factory, args); code != 2 {
				t.Fatalf("exit code %d, want 2\nstderr:\n%s", code, e.Err)
			}
			if !strings.HasSuffix(e.Err.String(), "Interrupted.\n") {
				t.Errorf("stderr %q", e.Err)
			}
		})
	}
}

// TestShellCompletion: what TAB offers, through cobra's __complete as the
// shell scripts call it. Flavors and tiers come from the known lists (no
// request on a TAB); a Space id is never completed with file names.
func TestShellCompletion(t *testing.T) {
	t.Parallel()
	const noFiles = ":4\n" // cobra.ShellCompDirectiveNoFileComp
	tests := []struct {
		args    []string
		want    []string // lines of the answer, before the directive
		wantEnd string
	}{
		{args: []string{"storage", "request", ""}, want: nil, wantEnd: noFiles},
		{args: []string{"storage", "request", "demo/app", ""}, want: []string{"small", "medium", "large"}, wantEnd: noFiles},
		{args: []string{"storage", "request", "demo/app", "m"}, want: []string{"medium"}, wantEnd: noFiles},
		{args: []string{"storage", "request", "demo/app", "small", ""}, want: nil, wantEnd: noFiles},
		{args: []string{"settings", "demo/app", "--hardware", "t4"}, want: []string{"t4-small", "t4-medium"}, wantEnd: noFiles},
		{args: []string{"duplicate", "demo/app", "--hardware", "a100"}, want: []string{"a100-large", "a100x4", "a100x8"}, wantEnd: noFiles},
		{args: []string{"duplicate", "demo/app", "--storage", ""}, want: []string{"small", "medium", "large"}, wantEnd: noFiles},
		{args: []string{"create", "demo/app", "--sdk", "st"}, want: []string{"static", "streamlit"}, wantEnd: noFiles},
		{args: []string{"deploy", ""}, want: nil, wantEnd: noFiles},
		{args: []string{"deploy", "demo/app", ""}, want: nil, wantEnd: ":16\n"}, // cobra.ShellCompDirectiveFilterDirs: DIR is a folder
		{args: []string{"settings", "demo/app", "--visibility", "p"}, want: []string{"public", "private", "protected"}, wantEnd: noFiles},
		{args: []string{"settings", "demo/app", "--sleep-time", "n"}, want: []string{"never"}, wantEnd: noFiles},
		{args: []string{"runtime", ""}, want: nil, wantEnd: noFiles},
		{args: []string{"secrets", "delete", "demo/app", ""}, want: nil, wantEnd: noFiles},
		{args: []string{"completion", "f"}, want: []string{"fish"}, wantEnd: noFiles},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			e := clitest.NewOffline(t, nil)
			if code := Run(t.Context(), e.Factory, append([]string{"__complete"}, tt.args...)); code != 0 {
				t.Fatalf("exit %d: %s", code, e.Err)
			}
			out := e.Out.String()
			if !strings.HasSuffix(out, tt.wantEnd) {
				t.Errorf("answer %q does not end with the directive %q", out, tt.wantEnd)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSuffix(out, tt.wantEnd), "\n") {
				if line != "" {
					name, _, _ := strings.Cut(line, "\t")
					got = append(got, name)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("completions mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDebugHasNoSpinner: with --debug the trace goes to standard error, and
// a spinner there would tear its lines; waits print their stages instead.
func TestDebugHasNoSpinner(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"list", "--debug"}, {"wait", "demo/gradio-app", "--debug"}} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			e := clitest.New(t, clitest.Options{})
			e.IO.SetStderrTTY(true)
			if code := Run(t.Context(), e.Factory, args); code != 0 {
				t.Fatalf("exit %d\n%s", code, e.Err)
			}
			errOut := e.Err.String()
			if strings.Contains(errOut, "\r\x1b[K") {
				t.Errorf("a spinner drew on standard error:\n%q", errOut)
			}
			if !strings.Contains(errOut, "> GET ") {
				t.Errorf("no trace on standard error:\n%s", errOut)
			}
			if args[0] == "wait" && !strings.Contains(errOut, "demo/gradio-app: RUNNING\n") {
				t.Errorf("the wait does not print its stage:\n%s", errOut)
			}
		})
	}
}

// TestPanicIsAnError: a bug that panics deep in a command ends as a short
// error and exit code 1, not a Go stack trace on the user's terminal.
func TestPanicIsAnError(t *testing.T) {
	t.Parallel()
	e := clitest.NewOffline(t, nil)
	e.Factory.Client = func() (*hfhub.Client, error) { panic("boom: index out of range") }
	code := Run(t.Context(), e.Factory, []string{"whoami"})
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	errOut := e.Err.String()
	if !strings.Contains(errOut, "internal error") || !strings.Contains(errOut, "boom") {
		t.Errorf("stderr = %q, want an internal-error line naming the panic", errOut)
	}
	if strings.Contains(errOut, "goroutine ") || strings.Count(errOut, "\n") > 2 {
		t.Errorf("stderr holds a stack trace or more than two lines:\n%s", errOut)
	}
}
