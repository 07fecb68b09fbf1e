package hfhub

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree writes files (slash paths) under a new temporary folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSpacesService_Upload(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	h.files["old.txt"] = []byte("old")
	h.files[".gitattributes"] = []byte("*.bin filter=lfs\n")
	h.files["keep.py"] = []byte("same")
	dir := writeTree(t, map[string]string{
		"app.py":                    "import gradio\n",
		"keep.py":                   "same",
		"static/logo.bin":           "\x00\x01binary",
		".git/config":               "[core]",
		"sub/.git":                  "gitdir: ../x",
		".cache/huggingface/x.lock": "",
		"node_modules/a.js":         "x",
		"notes.md":                  "n",
	})
	info, err := h.client.Spaces.Upload(t.Context(), "u/s", dir, &UploadOptions{
		Exclude: []string{"*.md"},
		Filter:  func(rel string, isDir bool) bool { return !(isDir && rel == "node_modules") },
		Delete:  true,
	})
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	want := &CommitInfo{OID: h.head, URL: h.hubURL + "/spaces/u/s/commit/" + h.head, Committed: true,
		Uploaded: []string{"app.py", "static/logo.bin"}, Deleted: []string{"old.txt"}, Skipped: []string{"keep.py"}}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("CommitInfo mismatch (-want +got):\n%s", diff)
	}
	lines := h.commits[0]
	if lines[0]["value"].(map[string]any)["summary"] != "Upload folder with hfhub" {
		t.Errorf("header %v", lines[0])
	}
	var keys []string
	for _, l := range lines[1:] {
		keys = append(keys, l["key"].(string)+" "+l["value"].(map[string]any)["path"].(string))
	}
	if diff := cmp.Diff([]string{"deletedFile old.txt", "file app.py", "lfsFile static/logo.bin"}, keys); diff != "" {
		t.Errorf("commit lines mismatch (-want +got):\n%s", diff)
	}
	if _, ok := h.files[".gitattributes"]; !ok {
		t.Errorf(".gitattributes was deleted")
	}

	// The same folder again: nothing to send.
	commits := len(h.commits)
	info, err = h.client.Spaces.Upload(t.Context(), "u/s", dir, &UploadOptions{Exclude: []string{"*.md", "node_modules/"}, Delete: true})
	if err != nil {
		t.Fatalf("second Upload: %v", err)
	}
	if info.Committed || len(h.commits) != commits || len(info.Uploaded) != 0 || len(info.Deleted) != 0 || info.OID != h.head {
		t.Errorf("unchanged folder: %+v, %d commits", info, len(h.commits)-commits)
	}
}

func TestSpacesService_Upload_DryRun(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	h.files["gone.txt"] = []byte("x")
	h.files["same.txt"] = []byte("same")
	dir := writeTree(t, map[string]string{"same.txt": "same", "big.bin": strings.Repeat("\x00", 2<<20), "new.py": "print()"})
	info, err := h.client.Spaces.Upload(t.Context(), "u/s", dir, &UploadOptions{Delete: true, DryRun: true})
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	want := &CommitInfo{OID: h.head, URL: h.hubURL + "/spaces/u/s/commit/" + h.head,
		Uploaded: []string{"big.bin", "new.py"}, Deleted: []string{"gone.txt"}, Skipped: []string{"same.txt"}}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("CommitInfo mismatch (-want +got):\n%s", diff)
	}
	if len(h.commits) != 0 || h.count("POST /spaces/u/s.git") != 0 || h.count("PUT") != 0 || h.count("POST /api/validate-yaml") != 0 {
		t.Errorf("a dry run sent %q", h.requests)
	}
}

func TestSpacesService_Upload_Include(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	dir := writeTree(t, map[string]string{"a.py": "a", "lib/b.py": "b", "lib/c.txt": "c", "data/x.json": "{}"})
	info, err := h.client.Spaces.Upload(t.Context(), "u/s", dir, &UploadOptions{Include: []string{"*.py", "data/"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a.py", "data/x.json", "lib/b.py"}, info.Uploaded); diff != "" {
		t.Errorf("Uploaded mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_Upload_EmptyFolder(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	info, err := h.client.Spaces.Upload(t.Context(), "u/s", t.TempDir(), nil)
	if err != nil || info.Committed || info.OID != h.head || len(h.commits) != 0 {
		t.Errorf("Upload = %+v, %v", info, err)
	}
}

func TestSpacesService_Upload_BadInput(t *testing.T) {
	t.Parallel()
	client, _ := noRequests(t)
	dir := writeTree(t, map[string]string{"f": "x"})
	for _, tc := range []struct {
		dir  string
		opts *UploadOptions
		want string
	}{
		{filepath.Join(dir, "missing"), nil, "no such file"},
		{filepath.Join(dir, "f"), nil, "not a folder"},
		{dir, &UploadOptions{Include: []string{""}}, "empty Include pattern"},
		{dir, &UploadOptions{Revision: "../x"}, "revision"},
	} {
		_, err := client.Spaces.Upload(t.Context(), "u/s", tc.dir, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Upload(%s, %+v) = %v, want %q", tc.dir, tc.opts, err, tc.want)
		}
	}
	if _, err := client.Spaces.Upload(t.Context(), "nons", dir, nil); !errors.Is(err, ErrInvalidRepoID) {
		t.Errorf("Upload(nons) = %v", err)
	}
}

// The patterns match as Python's fnmatch.fnmatchcase does.
func TestFnmatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pat, name string
		want      bool
	}{
		{"*.py", "a.py", true},
		{"*.py", "lib/a.py", true}, // "*" crosses "/"
		{"data/*.json", "data/a/b.json", true},
		{"data/*.json", "x/data/a.json", false},
		{"?.txt", "a.txt", true},
		{"?.txt", "ab.txt", false},
		{"[ab].txt", "b.txt", true},
		{"[!ab].txt", "b.txt", false},
		{"[!ab].txt", "c.txt", true},
		{"[.txt", "[.txt", true},
		{"a+b(c)", "a+b(c)", true},
		{"logs/", "logs/x/y.txt", true},
		{".*", ".env", true},
		{"*.PY", "a.py", false}, // case-sensitive
	} {
		res, err := compilePatterns("Include", []string{tc.pat})
		if err != nil {
			t.Fatalf("%q: %v", tc.pat, err)
		}
		if got := matchAny(res, tc.name); got != tc.want {
			t.Errorf("fnmatch(%q, %q) = %v, want %v", tc.name, tc.pat, got, tc.want)
		}
	}
}

// A link to a file uploads the file's content; a link to a folder is not
// followed (as the Python client's os.walk).
func TestSpacesService_Upload_Symlinks(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	outside := writeTree(t, map[string]string{"shared.py": "shared\n", "lib/x.py": "x"})
	dir := writeTree(t, map[string]string{"app.py": "app"})
	if err := os.Symlink(filepath.Join(outside, "shared.py"), filepath.Join(dir, "shared.py")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink(filepath.Join(outside, "lib"), filepath.Join(dir, "lib"))
	info, err := h.client.Spaces.Upload(t.Context(), "u/s", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"app.py", "shared.py"}, info.Uploaded); diff != "" {
		t.Errorf("Uploaded mismatch (-want +got):\n%s", diff)
	}
	if string(h.files["shared.py"]) != "shared\n" {
		t.Errorf("shared.py = %q", h.files["shared.py"])
	}
}
