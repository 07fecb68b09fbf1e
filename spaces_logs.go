package hfhub

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// LogOptions chooses which log Logs reads and how.
type LogOptions struct {
	// Build reads the build log; otherwise the run (container) log.
	Build bool
	// Follow keeps streaming new lines until the server ends the stream,
	// the context is done or the caller stops. A dropped connection is
	// reopened. Without Follow, Logs yields the history: what the Space had
	// logged when the server answered (see Logs).
	Follow bool
	// Tail, when positive, keeps only the last Tail lines of the history:
	// they are yielded once the history has been read, then, with Follow,
	// every line logged after it. 0 yields the whole history.
	Tail int
	// IdleTimeout is how long the stream may go without news. Before the
	// server has sent anything, and without Follow, that long without a
	// log line ends the read (default 5 s). With Follow, once the history
	// is over, that long without anything, not even a keep-alive, means
	// the connection is dead, and it is reopened (default 2 min). Only
	// waiting for the server counts: the time the loop body takes over a
	// line does not.
	IdleTimeout time.Duration

	// reconnect paces reconnections with Follow; tests make it fast.
	// MaxRetries is how many failed connections in a row are tolerated.
	reconnect *RetryPolicy
}

// Defaults of LogOptions, as the reference client has them.
const (
	defaultLogIdle       = 5 * time.Second
	defaultLogFollowIdle = 2 * time.Minute
)

// logHistoryQuiet is how long the server may stay silent after the
// replay's first event before the history counts as read: the Hub writes
// the replay in one burst, then only what the Space logs. It is at most the
// idle timeout.
const logHistoryQuiet = 500 * time.Millisecond

// defaultLogReconnect: up to 5 reconnections in a row, 1 s doubling to 10 s.
var defaultLogReconnect = RetryPolicy{MaxRetries: 5, MinBackoff: time.Second, MaxBackoff: 10 * time.Second}

// LogLine is one event of a Space's log.
type LogLine struct {
	// Text is the log text as the server sent it, less one trailing "\n":
	// print it with fmt.Println. It may hold further newlines or carriage
	// returns (progress bars) when the program logged them in one write,
	// and it is empty for an empty line.
	Text string
	// Timestamp is when the Space logged the text; zero if the server
	// gave no valid RFC 3339 time.
	Timestamp time.Time
	// Gap reports that lines may be missing just before this one: after a
	// reconnection (Follow), the line delivered last was no longer in the
	// server's replay, because the log was replaced (a new build, a
	// restart) or the server dropped old lines past it while the
	// connection was down. Only lines that come after it in time (stamped
	// later, or stamped the same and ranked after it) are then delivered,
	// starting with this one, so none is delivered twice.
	Gap bool
}

// Causes of a connection closed on purpose.
var (
	errLogIdle      = errors.New("log stream idle")
	errHistoryQuiet = errors.New("log history read")
)

