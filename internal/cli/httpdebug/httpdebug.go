// Package httpdebug traces HTTP requests and answers for --debug, with
// credentials and secret values redacted.
package httpdebug

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Redacted replaces every credential and secret value in a trace.
const Redacted = "[redacted]"

// Transport writes a trace of every request and its answer to Out, then
// hands the request to Base (http.DefaultTransport when nil).
//
// The Authorization header is never printed. In JSON bodies, the value of a
// secret (a "value" in a request to …/secrets, or in any entry of a
// "secrets" array, as duplicate sends) and any "token" or "password" field
// are replaced by [redacted]. Answer bodies are not printed: they can be
// large or endless (log streams).
type Transport struct {
	Base http.RoundTripper
	Out  io.Writer

	mu sync.Mutex
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, req.URL.Redacted())
	for _, k := range sortedKeys(req.Header) {
		v := strings.Join(req.Header.Values(k), ", ")
		if isCredentialHeader(k) {
			v = redactCredential(v)
		}
		fmt.Fprintf(&b, "> %s: %s\n", k, v)
	}
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		clone := req.Clone(req.Context())
		clone.Body = io.NopCloser(bytes.NewReader(body))
		clone.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req = clone
		fmt.Fprintf(&b, "> %s\n", RedactBody(req.URL.Path, body))
	}
	t.write(b.String())

	start := time.Now()
	resp, err := base.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	b.Reset()
	if err != nil {
		fmt.Fprintf(&b, "< %s %s: error after %s: %v\n", req.Method, req.URL.Redacted(), elapsed, err)
		t.write(b.String())
		return nil, err
	}
	fmt.Fprintf(&b, "< %s (%s)\n", resp.Status, elapsed)
	for _, k := range []string{"Content-Type", "X-Request-Id", "X-Error-Code", "X-Error-Message", "Ratelimit", "Ratelimit-Policy", "Retry-After", "X-Hf-Warning", "Location"} {
		if v := resp.Header.Get(k); v != "" {
			fmt.Fprintf(&b, "< %s: %s\n", k, v)
		}
	}
	t.write(b.String())
	return resp, nil
}

func (t *Transport) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.Out, s)
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func isCredentialHeader(k string) bool {
	switch http.CanonicalHeaderKey(k) {
	case "Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key":
		return true
	}
	return false
}

// redactCredential keeps the scheme ("Bearer") so that a trace still shows
// whether a token was sent.
func redactCredential(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok {
		return scheme + " " + Redacted
	}
	return Redacted
}

// RedactBody renders a request body for a trace with secrets removed. A body
// that is not JSON is shown by its size only: it cannot be inspected for
// secrets, so it is not shown.
func RedactBody(path string, body []byte) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return fmt.Sprintf("[%d bytes, not shown]", len(body))
	}
	if strings.HasSuffix(strings.TrimRight(path, "/"), "/secrets") {
		if m, ok := v.(map[string]any); ok {
			if _, has := m["value"]; has {
				m["value"] = Redacted
			}
		}
	}
	redactWalk(v)
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("[%d bytes, not shown]", len(body))
	}
	return string(out)
}

func redactWalk(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			switch strings.ToLower(k) {
			case "token", "password", "accesstoken", "access_token":
				x[k] = Redacted
				continue
			case "secrets":
				if items, ok := child.([]any); ok {
					for _, it := range items {
						if m, ok := it.(map[string]any); ok {
							if _, has := m["value"]; has {
								m["value"] = Redacted
							}
						}
					}
				}
				if m, ok := child.(map[string]any); ok {
					// A map of key → value: every value is secret.
					for sk := range m {
						m[sk] = Redacted
					}
				}
			}
			redactWalk(child)
		}
	case []any:
		for _, child := range x {
			redactWalk(child)
		}
	}
}
