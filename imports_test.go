package hfhub

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLibraryUsesStandardLibraryOnly: the hfhub package's own code (not its
// tests) imports nothing outside the standard library.
func TestLibraryUsesStandardLibraryOnly(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, imp := range fileImports(t, f) {
			first, _, _ := strings.Cut(imp, "/")
			if strings.Contains(first, ".") {
				t.Errorf("%s imports %s: the library may use the standard library only", f, imp)
			}
		}
	}
}

// TestEmulatorIsIndependent: the emulator is a second implementation of the
// Hub; sharing the client's types would hide the same bug on both sides.
func TestEmulatorIsIndependent(t *testing.T) {
	t.Parallel()
	const lib = "github.com/hfhub-go/hfhub"
	err := filepath.WalkDir("emulator", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		for _, imp := range fileImports(t, path) {
			if imp == lib {
				t.Errorf("%s imports %s", path, lib)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func fileImports(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range f.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}
