package emulator

import (
	"net/http"
	"time"
)

// handleLogs streams a Space's build or run log as Server-Sent Events. Every
// connection replays the log from its start; the stream then follows new
// lines while more can come, with keep-alives, and ends right after the
// replay when nothing more can (a finished build, a stopped app).
func (e *Emulator) handleLogs(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	if kind != "build" && kind != "run" {
		fail(w, http.StatusNotFound, "", "Sorry, we can't find the page you are looking for.")
		return
	}
	build := kind == "build"
	c := callerOf(r)
	cut, _ := r.Context().Value(cutKey).(int)
	if cut == 0 {
		cut = -1
	}

	e.mu.Lock()
	s := e.spaces[spaceID(r)]
	var rec *spaceRecord
	if s != nil {
		rec = &s.rec
	}
	if err := e.authorize(c, rec, accessRead); err != nil {
		e.mu.Unlock()
		failErr(w, err)
		return
	}
	st := e.logState(s, build)
	e.mu.Unlock()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	// The Date of a log answer is the emulator's clock, the one its lines
	// are stamped with: clients end a buffered read at the first line
	// stamped after it.
	h.Set("Date", e.clock.Now().UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)

	sent := 0 // events written, keep-alives excluded
	// cutNow breaks the connection mid-stream. What was written goes out
	// first: a net/http server drops unflushed output when a handler aborts,
	// and the fault is "cut after N events", not "fail at once".
	cutNow := func() {
		_ = rc.Flush()
		panic(http.ErrAbortHandler)
	}
	// A client that stops reading is cut off once a write has waited a
	// minute, rather than holding the stream (and its goroutine) forever.
	// Servers whose connections take no deadline ignore it.
	// Cleared at the end, for the connection's next request.
	deadline := func() { _ = rc.SetWriteDeadline(time.Now().Add(time.Minute)) }
	defer rc.SetWriteDeadline(time.Time{})
	write := func(lines []LogLine) bool {
		deadline()
		for _, l := range lines {
			if sent == cut {
				cutNow()
			}
			if _, err := w.Write(sseEvent(l)); err != nil {
				return false
			}
			sent++
		}
		return rc.Flush() == nil
	}
	if !write(st.lines) || !st.open {
		if sent == cut {
			cutNow()
		}
		return
	}
	pos := st.dropped + len(st.lines) // lines of this log seen, dropped ones included
	keepAlive := e.clock.NewTimer(e.cfg.KeepAlive)
	defer func() { keepAlive.Stop() }()
	for {
		var wake <-chan time.Time
		var wakeTimer Timer
		if !st.next.IsZero() {
			wakeTimer = e.clock.NewTimer(st.next.Sub(e.clock.Now()))
			wake = wakeTimer.C()
		}
		select {
		case <-r.Context().Done():
		case <-e.done:
		case <-st.changed:
		case <-wake:
		case <-keepAlive.C():
			deadline()
			if _, err := w.Write([]byte("data:\n\n")); err != nil || rc.Flush() != nil {
				stopTimer(wakeTimer)
				return
			}
			keepAlive = e.clock.NewTimer(e.cfg.KeepAlive)
			stopTimer(wakeTimer)
			continue
		}
		stopTimer(wakeTimer)
		if r.Context().Err() != nil {
			return
		}
		select {
		case <-e.done:
			return
		default:
		}
		e.mu.Lock()
		gen := st.gen
		st = e.logState(s, build)
		e.mu.Unlock()
		if st.gen != gen || st.deleted || st.dropped+len(st.lines) < pos {
			return
		}
		// Lines dropped before this stream could send them are lost to
		// it, as to a reader that fell too far behind.
		fresh := st.lines[max(pos-st.dropped, 0):]
		pos = st.dropped + len(st.lines)
		if len(fresh) > 0 {
			if !write(fresh) {
				return
			}
			keepAlive.Stop()
			keepAlive = e.clock.NewTimer(e.cfg.KeepAlive)
		}
		if !st.open {
			return
		}
	}
}

func stopTimer(t Timer) {
	if t != nil {
		t.Stop()
	}
}

// logSnapshot is what a log stream needs to know about a Space at a moment.
type logSnapshot struct {
	lines   []LogLine
	dropped int // lines dropped before lines[0]
	gen     int
	open    bool
	deleted bool
	next    time.Time
	changed chan struct{}
}

// logState settles the Space and takes a snapshot of one of its logs.
// e.mu must be held.
func (e *Emulator) logState(s *space, build bool) logSnapshot {
	if e.spaces[s.rec.ID] != s {
		return logSnapshot{deleted: true, changed: s.changed}
	}
	if e.settle(&s.rec, e.clock.Now()) {
		e.notify(s)
	}
	st := logSnapshot{open: logOpen(&s.rec, build), next: nextWake(&s.rec), changed: s.changed}
	if build {
		st.lines, st.dropped, st.gen = s.rec.BuildLog, s.rec.BuildLogDropped, s.rec.BuildGen
	} else {
		st.lines, st.dropped, st.gen = s.rec.RunLog, s.rec.RunLogDropped, s.rec.RunGen
	}
	// The slice is only ever appended to or replaced under e.mu, so the
	// part seen now stays valid without a copy.
	st.lines = st.lines[:len(st.lines):len(st.lines)]
	return st
}

// sseEvent is one log line as the Hub sends it.
func sseEvent(l LogLine) []byte {
	b, _ := jsonBytes(obj{{"data", l.Data}, {"timestamp", hubTime(l.Timestamp)}})
	out := make([]byte, 0, len(b)+8)
	out = append(out, "data: "...)
	out = append(out, b...)
	return append(out, '\n', '\n')
}
