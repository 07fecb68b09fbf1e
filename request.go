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
	if ctx == nil {
		return nilContextError(rc.op)
	}
	if err := rc.checkURL(); err != nil {
		return err
	}
	_, data, err := c.loop(ctx, rc.call(), rc.url, nil, true)
	if err != nil || v == nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		if !rc.retry {
			// Accepted (2xx), so applied, but the answer says nothing usable.
			return fmt.Errorf("hfhub: %s: decoding the answer: %w (%w: the Hub accepted the request; check before trying again)", rc.op, err, ErrOutcomeUnknown)
		}
		return fmt.Errorf("hfhub: %s: decoding the answer: %w", rc.op, err)
	}
	return nil
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
