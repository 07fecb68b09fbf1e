package hfhub

import (
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
	// reopened. Without Follow, Logs yields what the server has buffered.
	Follow bool
	// IdleTimeout is how long the stream may go without news. Without
	// Follow, that long without a log line (keep-alives do not count)
	// means everything buffered has been read, and Logs returns (default
	// 5 s); a Space that logs more often than that is followed. With
	// Follow, that long without anything, not even a keep-alive, means the
	// connection is dead, and it is reopened (default 2 min). Only waiting
	// for the server counts: the time the loop body takes over a line does
	// not.
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
}

// errLogIdle is the cause of a connection closed for silence.
var errLogIdle = errors.New("log stream idle")

// Logs streams a Space's run log, or its build log with opts.Build. The
// Hub answers with Server-Sent Events (see LogLine for the text).
//
// Without opts.Follow, Logs yields the lines the server has buffered and
// returns once no line has come for opts.IdleTimeout: the Hub keeps the
// stream open, so a buffered read takes at least that long.
//
// With opts.Follow, Logs keeps yielding lines as the Space writes them,
// until the server ends the stream, ctx is done or the loop breaks. A
// dropped connection (reset, cut inside an event, silent for
// opts.IdleTimeout) is reopened after a backoff of 1 s doubling to 10 s
// (longer when a refused reconnection asked to wait, as a 429 does);
// after 5 failures in a row, a failure being a connection that delivered
// no event at all, the last error is yielded. The server replays the log
// from the start on every connection: the events delivered before are
// skipped, so every line reaches the caller exactly once and in order. If
// the first event of the replay differs from the first one delivered, the
// log was replaced (a new build), and it is delivered from its start.
//
// A non-2xx answer is yielded as the usual *APIError (errors.Is with
// ErrNotFound, …); connection errors, 408, 429 and 5xx are retried as the
// client's RetryPolicy says, nothing else. Keep-alives (empty events) and
// events of a type other than "message" are skipped. A log event that does
// not decode as {"data": "<text>", "timestamp": "<RFC 3339>"}, or whose
// data is over 1 MiB, is an error. Any error is yielded once and ends the
// sequence; when ctx is done the error is ctx.Err(). Breaking out of the
// loop closes the connection at once; Logs starts no goroutine of its own.
// Each range over the sequence reads the log anew, from a new connection.
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
		if o.IdleTimeout < 0 {
			yield(LogLine{}, fmt.Errorf("%w: log idle timeout %s is negative", ErrInvalidOption, o.IdleTimeout))
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

	delivered int     // log events yielded so far
	first     LogLine // the first of them, to recognise a replaced log
	lines     logDecoder
}

// connOutcome says how a connection ended.
type connOutcome int

const (
	connDone    connOutcome = iota // the sequence is over (ended, yielded an error, or the caller stopped)
	connDropped                    // the connection was lost; with Follow, reconnect
)

func (ls *logStream) run(ctx context.Context, policy RetryPolicy, yield func(LogLine, error) bool) {
	failures := 0
	for conn := 0; ; conn++ {
		outcome, progressed, err := ls.connection(ctx, conn > 0, yield)
		if outcome == connDone {
			return
		}
		if progressed {
			failures = 0
		}
		failures++
		if failures > policy.MaxRetries {
			yield(LogLine{}, fmt.Errorf("hfhub: Logs: the log stream was lost and %d reconnections in a row failed: %w", failures-1, err))
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
			"path", ls.cl.path, "failures", failures, "wait", wait, "delivered", ls.delivered, "error", err.Error())
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			yield(LogLine{}, ctx.Err())
			return
		case <-timer.C:
		}
	}
}

