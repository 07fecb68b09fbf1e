package iostreams

import "testing"

func TestSanitize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain text, ünïcode ✓", "plain text, ünïcode ✓"},
		{"tab\tnewline\nvt\vcr\r", "tab\tnewline\nvt\vcr\r"},
		{"\x1b[2J\x1b[Hcleared", "^[[2J^[[Hcleared"},
		{"\x1b]0;pwned\x07title", "^[]0;pwned^Gtitle"},
		{"nul\x00del\x7f", "nul^@del^?"},
		{"c1 csi \u009b31m red", "c1 csi ^[31m red"},
		{"c1 \u0080 \u009f", "c1 ^@ ^_"},
		{"bad \x9b byte", "bad \uFFFD byte"},
		{"\x1c\x1d\x1e\x1f", "^\\^]^^^_"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestColorSchemeSanitizes(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{false, true} {
		cs := &ColorScheme{enabled: on}
		want := "^[]0;x^G"
		if on {
			want = "\x1b[1m" + want + "\x1b[0m"
		}
		if got := cs.Bold("\x1b]0;x\x07"); got != want {
			t.Errorf("colour %v: Bold = %q, want %q", on, got, want)
		}
	}
}
