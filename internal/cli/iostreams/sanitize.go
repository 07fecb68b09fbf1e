package iostreams

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes text that came from the server (a value, a description,
// an error message, a log line) inert on a terminal, as gh does with its
// API answers: every C0 control character but tab, newline, vertical tab
// and carriage return, DEL, and every C1 control character (U+0080 to
// U+009F; U+009B alone starts a control sequence) is shown in caret
// notation ("\x1b" becomes "^[", "\x07" becomes "^G"), so an escape
// sequence shows as text instead of moving the cursor, retitling the
// window or hiding what follows. A byte that is not UTF-8 becomes U+FFFD.
//
// Every string from the Hub printed for a person or a pipe goes through
// Sanitize; --json output keeps the exact value (JSON escapes control
// characters itself).
func Sanitize(s string) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || needsCaret(r) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == 0x7f:
			b.WriteString("^?")
		case r < 0x20 && needsCaret(r):
			b.WriteByte('^')
			b.WriteByte(byte(r) + '@')
		case r >= 0x80 && r <= 0x9f:
			b.WriteByte('^')
			b.WriteByte(byte(r-0x80) + '@')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsCaret(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\v', r == '\r':
		return false
	case r < 0x20, r == 0x7f:
		return true
	}
	return r >= 0x80 && r <= 0x9f
}
