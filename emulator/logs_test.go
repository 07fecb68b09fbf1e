package emulator

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// event is one SSE event as a client sees it: a log line, or a keep-alive
// (Keep), or the end of the stream (Err, io.EOF for a clean end).
type event struct {
	Data string
	Keep bool
	At   time.Time // when the client received it
	Err  error
}

// openLog opens a log stream and delivers its events on a channel, which is
// closed after the end of the stream. Cancel the context to hang up.
func openLog(t *testing.T, client *http.Client, url, token string) <-chan event {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		resp.Body.Close()
		t.Fatalf("log stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	ch := make(chan event, 1000)
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		rd := bufio.NewReader(resp.Body)
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				ch <- event{Err: err}
				return
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case line == "":
			case line == "data:":
				ch <- event{Keep: true, At: time.Now()}
			case strings.HasPrefix(line, "data: "):
				var v struct {
					Data      string `json:"data"`
					Timestamp string `json:"timestamp"`
				}
				if err := json.Unmarshal([]byte(line[len("data: "):]), &v); err != nil || v.Timestamp == "" {
					ch <- event{Err: errors.New("bad event: " + line)}
					return
				}
				ch <- event{Data: v.Data, At: time.Now()}
			default:
				ch <- event{Err: errors.New("unexpected line: " + line)}
				return
			}
		}
	}()
	return ch
}

// collect takes the events that have arrived, without waiting.
func collect(ch <-chan event) []event {
	var out []event
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return out
			}
			out = append(out, ev)
		default:
			return out
		}
	}
}

func datas(evs []event) []string {
	var out []string
	for _, ev := range evs {
		switch {
		case ev.Keep:
			out = append(out, "<keep-alive>")
		case ev.Err == io.EOF:
			out = append(out, "<end>")
		case ev.Err != nil:
			out = append(out, "<error>")
		default:
			out = append(out, ev.Data)
		}
	}
	return out
}

// TestLogsFollowBuild follows a build log under synctest: it replays what
// is there, receives each build step as it happens, and ends when the
// build is done.
func TestLogsFollowBuild(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo", BuildDuration: 9 * time.Second, StartDuration: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		client := &http.Client{Transport: e.Transport()}
		h := &hub{t: t, e: e, client: client, base: "http://hub.test"}
		start := time.Now()
		mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/restart", DemoWriteToken, nil), 200)
		e.mu.Lock()
		buildSteps := e.spaces["demo/gradio-app"].rec.steps() // what its files call for
		e.mu.Unlock()
		ch := openLog(t, client, h.base+"/api/spaces/demo/gradio-app/logs/build", DemoWriteToken)
		synctest.Wait()
		if got := datas(collect(ch)); len(got) != 2 || !strings.HasPrefix(got[0], "===== Build Queued") {
			t.Fatalf("replay: %q", got)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if got := datas(collect(ch)); !cmp.Equal(got, []string{buildSteps[0]}) {
			t.Fatalf("after 1 s: %q", got)
		}
		time.Sleep(8 * time.Second)
		synctest.Wait()
		got := collect(ch)
		want := append(append([]string{}, buildSteps[1:]...), "--> Pushing image\n", "DONE 1.2s\n", "<end>")
		if diff := cmp.Diff(want, datas(got)); diff != "" {
			t.Fatalf("rest of the build (-want +got):\n%s", diff)
		}
		if end := got[len(got)-2].At.Sub(start); end != 9*time.Second {
			t.Errorf("the build ended after %v, want 9s", end)
		}
		// A new connection replays it all and ends at once.
		again := openLog(t, client, h.base+"/api/spaces/demo/gradio-app/logs/build", DemoWriteToken)
		synctest.Wait()
		if n := len(collect(again)); n != 3+len(want) {
			t.Errorf("replay of a finished build: %d events, want %d", n, 3+len(want))
		}
	})
}

// TestLogsFollowRun follows a live run log: lines a test adds arrive, a
// keep-alive comes after 15 s of silence and not before, and the stream
// ends when the Space is paused.
func TestLogsFollowRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo"})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		client := &http.Client{Transport: e.Transport()}
		url := "http://hub.test/api/spaces/demo/gradio-app/logs/run"
		ch := openLog(t, client, url, "")
		synctest.Wait()
		replay := datas(collect(ch))
		if len(replay) == 0 || !strings.HasPrefix(replay[0], "===== Application Startup") {
			t.Fatalf("replay: %q", replay)
		}
		e.AppendLog("demo/gradio-app", false, "hello from the test")
		synctest.Wait()
		if diff := cmp.Diff([]string{"hello from the test\n"}, datas(collect(ch))); diff != "" {
			t.Fatalf("appended line (-want +got):\n%s", diff)
		}
		time.Sleep(15*time.Second - time.Millisecond)
		synctest.Wait()
		if got := collect(ch); len(got) != 0 {
			t.Fatalf("before 15 s of silence: %q", datas(got))
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if diff := cmp.Diff([]string{"<keep-alive>"}, datas(collect(ch))); diff != "" {
			t.Fatalf("after 15 s (-want +got):\n%s", diff)
		}
		// A second connection replays from the start.
		ch2 := openLog(t, client, url, "")
		synctest.Wait()
		if diff := cmp.Diff(append(replay, "hello from the test\n"), datas(collect(ch2))); diff != "" {
			t.Errorf("second connection (-want +got):\n%s", diff)
		}
		h := &hub{t: t, e: e, client: client, base: "http://hub.test"}
		mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/pause", DemoWriteToken, nil), 200)
		synctest.Wait()
		if diff := cmp.Diff([]string{"<end>"}, datas(collect(ch))); diff != "" {
			t.Errorf("after pause (-want +got):\n%s", diff)
		}
		// A paused Space's run log ends right after the replay.
		ch3 := openLog(t, client, url, "")
		synctest.Wait()
		if got := datas(collect(ch3)); len(got) == 0 || got[len(got)-1] != "<end>" {
			t.Errorf("paused Space's run log: %q", got)
		}
	})
}

