package hfhub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// rawCall is a request whose URL, headers and body the caller chooses: the
// repository side's transfers (NDJSON commits, LFS uploads to presigned
// URLs, downloads) and Client.Do.
type rawCall struct {
	op     string
	method string
	url    string      // absolute URL
	header http.Header // extra headers (Content-Type, Accept…)
	// body opens the request body, once per attempt, with its length (-1
	// when unknown). nil sends no body.
	body  func() (io.ReadCloser, int64, error)
	retry bool // safe to send again after a failure
	// noAuth never sends the token, not even to the Hub (presigned
	// storage URLs, as the Python client does).
	noAuth  bool
	secrets []string
	onRetry func() // called before each retry
}

// sendRaw sends rc with the client's retry policy and returns the open
// response of a 2xx answer; the caller closes its body. The token goes only
// to the endpoint's own host. When rc is not safe to repeat and the request
// may have reached the server (the connection failed once it was written),
// the error wraps ErrOutcomeUnknown.
func (c *Client) sendRaw(ctx context.Context, rc rawCall) (*http.Response, error) {
	if ctx == nil {
		return nil, nilContextError(rc.op)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u, err := url.Parse(rc.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("hfhub: %s: invalid URL %q", rc.op, redactURLString(rc.url))
	}
	auth := !rc.noAuth && c.authHeader != "" && strings.EqualFold(canonicalHost(u), canonicalHost(c.endpoint))
	maxRetries := 0
	if rc.retry {
		maxRetries = c.retry.MaxRetries
	}
	cl := call{op: rc.op, method: rc.method, secrets: rc.secrets}
	for attempt := 0; ; attempt++ {
		resp, wrote, err := c.attemptRaw(ctx, rc, auth)
		if ctx.Err() != nil {
			if resp != nil {
				resp.Body.Close()
			}
			if !rc.retry && wrote {
				return nil, fmt.Errorf("hfhub: %s: %w (%w: the request was sent before the cancellation and may have been applied; check before trying again)", rc.op, ctx.Err(), ErrOutcomeUnknown)
			}
			return nil, ctx.Err()
		}
		if err == nil && resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return resp, nil
		}
		var bodyErr *openBodyError
		if errors.As(err, &bodyErr) {
			return nil, fmt.Errorf("hfhub: %s: %w", rc.op, bodyErr.err)
		}
		var wait time.Duration
		if err != nil {
			err = fmt.Errorf("hfhub: %s: %s %s: %w", rc.op, rc.method, redactURLString(rc.url), stripURLError(err))
			if !rc.retry && wrote {
				return nil, fmt.Errorf("%w (%w: the request was sent and may have been applied; check before trying again)", err, ErrOutcomeUnknown)
			}
			wait = c.retry.backoff(attempt)
		} else {
			apiErr := c.newAPIError(cl, rc.url, resp)
			err = apiErr
			if !retryableStatus(resp.StatusCode) {
				return nil, err
			}
			wait = c.retry.backoff(attempt)
			if resp.StatusCode == http.StatusTooManyRequests && apiErr.RetryAfter > 0 {
				wait = min(apiErr.RetryAfter, c.retry.MaxWait)
			}
		}
		if attempt >= maxRetries {
			return nil, err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return nil, err
		}
		if rc.onRetry != nil {
			rc.onRetry()
		}
		c.logger.DebugContext(ctx, "hfhub: retrying", "op", rc.op, "attempt", attempt+1, "wait", wait, "error", err.Error())
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}

// openBodyError is a failure to open a request's body: the caller's data,
// not the network, so it is not retried.
type openBodyError struct{ err error }

func (e *openBodyError) Error() string { return e.err.Error() }

// attemptRaw sends rc once. wrote reports whether the request's headers
// went out on a connection, after which a failure leaves the outcome open.
func (c *Client) attemptRaw(ctx context.Context, rc rawCall, auth bool) (resp *http.Response, wrote bool, err error) {
	var body io.ReadCloser
	size := int64(0)
	if rc.body != nil {
		body, size, err = rc.body()
		if err != nil {
			return nil, false, &openBodyError{err}
		}
	}
	var wroteFlag atomic.Bool
	trace := &httptrace.ClientTrace{WroteHeaders: func() { wroteFlag.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), rc.method, rc.url, body)
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
	for k, v := range rc.header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.userAgent)
	if auth {
		req.Header["Authorization"] = []string{c.authHeader}
	}
	debug := c.logger.Enabled(ctx, slog.LevelDebug)
	var start time.Time
	if debug {
		start = time.Now()
	}
	resp, err = c.httpClient.Do(req)
	if debug {
		attrs := []any{"op", rc.op, "method", rc.method, "url", redactURLString(rc.url), "duration", time.Since(start)}
		if err != nil {
			attrs = append(attrs, "error", stripURLError(err).Error())
		} else {
			attrs = append(attrs, "status", resp.StatusCode, "request_id", resp.Header.Get("X-Request-Id"))
		}
		c.logger.DebugContext(ctx, "hfhub: request", attrs...)
	}
	if err != nil {
		return nil, wroteFlag.Load(), err
	}
	c.logWarnings(ctx, resp.Header, rc.secrets)
	return resp, true, nil
}

