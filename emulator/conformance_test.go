package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub/internal/cassette"
)

const conformanceToken = "hf_conformance_write"

var (
	reOid      = regexp.MustCompile(`\b[0-9a-f]{40}\b`)
	reObjectID = regexp.MustCompile(`\b[0-9a-f]{24}\b`)
	reTime     = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`)
)

// normalize replaces what differs between any two runs of the same
// traffic (ids, commit ids, times, the server's own address), so the rest
// can be compared byte for byte.
func normalize(body, base string) string {
	body = strings.ReplaceAll(body, base, "<hub>")
	body = strings.ReplaceAll(body, "https://huggingface.co", "<hub>")
	body = reOid.ReplaceAllString(body, "<oid>")
	body = reObjectID.ReplaceAllString(body, "<objectid>")
	return reTime.ReplaceAllString(body, "<time>")
}

// shape maps a JSON value to its skeleton: the keys, the types, the nulls.
func shape(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			out[k] = shape(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = shape(x)
		}
		return out
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "?"
}

// TestConformance replays every recorded cassette against the emulator and
// compares each answer with the Hub's: the status, the content type, the
// error headers, the JSON shape (keys, types, nulls) and, once ids, times
// and addresses are normalized, the body byte for byte.
func TestConformance(t *testing.T) {
	t.Parallel()
	cassettes, err := cassette.LoadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cassettes {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			clock := NewFakeClock(time.Date(2025, 3, 7, 12, 24, 0, 0, time.UTC))
			e, err := New(Config{Clock: clock, BuildDuration: 30 * time.Second, StartDuration: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { e.Close() })
			if err := e.AddUser("user"); err != nil {
				t.Fatal(err)
			}
			if err := e.AddToken(conformanceToken, "user", "write"); err != nil {
				t.Fatal(err)
			}
			client := &http.Client{Transport: e.Transport()}
			const base = "http://hub.test"
			do := func(in cassette.Request) *http.Response {
				u, err := url.Parse(in.URI)
				if err != nil {
					t.Fatal(err)
				}
				var body io.Reader
				if in.HasBody {
					body = strings.NewReader(in.Body)
				}
				req, err := http.NewRequestWithContext(t.Context(), in.Method, base+u.RequestURI(), body)
				if err != nil {
					t.Fatal(err)
				}
				if ct := in.Header.Get("Content-Type"); ct != "" {
					req.Header.Set("Content-Type", ct)
				}
				req.Header.Set("Authorization", "Bearer "+conformanceToken)
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				return resp
			}
			// The recorded preconditions: the Space already existed when
			// test_manage_secrets ran, and victor/static-space is a public
			// static Space.
			if strings.HasSuffix(c.Name, "test_manage_secrets") {
				resp := do(c.Interactions[0].Request)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("precondition: create answered %d", resp.StatusCode)
				}
			}
			if err := e.AddUser("victor"); err != nil {
				t.Fatal(err)
			}
			if err := e.AddSpace(SpaceSpec{ID: "victor/static-space", SDK: "static"}); err != nil {
				t.Fatal(err)
			}

			for i, it := range c.Interactions {
				resp := do(it.Request)
				got, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				want := it.Response
				where := it.Request.Method + " " + it.Request.URI
				if resp.StatusCode != want.Status {
					t.Errorf("#%d %s: status %d, want %d (body %s)", i, where, resp.StatusCode, want.Status, got)
					continue
				}
				if g, w := resp.Header.Get("Content-Type"), want.Header.Get("Content-Type"); g != w {
					t.Errorf("#%d %s: Content-Type %q, want %q", i, where, g, w)
				}
				if resp.Header.Get("X-Request-Id") == "" {
					t.Errorf("#%d %s: no X-Request-Id", i, where)
				}
				for _, k := range []string{"X-Error-Code", "X-Error-Message"} {
					if g, w := resp.Header.Get(k), want.Header.Get(k); g != w {
						t.Errorf("#%d %s: %s %q, want %q", i, where, k, g, w)
					}
				}
				if w := want.Header.Get("Access-Control-Expose-Headers"); w != "" && resp.Header.Get("Access-Control-Expose-Headers") != w {
					t.Errorf("#%d %s: Access-Control-Expose-Headers %q, want %q", i, where, resp.Header.Get("Access-Control-Expose-Headers"), w)
				}
				if strings.HasPrefix(want.Header.Get("Content-Type"), "application/json") {
					var g, w any
					if err := json.Unmarshal(got, &g); err != nil {
						t.Errorf("#%d %s: answer is not JSON: %s", i, where, got)
						continue
					}
					if err := json.Unmarshal([]byte(want.Body), &w); err != nil {
						t.Fatalf("#%d: recorded answer is not JSON: %v", i, err)
					}
					if diff := cmp.Diff(shape(w), shape(g)); diff != "" {
						t.Errorf("#%d %s: JSON shape differs (-hub +emulator):\n%s", i, where, diff)
					}
				}
				if diff := cmp.Diff(normalize(want.Body, base), normalize(string(got), base)); diff != "" {
					t.Errorf("#%d %s: body differs (-hub +emulator):\n%s", i, where, diff)
				}
				clock.Advance(200 * time.Millisecond)
			}
		})
	}
}