// Logs streams a Space's run log, or its build log with opts.Build. The
// Hub answers with Server-Sent Events (see LogLine for the text); on every
// connection it replays the log from its start, then sends what the Space
// logs.
//
// The history is what the Space had logged when the server answered. It
// ends at the first line stamped a second or more after the answer's Date
// header (the server's clock; Date counts whole seconds), or once the
// server has been silent for 500 ms after its first event (the replay
// comes in one burst), or when the server ends the stream. Without
// opts.Follow, Logs yields the history and returns, also on a Space that
// logs continuously; if the server sends nothing at all, it returns after
// opts.IdleTimeout. With opts.Tail, only the history's last Tail lines are
// yielded, once it has been read.
//
// With opts.Follow, Logs keeps yielding lines as the Space writes them,
// until the server ends the stream, ctx is done or the loop breaks. A
// dropped connection (reset, cut inside an event, silent for
// opts.IdleTimeout) is reopened after a backoff of 1 s doubling to 10 s
// (longer when a refused reconnection asked to wait, as a 429 does). A
// reconnection that delivers no new line is a failure; after 5 failures in
// a row, the last error is yielded. On a reconnection, Logs finds the
// last line it delivered in the replay (by timestamp, text, and rank among
// the lines stamped the same) and delivers what follows it, so every line
// reaches the caller exactly once and in order. If that line is no longer
// in the replay, only lines that come after it in time are delivered, the
// first one marked Gap. With opts.Tail, a history that ends in silence costs one
// reconnection (the first connection is closed to deliver the tail at
// once). The Hub's logs are in time order; a log whose timestamps go back
// can lose lines on a reconnection.
//
// A non-2xx answer is yielded as the usual *APIError (errors.Is with
// ErrNotFound, …); connection errors, 408, 429 and 5xx are retried as the
// client's RetryPolicy says, nothing else. Keep-alives (empty events) and
// events of a type other than "message" are skipped. A log event that does
// not decode as {"data": "<text>", "timestamp": "<RFC 3339>"}, or whose
// data is over 1 MiB, is an error. Any error is yielded once and ends the
// sequence; when ctx is done the error is ctx.Err(). With opts.Tail, the
// lines kept so far are yielded before an error. Breaking out of the loop
// closes the connection at once; Logs starts no goroutine of its own. Each
// range over the sequence reads the log anew, from a new connection.
func (s *SpacesService) Logs(ctx context.Context, repoID string, opts *LogOptions) iter.Seq2[LogLine, error] {
	return func(yield func(LogLine, error) bool) {
		if ctx == nil {
			yield(LogLine{}, nilContextError("Logs"))
			return
		}
		if err := validateSpaceID(repoID); err != nil {
			yield(LogLine{}, err)
			return
		}
		var o LogOptions
		if opts != nil {
			o = *opts
		}
		if err := o.valid(); err != nil {
			yield(LogLine{}, err)
			return
		}
		if o.IdleTimeout == 0 {
			o.IdleTimeout = defaultLogIdle
			if o.Follow {
				o.IdleTimeout = defaultLogFollowIdle
			}
		}
		policy := defaultLogReconnect
		if o.reconnect != nil {
			policy = o.reconnect.withDefaults()
		}
		kind := "run"
		if o.Build {
			kind = "build"
		}
		ls := &logStream{
			client: s.client,
			opts:   o,
			cl: call{op: "Logs", method: http.MethodGet, path: spacePath(repoID, "logs", kind),
				retry: true, accept: "text/event-stream"},
			// Followed without a tail, the history is not told apart.
			history: !o.Follow || o.Tail > 0,
		}
		ls.run(ctx, policy, yield)
	}
}

// logStream is the state of one Logs iteration across its connections.
type logStream struct {
	client *Client
	opts   LogOptions
	cl     call
	dec    *sseDecoder
	lines  logDecoder

	// The last line passed on (yielded, or kept for the tail), where a
	// reconnection resumes.
	havePos bool
	pos     logPos
	gap     bool // the next line passed on follows a gap

	// The history: still being read; the first time stamped after it
	// (haveEnd: the server's answer had a Date); the lines kept for the tail.
	history bool
	haveEnd bool
	end     time.Time
	tail    []LogLine
}

// logPos is where a line is in a log: its timestamp (for a line without
// one, that of the line before it), its text, and how many lines before it
// bear the same timestamp.
type logPos struct {
	ts   time.Time
	text string
	rank int
}

// connOutcome says how a connection ended.
type connOutcome int

const (
	connDone    connOutcome = iota // the sequence is over (ended, yielded an error, or the caller stopped)
	connDropped                    // the connection was lost; with Follow, reconnect
	connReopen                     // closed on purpose at the end of the history: reconnect at once
)

