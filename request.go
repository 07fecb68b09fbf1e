package hfhub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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
	if err := rc.checkURL(); err != nil {
		return nil, err
	}
	resp, _, err := c.loop(ctx, rc.call(), rc.url, nil, false)
	return resp, err
}

// exchangeRaw is sendRaw for a small answer read whole (at most
// maxSuccessBody) and decoded as JSON into v when v is not nil. An answer
// cut while being read is retried like a dropped connection when rc is
// safe to repeat; otherwise the error wraps ErrOutcomeUnknown.
func (c *Client) exchangeRaw(ctx context.Context, rc rawCall, v any) error {
	_, err := c.exchangeRawResp(ctx, rc, v)
	return err
}

// exchangeRawResp is exchangeRaw that also returns the 2xx answer (its
// body already read and closed), for its status and headers.
func (c *Client) exchangeRawResp(ctx context.Context, rc rawCall, v any) (*http.Response, error) {
	if ctx == nil {
		return nil, nilContextError(rc.op)
	}
	if err := rc.checkURL(); err != nil {
		return nil, err
	}
	resp, data, err := c.loop(ctx, rc.call(), rc.url, nil, true)
	if err != nil || v == nil {
		return resp, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		if !rc.retry {
			// Accepted (2xx), so applied, but the answer says nothing usable.
			return resp, fmt.Errorf("hfhub: %s: decoding the answer: %w (%w: the Hub accepted the request; check before trying again)", rc.op, err, ErrOutcomeUnknown)
		}
		return resp, fmt.Errorf("hfhub: %s: decoding the answer: %w", rc.op, err)
	}
	return resp, nil
}

// checkURL refuses a URL that is not absolute http(s).
func (rc rawCall) checkURL() error {
	u, err := url.Parse(rc.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("hfhub: %s: invalid URL %q", rc.op, redactURLString(rc.url))
	}
	return nil
}

// call is the rawCall as the one retry loop takes it.
func (rc rawCall) call() call {
	return call{op: rc.op, method: rc.method, retry: rc.retry, secrets: rc.secrets,
		header: rc.header, open: rc.body, noAuth: rc.noAuth, onRetry: rc.onRetry}
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
// A successful answer's body is read and closed: streamed to v when v is
// an io.Writer, else read whole (at most 64 MiB) inside the retry loop, so
// that a cut answer is retried like a dropped connection, and decoded as
// JSON into v when v is not nil. A cut answer to a request that is not
// retried wraps ErrOutcomeUnknown. The response
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
	w, stream := v.(io.Writer)
	if !stream {
		// Read whole inside the retry loop: a cut answer is retried, or is
		// ErrOutcomeUnknown for a request that is not safe to repeat.
		return c.exchangeRawResp(ctx, rc, v)
	}
	resp, err := c.sendRaw(ctx, rc)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		switch {
		case ctx.Err() != nil && rc.retry:
			return resp, ctx.Err()
		case !rc.retry:
			return resp, fmt.Errorf("hfhub: Do: reading the answer: %w (%w: the Hub accepted the request; check before trying again)", err, ErrOutcomeUnknown)
		}
		return resp, fmt.Errorf("hfhub: Do: reading the answer: %w", err)
	}
	return resp, nil
}
