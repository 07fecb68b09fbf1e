// Package emulator is a local, stateful emulator of the Hugging Face Hub's
// Spaces API: an http.Handler that speaks what the Hub speaks (the same
// paths, JSON shapes, nulls, status codes and headers, as recorded in the
// repository's cassettes) so Space automation can be developed and tested
// offline. It is an independent implementation: it shares no code or types
// with the client library.
//
// Time is injectable (Config.Clock), so a test drives a Space's life-cycle
// with a FakeClock, or runs the real clock inside a testing/synctest bubble
// through the in-memory transport (Emulator.Transport).
package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Tokens of the demo seed.
const (
	DemoWriteToken  = "hf_demo_write"  // user demo, role write
	DemoReadToken   = "hf_demo_read"   // user demo, role read
	OtherWriteToken = "hf_other_write" // user other, role write
)

// Messages the Hub uses, which clients match on.
const (
	msgInvalidCredentials = "Invalid credentials in Authorization header"
	msgInvalidUser        = "Invalid username or password."
	msgRepoNotFound       = "Repository not found"
)

// maxBody is the largest request body the emulator reads; more is 413.
const maxBody = 1 << 20

// exposeHeadersValue is the Hub's Access-Control-Expose-Headers, sent on
// every answer (a header value shared by all answers; nothing changes it).
var exposeHeadersValue = []string{exposeHeaders}

// exposeHeaders is the Hub's Access-Control-Expose-Headers.
const exposeHeaders = "X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,X-Xet-Access-Token,X-Xet-Token-Expiration,X-Xet-Refresh-Route,X-Xet-Cas-Url,X-Xet-Hash"

// Config configures an Emulator. The zero value is a valid, empty, in-memory
// emulator on the real clock whose builds and starts are instant.
type Config struct {
	// Seed names the initial state: "" for none, "demo" for the documented
	// demo seed (see DemoSeed). With a DataFile that already holds state the
	// seed is not applied again.
	Seed string
	// BuildDuration is how long the BUILDING phase lasts; 0 is instant.
	BuildDuration time.Duration
	// StartDuration is how long the APP_STARTING phase lasts; 0 is instant.
	StartDuration time.Duration
	// Clock is the source of time; nil means the real clock.
	Clock Clock
	// DataFile, when set, is a bbolt file holding the state: it survives
	// restarts, and every acknowledged write is on disk. "" keeps state in
	// memory. Spaces' file contents and LFS objects go to the folder
	// DataFile+".objects" (in memory, at most MaxMemoryObjects bytes).
	DataFile string
	// RateLimit limits requests per token (or per client address without
	// one) in a fixed window, as the Hub does; every answer carries the
	// RateLimit and RateLimit-Policy headers. Zero is DefaultRateLimit,
	// which is never reached.
	RateLimit RateLimit
	// Faults are injected into matching answers. See Fault.
	Faults []Fault
	// KeepAlive is the interval of SSE keep-alive events; 0 means 15 s,
	// the Hub's, which is also the shortest allowed.
	KeepAlive time.Duration
	// BodyTimeout is how long a request body may take to arrive, from when
	// the handler starts reading it, on servers whose connections take a
	// read deadline (net/http's do): a client that sends it slower gets a
	// 408 and its connection closed. 0 means 30 s.
	BodyTimeout time.Duration
	// ListPageSize is the most Spaces a page of GET /api/spaces holds, and
	// the size of a page when the request gives no limit (a larger limit
	// is cut to it); a Link header leads to the next page. 0 means 1000.
	ListPageSize int
	// Logger receives one line per request (never a token or a secret
	// value); nil discards.
	Logger *slog.Logger
}

