package hfhub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Version is this library's version, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultEndpoint is the Hub's address when neither WithEndpoint nor
// HF_ENDPOINT says otherwise.
const DefaultEndpoint = "https://huggingface.co"

// maxSuccessBody bounds what a successful JSON answer may hold in memory.
const maxSuccessBody = 64 << 20

// maxErrorBody bounds what is read of an error answer.
const maxErrorBody = 1 << 20

// Client talks to the Hugging Face Hub. It is safe for concurrent use and
// reuses connections; build one and share it.
type Client struct {
	endpoint   *url.URL
	base       string // endpoint.String(), built once
	token      string
	authHeader string // "Bearer <token>", built once
	// The header values sent with every request, built once.
	authHeaderValue, userAgentHeader []string
	httpClient                       *http.Client
	userAgent                        string
	retry                            RetryPolicy
	logger                           *slog.Logger

	warnedTopics sync.Map // X-HF-Warning topics already logged

	common service
	// Spaces manages Spaces: runtime, hardware, secrets, variables, logs…
	Spaces *SpacesService
}

type service struct{ client *Client }

// SpacesService holds the Spaces operations. Get it from Client.Spaces.
type SpacesService service

// Option configures a Client built by NewClient.
type Option func(*clientConfig) error

type clientConfig struct {
	token      string
	tokenSet   bool
	noToken    bool
	endpoint   string
	httpClient *http.Client
	userAgent  string
	retry      *RetryPolicy
	logger     *slog.Logger
}

// WithToken sets the access token, overriding HF_TOKEN and the token file.
// Surrounding white space is trimmed; an empty token means none.
func WithToken(token string) Option {
	return func(c *clientConfig) error {
		c.token, c.tokenSet = strings.TrimSpace(token), true
		return nil
	}
}

// WithNoToken sends no token at all, whatever the environment says.
func WithNoToken() Option {
	return func(c *clientConfig) error {
		c.noToken = true
		return nil
	}
}

// WithEndpoint sets the Hub's base URL (for example a local emulator),
// overriding HF_ENDPOINT.
func WithEndpoint(endpoint string) Option {
	return func(c *clientConfig) error {
		c.endpoint = endpoint
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for every request. The client is
// copied so that its redirect policy can be wrapped: a redirect to another
// host never carries the token.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *clientConfig) error {
		if hc == nil {
			return errors.New("hfhub: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent appends a product token to the User-Agent header
// (for example "my-tool/1.2").
func WithUserAgent(ua string) Option {
	return func(c *clientConfig) error {
		ua = strings.TrimSpace(ua)
		if strings.ContainsAny(ua, "\r\n") {
			return errors.New("hfhub: WithUserAgent: the user agent must be a single line")
		}
		c.userAgent = ua
		return nil
	}
}

// WithRetry sets the retry policy. RetryPolicy{MaxRetries: 0} turns retries
// off; a zero duration takes its default.
func WithRetry(p RetryPolicy) Option {
	return func(c *clientConfig) error {
		if p.MaxRetries < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxWait < 0 {
			return errors.New("hfhub: WithRetry: negative retry count or duration")
		}
		c.retry = &p
		return nil
	}
}

// WithLogger sets the logger for warnings from the Hub (X-HF-Warning) and
// debug traces of requests. The default discards everything. Tokens and
// secret values are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *clientConfig) error {
		if l == nil {
			return errors.New("hfhub: WithLogger: nil *slog.Logger")
		}
		c.logger = l
		return nil
	}
}

// NewClient builds a Client. With no options it behaves like the official
// client: the endpoint comes from HF_ENDPOINT and the token from HF_TOKEN,
// HUGGING_FACE_HUB_TOKEN or the token file that `hf auth login` writes.
// NewClient makes no network call.
func NewClient(opts ...Option) (*Client, error) {
	var cfg clientConfig
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}

	endpoint := cfg.endpoint
	if endpoint == "" {
		endpoint = strings.TrimSpace(os.Getenv("HF_ENDPOINT"))
	}
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	endpoint = strings.TrimRight(endpoint, "/")
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("hfhub: invalid endpoint %q: want an http or https URL such as %s", redactURLString(endpoint), DefaultEndpoint)
	}

	c := &Client{endpoint: u, logger: cfg.logger}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case cfg.noToken:
	case cfg.tokenSet:
		c.token = cfg.token
	default:
		c.token = tokenFromEnvironment()
	}
	if strings.ContainsAny(c.token, "\r\n") {
		return nil, errors.New("hfhub: the token must be a single line")
	}

	c.base = c.endpoint.String()
	if c.token != "" {
		c.authHeader = "Bearer " + c.token
	}

	c.userAgent = "hfhub-go/" + Version + "; go/" + strings.TrimPrefix(runtime.Version(), "go")
	if cfg.userAgent != "" {
		c.userAgent += "; " + cfg.userAgent
	}

	c.userAgentHeader = []string{c.userAgent}
	if c.authHeader != "" {
		c.authHeaderValue = []string{c.authHeader}
	}

	c.retry = DefaultRetryPolicy()
	if cfg.retry != nil {
		c.retry = cfg.retry.withDefaults()
	}

	c.httpClient = guardRedirects(cfg.httpClient)
	c.common.client = c
	c.Spaces = (*SpacesService)(&c.common)
	return c, nil
}