func (ls *logStream) run(ctx context.Context, policy RetryPolicy, yield func(LogLine, error) bool) {
	failures := 0
	for conn := 0; ; conn++ {
		outcome, progressed, err := ls.connection(ctx, conn > 0, yield)
		if progressed {
			failures = 0
		}
		switch outcome {
		case connDone:
			return
		case connReopen:
			continue
		}
		failures++
		if failures > policy.MaxRetries {
			ls.fail(yield, fmt.Errorf("hfhub: Logs: the log stream was lost and %d reconnections in a row brought no new line: %w", failures-1, err))
			return
		}
		wait := policy.backoff(failures - 1)
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.RetryAfter > wait {
			// A 429 (or 503) that says how long to stay away; capped as
			// the client caps its own rate-limit waits.
			wait = min(apiErr.RetryAfter, ls.client.retry.MaxWait)
		}
		ls.client.logger.DebugContext(ctx, "hfhub: log stream lost, reconnecting",
			"path", ls.cl.path, "failures", failures, "wait", wait, "error", err.Error())
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			ls.fail(yield, ctx.Err())
			return
		case <-timer.C:
		}
	}
}

// fail yields the lines kept for the tail, then err.
func (ls *logStream) fail(yield func(LogLine, error) bool, err error) {
	if ls.endHistory(yield) {
		yield(LogLine{}, err)
	}
}

// endHistory marks the history read and yields the lines kept for the
// tail. It reports false if the caller stopped.
func (ls *logStream) endHistory(yield func(LogLine, error) bool) bool {
	if !ls.history {
		return true
	}
	ls.history = false
	tail := ls.tail
	ls.tail = nil
	if n := ls.opts.Tail; len(tail) > n {
		tail = tail[len(tail)-n:]
	}
	for _, l := range tail {
		if !yield(l, nil) {
			return false
		}
	}
	return true
}

// keep adds a line of the history to the tail; endHistory keeps the last
// Tail of them.
func (ls *logStream) keep(l LogLine) {
	if n := ls.opts.Tail; len(ls.tail) == 2*n {
		ls.tail = append(ls.tail[:0], ls.tail[n:]...)
	}
	ls.tail = append(ls.tail, l)
}

// pace sets how long a read may wait for the server, for the part of the
// stream being read: its start, the rest of the history, or what follows.
func (ls *logStream) pace(body *idleReader, eventSeen bool) {
	if ls.history && eventSeen {
		// Keep-alives do not show that more history is coming.
		body.set(min(logHistoryQuiet, ls.opts.IdleTimeout), true, errHistoryQuiet)
		return
	}
	// Without Follow, keep-alives do not hold a buffered read open; with
	// Follow, they show that the connection lives.
	body.set(ls.opts.IdleTimeout, !ls.opts.Follow, errLogIdle)
}

