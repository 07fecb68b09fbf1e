package iostreams

import (
	"fmt"
	"io"
	"sync"
	"time"
)

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// spinner draws an animated frame and a label on one line of a terminal.
type spinner struct {
	w     io.Writer
	mu    sync.Mutex
	label string
	stop  chan struct{}
	done  chan struct{}
}

func (sp *spinner) run() {
	defer close(sp.done)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		sp.mu.Lock()
		fmt.Fprintf(sp.w, "\r\x1b[K%s %s", spinnerFrames[i%len(spinnerFrames)], sp.label)
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
	if !s.stderrTTY {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.progress != nil {
		s.progress.mu.Lock()
		s.progress.label = label
		s.progress.mu.Unlock()
		return
	}
	sp := &spinner{w: s.ErrOut, label: label, stop: make(chan struct{}), done: make(chan struct{})}
	s.progress = sp
	go sp.run()
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