// TestLogsOverLoopback checks that streaming works through a real server:
// events are flushed as they happen.
func TestLogsOverLoopback(t *testing.T) {
	t.Parallel()
	srv := NewTestServer(t, Config{Seed: "demo", Clock: NewFakeClock(t0)})
	ch := openLog(t, srv.Client(), srv.URL+"/api/spaces/demo/gradio-app/logs/run", DemoReadToken)
	// The replay ends with the seed's last line.
	for ev := range ch {
		if ev.Err != nil {
			t.Fatalf("stream ended during the replay: %v", ev.Err)
		}
		if ev.Data == "Loaded model demo/tiny-model in 0.4s\n" {
			break
		}
	}
	srv.Emulator.AppendLog("demo/gradio-app", false, "live line")
	if ev := <-ch; ev.Data != "live line\n" {
		t.Fatalf("got %+v, want the live line", ev)
	}
}

// TestLogsNotOpenWhenBroken: a failed build's log ends after the replay.
func TestLogsNotOpenWhenBroken(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	r := h.do("GET", "/api/spaces/demo/broken-build/logs/build", "", nil)
	mustStatus(t, r, 200)
	if !strings.Contains(string(r.body), `ERROR: Could not find a version`) || !strings.HasSuffix(string(r.body), "\n\n") {
		t.Errorf("broken build log:\n%s", r.body)
	}
	r = h.do("GET", "/api/spaces/demo/broken-build/logs/run", "", nil)
	if r.status != 200 || len(r.body) != 0 {
		t.Errorf("run log of a Space that never ran: %d %q", r.status, r.body)
	}
}

// TestLogsStaticSpaceEnd: a static Space neither builds nor runs an app,
// so nothing can come to its logs: both streams end after the replay.
func TestLogsStaticSpaceEnd(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo"})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		client := &http.Client{Transport: e.Transport()}
		for _, kind := range []string{"build", "run"} {
			ch := openLog(t, client, "http://hub.test/api/spaces/demo/static-site/logs/"+kind, "")
			synctest.Wait()
			if got := datas(collect(ch)); len(got) == 0 || got[len(got)-1] != "<end>" {
				t.Errorf("%s log of a static Space: %q, want it to end", kind, got)
			}
		}
	})
}

// TestLogsBounded: a log keeps its newest lines only, so a Space that logs
// forever does not grow memory (or its record in the data file) without
// bound; a follower that keeps up still receives every line, in order.
func TestLogsBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Seed: "demo"})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		client := &http.Client{Transport: e.Transport()}
		url := "http://hub.test/api/spaces/demo/gradio-app/logs/run"
		ch := openLog(t, client, url, "")
		synctest.Wait()
		collect(ch)
		const total = 3 * maxLogLines
		var got []string
		for i := range total {
			e.AppendLog("demo/gradio-app", false, fmt.Sprintf("line %d", i))
			if i%100 == 99 {
				synctest.Wait()
				got = append(got, datas(collect(ch))...)
			}
		}
		if len(got) != total || got[0] != "line 0\n" || got[total-1] != fmt.Sprintf("line %d\n", total-1) {
			t.Fatalf("follower received %d lines (%.20q … %.20q), want %d in order", len(got), got[:1], got[len(got)-1:], total)
		}
		for i, l := range got {
			if l != fmt.Sprintf("line %d\n", i) {
				t.Fatalf("follower line %d is %q", i, l)
			}
		}
		e.mu.Lock()
		kept := len(e.spaces["demo/gradio-app"].rec.RunLog)
		e.mu.Unlock()
		if kept > maxLogLines+maxLogLines/4 {
			t.Errorf("the run log holds %d lines, want at most %d", kept, maxLogLines+maxLogLines/4)
		}
		// A new connection replays what is kept, ending with the newest
		// (paused, so that the stream ends after the replay).
		h := &hub{t: t, e: e, client: client, base: "http://hub.test"}
		mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/pause", DemoWriteToken, nil), 200)
		replay := strings.Split(strings.TrimSuffix(string(h.do("GET", "/api/spaces/demo/gradio-app/logs/run", "", nil).body), "\n\n"), "\n\n")
		if last := replay[len(replay)-1]; len(replay) != kept || !strings.Contains(last, fmt.Sprintf(`"line %d\n"`, total-1)) {
			t.Errorf("replay: %d events ending %q, want %d ending with the newest line", len(replay), last, kept)
		}
	})
}

// TestLogs_DateIsTheEmulatorsClock: a log answer's Date is the time its
// lines are stamped with, a fake clock's included.
func TestLogs_DateIsTheEmulatorsClock(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC)
	srv := NewTestServer(t, Config{Seed: "demo", Clock: NewFakeClock(t0)})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/api/spaces/demo/gradio-app/logs/run", nil)
	req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	resp, err := srv.Client().Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil || !got.Equal(t0) {
		t.Errorf("Date = %q (%v), want %s", resp.Header.Get("Date"), err, t0.Format(http.TimeFormat))
	}
}