// Emulator is an emulated Hub. It is an http.Handler, safe for concurrent
// use. Close it when done.
type Emulator struct {
	cfg      Config
	clock    Clock
	log      *slog.Logger
	mux      *http.ServeMux
	db       *bolt.DB
	store    *committer // nil without a data file
	wal      *os.File   // the data file's write-ahead log
	walEpoch uint64
	limits   *rateLimiter
	faults   *faultSet
	done     chan struct{}
	closed   sync.Once
	reqSeq   atomic.Uint64
	reqPfx   string
	paths    map[string]bool // the routes' paths, for the 404 of other methods
	ops      map[string]bool // the routes' operation names, which faults name

	mu       stateLock
	accounts map[string]*account
	tokens   map[string]*token
	spaces   map[string]*space

	git *objectStore // the Spaces' repositories' objects (blobs.go)

	// tokenIndex is a copy of tokens with each token's caller, replaced
	// (never changed) whenever tokens changes, so that authenticating a
	// request takes no lock and builds nothing.
	tokenIndex atomic.Pointer[map[string]caller]
}

// space is a Space and the channel its log followers wait on.
type space struct {
	rec     spaceRecord
	changed chan struct{} // closed and replaced on every change

	// What of its logs was last queued for the data file (see queueSave);
	// saved is false until the Space was queued once.
	saved                bool
	savedBuild, savedRun logVersion

	// runtimeJSON is the runtime answer as of the change that made
	// runtimeOf the current changed channel: every change notifies, so
	// while changed is the same the answer is too.
	runtimeJSON []byte
	runtimeOf   chan struct{}
}

// runtimeBody returns the Space's runtime answer, from the cache while the
// Space has not changed. e.mu must be held, and the Space settled.
func (s *space) runtimeBody() ([]byte, error) {
	if s.runtimeOf == s.changed && s.runtimeJSON != nil {
		return s.runtimeJSON, nil
	}
	b, err := appendJSON(make([]byte, 0, 256), runtimeObject(&s.rec))
	if err != nil {
		return nil, err
	}
	s.runtimeJSON, s.runtimeOf = b, s.changed
	return b, nil
}

// publishTokens makes the token index a copy of tokens. e.mu must be held.
func (e *Emulator) publishTokens() {
	m := make(map[string]caller, len(e.tokens))
	for value, t := range e.tokens {
		m[value] = caller{user: t.User, role: t.Role, key: "token:" + value}
	}
	e.tokenIndex.Store(&m)
}

// New returns an Emulator configured by cfg, loading its data file and
// applying its seed.
func New(cfg Config) (*Emulator, error) {
	e := &Emulator{
		cfg:      cfg,
		clock:    cfg.Clock,
		log:      cfg.Logger,
		done:     make(chan struct{}),
		accounts: map[string]*account{},
		tokens:   map[string]*token{},
		spaces:   map[string]*space{},
		git:      newObjectStore(cfg.DataFile),
	}
	if e.clock == nil {
		e.clock = realClock{}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.cfg.KeepAlive < 15*time.Second {
		e.cfg.KeepAlive = 15 * time.Second
	}
	e.reqPfx = fmt.Sprintf("Root=1-%08x-", uint32(e.clock.Now().Unix()))
	e.limits = newRateLimiter(cfg.RateLimit)
	if err := checkFaults(cfg.Faults); err != nil {
		return nil, err
	}
	e.faults = newFaultSet(cfg.Faults)
	if cfg.DataFile != "" {
		if err := e.openStore(cfg.DataFile); err != nil {
			return nil, err
		}
	}
	if len(e.accounts) == 0 && len(e.spaces) == 0 {
		// Seed in memory (there is no committer yet, so nothing is
		// queued), then write the seed in one transaction: a kill during
		// the first start leaves an empty file that is seeded again, never
		// a half-seeded one.
		err := e.applySeed(cfg.Seed)
		if err == nil {
			err = e.saveAll()
		}
		if err != nil {
			e.Close()
			return nil, err
		}
	}
	if e.db != nil {
		e.store = newCommitter(e.db, e.wal, e.walEpoch)
	}
	e.mu.Lock()
	e.publishTokens()
	e.mu.Unlock()
	e.routes()
	return e, nil
}

// Close ends every open log stream and closes the data file.
func (e *Emulator) Close() error {
	var err error
	e.closed.Do(func() {
		close(e.done)
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.store != nil {
			e.store.close()
		} else if e.wal != nil {
			e.wal.Close()
		}
		if e.db != nil {
			err = e.db.Close()
		}
	})
	return err
}

// Clock returns the emulator's clock.
func (e *Emulator) Clock() Clock { return e.clock }

type ctxKey int

const (
	callerKey ctxKey = iota
)

// caller is who sent a request. The zero value is anonymous.
type caller struct {
	user string
	role string
	key  string // rate-limit bucket
}

func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey).(caller)
	return c
}

