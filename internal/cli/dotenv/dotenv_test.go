package dotenv

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		want  []Entry
	}{
		{name: "empty", input: "", want: nil},
		{name: "simple", input: "A=1\nB=two\n", want: []Entry{{"A", "1", 1}, {"B", "two", 2}}},
		{name: "comments and blank lines", input: "# top\n\nA=1\n   # indented\n\nB=2", want: []Entry{{"A", "1", 3}, {"B", "2", 6}}},
		{name: "export prefix", input: "export A=1\nexport\tB=2\n", want: []Entry{{"A", "1", 1}, {"B", "2", 2}}},
		{name: "key named export", input: "export=1\nexported=2\n", want: []Entry{{"export", "1", 1}, {"exported", "2", 2}}},
		{name: "spaces around", input: "  A = spaced value  \n", want: []Entry{{"A", "spaced value", 1}}},
		{name: "empty value", input: "A=\nB=\"\"\n", want: []Entry{{"A", "", 1}, {"B", "", 2}}},
		{name: "inline comment", input: "A=value # note\nB=val#ue\n", want: []Entry{{"A", "value", 1}, {"B", "val#ue", 2}}},
		{name: "equals in value", input: "URL=postgres://u:p@h/db?x=1\n", want: []Entry{{"URL", "postgres://u:p@h/db?x=1", 1}}},
		{name: "double quotes", input: `A="hello world"` + "\n", want: []Entry{{"A", "hello world", 1}}},
		{name: "double quote escapes", input: `A="a\nb\t\"c\"\\"`, want: []Entry{{"A", "a\nb\t\"c\"\\", 1}}},
		{name: "single quotes are literal", input: `A='a\nb # not a comment'`, want: []Entry{{"A", `a\nb # not a comment`, 1}}},
		{name: "quoted then comment", input: `A="x" # c`, want: []Entry{{"A", "x", 1}}},
		{name: "multi-line quoted", input: "KEY=\"-----BEGIN\nabc\n-----END\"\nNEXT=1\n", want: []Entry{{"KEY", "-----BEGIN\nabc\n-----END", 1}, {"NEXT", "1", 4}}},
		{name: "crlf", input: "A=1\r\nB=\"2\"\r\n", want: []Entry{{"A", "1", 1}, {"B", "2", 2}}},
		{name: "duplicate keeps last", input: "A=1\nB=2\nA=3\n", want: []Entry{{"A", "3", 1}, {"B", "2", 2}}},
		{name: "underscore and digits", input: "_A1=x\n", want: []Entry{{"_A1", "x", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(strings.NewReader(tt.input), ".env")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-value"
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{name: "no equals", input: "A=1\n" + secret + "\n", want: "app.env:2: expected KEY=VALUE"},
		{name: "missing key", input: "=" + secret, want: "app.env:1: missing key before '='"},
		{name: "key with space", input: "MY KEY=" + secret, want: "app.env:1: invalid key: use letters, digits and underscores, not starting with a digit"},
		{name: "key starting with digit", input: "1A=" + secret, want: "app.env:1: invalid key: use letters, digits and underscores, not starting with a digit"},
		{name: "unterminated quote", input: "A=1\nB=\"" + secret + "\nC=2\n", want: "app.env:2: unterminated quoted value"},
		{name: "text after quote", input: "A='" + secret + "'trailing", want: "app.env:1: unexpected text after the closing quote"},
		{name: "bare export", input: "export " + secret, want: "app.env:1: expected KEY=VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(strings.NewReader(tt.input), "app.env")
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q leaks the value", err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error is %T, want *ParseError", err)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "secrets.env")
	if err := os.WriteFile(name, []byte("export TOKEN='abc'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Entry{{"TOKEN", "abc", 1}}, got); diff != "" {
		t.Errorf("ReadFile mismatch (-want +got):\n%s", diff)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.env")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile(missing) = %v, want ErrNotExist", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("A=1\nexport B='x'\nC=\"y\\n\"\n# c\n")
	f.Fuzz(func(t *testing.T, s string) {
		entries, err := Parse(strings.NewReader(s), "f.env")
		if err != nil {
			return
		}
		for _, e := range entries {
			if !ValidKey(e.Key) {
				t.Fatalf("invalid key %q accepted", e.Key)
			}
		}
	})
}

// TestValidKey_SharedTable: the CLI accepts exactly the keys of the table
// the library and the emulator check (testdata/env_keys.json at the root).
func TestValidKey_SharedTable(t *testing.T) {
	data, err := os.ReadFile("../../../testdata/env_keys.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Valid   []string `json:"valid"`
		Invalid []struct {
			Key string `json:"key"`
		} `json:"invalid"`
	}
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Valid) == 0 || len(table.Invalid) == 0 {
		t.Fatal("the table is empty")
	}
	for _, key := range table.Valid {
		if !ValidKey(key) {
			t.Errorf("ValidKey(%q) = false, want true", key)
		}
	}
	for _, tt := range table.Invalid {
		if ValidKey(tt.Key) {
			t.Errorf("ValidKey(%q) = true, want false", tt.Key)
		}
	}
}
