package files

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdListParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdList, []clitest.ParseCase[ListOptions]{
		{Name: "space", Args: []string{"ls", "demo/app"}, Want: ListOptions{Space: "demo/app"}},
		{Name: "path, recursive, revision, json", Args: []string{"ls", "demo/app", "assets", "-r", "--revision", "refs/pr/1", "--json"},
			Want: ListOptions{Space: "demo/app", Path: "assets", Recursive: true, Revision: "refs/pr/1", JSON: true}},
		{Name: "missing space", Args: []string{"ls"}, WantCode: 1, WantErr: "missing the Space id"},
		{Name: "too many", Args: []string{"ls", "a/b", "x", "y"}, WantCode: 1, WantErr: "too many arguments"},
	})
}

func TestNewCmdGetParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdGet, []clitest.ParseCase[GetOptions]{
		{Name: "to stdout", Args: []string{"get", "demo/app", "app.py"}, Want: GetOptions{Space: "demo/app", Path: "app.py"}},
		{Name: "to a file", Args: []string{"get", "demo/app", "data/x.bin", "-o", "x.bin", "--revision", "v1"},
			Want: GetOptions{Space: "demo/app", Path: "data/x.bin", Output: "x.bin", Revision: "v1"}},
		{Name: "missing path", Args: []string{"get", "demo/app"}, WantCode: 1, WantErr: "missing the Space id and the file's path"},
		{Name: "empty path", Args: []string{"get", "demo/app", ""}, WantCode: 1, WantErr: "empty file path"},
	})
}

// binary is content the Hub stores with LFS (it is not text).
var binary = append([]byte("\x00\x01\x02binary"), bytes.Repeat([]byte{0xff, 0x00}, 4096)...)

// seedFiles commits known files to demo/gradio-app.
func seedFiles(t *testing.T, e *clitest.Env) {
	t.Helper()
	c, err := e.Factory.Client()
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Spaces.Commit(t.Context(), "demo/gradio-app", []hfhub.CommitOperation{
		hfhub.AddFileBytes("data/a.txt", []byte("alpha\n")),
		hfhub.AddFileBytes("data/sub/b.txt", []byte("bravo bravo\n")),
		hfhub.AddFileBytes("data/blob.bin", binary),
	}, &hfhub.CommitOptions{Message: "test files"})
	if err != nil {
		t.Fatalf("seeding files: %v", err)
	}
}

func TestListRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdList(f, nil) }
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "terminal", TTY: true, Setup: seedFiles, Args: []string{"ls", "demo/gradio-app", "data"},
			WantOut: "PATH           SIZE    \n" +
				"data/a.txt     6 B     \n" +
				"data/blob.bin  8.2 kB  LFS\n" +
				"data/sub/      -       \n"},
		{Name: "piped, recursive", Setup: seedFiles, Args: []string{"ls", "demo/gradio-app", "data", "-r"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				lines := strings.Split(strings.TrimSuffix(r.Out, "\n"), "\n")
				var paths []string
				for _, l := range lines {
					cols := strings.Split(l, "\t")
					if len(cols) != 4 {
						t.Fatalf("line %q: %d columns, want 4", l, len(cols))
					}
					paths = append(paths, cols[0]+" "+cols[1]+" "+cols[2])
					if cols[0] == "data/blob.bin" && len(cols[3]) != 64 {
						t.Errorf("LFS file without its sha256: %q", l)
					}
				}
				want := "data/a.txt file 6|data/blob.bin file 8201|data/sub directory 0|data/sub/b.txt file 12"
				if got := strings.Join(paths, "|"); got != want {
					t.Errorf("listing:\n got %s\nwant %s", got, want)
				}
			}},
		{Name: "root lists folders", Setup: seedFiles, Args: []string{"ls", "demo/gradio-app"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if !strings.Contains(r.Out, "data\tdirectory\t") || strings.Contains(r.Out, "data/a.txt") {
					t.Errorf("root listing:\n%s", r.Out)
				}
			}},
		{Name: "json", Setup: seedFiles, Args: []string{"ls", "demo/gradio-app", "data/sub", "--json"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				var got []map[string]any
				clitest.DecodeJSON(t, r.Out, &got)
				if len(got) != 1 || got[0]["path"] != "data/sub/b.txt" || got[0]["type"] != "file" || got[0]["size"] != 12.0 || got[0]["lfs"] != nil {
					t.Errorf("json = %v", got)
				}
				if oid, _ := got[0]["oid"].(string); len(oid) != 40 {
					t.Errorf("oid = %v, want a git blob id", got[0]["oid"])
				}
			}},
		{Name: "missing folder", TTY: true, Args: []string{"ls", "demo/gradio-app", "nothing-here"}, AnyErrOut: true, WantCode: 1},
		{Name: "missing space", Args: []string{"ls", "demo/nope"}, WantCode: 1,
			WantErrOut: "error: Space demo/nope not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.\n"},
	})
}

func TestGetRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdGet(f, nil) }
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "to stdout", Setup: seedFiles, Args: []string{"get", "demo/gradio-app", "data/sub/b.txt"}, WantOut: "bravo bravo\n"},
		{Name: "LFS file to stdout", Setup: seedFiles, Args: []string{"get", "demo/gradio-app", "data/blob.bin"}, AnyOut: true,
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				if r.Out != string(binary) {
					t.Errorf("got %d bytes, want the %d bytes committed", len(r.Out), len(binary))
				}
			}},
		{Name: "missing file", Setup: seedFiles, Args: []string{"get", "demo/gradio-app", "data/nope.txt"}, WantCode: 1, AnyErrOut: true},
	})
}

// TestGetToFolder: -o with a folder keeps the file's name, and the file
// appears whole (no temporary file is left behind).
func TestGetToFolder(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	seedFiles(t, e)
	dir := t.TempDir()
	e.SetTTY(true)
	r := e.Run(NewCmdGet(e.Factory, nil), "get", "demo/gradio-app", "data/blob.bin", "-o", dir)
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.ErrOut)
	}
	if want := "✓ Saved data/blob.bin (8.2 kB) to " + filepath.Join(dir, "blob.bin") + "\n"; r.Out != want {
		t.Errorf("stdout %q, want %q", r.Out, want)
	}
	got, err := os.ReadFile(filepath.Join(dir, "blob.bin"))
	if err != nil || !bytes.Equal(got, binary) {
		t.Fatalf("saved file: %d bytes, %v", len(got), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only blob.bin", len(entries))
	}
	// A failed download leaves no file behind.
	r = e.Run(NewCmdGet(e.Factory, nil), "get", "demo/gradio-app", "data/nope.txt", "-o", filepath.Join(dir, "nope.txt"))
	if r.Code != 1 {
		t.Fatalf("exit %d", r.Code)
	}
	if _, err := os.Stat(filepath.Join(dir, "nope.txt")); !os.IsNotExist(err) {
		t.Errorf("a failed download left a file: %v", err)
	}
}
