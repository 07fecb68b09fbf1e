package emulator

import (
	"encoding/json"
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