// ServeHTTP answers one request as the Hub would.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Canonical keys set directly: this runs on every request.
	h["X-Request-Id"] = []string{e.requestID()}
	h["Access-Control-Expose-Headers"] = exposeHeadersValue
	c, ok := e.authenticate(r)
	if !ok {
		// Counted against the address, so that guessing tokens is limited
		// too, and answered with the RateLimit headers like any other.
		status := http.StatusTooManyRequests
		if e.limits.allow(w, "addr:"+clientAddr(r), e.clock.Now()) {
			status = http.StatusUnauthorized
			fail(w, status, "", msgInvalidCredentials)
		}
		e.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", status)
		return
	}
	if !e.limits.allow(w, c.key, e.clock.Now()) {
		e.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", http.StatusTooManyRequests)
		return
	}
	// A data file that failed refuses every write (see store.go).
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if err := e.writable(); err != nil {
			failErr(w, err)
			return
		}
	}
	// Any route, whether it reads its body or not; readBody catches the
	// bodies that do not announce their length.
	if r.ContentLength > maxBody && !largeBodyRoute(r) {
		failErr(w, errTooLarge)
		return
	}
	if loc := e.movedLocation(r, c); loc != "" {
		h.Set("Location", loc)
		fail(w, http.StatusTemporaryRedirect, "", "Repository moved to "+loc)
		return
	}
	if r.ContentLength != 0 {
		// A body, announced or chunked, must arrive within the body
		// timeout (a socket deadline, so on the real clock). Cleared
		// when the handler returns; no handler that reads a body runs
		// for long, so the server's read in the background while it
		// runs does not reach it.
		// Uploads of file contents (LFS objects, up to gigabytes) get
		// twenty times as long.
		timeout := e.bodyTimeout()
		if largeBodyRoute(r) {
			timeout *= 20
		}
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(timeout)) == nil {
			defer rc.SetReadDeadline(time.Time{})
		}
	}
	if id, ok := runtimePath(r); ok && !e.faults.any.Load() {
		// The hot read, straight to its handler: no pattern matching, no
		// copy of the request (there are no faults to apply).
		e.withSpaceID(w, c, id, accessRead, runtimeAnswer)
	} else {
		r = r.WithContext(context.WithValue(r.Context(), callerKey, c))
		e.mux.ServeHTTP(w, r)
	}
	if e.log.Enabled(r.Context(), slog.LevelDebug) {
		e.log.Debug("request", "method", r.Method, "path", r.URL.Path, "user", c.user)
	}
}

// runtimePath recognises GET /api/spaces/{namespace}/{name}/runtime in a
// path that needs no cleaning or unescaping, as the mux would route it,
// and returns the Space id, namespace/name.
func runtimePath(r *http.Request) (id string, ok bool) {
	if r.Method != http.MethodGet || r.URL.RawPath != "" {
		return "", false
	}
	id, ok = strings.CutPrefix(r.URL.Path, "/api/spaces/")
	if !ok {
		return "", false
	}
	id, ok = strings.CutSuffix(id, "/runtime")
	if !ok {
		return "", false
	}
	ns, name, ok := strings.Cut(id, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") ||
		ns == "." || ns == ".." || name == "." || name == ".." {
		return "", false
	}
	return id, true
}

func (e *Emulator) bodyTimeout() time.Duration {
	if e.cfg.BodyTimeout > 0 {
		return e.cfg.BodyTimeout
	}
	return 30 * time.Second
}

// requestID is an id in the Hub's format, Root=1-<time>-<24 hex digits>.
func (e *Emulator) requestID() string {
	var b [24]byte
	for i := range b {
		b[i] = '0'
	}
	n := e.reqSeq.Add(1)
	d := strconv.AppendUint(nil, n, 16)
	copy(b[len(b)-len(d):], d)
	return e.reqPfx + string(b[:])
}

// authenticate resolves the bearer token. A token that is not valid is
// refused on every endpoint; no token is an anonymous caller.
func (e *Emulator) authenticate(r *http.Request) (caller, bool) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return caller{key: "addr:" + clientAddr(r)}, true
	}
	scheme, value, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") || value == "" {
		return caller{}, false
	}
	if idx := e.tokenIndex.Load(); idx != nil {
		if c, ok := (*idx)[value]; ok {
			return c, true
		}
	}
	return caller{}, false
}

