package deploy

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// ignoreRules is what git would leave out of the folder: the patterns of
// every .gitignore in it (each applying below its own folder, the deeper
// ones winning, "!" re-including) and of .git/info/exclude. A .git folder,
// at the top or nested, is always left out.
type ignoreRules struct {
	matcher gitignore.Matcher
	files   int // .gitignore files read
	// secret holds the slash paths, relative to the folder, of the
	// --secrets-file files that lie inside it: never uploaded.
	secret []string
}

// keepSecretsHome leaves out of the upload every file among files (as given
// on the command line) that lies inside dir, and returns those it left out,
// relative to dir. A secrets file is read for its values; uploading it
// would publish them.
func (r *ignoreRules) keepSecretsHome(dir string, files []string) ([]string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f == "-" {
			continue
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			return nil, err
		}
		if resolved, err := filepath.EvalSymlinks(abs); err == nil {
			abs = resolved
		}
		if resolvedDir, err := filepath.EvalSymlinks(absDir); err == nil {
			absDir = resolvedDir
		}
		rel, err := filepath.Rel(absDir, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		r.secret = append(r.secret, filepath.ToSlash(rel))
	}
	return r.secret, nil
}

// loadIgnoreRules reads the ignore files of dir. It descends only into
// folders that are not ignored, as git does: a .gitignore inside an
// ignored folder has no effect.
func loadIgnoreRules(dir string) (*ignoreRules, error) {
	var patterns []gitignore.Pattern
	read := func(file string, domain []string) error {
		f, err := os.Open(file)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			line := strings.TrimSuffix(sc.Text(), "\r")
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			patterns = append(patterns, gitignore.ParsePattern(line, domain))
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("reading %s: %w", file, err)
		}
		return nil
	}
	rules := &ignoreRules{}
	if err := read(filepath.Join(dir, ".git", "info", "exclude"), nil); err != nil {
		return nil, err
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		var parts []string
		if rel != "." {
			parts = strings.Split(filepath.ToSlash(rel), "/")
			if d.Name() == ".git" || gitignore.NewMatcher(patterns).Match(parts, true) {
				return filepath.SkipDir
			}
		}
		before := len(patterns)
		if err := read(filepath.Join(path, ".gitignore"), parts); err != nil {
			return err
		}
		if len(patterns) > before {
			rules.files++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rules.matcher = gitignore.NewMatcher(patterns)
	return rules, nil
}

// Keep reports whether a path (slash-separated, relative to the folder) is
// deployed; it is UploadOptions.Filter.
func (r *ignoreRules) Keep(relPath string, isDir bool) bool {
	relPath = strings.Trim(filepath.ToSlash(relPath), "/")
	if relPath == "" || relPath == "." {
		return true
	}
	if slices.Contains(r.secret, relPath) {
		return false
	}
	parts := strings.Split(relPath, "/")
	if slices.Contains(parts, ".git") {
		// Git never tracks a .git, the top one or a nested repository's.
		return false
	}
	// A file in an ignored folder is ignored, whatever pattern names it.
	for i := 1; i < len(parts); i++ {
		if r.matcher.Match(parts[:i], true) {
			return false
		}
	}
	return !r.matcher.Match(parts, isDir)
}
