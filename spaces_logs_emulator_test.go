package hfhub_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/emulator/emulatortest"
)

// Logs and Wait against the emulator, in a synctest bubble (the emulator's
// in-memory transport keeps fake time moving), so that a build of minutes
// takes milliseconds.

func emulatorClient(t *testing.T, cfg emulator.Config) (*hfhub.Client, *emulator.Emulator) {
	t.Helper()
	cfg.Seed = emulator.DemoSeed
	emu, err := emulator.New(cfg)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	t.Cleanup(func() { emu.Close() })
	c, err := hfhub.NewClient(hfhub.WithEndpoint("https://hub.test"), hfhub.WithToken(emulator.DemoWriteToken),
		hfhub.WithHTTPClient(&http.Client{Transport: emu.Transport()}))
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, emu
}

func collect(t *testing.T, seq func(func(hfhub.LogLine, error) bool)) []hfhub.LogLine {
	t.Helper()
	var lines []hfhub.LogLine
	for line, err := range seq {
		if err != nil {
			t.Fatalf("Logs: %v", err)
		}
		lines = append(lines, line)
	}
	return lines
}

func TestEmulator_RestartWaitAndBuildLogs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, _ := emulatorClient(t, emulator.Config{BuildDuration: 40 * time.Second, StartDuration: 10 * time.Second})
		ctx := t.Context()
		if _, err := c.Spaces.Restart(ctx, "demo/gradio-app", nil); err != nil {
			t.Fatalf("Restart: %v", err)
		}

		// Follow the build log while it is written; the emulator ends the
		// stream when the build is over.
		followed := make(chan []hfhub.LogLine)
		go func() {
			var lines []hfhub.LogLine
			for line, err := range c.Spaces.Logs(ctx, "demo/gradio-app", &hfhub.LogOptions{Build: true, Follow: true}) {
				if err != nil {
					t.Errorf("following the build log: %v", err)
					break
				}
				lines = append(lines, line)
			}
			followed <- lines
		}()

		var stages []hfhub.Stage
		rt, err := c.Spaces.Wait(ctx, "demo/gradio-app", &hfhub.WaitOptions{OnPoll: func(rt *hfhub.SpaceRuntime) {
			if len(stages) == 0 || stages[len(stages)-1] != rt.Stage {
				stages = append(stages, rt.Stage)
			}
		}})
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if rt.Stage != hfhub.StageRunning {
			t.Errorf("Wait returned stage %s, want RUNNING", rt.Stage)
		}
		if diff := cmp.Diff([]hfhub.Stage{hfhub.StageBuilding, hfhub.StageAppStarting, hfhub.StageRunning}, stages); diff != "" {
			t.Errorf("stages seen (-want +got):\n%s", diff)
		}

		live := <-followed
		// Read again now the build is over: the buffered log is the same.
		buffered := collect(t, c.Spaces.Logs(ctx, "demo/gradio-app", &hfhub.LogOptions{Build: true}))
		if diff := cmp.Diff(buffered, live); diff != "" {
			t.Errorf("followed build log differs from the buffered one (-buffered +followed):\n%s", diff)
		}
		if len(live) < 3 || !strings.HasPrefix(live[0].Text, "===== Build Queued at ") {
			t.Errorf("build log %v does not start with the queued banner", live)
		}
		for _, l := range live {
			if strings.HasSuffix(l.Text, "\n") || l.Timestamp.IsZero() {
				t.Errorf("line %+v: want the trailing newline stripped and a timestamp", l)
			}
		}
	})
}

// The emulator drops every other log connection after three events; a
// followed stream still delivers every line once.
func TestEmulator_FollowThroughDroppedConnections(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, emu := emulatorClient(t, emulator.Config{
			Faults: []emulator.Fault{{Route: "logs", Fraction: 0.5, CutAfterEvents: 3}},
		})
		ctx := t.Context()
		var want []string
		for _, l := range collect(t, c.Spaces.Logs(ctx, "demo/gradio-app", nil)) {
			want = append(want, l.Text)
		}
		var appended []string
		for i := range 12 {
			appended = append(appended, "request "+strings.Repeat("#", i+1))
		}
		want = append(want, appended...)
		go func() {
			for _, text := range appended {
				time.Sleep(20 * time.Second)
				emu.AppendLog("demo/gradio-app", false, text)
			}
		}()
		var got []string
		for line, err := range c.Spaces.Logs(ctx, "demo/gradio-app", &hfhub.LogOptions{Follow: true}) {
			if err != nil {
				t.Fatalf("Logs: %v", err)
			}
			if got = append(got, line.Text); len(got) == len(want) {
				break
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
	})
}

