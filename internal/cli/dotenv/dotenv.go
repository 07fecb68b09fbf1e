// Package dotenv reads .env files: KEY=VALUE lines, optional `export`
// prefixes, single- or double-quoted values (which may span lines), comments
// and blank lines.
//
// Errors name the file and the line but never quote the line: a .env file
// usually holds secrets, and an error message ends up in terminals, CI logs
// and bug reports.
package dotenv

import (
	"bufio"
	"fmt"
	"github.com/hfhub-go/hfhub"
	"io"
	"os"
	"strings"
)

// Entry is one KEY=VALUE pair and the line it starts on.
type Entry struct {
	Key   string
	Value string
	Line  int
}

// ParseError says which line of which file is malformed and why.
type ParseError struct {
	File   string
	Line   int
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}

// ReadFile parses the named file.
func ReadFile(name string) ([]Entry, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, name)
}

// Parse reads r, naming it name in errors. A key given twice keeps its last
// value, at the position of its first appearance.
func Parse(r io.Reader, name string) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var (
		entries []Entry
		index   = map[string]int{}
		lineNo  int
	)
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		lineNo++
		return strings.TrimSuffix(sc.Text(), "\r"), true
	}
	for {
		line, ok := next()
		if !ok {
			break
		}
		start := lineNo
		fail := func(reason string) error {
			return &ParseError{File: name, Line: start, Reason: reason}
		}
		s := strings.TrimSpace(line)
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(s, "export"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			s = strings.TrimSpace(rest)
		}
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return nil, fail("expected KEY=VALUE")
		}
		key := strings.TrimSpace(s[:eq])
		if !ValidKey(key) {
			if key == "" {
				return nil, fail("missing key before '='")
			}
			return nil, fail("invalid key: use letters, digits and underscores, not starting with a digit")
		}
		raw := strings.TrimLeft(s[eq+1:], " \t")

		var value string
		switch {
		case raw != "" && (raw[0] == '"' || raw[0] == '\''):
			quote := raw[0]
			body := raw[1:]
			for {
				v, rest, closed := scanQuoted(body, quote)
				if closed {
					if !trailerOK(rest) {
						return nil, fail("unexpected text after the closing quote")
					}
					value = v
					break
				}
				more, ok := next()
				if !ok {
					return nil, fail("unterminated quoted value")
				}
				body += "\n" + more
			}
		default:
			value = raw
			// An unquoted value ends at a comment that follows whitespace.
			for i := 1; i < len(value); i++ {
				if value[i] == '#' && (value[i-1] == ' ' || value[i-1] == '\t') {
					value = value[:i]
					break
				}
			}
			value = strings.TrimSpace(value)
		}
		if i, seen := index[key]; seen {
			entries[i].Value = value
			continue
		}
		index[key] = len(entries)
		entries = append(entries, Entry{Key: key, Value: value, Line: start})
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: name, Line: lineNo + 1, Reason: err.Error()}
	}
	return entries, nil
}

// scanQuoted reads a quoted value from s (just after its opening quote). It
// returns the value, what follows the closing quote, and whether the quote
// was closed. Double quotes understand \n, \t, \r, \" and \\; single quotes
// take everything literally.
func scanQuoted(s string, quote byte) (value, rest string, closed bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == quote {
			return b.String(), s[i+1:], true
		}
		if quote == '"' && c == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '"', '\\', '$', '\'':
				b.WriteByte(s[i])
			default:
				b.WriteByte('\\')
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(c)
	}
	return "", "", false
}

func trailerOK(rest string) bool {
	rest = strings.TrimLeft(rest, " \t")
	return rest == "" || rest[0] == '#'
}

// ValidKey reports whether key can name a Space's variable or secret: the
// library's rule (hfhub.ValidateEnvKey), the one the Hub applies.
func ValidKey(key string) bool {
	return hfhub.ValidateEnvKey(key) == nil
}