// connection reads one connection to its end. progressed reports that it
// passed on at least one new line; err says why a dropped connection was
// lost.
func (ls *logStream) connection(ctx context.Context, reconnecting bool, yield func(LogLine, error) bool) (outcome connOutcome, progressed bool, err error) {
	connCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	resp, err := ls.client.send(connCtx, ls.cl)
	if err != nil {
		if ctx.Err() != nil {
			ls.fail(yield, ctx.Err())
			return connDone, false, nil
		}
		if reconnecting && transientLogError(err) {
			return connDropped, false, err
		}
		ls.fail(yield, err)
		return connDone, false, nil
	}
	defer resp.Body.Close()
	if err := checkEventStream(resp.Header.Get("Content-Type")); err != nil {
		ls.fail(yield, err)
		return connDone, false, nil
	}
	if !reconnecting && ls.history {
		// The server's clock, to the second: a line stamped a second
		// after it was logged after the answer. The local clock is never
		// compared with the server's timestamps.
		if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			ls.end, ls.haveEnd = date.Add(time.Second), true
		}
	}

	// The idle timer cancels the request, which closes the connection and
	// ends the blocked read. time.AfterFunc runs no goroutine until it
	// fires, and it is stopped before this returns.
	body := &idleReader{r: resp.Body, atLineStart: true}
	ls.pace(body, false)
	body.timer = time.AfterFunc(ls.opts.IdleTimeout, func() {
		if cause := body.expired(); cause != nil {
			cancel(cause)
		}
	})
	defer body.timer.Stop()
	if ls.dec == nil {
		ls.dec = newSSEDecoder(body, maxEventSize)
	} else {
		ls.dec.Reset(body)
	}

	resumed := !ls.havePos // whether the last line passed on has been found
	eventSeen := false
	seen := 0 // log events on this connection
	var prev time.Time
	rank := 0
	for {
		ev, err := ls.dec.Next()
		if err != nil {
			return ls.ended(ctx, connCtx, err, progressed, yield)
		}
		if !eventSeen {
			eventSeen = true
			ls.pace(body, true)
		}
		if len(ev.Data) == 0 || !(len(ev.Type) == 0 || string(ev.Type) == "message") {
			continue // a keep-alive, or an event that is not a log line
		}
		seen++
		line, err := ls.decode(ev.Data)
		if err != nil {
			ls.fail(yield, fmt.Errorf("hfhub: Logs: malformed log event %d: %w", seen, err))
			return connDone, progressed, nil
		}
		// A line without a valid time is placed with the line before it.
		ts := line.Timestamp
		if ts.IsZero() {
			ts = prev
		}
		if seen > 1 && ts.Equal(prev) {
			rank++
		} else {
			prev, rank = ts, 0
		}
		if !resumed {
			p := &ls.pos
			switch {
			case rank == p.rank && ts.Equal(p.ts) && line.Text == p.text:
				resumed = true
				continue // the last line passed on; what follows is new
			case ts.After(p.ts) || ts.Equal(p.ts) && rank > p.rank:
				// Past where that line would be: it is gone (the log
				// was replaced or trimmed). This line is newer.
				resumed = true
				ls.gap = true
			default:
				continue // passed on before the connection was lost
			}
		}
		progressed = true
		if ls.history && ls.haveEnd && !line.Timestamp.Before(ls.end) {
			// Logged after the server answered: the history is over.
			if !ls.endHistory(yield) || !ls.opts.Follow {
				return connDone, progressed, nil
			}
			ls.pace(body, true)
		}
		ls.pos, ls.havePos = logPos{ts: ts, text: line.Text, rank: rank}, true
		if ls.gap {
			line.Gap, ls.gap = true, false
		}
		if ls.history && ls.opts.Tail > 0 {
			ls.keep(line)
			continue
		}
		if !yield(line, nil) {
			return connDone, progressed, nil
		}
	}
}

// ended classifies the error that ended a connection's stream.
func (ls *logStream) ended(ctx, connCtx context.Context, err error, progressed bool, yield func(LogLine, error) bool) (connOutcome, bool, error) {
	switch cause := context.Cause(connCtx); {
	case ctx.Err() != nil:
		ls.fail(yield, ctx.Err())
		return connDone, progressed, nil
	// The causes are checked before io.EOF: closing a connection can also
	// end the body cleanly, and that is not the server ending the stream.
	case cause == errHistoryQuiet:
		if !ls.endHistory(yield) || !ls.opts.Follow {
			return connDone, progressed, nil
		}
		return connReopen, progressed, nil
	case cause == errLogIdle:
		if !ls.opts.Follow {
			ls.endHistory(yield)
			return connDone, progressed, nil // the server sent nothing
		}
		return connDropped, progressed, fmt.Errorf("no data for %s", ls.opts.IdleTimeout)
	case err == io.EOF:
		ls.endHistory(yield)
		return connDone, progressed, nil // the server ended the stream
	case errors.Is(err, errEventTooLarge):
		ls.fail(yield, fmt.Errorf("hfhub: Logs: a log event is larger than %d bytes", maxEventSize))
		return connDone, progressed, nil
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("the stream was cut inside an event")
	}
	if ls.opts.Follow {
		return connDropped, progressed, err
	}
	ls.fail(yield, fmt.Errorf("hfhub: Logs: reading the log stream: %w", err))
	return connDone, progressed, nil
}