func TestEmulator_WaitForBrokenBuild(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, _ := emulatorClient(t, emulator.Config{BuildDuration: 30 * time.Second})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
		defer cancel()
		if _, err := c.Spaces.Restart(ctx, "demo/broken-build", nil); err != nil {
			t.Fatalf("Restart: %v", err)
		}
		rt, err := c.Spaces.Wait(ctx, "demo/broken-build", nil)
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if rt.Stage != hfhub.StageBuildError || !rt.Stage.Failed() {
			t.Errorf("Wait returned stage %s, want BUILD_ERROR", rt.Stage)
		}
	})
}

// cuttableTransport lets a test cut the connection of the last answer, as
// a network failure would: its body's next read fails.
type cuttableTransport struct {
	base  http.RoundTripper
	mu    sync.Mutex
	last  *cuttableBody
	conns atomic.Int64
}

func (ct *cuttableTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := ct.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	ct.conns.Add(1)
	b := &cuttableBody{rc: resp.Body}
	resp.Body = b
	ct.mu.Lock()
	ct.last = b
	ct.mu.Unlock()
	return resp, nil
}

func (ct *cuttableTransport) cut() {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	ct.last.cut.Store(true)
	ct.last.rc.Close()
}

type cuttableBody struct {
	rc  io.ReadCloser
	cut atomic.Bool
}

func (b *cuttableBody) Read(p []byte) (int, error) {
	if b.cut.Load() {
		return 0, errors.New("connection reset by peer (test)")
	}
	return b.rc.Read(p)
}

func (b *cuttableBody) Close() error { return b.rc.Close() }

// A followed log whose connection is lost while the Space logs 15,000
// lines: the emulator keeps the newest 10,000 (and up to a quarter more),
// so the last line delivered is gone from the replay. Logs delivers what
// is newer, marks the gap, and delivers no line twice (it once delivered
// the whole retained log again: 10,105 duplicates).
func TestEmulator_FollowAcrossATrimmedLog(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		emu, err := emulator.New(emulator.Config{Seed: emulator.DemoSeed})
		if err != nil {
			t.Fatal(err)
		}
		defer emu.Close()
		ct := &cuttableTransport{base: emu.Transport()}
		c, err := hfhub.NewClient(hfhub.WithEndpoint("https://hub.test"), hfhub.WithToken(emulator.DemoWriteToken),
			hfhub.WithHTTPClient(&http.Client{Transport: ct}))
		if err != nil {
			t.Fatal(err)
		}
		const space = "demo/gradio-app"
		for i := range 200 {
			emu.AppendLog(space, false, fmt.Sprintf("a %d", i))
			time.Sleep(time.Millisecond)
		}
		const more = 15_000
		seen := map[string]int{}
		var got []hfhub.LogLine
		for line, err := range c.Spaces.Logs(t.Context(), space, &hfhub.LogOptions{Follow: true}) {
			if err != nil {
				t.Fatalf("Logs: %v", err)
			}
			got = append(got, line)
			if strings.HasPrefix(line.Text, "a ") || strings.HasPrefix(line.Text, "b ") {
				seen[line.Text]++ // the seed's lines need not be unique
			}
			if line.Text == "a 100" {
				ct.cut()
				// Many lines with the same time, then time moves: groups
				// of 100 lines stamped alike.
				for i := range more {
					emu.AppendLog(space, false, fmt.Sprintf("b %d", i))
					if i%100 == 99 {
						time.Sleep(time.Millisecond)
					}
				}
			}
			if line.Text == fmt.Sprintf("b %d", more-1) {
				break
			}
		}
		dups := 0
		for text, n := range seen {
			if n > 1 {
				dups += n - 1
				if dups < 5 {
					t.Errorf("line %q delivered %d times", text, n)
				}
			}
		}
		if dups > 0 {
			t.Errorf("%d lines delivered twice", dups)
		}
		if n := ct.conns.Load(); n != 2 {
			t.Errorf("%d connections, want 2", n)
		}
		// The lines after the cut: the a-lines buffered before it, then
		// the b-lines the emulator kept, the first marked as after a gap,
		// and none missing from there on.
		gaps := 0
		first := -1
		for i, l := range got {
			if l.Gap {
				gaps++
				first = i
			}
		}
		if gaps != 1 || !strings.HasPrefix(got[first].Text, "b ") {
			t.Fatalf("%d lines marked Gap (first at %d), want one, the first b-line delivered", gaps, first)
		}
		var from int
		fmt.Sscanf(got[first].Text, "b %d", &from)
		for i, l := range got[first:] {
			if want := fmt.Sprintf("b %d", from+i); l.Text != want {
				t.Fatalf("line %d after the gap is %q, want %q", i, l.Text, want)
			}
		}
		if kept := more - from; kept < 10_000 {
			t.Errorf("%d b-lines delivered after the gap, want the 10,000 or more the emulator kept", kept)
		}
		if got[first-1].Text[0] != 'a' {
			t.Errorf("the line before the gap is %q, want an a-line", got[first-1].Text)
		}
	})
}

