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

	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
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
//
// Like the library, the trace is also scrubbed by value: the token of every
// Authorization header and every secret value redacted from a body (and
// any value given to AddSecret) is replaced by [redacted] wherever it shows
// again — in a header, a URL, an answer header echoing it, an error. What
// the server said (status, headers, errors) goes through
// iostreams.Sanitize.
type Transport struct {
	Base http.RoundTripper
	Out  io.Writer

	mu      sync.Mutex
	secrets []string
}

// minScrubLen is the shortest value scrubbed by value, as in the library:
// replacing every "a" would garble the trace, and so short a value is no
// secret anyway (it is still redacted where it is sent).
const minScrubLen = 4

// AddSecret makes t replace value wherever it would print it.
func (t *Transport) AddSecret(value string) {
	if len(value) < minScrubLen {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !slices.Contains(t.secrets, value) {
		t.secrets = append(t.secrets, value)
	}
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
			for _, cred := range req.Header.Values(k) {
				t.AddSecret(cred)
				if _, token, ok := strings.Cut(cred, " "); ok {
					t.AddSecret(strings.TrimSpace(token))
				}
			}
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
		shown, secrets := redactBody(req.URL.Path, body)
		for _, v := range secrets {
			t.AddSecret(v)
		}
		fmt.Fprintf(&b, "> %s\n", shown)
	}
	t.write(b.String())

	start := time.Now()
	resp, err := base.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	b.Reset()
	if err != nil {
		fmt.Fprintf(&b, "< %s %s: error after %s: %s\n", req.Method, req.URL.Redacted(), elapsed, iostreams.Sanitize(err.Error()))
		t.write(b.String())
		return nil, err
	}
	fmt.Fprintf(&b, "< %s (%s)\n", iostreams.Sanitize(resp.Status), elapsed)
	for _, k := range []string{"Content-Type", "X-Request-Id", "X-Error-Code", "X-Error-Message", "Ratelimit", "Ratelimit-Policy", "Retry-After", "X-Hf-Warning", "Location", "Set-Cookie"} {
		if v := resp.Header.Get(k); v != "" {
			if k == "Set-Cookie" {
				v = Redacted
			}
			fmt.Fprintf(&b, "< %s: %s\n", k, iostreams.Sanitize(v))
		}
	}
	t.write(b.String())
	return resp, nil
}

// write prints s with every known secret value replaced.
func (t *Transport) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.Out, scrub(s, t.secrets))
}

// scrub replaces every secret value in s, the longest first (a secret may
// contain a shorter one).
func scrub(s string, secrets []string) string {
	if len(secrets) == 0 {
		return s
	}
	sorted := slices.Clone(secrets)
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	for _, v := range sorted {
		s = strings.ReplaceAll(s, v, Redacted)
	}
	return s
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
	shown, _ := redactBody(path, body)
	return shown
}

// redactBody is RedactBody, and also returns the secret values it removed
// (strings only), so that the trace can scrub them wherever else they show.
func redactBody(path string, body []byte) (string, []string) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return fmt.Sprintf("[%d bytes, not shown]", len(body)), nil
	}
	var removed []string
	redact := func(m map[string]any, k string) {
		if s, ok := m[k].(string); ok {
			removed = append(removed, s)
		}
		m[k] = Redacted
	}
	if strings.HasSuffix(strings.TrimRight(path, "/"), "/secrets") {
		if m, ok := v.(map[string]any); ok {
			if _, has := m["value"]; has {
				redact(m, "value")
			}
		}
	}
	redactWalk(v, redact)
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("[%d bytes, not shown]", len(body)), removed
	}
	return iostreams.Sanitize(string(out)), removed
}

func redactWalk(v any, redact func(m map[string]any, k string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			switch strings.ToLower(k) {
			case "token", "password", "accesstoken", "access_token":
				redact(x, k)
				continue
			case "secrets":
				if items, ok := child.([]any); ok {
					for _, it := range items {
						if m, ok := it.(map[string]any); ok {
							if _, has := m["value"]; has {
								redact(m, "value")
							}
						}
					}
				}
				if m, ok := child.(map[string]any); ok {
					// A map of key → value: every value is secret.
					for sk := range m {
						redact(m, sk)
					}
				}
			}
			redactWalk(child, redact)
		}
	case []any:
		for _, child := range x {
			redactWalk(child, redact)
		}
	}
}
