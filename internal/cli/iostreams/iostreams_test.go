package iostreams

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestColourAllowed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{env: map[string]string{}, want: true},
		{env: map[string]string{"NO_COLOR": "1"}, want: false},
		{env: map[string]string{"NO_COLOR": ""}, want: true},
		{env: map[string]string{"TERM": "dumb"}, want: false},
	}
	for _, tt := range tests {
		if got := colourAllowed(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("colourAllowed(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
}

func TestColorSchemeOff(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := Test()
	if got := ios.ColorScheme().Green("RUNNING"); got != "RUNNING" {
		t.Errorf("colour off: %q", got)
	}
	ios.SetColorEnabled(true)
	if got := ios.ColorScheme().Green("RUNNING"); got != "\x1b[32mRUNNING\x1b[0m" {
		t.Errorf("colour on: %q", got)
	}
}

func TestErrColorSchemeFollowsStderr(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := Test()
	ios.SetColorEnabled(true)
	if got := ios.ErrColorScheme().Red("error:"); got != "error:" {
		t.Errorf("stderr not a colour terminal: %q", got)
	}
	ios.SetColorEnabled(false)
	ios.SetStderrColorEnabled(true)
	if got := ios.ErrColorScheme().Red("error:"); got != "\x1b[31merror:\x1b[0m" {
		t.Errorf("stderr a colour terminal: %q", got)
	}
	if got := ios.ColorScheme().Red("x"); got != "x" {
		t.Errorf("stdout colour follows stderr: %q", got)
	}
}

func TestReadPasswordOffTerminal(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := Test()
	ios.SetPasswordReader(func() (string, error) { return "secret\n", nil })
	if _, err := ios.ReadPassword(t.Context()); err == nil {
		t.Error("ReadPassword off a terminal succeeded")
	}
	ios.SetStdinTTY(true)
	if v, err := ios.ReadPassword(t.Context()); err != nil || v != "secret" {
		t.Errorf("ReadPassword = %q, %v", v, err)
	}
}

// TestReadPasswordInterrupted: Ctrl-C during a hidden prompt returns at once
// and gives the terminal its echo back.
func TestReadPasswordInterrupted(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := Test()
	ios.SetStdinTTY(true)
	never := make(chan struct{})
	t.Cleanup(func() { close(never) })
	ios.SetPasswordReader(func() (string, error) { <-never; return "", nil })
	restored := false
	ios.saveTerminal = func() func() { return func() { restored = true } }
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := ios.ReadPassword(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadPassword after Ctrl-C: %v, want context.Canceled", err)
	}
	if !restored {
		t.Error("the terminal state was not restored")
	}
}

func TestSpinnerOnlyOnTerminal(t *testing.T) {
	t.Parallel()
	ios, _, _, errOut := Test()
	ios.StartProgressIndicator("working")
	ios.StopProgressIndicator()
	if errOut.Len() != 0 {
		t.Errorf("spinner wrote %q off a terminal", errOut)
	}
}

// TestSpinnerElapsedTicks: the time shown beside a wait's label counts up
// with the spinner, not only when the label changes (a wait may poll every
// ten seconds). Fake time: no sleeping.
func TestSpinnerElapsedTicks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ios, _, _, errOut := Test()
		ios.SetStderrTTY(true)
		ios.StartProgressIndicatorSince("Waiting for demo/app: BUILDING", time.Now())
		time.Sleep(61*time.Second + 50*time.Millisecond)
		ios.StopProgressIndicator()
		out := errOut.String()
		for _, want := range []string{"Waiting for demo/app: BUILDING 0s", "Waiting for demo/app: BUILDING 1s", "Waiting for demo/app: BUILDING 59s", "Waiting for demo/app: BUILDING 1m01s"} {
			if !strings.Contains(out, want+"\r") { // the next frame, or the clearing, starts with \r
				t.Errorf("no frame %q", want)
			}
		}
		if !strings.HasSuffix(out, "\r\x1b[K") {
			t.Errorf("the spinner's line is not cleared at the end: %q", out[max(0, len(out)-40):])
		}
	})
}