func clientAddr(r *http.Request) string {
	addr := r.RemoteAddr
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		addr = addr[:i]
	}
	return addr
}

// route registers a handler under a method-and-path pattern, with faults
// for its operation name injected first.
func (e *Emulator) route(pattern, op string, h http.HandlerFunc) {
	_, path, _ := strings.Cut(pattern, " ")
	e.paths[path] = true
	e.ops[op] = true
	e.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		e.serveWithFaults(op, w, r, h)
	})
}

func (e *Emulator) routes() {
	e.mux = http.NewServeMux()
	e.paths = map[string]bool{}
	e.ops = map[string]bool{}
	const sp = "/api/spaces/{namespace}/{name}"
	e.route("GET /api/whoami-v2", "whoami", e.handleWhoami)
	e.route("GET /api/spaces", "list", e.handleList)
	e.route("GET /api/spaces/hardware", "catalog", e.handleHardwareCatalog)
	e.route("GET "+sp, "info", e.handleInfo)
	e.route("GET "+sp+"/runtime", "runtime", e.handleRuntime)
	e.route("GET "+sp+"/variables", "variables", e.handleVariablesGet)
	e.route("POST "+sp+"/variables", "variables", e.handleVariablesPost)
	e.route("DELETE "+sp+"/variables", "variables", e.handleVariablesDelete)
	e.route("GET "+sp+"/secrets", "secrets", e.handleSecretsGet)
	e.route("POST "+sp+"/secrets", "secrets", e.handleSecretsPost)
	e.route("DELETE "+sp+"/secrets", "secrets", e.handleSecretsDelete)
	e.route("POST "+sp+"/hardware", "hardware", e.handleHardware)
	e.route("POST "+sp+"/sleeptime", "sleeptime", e.handleSleeptime)
	e.route("POST "+sp+"/pause", "pause", e.handlePause)
	e.route("POST "+sp+"/restart", "restart", e.handleRestart)
	e.route("POST "+sp+"/dev-mode", "dev-mode", e.handleDevMode)
	e.route("POST "+sp+"/storage", "storage", e.handleStoragePost)
	e.route("DELETE "+sp+"/storage", "storage", e.handleStorageDelete)
	e.route("PUT "+sp+"/volumes", "volumes", e.handleVolumesPut)
	e.route("DELETE "+sp+"/volumes", "volumes", e.handleVolumesDelete)
	e.route("GET "+sp+"/logs/{kind}", "logs", e.handleLogs)
	e.route("POST "+sp+"/duplicate", "duplicate", e.handleDuplicate)
	e.route("POST /api/repos/create", "create", e.handleCreate)
	e.route("DELETE /api/repos/delete", "delete", e.handleDelete)
	e.route("POST "+sp+"/preupload/{revision}", "preupload", e.handlePreupload)
	e.route("GET "+sp+"/revision/{revision}", "revision", e.handleRevision)
	e.route("POST "+sp+"/commit/{revision}", "commit", e.handleCommit)
	e.repoRoutes(sp)
	// Anything else, a known path with another method included, is a JSON
	// 404 as on the Hub, not the mux's plain-text 404 or 405.
	notFound := func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, "", "Sorry, we can't find the page you are looking for.")
	}
	for path := range e.paths {
		e.mux.HandleFunc(path, notFound)
	}
	e.mux.HandleFunc("/", notFound)
}

// apiError is an error answer: its status, X-Error-Code and message.
type apiError struct {
	status int
	code   string
	msg    string
}

func (a *apiError) Error() string { return a.msg }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	h := w.Header()
	if code != "" {
		h.Set("X-Error-Code", code)
	}
	h.Set("X-Error-Message", msg)
	writeJSON(w, status, obj{{"error", msg}})
}