// Endpoint is the Hub's base URL this client talks to, without a trailing slash.
func (c *Client) Endpoint() string { return c.base }

// HasToken reports whether requests carry a token.
func (c *Client) HasToken() bool { return c.token != "" }

var defaultTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	t.ResponseHeaderTimeout = 2 * time.Minute
	t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	return t
}()

// guardRedirects returns a copy of hc (or a default client) whose redirect
// policy drops the Authorization header when a redirect leaves the host the
// request was sent to, so the token never reaches another server.
func guardRedirects(hc *http.Client) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	} else {
		cp.Transport = defaultTransport
	}
	next := cp.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && !strings.EqualFold(canonicalHost(req.URL), canonicalHost(via[0].URL)) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

func canonicalHost(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if port == "" {
		switch u.Scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return u.Scheme + "://" + net.JoinHostPort(host, port)
}

// tokenFromEnvironment finds the implicit token as the official client does.
func tokenFromEnvironment() string {
	switch strings.ToUpper(strings.TrimSpace(os.Getenv("HF_HUB_DISABLE_IMPLICIT_TOKEN"))) {
	case "1", "ON", "YES", "TRUE":
		return ""
	}
	for _, name := range []string{"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"} {
		if t := strings.TrimSpace(os.Getenv(name)); t != "" {
			return t
		}
	}
	path := TokenPath()
	if path == "" {
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

// TokenPath is where the implicit token file is looked for: HF_TOKEN_PATH,
// else $HF_HOME/token, else $XDG_CACHE_HOME/huggingface/token, else
// ~/.cache/huggingface/token. It is empty when no home directory is known.
func TokenPath() string {
	if p := os.Getenv("HF_TOKEN_PATH"); p != "" {
		return expandHome(p)
	}
	if h := os.Getenv("HF_HOME"); h != "" {
		return filepath.Join(expandHome(h), "token")
	}
	if x := os.Getenv("XDG_CACHE_HOME"); x != "" {
		return filepath.Join(expandHome(x), "huggingface", "token")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".cache", "huggingface", "token")
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// call describes one API operation.
type call struct {
	op     string // operation name for errors, e.g. "GetRuntime"
	method string
	path   string // escaped path below the endpoint, starting with "/"
	query  url.Values
	body   any // marshalled as JSON; nil sends no body
	// retry declares the operation idempotent: sending it twice leaves the
	// Hub as sending it once, so a transient failure (a connection error,
	// a cut answer, 408, 429, 5xx) is retried. Every operation states it
	// here, in its call, and TestIdempotency_EveryOperation checks each.
	// An operation without it is sent once: when it fails after its
	// request may have reached the Hub, the error wraps ErrOutcomeUnknown.
	retry bool
	// checkRefusedRetry marks an idempotent call whose refused retry (400)
	// is checked against the Space's state when an earlier attempt may
	// have been applied (SpacesService.doneEarlier): its attempts are
	// traced to tell a request written from one never sent.
	checkRefusedRetry bool
	accept            string
	// secrets are values the request carries that must not show in an
	// error or a log line, should the Hub echo them back (secret values).
	secrets []string

	// For requests whose URL, headers and body the caller chooses (the
	// repository side's transfers and Client.Do, through sendRaw):
	// header holds extra headers; open, when set, opens the body once per
	// attempt with its length (-1 when unknown), instead of body; noAuth
	// never sends the token (presigned storage URLs); onRetry is called
	// before each retry.
	header  http.Header
	open    func() (io.ReadCloser, int64, error)
	noAuth  bool
	onRetry func()
}

// do sends the call and decodes a successful JSON answer into v (when v is
// not nil). Any non-2xx answer is an *APIError.
func (c *Client) do(ctx context.Context, cl call, v any) error {
	data, _, err := c.exchange(ctx, cl)
	if err != nil || v == nil {
		return err
	}
	if d, ok := v.(ownedDecoder); ok {
		err = d.decodeOwned(data)
	} else {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		return fmt.Errorf("hfhub: %s: decoding the answer: %w", cl.op, err)
	}
	return nil
}

// ownedDecoder is a type that decodes a freshly read answer in place,
// without the copy json.Unmarshaler must make.
type ownedDecoder interface {
	decodeOwned(data []byte) error
}

// exchange performs the call with retries and returns the body and headers
// of its 2xx answer, read whole: an answer cut while being read is a
// failed attempt like a dropped connection.
func (c *Client) exchange(ctx context.Context, cl call) ([]byte, http.Header, error) {
	rawURL, body, err := c.prepare(cl)
	if err != nil {
		return nil, nil, err
	}
	resp, data, err := c.loop(ctx, cl, rawURL, bytesBody(body), true)
	if err != nil {
		return nil, nil, err
	}
	return data, resp.Header, nil
}

// send performs the call with retries and returns the open response of a
// 2xx answer; the caller reads and closes its body (a stream).
func (c *Client) send(ctx context.Context, cl call) (*http.Response, error) {
	rawURL, body, err := c.prepare(cl)
	if err != nil {
		return nil, err
	}
	return c.sendURL(ctx, cl, rawURL, body)
}

// prepare builds the URL and the JSON body of a call.
func (c *Client) prepare(cl call) (rawURL string, body []byte, err error) {
	if cl.body != nil {
		if body, err = json.Marshal(cl.body); err != nil {
			return "", nil, fmt.Errorf("hfhub: %s: encoding the request: %w", cl.op, err)
		}
	}
	rawURL = c.base + cl.path
	if len(cl.query) > 0 {
		rawURL += "?" + cl.query.Encode()
	}
	return rawURL, body, nil
}

// sendURL is send for a URL already built (a next page); the answer's body
// is left open.
func (c *Client) sendURL(ctx context.Context, cl call, rawURL string, body []byte) (*http.Response, error) {
	resp, _, err := c.loop(ctx, cl, rawURL, bytesBody(body), false)
	return resp, err
}

// bytesBody opens a body held in memory, once per attempt; nil for none.
func bytesBody(body []byte) func() (io.ReadCloser, int64, error) {
	if body == nil {
		return nil
	}
	return func() (io.ReadCloser, int64, error) {
		return io.NopCloser(bytes.NewReader(body)), int64(len(body)), nil
	}
}

// sendsToken reports whether the token may go to rawURL: only to the
// endpoint's own scheme, host and port, and never for a noAuth call.
func (c *Client) sendsToken(cl call, rawURL string) bool {
	if c.authHeader == "" || cl.noAuth {
		return false
	}
	if strings.HasPrefix(rawURL, c.base+"/") || rawURL == c.base {
		return true
	}
	u, err := url.Parse(rawURL)
	return err == nil && strings.EqualFold(canonicalHost(u), canonicalHost(c.endpoint))
}

// loop sends the request until it gets a 2xx answer (read whole when
// read is set, the body then closed), a failure that retrying cannot
// mend, or runs out of retries. Only idempotent calls (cl.retry) are sent
// more than once.
func (c *Client) loop(ctx context.Context, cl call, rawURL string, body func() (io.ReadCloser, int64, error), read bool) (*http.Response, []byte, error) {
	if ctx == nil {
		return nil, nil, nilContextError(cl.op)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	maxRetries := 0
	if cl.retry {
		maxRetries = c.retry.MaxRetries
	}
	// mayHaveApplied: an earlier attempt may have changed the Hub although
	// it failed (its request was written and its answer lost or cut).
	mayHaveApplied := false
	auth := c.sendsToken(cl, rawURL)
	for attempt := 0; ; attempt++ {
		resp, written, err := c.attempt(ctx, cl, rawURL, body, auth)
		var bodyErr *openBodyError
		if errors.As(err, &bodyErr) {
			// The caller's data, not the network: not retried.
			return nil, nil, fmt.Errorf("hfhub: %s: %w", cl.op, bodyErr.err)
		}
		if ctx.Err() != nil {
			if resp != nil {
				resp.Body.Close()
			}
			if !cl.retry && written {
				return nil, nil, c.outcomeUnknown(cl, rawURL, "the request was sent before the context ended", ctx.Err())
			}
			return nil, nil, ctx.Err()
		}
		var (
			data      []byte
			ambiguous bool // this attempt may have been applied
			wait      time.Duration
		)
		switch {
		case err != nil:
			if !cl.retry && written {
				return nil, nil, c.outcomeUnknown(cl, rawURL, "the connection failed after the request was sent", stripURLError(err))
			}
			err = fmt.Errorf("hfhub: %s: %s %s: %w", cl.op, cl.method, redactURLString(rawURL), stripURLError(err))
			ambiguous = written
			wait = c.retry.backoff(attempt)
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			if !read {
				return resp, nil, nil
			}
			data, err = readAnswer(resp)
			if err == nil {
				return resp, data, nil
			}
			if ctx.Err() != nil {
				if !cl.retry {
					return nil, nil, c.outcomeUnknown(cl, rawURL, "the Hub accepted the request, but the context ended while its answer was read", ctx.Err())
				}
				return nil, nil, ctx.Err()
			}
			if errors.Is(err, errAnswerTooLarge) {
				return nil, nil, fmt.Errorf("hfhub: %s: %w", cl.op, err)
			}
			if !cl.retry {
				return nil, nil, c.outcomeUnknown(cl, rawURL, "the Hub accepted the request, but its answer was cut", err)
			}
			err = fmt.Errorf("hfhub: %s: %s %s: the %d answer was cut while being read: %w", cl.op, cl.method, redactURLString(rawURL), resp.StatusCode, err)
			ambiguous = true
			wait = c.retry.backoff(attempt)
		default:
			apiErr := c.newAPIError(cl, rawURL, resp)
			apiErr.TokenSent = auth // this request's, not the client's: never to another host or with noAuth
			apiErr.earlierMayHaveApplied = mayHaveApplied
			err = apiErr
			if gatewayStatus(resp.StatusCode) {
				ambiguous = true
				if !cl.retry {
					return nil, nil, c.outcomeUnknown(cl, rawURL, "a gateway answered for the Hub", apiErr)
				}
			}
			if !retryableStatus(resp.StatusCode) {
				return nil, nil, err
			}
			wait = c.retry.backoff(attempt)
			if resp.StatusCode == http.StatusTooManyRequests && apiErr.RetryAfter > 0 {
				wait = min(apiErr.RetryAfter, c.retry.MaxWait)
			}
		}
		mayHaveApplied = mayHaveApplied || ambiguous
		if attempt >= maxRetries {
			return nil, nil, err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			// Waiting would outlast the caller's deadline: the answer now is
			// more useful than a deadline error later.
			return nil, nil, err
		}
		if cl.onRetry != nil {
			cl.onRetry()
		}
		c.logger.DebugContext(ctx, "hfhub: retrying", "op", cl.op, "attempt", attempt+1, "wait", wait, "error", err.Error())
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, nil, ctx.Err()
		case <-timer.C:
		}
	}
}

// gatewayStatus reports a status a gateway answers when the Hub behind it
// did not answer in time or at all: the request may have been applied.
func gatewayStatus(code int) bool {
	return code == http.StatusBadGateway || code == http.StatusGatewayTimeout
}

// outcomeUnknownError is the failure of an operation that is not safe to
// repeat, after its request may have reached the Hub. It wraps
// ErrOutcomeUnknown and the cause (a transport error, the context's error,
// or the gateway's *APIError).
type outcomeUnknownError struct {
	op, method, url, why string
	cause                error
}

func (e *outcomeUnknownError) Error() string {
	cause := e.cause.Error()
	var apiErr *APIError
	if errors.As(e.cause, &apiErr) {
		cause = strings.TrimSpace(strconv.Itoa(apiErr.StatusCode) + " " + http.StatusText(apiErr.StatusCode))
	}
	return fmt.Sprintf("hfhub: %s: %s %s: outcome unknown: %s (%s), so it may have been applied; "+
		"it was not sent again (%s is not safe to repeat): check the result before trying again",
		e.op, e.method, e.url, e.why, cause, e.op)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.cause} }

func (c *Client) outcomeUnknown(cl call, rawURL, why string, cause error) error {
	return &outcomeUnknownError{op: cl.op, method: cl.method, url: redactURLString(rawURL), why: why, cause: cause}
}

var errAnswerTooLarge = fmt.Errorf("the answer is larger than %d bytes", maxSuccessBody)

// readAnswer reads a 2xx answer's body whole (at most maxSuccessBody) and
// closes it.
func readAnswer(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	var data []byte
	var err error
	if n := resp.ContentLength; n > 0 && n <= maxSuccessBody {
		data = make([]byte, n)
		_, err = io.ReadFull(resp.Body, data)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
	} else {
		data, err = io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody+1))
	}
	if err != nil {
		return nil, err
	}
	if len(data) > maxSuccessBody {
		return nil, errAnswerTooLarge
	}
	return data, nil
}

// attempt sends the request once. written reports that the request may
// have reached the server: it was written to a connection, or the
// transport does not say (it reports no httptrace events).
func (c *Client) attempt(ctx context.Context, cl call, rawURL string, open func() (io.ReadCloser, int64, error), auth bool) (resp *http.Response, written bool, err error) {
	if cl.open != nil {
		open = cl.open
	}
	var body io.ReadCloser
	size := int64(0)
	if open != nil {
		if body, size, err = open(); err != nil {
			return nil, false, &openBodyError{err}
		}
	}
	// Whether the request was written matters when it may not be sent
	// again, or when a refused retry is checked; other calls are not
	// traced (a trace costs allocations on every request), and a failed
	// attempt of theirs counts as written.
	var tr *attemptTrace
	reqCtx := ctx
	if !cl.retry || cl.checkRefusedRetry {
		tr = new(attemptTrace)
		tr.trace.GetConn = func(string) { tr.traced.Store(true) }
		tr.trace.WroteRequest = func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				tr.wrote.Store(true)
			}
		}
		reqCtx = httptrace.WithClientTrace(ctx, &tr.trace)
	}
	var rd io.Reader
	if body != nil {
		rd = body
	}
	req, err := http.NewRequestWithContext(reqCtx, cl.method, rawURL, rd)
	if err != nil {
		if body != nil {
			body.Close()
		}
		return nil, false, err
	}
	if body != nil {
		req.ContentLength = size
		if size == 0 {
			req.Body = http.NoBody
			body.Close()
		}
	}
	for k, v := range cl.header {
		req.Header[k] = v
	}
	// The header values are built once per client and shared: the
	// transport and the redirect policy never change a value in place.
	if body != nil && cl.open == nil {
		req.Header["Content-Type"] = jsonContentType
	}
	if cl.accept != "" {
		req.Header.Set("Accept", cl.accept)
	}
	req.Header["User-Agent"] = c.userAgentHeader
	if auth {
		req.Header["Authorization"] = c.authHeaderValue
	}
	debug := c.logger.Enabled(ctx, slog.LevelDebug)
	var start time.Time
	if debug {
		start = time.Now()
	}
	resp, err = c.httpClient.Do(req)
	if debug {
		attrs := []any{"op", cl.op, "method", cl.method, "url", redactURLString(rawURL), "duration", time.Since(start)}
		if err != nil {
			attrs = append(attrs, "error", stripURLError(err).Error())
		} else {
			attrs = append(attrs, "status", resp.StatusCode, "request_id", resp.Header.Get("X-Request-Id"))
		}
		c.logger.DebugContext(ctx, "hfhub: request", attrs...)
	}
	if err != nil {
		return nil, tr == nil || tr.wrote.Load() || !tr.traced.Load(), err
	}
	c.logWarnings(ctx, resp.Header, cl.secrets)
	return resp, true, nil
}

