package iostreams

import (
	"fmt"
	"io"
	"sync"
	"time"
)

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// spinner draws an animated frame and a label on one line of a terminal,
// and the time since a moment when there is one.
type spinner struct {
	w     io.Writer
	cs    *ColorScheme
	mu    sync.Mutex
	label string
	since time.Time // zero: no time shown
	stop  chan struct{}
	done  chan struct{}
}

func (sp *spinner) run() {
	defer close(sp.done)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		sp.mu.Lock()
		line := spinnerFrames[i%len(spinnerFrames)] + " " + sp.label
		if !sp.since.IsZero() {
			line += " " + sp.cs.Gray(elapsedText(time.Since(sp.since)))
		}
		fmt.Fprintf(sp.w, "\r\x1b[K%s", line)
		sp.mu.Unlock()
		select {
		case <-sp.stop:
			fmt.Fprint(sp.w, "\r\x1b[K")
			return
		case <-t.C:
		}
	}
}

// StartProgressIndicator shows a spinner with label on standard error when it
// is a terminal; otherwise it does nothing. Calling it again while a spinner
// runs only changes the label.
func (s *IOStreams) StartProgressIndicator(label string) {
	s.startProgress(label, time.Time{})
}

// StartProgressIndicatorSince is StartProgressIndicator with the time since
// since after the label ("Waiting for demo/app: BUILDING 12s"), counting up
// as the spinner turns.
func (s *IOStreams) StartProgressIndicatorSince(label string, since time.Time) {
	s.startProgress(label, since)
}

// SetProgressIndicatorEnabled allows or forbids the spinner, which is
// allowed when standard error is a terminal. --debug forbids it: its trace
// shares standard error.
func (s *IOStreams) SetProgressIndicatorEnabled(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.progressOff = !v
}

// ProgressIndicatorEnabled reports whether StartProgressIndicator draws a
// spinner; when it does not, long work reports its progress in lines.
func (s *IOStreams) ProgressIndicatorEnabled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderrTTY && !s.progressOff
}

func (s *IOStreams) startProgress(label string, since time.Time) {
	if !s.ProgressIndicatorEnabled() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.progress != nil {
		s.progress.mu.Lock()
		s.progress.label, s.progress.since = label, since
		s.progress.mu.Unlock()
		return
	}
	sp := &spinner{w: s.ErrOut, cs: s.ErrColorScheme(), label: label, since: since, stop: make(chan struct{}), done: make(chan struct{})}
	s.progress = sp
	go sp.run()
}

// elapsedText writes 0s, 59s, 1m01s, 1h02m.
func elapsedText(d time.Duration) string {
	secs := int(d / time.Second)
	switch {
	case secs < 60:
		return fmt.Sprintf("%ds", secs)
	case secs < 3600:
		return fmt.Sprintf("%dm%02ds", secs/60, secs%60)
	}
	return fmt.Sprintf("%dh%02dm", secs/3600, secs%3600/60)
}

// StopProgressIndicator removes the spinner, if any, and clears its line.
func (s *IOStreams) StopProgressIndicator() {
	s.mu.Lock()
	sp := s.progress
	s.progress = nil
	s.mu.Unlock()
	if sp == nil {
		return
	}
	close(sp.stop)
	<-sp.done
}