func failErr(w http.ResponseWriter, err error) {
	var a *apiError
	if errors.As(err, &a) {
		fail(w, a.status, a.code, a.msg)
		return
	}
	fail(w, http.StatusInternalServerError, "", "Internal Error - We're working hard to fix this as soon as possible!")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := jsonBytes(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":"Internal Error"}`)
	}
	writeBody(w, status, "application/json; charset=utf-8", body)
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{contentType}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}

// decodeJSON reads a JSON request body of at most 1 MiB into v: 413 when
// larger, 400 when malformed or of the wrong types.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return parseJSON(body, v)
}

// parseJSON unmarshals a request body as the Hub's parser reads it (names
// match exactly, the last of duplicate keys wins; see exactNames); a
// malformed body or a value of the wrong type is a 400.
func parseJSON(body []byte, v any) error {
	if err := json.Unmarshal(exactNames(body, reflect.TypeOf(v)), v); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			field := strings.ReplaceAll(typ.Field, "spaceOptions.", "") // an embedded struct
			if field == "" {
				return errorf(http.StatusBadRequest, "Invalid JSON: the body must be an object")
			}
			return errorf(http.StatusBadRequest, "Invalid JSON: %s must be %s, not %s", field, jsonTypeName(typ.Type), article(typ.Value))
		}
		return errorf(http.StatusBadRequest, "Invalid JSON body")
	}
	return nil
}

// jsonTypeName names the JSON type a Go type is decoded from, with its
// article: the client knows JSON, not the emulator's Go types.
func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// article puts "a" or "an" before encoding/json's name of a JSON value
// ("string", "number 1.5", "object").
func article(value string) string {
	if value != "" && strings.ContainsRune("aeiou", rune(value[0])) {
		return "an " + value
	}
	return "a " + value
}

var errTooLarge = errorf(http.StatusRequestEntityTooLarge, "Request body is too large (max 1 MiB)")

// readBody reads a request body of at most maxBody bytes (within the body
// timeout ServeHTTP set).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errTooLarge
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			w.Header().Set("Connection", "close")
			return nil, errorf(http.StatusRequestTimeout, "The request body did not arrive in time")
		}
		return nil, errorf(http.StatusBadRequest, "Could not read the request body")
	}
	return body, nil
}

// kv and obj build JSON objects whose keys keep their order, as the Hub's do.
type kv struct {
	k string
	v any
}

type obj []kv

// MarshalJSON writes the members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	return appendJSON(make([]byte, 0, 64*len(o)+2), o)
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func marshal(v any) ([]byte, error) {
	if b, ok := v.([]byte); ok {
		return b, nil
	}
	return appendJSON(make([]byte, 0, 256), v)
}

// appendJSON appends v as JSON. The types answers are built from are
// written directly, which keeps hot reads such as the runtime cheap;
// anything else goes through encoding/json.
func appendJSON(buf []byte, v any) ([]byte, error) {
	var err error
	switch v := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case string:
		return appendString(buf, v), nil
	case bool:
		return strconv.AppendBool(buf, v), nil
	case int:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case obj:
		buf = append(buf, '{')
		for i, m := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, m.k)
			buf = append(buf, ':')
			if buf, err = appendJSON(buf, m.v); err != nil {
				return nil, err
			}
		}
		return append(buf, '}'), nil
	case []obj:
		buf = append(buf, '[')
		for i, x := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendJSON(buf, x); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case []any:
		buf = append(buf, '[')
		for i, x := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendJSON(buf, x); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case []string:
		buf = append(buf, '[')
		for i, x := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, x)
		}
		return append(buf, ']'), nil
	}
	b, err := jsonBytes(v)
	if err != nil {
		return nil, err
	}
	return append(buf, b...), nil
}

// appendString appends s as a JSON string, escaped as JavaScript's
// JSON.stringify does: quotes, backslashes and control characters only.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// jsonBytes marshals v as the Hub does (JavaScript's JSON.stringify): '<',
// '>' and '&' stay as they are.
func jsonBytes(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}
