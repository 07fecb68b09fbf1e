package hfhub

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinels for the Hub's answers. Test with errors.Is; the *APIError behind
// them (errors.As) has the status, the server's message and the request id.
var (
	// ErrNotFound: the repository does not exist, or it is private and the
	// caller may not see it (the Hub does not tell the two apart): a 404, an
	// X-Error-Code RepoNotFound, or a 401 on a repository's URL whose
	// message is not the Hub's "invalid credentials". Such a 401 sent
	// without a token (TokenSent false) is ErrUnauthorized too: logging in
	// may reveal the repository.
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: the token is invalid (the Hub's "Invalid credentials
	// in Authorization header"), or none was sent where one is needed (a
	// 401 without a token; on a repository's URL also ErrNotFound), or a
	// 401 on any other URL.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: authenticated but not allowed (a read token on a write
	// call, or not the Space's owner).
	ErrForbidden = errors.New("forbidden")
	// ErrBadRequest: the Hub refused the request (unknown flavor, a static
	// Space cannot be paused, no storage to delete, …).
	ErrBadRequest = errors.New("bad request")
	// ErrConflict: the target exists already (for example a duplicate's).
	ErrConflict = errors.New("conflict")
	// ErrRateLimited: too many requests, and retrying did not get through.
	ErrRateLimited = errors.New("rate limited")
	// ErrServer: the Hub failed (5xx).
	ErrServer = errors.New("server error")
	// ErrOutcomeUnknown: an operation that is not safe to repeat (Restart,
	// Duplicate, Create, Commit…) failed after its request may have reached
	// the Hub — the connection broke after the request was written, a 2xx
	// answer was cut while being read, a gateway answered 502 or 504, or
	// the context ended while the Hub held the request. It was not sent
	// again; check the Space's state before trying again. The error also
	// matches its cause (context.Canceled, ErrServer…). A connection that
	// could not be made (refused, a name that does not resolve) sent
	// nothing: that is not an unknown outcome.
	ErrOutcomeUnknown = errors.New("outcome unknown")
)

// Sentinels for input refused before anything is sent. Test with
// errors.Is; the error's text says what was wrong.
var (
	// ErrInvalidRepoID: a repo id breaks the Hub's rules (ValidateRepoID),
	// or a Space id has no namespace.
	ErrInvalidRepoID = errors.New("invalid repo id")
	// ErrInvalidKey: a secret or variable key breaks the Hub's rule
	// (ValidateEnvKey), or is given twice (DuplicateOptions).
	ErrInvalidKey = errors.New("invalid key")
	// ErrInvalidHardware: a flavor is empty or holds anything but
	// lowercase letters, digits and dashes. A well-formed flavor this
	// library does not know is not refused: the Hub decides.
	ErrInvalidHardware = errors.New("invalid hardware flavor")
	// ErrInvalidStorage: a storage tier is not small, medium or large.
	ErrInvalidStorage = errors.New("invalid storage tier")
	// ErrInvalidSleepTime: a sleep time is neither -1 (never sleep) nor 1
	// to MaxSleepTime seconds.
	ErrInvalidSleepTime = errors.New("invalid sleep time")
	// ErrInvalidVolume: a volume has no type or source, a mount path that
	// does not start with "/", or the mount path of another volume.
	ErrInvalidVolume = errors.New("invalid volume")
	// ErrInvalidOption: an option struct holds values that do not go
	// together or are out of range (both Private and Visibility, a
	// negative List limit, …).
	ErrInvalidOption = errors.New("invalid option")
)

// invalidCredentials is the Hub's message for a token it does not accept.
const invalidCredentials = "Invalid credentials in Authorization header"

// APIError is a non-2xx answer from the Hub.
type APIError struct {
	Op         string        // the library operation, e.g. "GetRuntime"
	StatusCode int           // HTTP status
	Code       string        // X-Error-Code, e.g. "RepoNotFound"
	Message    string        // the server's message (X-Error-Message or the JSON "error")
	RequestID  string        // X-Request-Id, to quote to Hugging Face support
	Method     string        // request method
	URL        string        // request URL, credentials stripped
	RetryAfter time.Duration // how long the server asked to wait (429, 503)

	// TokenSent reports that the request carried a token: a 401 on a
	// repository's URL then means "not found or private", not a bad token.
	TokenSent bool

	// earlierMayHaveApplied: an earlier attempt of this idempotent call
	// failed after its request may have been applied.
	earlierMayHaveApplied bool
}

// Error names the operation, the status and the server's message. It never
// holds the token.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("hfhub: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.URL)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Code != "" {
		b.WriteString(" (")
		b.WriteString(e.Code)
		b.WriteByte(')')
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.RequestID != "" {
		b.WriteString(" [request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(']')
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) and the other sentinels work. It
// reads only the exported fields (StatusCode, Code, Message, URL and
// TokenSent), so an APIError built by hand, in a fake, classifies as one
// from the Hub.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Code == "RepoNotFound" || e.StatusCode == http.StatusNotFound ||
			(e.StatusCode == http.StatusUnauthorized && isRepoURL(e.URL) && e.Message != invalidCredentials)
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized && (e.Message == invalidCredentials || !e.TokenSent || !isRepoURL(e.URL))
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// newAPIError reads (at most 1 MiB of) the answer's body, closes it and
// describes the failure. sentURL is the URL asked for; the answer's own
// request, when the transport sets it, names where redirects ended.
func (c *Client) newAPIError(cl call, sentURL string, resp *http.Response) *APIError {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	rawURL := sentURL
	if resp.Request != nil && resp.Request.URL != nil {
		rawURL = resp.Request.URL.String()
	}
	e := newAPIError(cl.op, cl.method, rawURL, resp.StatusCode, resp.Header, body, c.token != "")
	// Should a server or a proxy echo the token or a secret value back, it
	// is removed from what the answer put into the error.
	for _, s := range []*string{&e.Code, &e.Message, &e.RequestID, &e.URL} {
		*s = c.scrub(*s, cl.secrets)
	}
	return e
}

func newAPIError(op, method, rawURL string, status int, h http.Header, body []byte, tokenSent bool) *APIError {
	e := &APIError{
		Op:         op,
		StatusCode: status,
		Code:       singleLine(h.Get("X-Error-Code"), 100),
		RequestID:  singleLine(h.Get("X-Request-Id"), 200),
		Method:     method,
		URL:        redactURLString(rawURL),
		TokenSent:  tokenSent,
	}
	e.Message = singleLine(h.Get("X-Error-Message"), 1000)
	if e.Message == "" {
		e.Message = messageFromBody(body)
	}
	if d, ok := retryAfter(status, h); ok {
		e.RetryAfter = d
	}
	return e
}

// messageFromBody takes {"error": "…"} (or a list of errors) from a JSON
// body, or the first line of a short text body.
func messageFromBody(body []byte) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(body, &v) == nil {
		var s string
		if json.Unmarshal(v.Error, &s) == nil && s != "" {
			return singleLine(s, 1000)
		}
		var list []string
		if json.Unmarshal(v.Error, &list) == nil && len(list) > 0 {
			return singleLine(strings.Join(list, "; "), 1000)
		}
		if v.Message != "" {
			return singleLine(v.Message, 1000)
		}
		return ""
	}
	text := strings.TrimSpace(string(body))
	if text == "" || strings.HasPrefix(text, "<") { // an HTML error page says nothing useful
		return ""
	}
	return singleLine(text, 300)
}

// singleLine keeps a header or body text to one printable line of at most n bytes.
func singleLine(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// isRepoURL reports whether a URL names a repository, where the Hub answers
// 401 for "not found or private" (it does not reveal which).
func isRepoURL(rawURL string) bool {
	i := strings.Index(rawURL, "/api/")
	if i < 0 {
		return false
	}
	rest := rawURL[i+len("/api/"):]
	for _, kind := range []string{"spaces/", "models/", "datasets/"} {
		if strings.HasPrefix(rest, kind) {
			rest = rest[len(kind):]
			return strings.Contains(rest, "/") // namespace/name, not /api/spaces/hardware
		}
	}
	return false
}

// retryAfter reads how long the server asks to wait: the RateLimit header's
// t= (seconds to reset) when the quota is spent (r=0, or any 429: the
// answer itself says so), else Retry-After.
func retryAfter(status int, h http.Header) (time.Duration, bool) {
	if remaining, reset, ok := parseRateLimit(h); ok && reset > 0 && (remaining == 0 || status == http.StatusTooManyRequests) {
		return reset, true
	}
	return parseRetryAfter(h.Get("Retry-After"))
}

// maxHeaderWait keeps absurd server values from overflowing.
const maxHeaderWait = 24 * time.Hour

// parseRateLimit reads the IETF draft header
// `RateLimit: "api";r=<remaining>;t=<seconds to reset>`.
func parseRateLimit(h http.Header) (remaining int, reset time.Duration, ok bool) {
	v := h.Get("RateLimit")
	if v == "" {
		return 0, 0, false
	}
	haveR, haveT := false, false
	for _, part := range strings.Split(v, ";") {
		k, val, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			continue
		}
		n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(val), `"`), 10, 64)
		if err != nil || n < 0 {
			continue
		}
		switch strings.TrimSpace(k) {
		case "r":
			remaining, haveR = int(min(n, 1<<31-1)), true
		case "t":
			reset, haveT = min(time.Duration(min(n, int64(maxHeaderWait/time.Second)))*time.Second, maxHeaderWait), true
		}
	}
	return remaining, reset, haveR || haveT
}

// parseRetryAfter reads Retry-After: delay seconds or an HTTP date.
func parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, int64(maxHeaderWait/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return min(d, maxHeaderWait), true
	}
	return 0, false
}