// openBodyError is a failure to open a request's body: the caller's data,
// not the network, so it is not retried.
type openBodyError struct{ err error }

func (e *openBodyError) Error() string { return e.err.Error() }

// attemptTrace records what the transport did with one attempt.
type attemptTrace struct {
	trace         httptrace.ClientTrace
	traced, wrote atomic.Bool // a connection was asked for; the request was written
}

var jsonContentType = []string{"application/json"}

// logWarnings logs each X-HF-Warning topic once per client, as the
// reference client does: a warning without a "topic;" prefix has the empty
// topic, and an empty message is not shown and spends no topic. Should a
// server echo the token or a secret value in a warning, the log gets it
// redacted.
func (c *Client) logWarnings(ctx context.Context, h http.Header, secrets []string) {
	for _, w := range h.Values("X-HF-Warning") {
		w = c.scrub(w, secrets)
		topic, msg, ok := strings.Cut(w, ";")
		if !ok {
			topic, msg = "", w
		}
		topic, msg = strings.TrimSpace(topic), strings.TrimSpace(msg)
		if msg == "" {
			continue
		}
		if _, seen := c.warnedTopics.LoadOrStore(topic, true); seen {
			continue
		}
		c.logger.WarnContext(ctx, "hfhub: warning from the Hub", "topic", topic, "message", msg)
	}
}