// A log stream the server cuts after the same events on every connection
// (the emulator's logs:cut fault) brings nothing new after the first:
// Logs gives up after 5 reconnections with an error, instead of
// reconnecting in silence for ever.
func TestEmulator_FollowGivesUpOnAStreamCutAfterTheSameEvents(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		faults, err := emulator.ParseFaults("logs:cut=2")
		if err != nil {
			t.Fatal(err)
		}
		emu, err := emulator.New(emulator.Config{Seed: emulator.DemoSeed, Faults: faults})
		if err != nil {
			t.Fatal(err)
		}
		defer emu.Close()
		for i := range 5 {
			emu.AppendLog("demo/gradio-app", false, fmt.Sprintf("line %d", i))
		}
		ct := &cuttableTransport{base: emu.Transport()}
		c, err := hfhub.NewClient(hfhub.WithEndpoint("https://hub.test"), hfhub.WithToken(emulator.DemoWriteToken),
			hfhub.WithHTTPClient(&http.Client{Transport: ct}))
		if err != nil {
			t.Fatal(err)
		}
		var got []hfhub.LogLine
		var errs []error
		for line, err := range c.Spaces.Logs(t.Context(), "demo/gradio-app", &hfhub.LogOptions{Follow: true}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, line)
		}
		if len(got) != 2 {
			t.Errorf("%d lines, want the 2 the stream brings", len(got))
		}
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "5 reconnections in a row brought no new line") {
			t.Errorf("errors %v, want one: the stream given up", errs)
		}
		if n := ct.conns.Load(); n != 6 {
			t.Errorf("%d connections, want 6", n)
		}
	})
}

// BenchmarkLogsBufferedOverLoopback times a buffered read (no Follow) of a
// run log through the emulator served on 127.0.0.1, as `hfspaces logs`
// does it: the whole history, then the end of the read. The reference
// client always waits its 5 s read timeout after the last line
// (docs/PERFORMANCE.md):
//
//	go test -run '^$' -bench 'LogsBufferedOverLoopback' -benchtime 5x -count 3 .
func BenchmarkLogsBufferedOverLoopback(b *testing.B) {
	for _, bc := range []struct {
		name  string
		lines int
		busy  bool // the Space logs a line every 50 ms meanwhile
	}{{"quiet/10_lines", 10, false}, {"quiet/10000_lines", 10_000, false}, {"logging/10000_lines", 10_000, true}} {
		b.Run(bc.name, func(b *testing.B) {
			srv := emulatortest.NewServer(b, emulator.Config{Seed: emulator.DemoSeed})
			emu := srv.Emulator
			for i := range bc.lines {
				emu.AppendLog("demo/gradio-app", false, fmt.Sprintf("history line %d", i))
			}
			if bc.busy {
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					tick := time.NewTicker(50 * time.Millisecond)
					defer tick.Stop()
					for {
						select {
						case <-stop:
							return
						case <-tick.C:
							emu.AppendLog("demo/gradio-app", false, "busy")
						}
					}
				}()
				b.Cleanup(func() { close(stop); <-done })
			}
			c, err := hfhub.NewClient(hfhub.WithEndpoint(srv.URL), hfhub.WithToken(emulator.DemoWriteToken))
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for b.Loop() {
				n = 0
				for _, err := range c.Spaces.Logs(b.Context(), "demo/gradio-app", nil) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
			}
			if n < bc.lines {
				b.Fatalf("%d lines read, want at least %d", n, bc.lines)
			}
			b.ReportMetric(float64(n), "lines/op")
		})
	}
}
