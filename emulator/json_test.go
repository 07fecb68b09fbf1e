package emulator

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestAppendString checks the hand-written JSON string writer against
// encoding/json: the same text comes back, and '<', '>', '&' stay as they
// are, as in the Hub's answers.
func TestAppendString(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "new\nline\ttab\rcr", "\x00\x01\x1f\x7f",
		"--> <b>&amp;</b>", "⚡ unicode ✓", "bad \xff utf-8", "\u2028\u2029",
	} {
		got := appendString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("appendString(%q) = %s: not JSON: %v", s, got, err)
			continue
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); back != want {
			t.Errorf("appendString(%q) round-trips to %q", s, back)
		}
		if strings.ContainsAny(s, "<>&") && strings.Contains(string(got), `\u003`) {
			t.Errorf("appendString(%q) = %s escapes HTML", s, got)
		}
	}
}

// TestWrongTypeMessages: a body of the wrong shape is a 400 whose message
// names the field and the JSON type it needs, never a Go type.
func TestWrongTypeMessages(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	tests := []struct {
		path, body, want string
	}{
		{"/api/spaces/demo/gradio-app/variables", `[]`, "Invalid JSON: the body must be an object"},
		{"/api/spaces/demo/gradio-app/variables", `{"key":"A","value":1}`, "Invalid JSON: value must be a string, not a number"},
		{"/api/spaces/demo/gradio-app/sleeptime", `{"seconds":"60"}`, "Invalid JSON: seconds must be an integer, not a string"},
		{"/api/spaces/demo/gradio-app/sleeptime", `{"seconds":1.5}`, "Invalid JSON: seconds must be an integer, not a number 1.5"},
		{"/api/spaces/demo/gradio-app/dev-mode", `{"enabled":"yes"}`, "Invalid JSON: enabled must be a boolean, not a string"},
		{"/api/spaces/demo/gradio-app/duplicate", `{"variables":{}}`, "Invalid JSON: variables must be an array, not an object"},
		{"/api/spaces/demo/gradio-app/duplicate", `{"variables":[{"key":1}]}`, "Invalid JSON: variables.key must be a string, not a number"},
	}
	for _, tt := range tests {
		r := h.do("POST", tt.path, DemoWriteToken, tt.body)
		if got := r.header.Get("X-Error-Message"); r.status != 400 || got != tt.want {
			t.Errorf("POST %s %s: %d %q, want 400 %q", tt.path, tt.body, r.status, got, tt.want)
		}
	}
}

// TestExactNamesAndDuplicateKeys: request bodies are read as the Hub's
// JavaScript server reads them: names match exactly ("Flavor" is not
// "flavor"), at every depth, and of duplicate keys the last one wins.
func TestExactNamesAndDuplicateKeys(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo"})
	const sp = "/api/spaces/demo/gpu-app"
	r := h.do("POST", sp+"/hardware", DemoWriteToken, `{"Flavor":"t4-medium"}`)
	if r.status != 400 || !strings.Contains(string(r.body), `Invalid hardware flavor \"\"`) {
		t.Errorf("Flavor: %d %s, want 400 (no flavor)", r.status, r.body)
	}
	r = h.do("POST", sp+"/hardware", DemoWriteToken, `{"flavor":"a100x8","flavor":"t4-medium","FLAVOR":"h100"}`)
	mustStatus(t, r, 200)
	if got := field(r.json(t), "hardware", "requested"); got != "t4-medium" {
		t.Errorf("duplicate flavor: requested %v, want the last one, t4-medium", got)
	}
	r = h.do("POST", sp+"/variables", DemoWriteToken, `{"key":"A","Key":"B","value":"1","Value":"2"}`)
	mustStatus(t, r, 200)
	if v := r.json(t); field(v, "A", "value") != "1" || field(v, "B") != nil {
		t.Errorf("variables: %s", r.body)
	}
	// Nested: a volume's Source is not its source.
	r = h.do("PUT", sp+"/volumes", DemoWriteToken, `{"volumes":[{"type":"dataset","Source":"a/b","mountPath":"/d"}]}`)
	if r.status != 400 || !strings.Contains(string(r.body), "needs a source") {
		t.Errorf("volume with Source: %d %s", r.status, r.body)
	}
	// Embedded options of a duplicate request, exact too.
	r = h.do("POST", "/api/spaces/demo/gradio-app/duplicate", DemoWriteToken, `{"repository":"demo/dup","Hardware":"nope","hardware":"t4-small","hardware":"a10g-small"}`)
	mustStatus(t, r, 200)
	if got := field(h.do("GET", "/api/spaces/demo/dup/runtime", DemoWriteToken, nil).json(t), "hardware", "requested"); got != "a10g-small" {
		t.Errorf("duplicate's hardware: %v", got)
	}
}

// TestNameRules checks the hand-written name rules against the regular
// expressions they stand for.
func TestNameRules(t *testing.T) {
	t.Parallel()
	env := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,199}$`)
	repo := regexp.MustCompile(`^[A-Za-z0-9_.-]{1,96}$`)
	inputs := []string{"", "A", "_", "a1", "1a", "A-B", "a.b", "a b", "é", "a\x00", "-", ".x", "x_y-z.w",
		strings.Repeat("a", 96), strings.Repeat("a", 97), strings.Repeat("B", 200), strings.Repeat("B", 201)}
	for c := range 256 {
		inputs = append(inputs, string([]byte{byte(c)}), "a"+string([]byte{byte(c)}))
	}
	for _, s := range inputs {
		if got, want := envKey.MatchString(s), env.MatchString(s); got != want {
			t.Errorf("envKey(%q) = %v, want %v", s, got, want)
		}
		if got, want := repoName.MatchString(s), repo.MatchString(s); got != want {
			t.Errorf("repoName(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzExactNames: when the cheap check lets a body through as it is,
// encoding/json reads it exactly as after exactNames' rewriting.
func FuzzExactNames(f *testing.F) {
	for _, s := range []string{
		`{"flavor":"t4-small","sleepTimeSeconds":60}`, `{"Flavor":"x"}`, `{"flavor":"a","flavor":"b"}`,
		`{"\u0046lavor":"x"}`, "{\"\xe2\x84\xaaey\":\"x\",\"value\":\"v\"}", `{"key":"a","value":"b","description":"Key"}`,
		`{"volumes":[{"type":"dataset","Source":"a","mountPath":"/d"}]}`, `{"variables":[{"key":"A","value":"1"},{"key":"B","value":"2"}]}`,
	} {
		f.Add(s)
	}
	type req struct {
		Flavor           *string `json:"flavor"`
		SleepTimeSeconds *int    `json:"sleepTimeSeconds"`
		Key              *string `json:"key"`
		Value            *string `json:"value"`
		Description      *string `json:"description"`
		spaceOptions
	}
	f.Fuzz(func(t *testing.T, body string) {
		typ := reflect.TypeFor[*req]()
		if mayDiffer([]byte(body), typ.Elem()) {
			return
		}
		var plain, exact req
		errPlain := json.Unmarshal([]byte(body), &plain)
		errExact := json.Unmarshal(exactNamesOf([]byte(body), typ), &exact)
		if (errPlain == nil) != (errExact == nil) {
			return // a malformed body: both are refused, with their own messages
		}
		if errPlain == nil && !reflect.DeepEqual(plain, exact) {
			t.Errorf("%s: read as %+v, the Hub reads %+v", body, plain, exact)
		}
	})
}