// minRedactLen is the shortest secret value redacted from what the Hub
// answers: replacing every "a" or "1" in a message would garble it, and a
// value that short is no secret anyway.
const minRedactLen = 4

// scrub replaces the token and the given secret values in s.
func (c *Client) scrub(s string, secrets []string) string {
	if c.token != "" {
		s = strings.ReplaceAll(s, c.token, "[REDACTED]")
	}
	for _, v := range secrets {
		if len(v) >= minRedactLen {
			s = strings.ReplaceAll(s, v, "[REDACTED]")
		}
	}
	return s
}

// stripURLError removes the *url.Error wrapper, whose text repeats the URL.
func stripURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactURLString strips credentials from a URL for messages and logs.
func redactURLString(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparseable URL>"
	}
	if u.User != nil {
		u.User = nil
	}
	if q := u.Query(); len(q) > 0 {
		changed := false
		for k := range q {
			lk := strings.ToLower(k)
			if sensitiveParam(lk) {
				q.Set(k, "REDACTED")
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// spacePath is the escaped API path of a Space, with an optional suffix.
func spacePath(repoID string, suffix ...string) string {
	ns, name, _ := strings.Cut(repoID, "/")
	var b strings.Builder
	b.Grow(len("/api/spaces/") + len(repoID) + 24)
	b.WriteString("/api/spaces/")
	b.WriteString(url.PathEscape(ns))
	b.WriteByte('/')
	b.WriteString(url.PathEscape(name))
	for _, s := range suffix {
		b.WriteByte('/')
		b.WriteString(s)
	}
	return b.String()
}

// nilContextError is what every operation answers to a nil context: a
// caller's mistake, reported rather than a nil-pointer panic.
func nilContextError(op string) error {
	return fmt.Errorf("hfhub: %s: nil context.Context (use context.Background() or context.TODO())", op)
}

// sensitiveParam reports a query parameter (lower-cased name) whose value
// is a credential: tokens and keys, and the signatures of presigned storage
// URLs (S3's X-Amz-Signature and X-Amz-Credential, CloudFront's Signature,
// Policy and Key-Pair-Id).
func sensitiveParam(lk string) bool {
	for _, s := range []string{"token", "secret", "key", "password", "signature", "credential", "policy"} {
		if strings.Contains(lk, s) {
			return true
		}
	}
	return false
}