// decodeAnswer reads a 2xx answer's JSON body into v and closes it. When
// the answer of an operation that is not safe to repeat is cut, the error
// wraps ErrOutcomeUnknown: the server may have applied it.
func (c *Client) decodeAnswer(ctx context.Context, op string, resp *http.Response, v any, repeatable bool) error {
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody+1))
	if err == nil && len(data) > maxSuccessBody {
		err = fmt.Errorf("the answer is larger than %d bytes", maxSuccessBody)
	}
	if err == nil && v != nil {
		if err = json.Unmarshal(data, v); err != nil {
			err = fmt.Errorf("decoding the answer: %w", err)
		}
	}
	if err == nil {
		return nil
	}
	if ctx.Err() != nil && !repeatable {
		return fmt.Errorf("hfhub: %s: %w (%w: the Hub accepted the request but its answer was not read)", op, ctx.Err(), ErrOutcomeUnknown)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if !repeatable {
		return fmt.Errorf("hfhub: %s: reading the answer: %w (%w: the Hub accepted the request; check before trying again)", op, err, ErrOutcomeUnknown)
	}
	return fmt.Errorf("hfhub: %s: reading the answer: %w", op, err)
}

// NewRequest builds a request to the Hub for an endpoint this library does
// not wrap yet. path is relative to the client's endpoint (for example
// "api/spaces/ns/name/discussions"; a leading "/" is allowed) and must be
// escaped already. A non-nil body is sent as JSON, except an io.Reader,
// which is sent as is. The token is added by Do, and only for the Hub's
// own host.
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	if ctx == nil {
		return nil, nilContextError("NewRequest")
	}
	if method == "" {
		method = http.MethodGet
	}
	if strings.Contains(path, "://") || strings.HasPrefix(path, "//") {
		return nil, fmt.Errorf("hfhub: NewRequest: %q is not a path below the endpoint", clip(path))
	}
	u, err := url.Parse(c.base + "/" + strings.TrimPrefix(path, "/"))
	if err != nil {
		return nil, fmt.Errorf("hfhub: NewRequest: invalid path %q: %w", clip(path), err)
	}
	var rd io.Reader
	isJSON := false
	switch b := body.(type) {
	case nil:
	case io.Reader:
		rd = b
	default:
		data, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("hfhub: NewRequest: encoding the body: %w", err)
		}
		rd, isJSON = bytes.NewReader(data), true
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("hfhub: NewRequest: %w", err)
	}
	if isJSON {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	return req, nil
}

// Do sends a request (usually built by NewRequest) with the client's token,
// when it goes to the Hub's own host, and its retry policy, which applies
// only to idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) whose body
// can be replayed. A non-2xx answer is an *APIError, matched by the
// package's sentinels. When a request of another method may have reached
// the Hub before the connection failed, the error wraps ErrOutcomeUnknown.
//
// A successful answer's body is read and closed: written to v when v is an
// io.Writer, else decoded as JSON into v (when v is not nil). The response
// is returned for its status and headers.
func (c *Client) Do(req *http.Request, v any) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, errors.New("hfhub: Do: nil request")
	}
	ctx := req.Context()
	rc := rawCall{op: "Do", method: req.Method, url: req.URL.String(), header: req.Header.Clone()}
	rc.header.Del("Authorization")
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		rc.retry = req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	}
	if req.Body != nil && req.Body != http.NoBody {
		first := true
		rc.body = func() (io.ReadCloser, int64, error) {
			if first {
				first = false
				return req.Body, req.ContentLength, nil
			}
			b, err := req.GetBody()
			return b, req.ContentLength, err
		}
	}
	resp, err := c.sendRaw(ctx, rc)
	if err != nil {
		return nil, err
	}
	if w, ok := v.(io.Writer); ok {
		defer resp.Body.Close()
		if _, err := io.Copy(w, resp.Body); err != nil {
			if ctx.Err() != nil {
				return resp, ctx.Err()
			}
			return resp, fmt.Errorf("hfhub: Do: reading the answer: %w", err)
		}
		return resp, nil
	}
	if v == nil {
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxSuccessBody))
		return resp, nil
	}
	return resp, c.decodeAnswer(ctx, "Do", resp, v, rc.retry)
}