// transientLogError reports whether a failed reconnection is worth trying
// again: a connection error, 408, 429 or 5xx.
func transientLogError(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return retryableStatus(apiErr.StatusCode)
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// checkEventStream refuses an answer that is plainly not an event stream
// (a JSON document or an HTML page from a proxy), which would otherwise
// read as an empty log. Other types are accepted: the format is forgiving.
func checkEventStream(contentType string) error {
	if contentType == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil
	}
	if mt == "application/json" || mt == "text/html" {
		return fmt.Errorf("hfhub: Logs: the server answered with %s, not an event stream", mt)
	}
	return nil
}

// idleReader times the reads of a body: a read that waits timeout for the
// server is expired. Only the wait inside Read counts, not the time the
// caller spends on the lines between reads (a slow terminal, a pager): a
// log the caller reads slowly is not a silent server. The timer is re-armed
// once per read of the underlying body (64 KiB at a time on a busy stream),
// not once per line.
type idleReader struct {
	r     io.Reader
	timer *time.Timer // its function cancels the request with the cause expired gives

	mu      sync.Mutex
	timeout time.Duration
	// linesOnly: the clock starts again only after a read that brought
	// more than keep-alives (a log line, or part of one). Keep-alives show
	// that the connection lives, which is what Follow needs to know; a
	// read of the history needs to know that the history is over, and a
	// server sending keep-alives more often than timeout would otherwise
	// hold it open for ever.
	linesOnly   bool
	cause       error // why an expired read is cancelled
	restart     bool  // the next read starts the clock again
	atLineStart bool  // the last byte read ended a line
	reading     bool
	deadline    time.Time
}

// set changes the timing of the reads to come; the next one starts the
// clock again.
func (r *idleReader) set(timeout time.Duration, linesOnly bool, cause error) {
	r.mu.Lock()
	r.timeout, r.linesOnly, r.cause, r.restart = timeout, linesOnly, cause, true
	r.mu.Unlock()
}

func (r *idleReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	if r.restart || !r.linesOnly {
		r.deadline = time.Now().Add(r.timeout)
		r.restart = false
	}
	r.reading = true
	r.timer.Reset(time.Until(r.deadline))
	r.mu.Unlock()
	n, err := r.r.Read(p)
	r.mu.Lock()
	r.reading = false
	if n > 0 {
		if r.linesOnly && !keepAliveOnly(p[:n], r.atLineStart) {
			r.restart = true
		}
		r.atLineStart = p[n-1] == '\n' || p[n-1] == '\r'
	}
	r.mu.Unlock()
	return n, err
}

// keepAliveOnly reports whether chunk, read from the start of a line,
// holds nothing but whole keep-alive lines: blank lines, comments and
// empty data fields. Keep-alives are a few bytes; a larger chunk is not
// looked into.
func keepAliveOnly(chunk []byte, atLineStart bool) bool {
	if !atLineStart || len(chunk) > 256 {
		return false
	}
	for len(chunk) > 0 {
		i := bytes.IndexAny(chunk, "\r\n")
		if i < 0 {
			return false // a line cut short: more of it is coming
		}
		switch line := chunk[:i]; {
		case len(line) == 0, line[0] == ':', string(line) == "data:", string(line) == "data: ":
		default:
			return false
		}
		chunk = chunk[i+1:]
	}
	return true
}

// expired reports why a read that has been waiting for the full timeout
// must end, or nil. A timer that fired between reads, or whose function
// runs late, after a new read began, finds nil.
func (r *idleReader) expired() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reading && !time.Now().Before(r.deadline) {
		return r.cause
	}
	return nil
}

func (ls *logStream) decode(data []byte) (LogLine, error) { return ls.lines.decode(data) }

