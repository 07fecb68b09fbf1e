package logs

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
)

// liveWriter is standard output piped to a reader that watches each write
// as it happens (as `| grep` does).
type liveWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes chan string
}

func newLiveWriter() *liveWriter { return &liveWriter{writes: make(chan string, 1000)} }

func (w *liveWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	w.writes <- string(p)
	return len(p), nil
}

func (w *liveWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor reads writes until one is the line want; every write must be
// one whole line.
func (w *liveWriter) waitFor(t *testing.T, want string) {
	t.Helper()
	for {
		select {
		case got := <-w.writes:
			if !strings.HasSuffix(got, "\n") || strings.Count(got, "\n") != 1 {
				t.Errorf("write %q is not one whole line", got)
			}
			if got == want+"\n" {
				return
			}
		case <-t.Context().Done():
			t.Fatalf("%q never written; output so far:\n%s", want, w.String())
		}
	}
}

// runLogs starts logsRun in the background with standard output piped to
// a liveWriter; stop cancels it, as Ctrl-C does, and returns its error.
func runLogs(t *testing.T, e *clitest.Env, opts LogsOptions) (out *liveWriter, stop func() error) {
	t.Helper()
	out = newLiveWriter()
	e.IO.Out = out
	opts.IO, opts.Client = e.IO, e.Factory.Client
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- logsRun(ctx, &opts) }()
	return out, func() error {
		cancel()
		return <-done
	}
}

// Followed lines reach piped standard output as they arrive, one write
// per line, and Ctrl-C exits 2 after them.
func TestLogsStreamsLinesAsTheyArrive(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	out, stop := runLogs(t, e, LogsOptions{Space: "demo/gradio-app", Follow: true})
	out.waitFor(t, "Loaded model demo/tiny-model in 0.4s") // the history
	for _, text := range []string{"request 1 served", "request 2 served"} {
		e.Server.Emulator.AppendLog("demo/gradio-app", false, text)
		out.waitFor(t, text) // printed while the command still runs
	}
	err := stop()
	if !errors.Is(err, context.Canceled) || cmdutil.ExitCode(err) != cmdutil.ExitCancel {
		t.Errorf("after Ctrl-C: %v (exit %d), want context.Canceled (exit 2)", err, cmdutil.ExitCode(err))
	}
	if n := strings.Count(out.String(), "request "); n != 2 {
		t.Errorf("%d request lines printed, want 2:\n%s", n, out.String())
	}
}

// slowEmulator answers every log connection after 600 ms, on the real
// clock (a fake clock would hold the answer until advanced).
func slowEmulator(t *testing.T) *clitest.Env {
	faults, err := emulator.ParseFaults("logs:latency=600ms")
	if err != nil {
		t.Fatal(err)
	}
	return clitest.New(t, clitest.Options{Config: &emulator.Config{Seed: emulator.DemoSeed, Faults: faults}})
}

// -f -n N prints exactly the last N lines of the history whatever the
// server's latency (a slow first answer once printed the whole log), then
// every new line.
func TestLogsFollowTailWithLatency(t *testing.T) {
	t.Parallel()
	t.Run("finished build", func(t *testing.T) {
		t.Parallel()
		e := slowEmulator(t)
		out, stop := runLogs(t, e, LogsOptions{Space: "demo/broken-build", Build: true, Follow: true, Tail: 1})
		out.waitFor(t, brokenBuild[len(brokenBuild)-1])
		if err := stop(); err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("logs: %v", err)
		}
		if got, want := out.String(), brokenBuild[len(brokenBuild)-1]+"\n"; got != want {
			t.Errorf("output %q, want only the last line %q", got, want)
		}
	})
	t.Run("running Space", func(t *testing.T) {
		t.Parallel()
		e := slowEmulator(t)
		emu := e.Server.Emulator
		for _, text := range []string{"old 1", "old 2", "old 3"} {
			emu.AppendLog("demo/gradio-app", false, text)
		}
		out, stop := runLogs(t, e, LogsOptions{Space: "demo/gradio-app", Follow: true, Tail: 2})
		out.waitFor(t, "old 3")
		emu.AppendLog("demo/gradio-app", false, "new 1")
		out.waitFor(t, "new 1")
		err := stop()
		if cmdutil.ExitCode(err) != cmdutil.ExitCancel {
			t.Errorf("after Ctrl-C: %v, want exit 2", err)
		}
		if got, want := out.String(), "old 2\nold 3\nnew 1\n"; got != want {
			t.Errorf("output %q, want %q", got, want)
		}
	})
}

// A buffered read (no -f) of a Space that goes on logging ends once its
// history is read, and prints it.
func TestLogsBufferedReadOfALoggingSpaceEnds(t *testing.T) {
	t.Parallel()
	// The real clock: the server's Date and the lines' times agree.
	e := clitest.New(t, clitest.Options{Config: &emulator.Config{Seed: emulator.DemoSeed}})
	emu := e.Server.Emulator
	emu.AppendLog("demo/gradio-app", false, "before")
	stopLogging := make(chan struct{})
	logging := make(chan struct{})
	go func() {
		defer close(logging)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopLogging:
				return
			case <-tick.C:
				emu.AppendLog("demo/gradio-app", false, "busy")
			}
		}
	}()
	defer func() { close(stopLogging); <-logging }()
	r := e.Run(NewCmdLogs(e.Factory, nil), "logs", "demo/gradio-app", "-n", "1")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.ErrOut)
	}
	if r.Out != "before\n" && r.Out != "busy\n" {
		t.Errorf("output %q, want the last line of the history", r.Out)
	}
}

// A gap (the log replaced or trimmed while reconnecting) is shown: on
// standard error in text, as "gap": true in JSON. (The library's tests
// make gaps happen; this is how they are printed.)
func TestLogsShowsGaps(t *testing.T) {
	t.Parallel()
	ts := clitest.Epoch
	lines := []hfhub.LogLine{{Text: "old", Timestamp: ts}, {Text: "new", Timestamp: ts.Add(time.Hour), Gap: true}}
	for _, tc := range []struct {
		json             bool
		wantOut, wantErr string
	}{
		{false, "old\nnew\n", "! " + gapNotice + "\n"},
		{true, `{"timestamp":"2025-03-07T12:00:00Z","text":"old"}` + "\n" +
			`{"timestamp":"2025-03-07T13:00:00Z","text":"new","gap":true}` + "\n", ""},
	} {
		e := clitest.NewOffline(t, nil)
		p := newPrinter(&LogsOptions{IO: e.IO, JSON: tc.json})
		for _, l := range lines {
			if err := p.print(l); err != nil {
				t.Fatal(err)
			}
		}
		if e.Out.String() != tc.wantOut || e.Err.String() != tc.wantErr {
			t.Errorf("json=%t: out %q, err %q; want %q, %q", tc.json, e.Out.String(), e.Err.String(), tc.wantOut, tc.wantErr)
		}
	}
}