// connection reads one connection to its end. progressed reports that it
// delivered at least one event (keep-alives and skipped replays count);
// err says why a dropped connection was lost.
func (ls *logStream) connection(ctx context.Context, reconnecting bool, yield func(LogLine, error) bool) (outcome connOutcome, progressed bool, err error) {
	connCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	resp, err := ls.client.send(connCtx, ls.cl)
	if err != nil {
		if ctx.Err() != nil {
			yield(LogLine{}, ctx.Err())
			return connDone, false, nil
		}
		if reconnecting && transientLogError(err) {
			return connDropped, false, err
		}
		yield(LogLine{}, err)
		return connDone, false, nil
	}
	defer resp.Body.Close()
	if err := checkEventStream(resp.Header.Get("Content-Type")); err != nil {
		yield(LogLine{}, err)
		return connDone, false, nil
	}

	// The idle timer cancels the request, which closes the connection and
	// ends the blocked read. time.AfterFunc runs no goroutine until it
	// fires, and it is stopped before this returns.
	body := &idleReader{r: resp.Body, timeout: ls.opts.IdleTimeout, linesOnly: !ls.opts.Follow, restart: true}
	body.timer = time.AfterFunc(ls.opts.IdleTimeout, func() {
		if body.expired() {
			cancel(errLogIdle)
		}
	})
	defer body.timer.Stop()
	if ls.dec == nil {
		ls.dec = newSSEDecoder(body, maxEventSize)
	} else {
		ls.dec.Reset(body)
	}

	seen := 0 // log events on this connection
	for {
		ev, err := ls.dec.Next()
		if err != nil {
			return ls.ended(ctx, connCtx, err, progressed, yield)
		}
		progressed = true
		if len(ev.Data) == 0 || !(len(ev.Type) == 0 || string(ev.Type) == "message") {
			continue // a keep-alive, or an event that is not a log line
		}
		body.restart = true
		seen++
		if seen <= ls.delivered {
			if seen > 1 {
				continue // delivered before the connection was lost
			}
			line, err := ls.decode(ev.Data)
			if err == nil && line.Text == ls.first.Text && line.Timestamp.Equal(ls.first.Timestamp) {
				continue
			}
			// The replay starts differently: the log was replaced (a
			// rebuild). Deliver the new log from its start.
			ls.delivered = 0
		}
		line, err := ls.decode(ev.Data)
		if err != nil {
			yield(LogLine{}, fmt.Errorf("hfhub: Logs: malformed log event %d: %w", seen, err))
			return connDone, progressed, nil
		}
		if ls.delivered == 0 {
			ls.first = line
		}
		ls.delivered++
		if !yield(line, nil) {
			return connDone, progressed, nil
		}
	}
}

// ended classifies the error that ended a connection's stream.
func (ls *logStream) ended(ctx, connCtx context.Context, err error, progressed bool, yield func(LogLine, error) bool) (connOutcome, bool, error) {
	switch {
	case ctx.Err() != nil:
		yield(LogLine{}, ctx.Err())
		return connDone, progressed, nil
	case context.Cause(connCtx) == errLogIdle:
		// Checked before io.EOF: closing an idle connection can also end
		// the body cleanly, and that is not the server ending the stream.
		if !ls.opts.Follow {
			return connDone, progressed, nil // everything buffered has been read
		}
		return connDropped, progressed, fmt.Errorf("no data for %s", ls.opts.IdleTimeout)
	case err == io.EOF:
		return connDone, progressed, nil // the server ended the stream
	case errors.Is(err, errEventTooLarge):
		yield(LogLine{}, fmt.Errorf("hfhub: Logs: a log event is larger than %d bytes", maxEventSize))
		return connDone, progressed, nil
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("the stream was cut inside an event")
	}
	if ls.opts.Follow {
		return connDropped, progressed, err
	}
	yield(LogLine{}, fmt.Errorf("hfhub: Logs: reading the log stream: %w", err))
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
	r       io.Reader
	timeout time.Duration
	timer   *time.Timer // its function cancels the request when expired says so
	// linesOnly: the clock starts again only at the first read after a log
	// line (the reader's user sets restart), not after keep-alives. They
	// show that the connection lives, which is what Follow needs to know;
	// a buffered read needs to know that the buffered log is over, and a
	// server sending keep-alives more often than timeout would otherwise
	// hold it open for ever.
	linesOnly bool
	restart   bool // used by the reading goroutine only

	mu       sync.Mutex
	reading  bool
	deadline time.Time
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
	r.mu.Unlock()
	return n, err
}

// expired reports whether a read has been waiting for the full timeout. A
// timer that fired between reads, or whose function runs late, after a new
// read began, finds false.
func (r *idleReader) expired() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reading && !time.Now().Before(r.deadline)
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