// logDecoder decodes log events' data, {"data":"<text>","timestamp":"<RFC
// 3339>"}. The common shape is scanned by hand, and a line costs one
// allocation, its text; anything unusual (unknown or repeated keys, escapes
// needing care, invalid UTF-8, null) goes to encoding/json, which has the
// last word. The zero value is ready to use; it is not safe for concurrent
// use.
type logDecoder struct {
	scratch []byte // unescaped text

	// The minute of the last timestamp, "2006-01-02T15:04", and its time:
	// consecutive lines mostly share it.
	minuteKey  [16]byte
	minute     time.Time
	haveMinute bool
}

func (d *logDecoder) decode(data []byte) (LogLine, error) {
	if line, ok := d.fast(data); ok {
		return line, nil
	}
	return slowLogLine(data)
}

// slowLogLine is the reference decoder.
func slowLogLine(data []byte) (LogLine, error) {
	var v struct {
		Data      *string `json:"data"`
		Timestamp *string `json:"timestamp"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return LogLine{}, err
	}
	if v.Data == nil {
		return LogLine{}, errors.New(`no "data" text in the event`)
	}
	line := LogLine{Text: strings.TrimSuffix(*v.Data, "\n")}
	if v.Timestamp != nil {
		var d logDecoder
		line.Timestamp = d.parseTime([]byte(*v.Timestamp))
	}
	return line, nil
}

// fast decodes the shape the Hub sends, or reports !ok for slowLogLine to
// decide. When ok, its answer is the one slowLogLine gives (the fuzz test
// checks).
func (d *logDecoder) fast(p []byte) (line LogLine, ok bool) {
	i := skipJSONSpace(p, 0)
	if i >= len(p) || p[i] != '{' {
		return LogLine{}, false
	}
	haveData, haveTime := false, false
	for {
		i = skipJSONSpace(p, i+1)
		if i >= len(p) || p[i] != '"' {
			return LogLine{}, false
		}
		// Keys are plain: anything else (escapes, other keys, which
		// encoding/json matches without regard to case) takes the slow path.
		end := indexByteFrom(p, i+1, '"')
		if end < 0 {
			return LogLine{}, false
		}
		key := p[i+1 : end]
		i = skipJSONSpace(p, end+1)
		if i >= len(p) || p[i] != ':' {
			return LogLine{}, false
		}
		i = skipJSONSpace(p, i+1)
		if i >= len(p) || p[i] != '"' {
			return LogLine{}, false
		}
		var val []byte
		val, i, d.scratch, ok = scanJSONString(p, i+1, d.scratch)
		if !ok {
			return LogLine{}, false
		}
		switch string(key) {
		case "data":
			if haveData {
				return LogLine{}, false
			}
			haveData = true
			if n := len(val); n > 0 && val[n-1] == '\n' {
				val = val[:n-1]
			}
			line.Text = string(val)
		case "timestamp":
			if haveTime {
				return LogLine{}, false
			}
			haveTime = true
			line.Timestamp = d.parseTime(val)
		default:
			return LogLine{}, false
		}
		i = skipJSONSpace(p, i)
		if i >= len(p) {
			return LogLine{}, false
		}
		if p[i] == ',' {
			continue
		}
		if p[i] != '}' {
			return LogLine{}, false
		}
		if skipJSONSpace(p, i+1) != len(p) || !haveData {
			return LogLine{}, false
		}
		return line, true
	}
}

func skipJSONSpace(p []byte, i int) int {
	for i < len(p) {
		switch p[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func indexByteFrom(p []byte, from int, c byte) int {
	for j := from; j < len(p); j++ {
		switch p[j] {
		case c:
			return j
		case '\\':
			return -1
		}
	}
	return -1
}

// jsonStringSpecial marks the bytes that end a plain run inside a JSON
// string: the closing quote, an escape, and control characters (invalid).
var jsonStringSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// skipPlainJSON returns the index of the first byte from i on that
// jsonStringSpecial marks, or len(p), and whether the bytes skipped include
// any over 0x7F (so UTF-8 must be checked). Eight bytes at a time: a word
// is plain unless one of its bytes is '"', '\\' or below 0x20 (the classic
// "has a zero byte" and "has a byte less than n" bit tricks, exact as
// tests; the byte loop then finds which).
func skipPlainJSON(p []byte, i int) (int, bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var seen uint64
	for ; i+8 <= len(p); i += 8 {
		w := binary.LittleEndian.Uint64(p[i:])
		quote, backslash := w^(ones*'"'), w^(ones*'\\')
		if ((quote-ones)&^quote|(backslash-ones)&^backslash|(w-ones*0x20)&^w)&highs != 0 {
			break
		}
		seen |= w
	}
	var seenByte byte
	for i < len(p) && !jsonStringSpecial[p[i]] {
		seenByte |= p[i]
		i++
	}
	return i, seen&highs != 0 || seenByte >= utf8.RuneSelf
}

// scanJSONString reads a JSON string whose opening quote is just before
// p[i]. It returns the string's bytes (a slice of p when there is no
// escape, else of scratch) and the index after the closing quote. It
// reports !ok for what encoding/json would refuse or rewrite: control
// characters, bad escapes, surrogate escapes and invalid UTF-8.
func scanJSONString(p []byte, i int, scratch []byte) (val []byte, next int, _ []byte, ok bool) {
	start, run := i, i
	buf := scratch[:0]
	escaped, nonASCII := false, false
	for {
		var high bool
		i, high = skipPlainJSON(p, i)
		nonASCII = nonASCII || high
		if i >= len(p) {
			return nil, 0, buf, false
		}
		switch c := p[i]; c {
		case '"':
			if escaped {
				buf = append(buf, p[run:i]...)
				val = buf
			} else {
				val = p[start:i]
			}
			// Escapes add only valid UTF-8; the raw bytes need checking
			// when they are not all ASCII.
			if nonASCII && !utf8.Valid(val) {
				return nil, 0, buf, false
			}
			return val, i + 1, buf, true
		case '\\':
			escaped = true
			buf = append(buf, p[run:i]...)
			if i+1 >= len(p) {
				return nil, 0, buf, false
			}
			switch e := p[i+1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(p, i+2)
				if !ok || utf16IsSurrogate(r) {
					return nil, 0, buf, false
				}
				buf = utf8.AppendRune(buf, r)
				i += 4
			default:
				return nil, 0, buf, false
			}
			i += 2
			run = i
		default: // a control character
			return nil, 0, buf, false
		}
	}
}

func hex4(p []byte, i int) (rune, bool) {
	if i+4 > len(p) {
		return 0, false
	}
	var r rune
	for _, c := range p[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func utf16IsSurrogate(r rune) bool { return 0xD800 <= r && r < 0xE000 }

// parseTime reads an RFC 3339 time, or gives the zero time. The Hub's own
// shape, UTC with "Z", is parsed by hand so that it does not allocate;
// anything else goes to time.Parse.
func (d *logDecoder) parseTime(b []byte) time.Time {
	if t, ok := d.parseUTC(b); ok {
		return t
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseUTC parses "2006-01-02T15:04:05[.fraction]Z", and reports !ok for
// anything else, including out-of-range fields (time.Parse decides those).
func (d *logDecoder) parseUTC(b []byte) (time.Time, bool) {
	// 2006-01-02T15:04:05Z is 20 bytes.
	if len(b) < 20 || b[len(b)-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	sec, ok := digits(b[17:19])
	if !ok || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		n, ok := digits(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			n *= 10
		}
		nsec = n
	}
	offset := time.Duration(sec)*time.Second + time.Duration(nsec)
	if d.haveMinute && string(b[:16]) == string(d.minuteKey[:]) {
		return d.minute.Add(offset), true
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return time.Time{}, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 {
		return time.Time{}, false
	}
	d.minute = time.Date(year, time.Month(month), day, hour, minute, 0, 0, time.UTC)
	copy(d.minuteKey[:], b[:16])
	d.haveMinute = true
	return d.minute.Add(offset), true
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
