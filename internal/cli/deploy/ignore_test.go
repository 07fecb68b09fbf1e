package deploy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree creates files (path → content) under a new temporary folder.
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

func TestIgnoreRules(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		".gitignore":               "# build output\n*.pyc\n/build/\n__pycache__/\n.env\n!keep.pyc\n\n",
		"app.py":                   "print(1)\n",
		"keep.pyc":                 "x",
		"mod.pyc":                  "x",
		".env":                     "SECRET=1",
		"build/out.bin":            "x",
		"build/.gitignore":         "!out.bin\n", // inside an ignored folder: no effect, as in git
		"lib/build/kept.txt":       "x",          // /build/ is anchored to the root
		"lib/__pycache__/a.pyc":    "x",
		"lib/.gitignore":           "*.log\n!important.log\n/local.txt\n",
		"lib/debug.log":            "x",
		"lib/important.log":        "x",
		"lib/local.txt":            "x",
		"lib/sub/local.txt":        "x", // /local.txt is anchored to lib/
		"lib/sub/trace.log":        "x", // lib/.gitignore applies below lib/
		"other/trace.log":          "x", // … and not beside it
		".git/HEAD":                "ref: refs/heads/main\n",
		"vendor/lib/.git/HEAD":     "ref: refs/heads/main\n", // a nested repository's .git
		"vendor/lib/lib.py":        "x",
		".git/info/exclude":        "secret-notes.md\n",
		"secret-notes.md":          "x",
		"docs/guide/.gitignore":    "*.md\n!README.md\n",
		"docs/guide/intro.md":      "x",
		"docs/guide/README.md":     "x",
		"docs/guide/dir/page.md":   "x",
		"docs/top.md":              "x",
		"CRLF/.gitignore":          "crlf.txt\r\n",
		"CRLF/crlf.txt":            "x",
		"CRLF/fine.txt":            "x",
		"assets/logo.png":          "x",
		"assets/.gitkeep":          "",
		"nested/deep/x/.gitignore": "*\n!.gitignore\n",
		"nested/deep/x/gone.txt":   "x",
	})
	rules, err := loadIgnoreRules(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := localFiles(dir, rules)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		".gitignore", "CRLF/.gitignore", "CRLF/fine.txt", "app.py", "assets/.gitkeep", "assets/logo.png",
		"docs/guide/.gitignore", "docs/guide/README.md", "docs/top.md", "keep.pyc",
		"lib/.gitignore", "lib/build/kept.txt", "lib/important.log", "lib/sub/local.txt",
		"nested/deep/x/.gitignore", "other/trace.log", "vendor/lib/lib.py",
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deployed files (-want +got):\n%s", diff)
	}
	// The filter the library gets says the same of paths it may ask about
	// without walking their folders first.
	for path, keep := range map[string]bool{
		"build/out.bin": false, "build": false, ".git/config": false, ".git": false, "vendor/lib/.git/HEAD": false,
		"lib/__pycache__/a.pyc": false, "app.py": true, "lib/sub/trace.log": false, "x/.env": false,
	} {
		isDir := path == "build" || path == ".git"
		if got := rules.Keep(path, isDir); got != keep {
			t.Errorf("Keep(%q) = %v, want %v", path, got, keep)
		}
	}
}

func TestIgnoreRulesWithoutGitignore(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"app.py": "x", ".git/HEAD": "x", "a/b.txt": "x"})
	rules, err := loadIgnoreRules(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := localFiles(dir, rules)
	slices.Sort(got)
	if diff := cmp.Diff([]string{"a/b.txt", "app.py"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadFrontMatter(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, readme string
		wantSDK      string
		wantErr      string
		noReadme     bool
	}{
		{name: "gradio", readme: "---\ntitle: Demo\nsdk: gradio\nsdk_version: 5.0.0\napp_file: main.py\n---\n# Demo\n", wantSDK: "gradio"},
		{name: "crlf and bom", readme: "\ufeff---\r\nsdk: docker\r\n---\r\n", wantSDK: "docker"},
		{name: "no front matter", readme: "# Just a title\nsdk: gradio\n"},
		{name: "empty front matter", readme: "---\n---\ntext"},
		{name: "no readme", noReadme: true},
		{name: "bad yaml", readme: "---\nsdk: [gradio\n---\n", wantErr: "not valid YAML"},
		{name: "never closed", readme: "---\nsdk: gradio\n", wantErr: "never closed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"README.md": tt.readme}
			if tt.noReadme {
				files = map[string]string{"app.py": ""}
			}
			dir := writeTree(t, files)
			fm, err := readFrontMatter(filepath.Join(dir, "README.md"))
			if tt.wantErr != "" {
				if err == nil || !contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if fm != nil {
				got = fm.SDK
			}
			if got != tt.wantSDK {
				t.Errorf("sdk = %q, want %q", got, tt.wantSDK)
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
