package hfhub_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
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
