package hfhub

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// UploadOptions modifies Upload.
type UploadOptions struct {
	// Include and Exclude are glob patterns on the slash path relative to
	// the folder, as the Python client's allow_patterns and
	// ignore_patterns: "*" matches across "/" ("data/*.json" matches
	// "data/a/b.json"), a pattern ending in "/" matches everything below
	// that folder. With Include, only files matching one of its patterns
	// are uploaded; files matching an Exclude pattern never are.
	Include, Exclude []string
	// Filter is an optional extra filter (for example the CLI's
	// .gitignore): false skips the file, or the whole folder.
	Filter func(relPath string, isDir bool) bool
	// Delete removes the remote files that are not among the uploaded ones
	// (after Include, Exclude and Filter), except .gitattributes.
	Delete bool
	// Message is the commit's title; empty gives "Upload folder with hfhub".
	Message  string
	CreatePR bool
	Revision string
	// DryRun computes Uploaded, Deleted and Skipped (remote listing,
	// preupload and local hashing only); no LFS upload and no commit is sent.
	DryRun   bool
	Progress func(UploadProgress)
}

// Upload sends a local folder to a Space as one commit, built on Commit:
// files whose remote content is identical are skipped, and an unchanged
// folder sends no commit (Committed false). A ".git" folder is always
// skipped, at any depth, and so is ".cache/huggingface" (as the Python
// client does).
func (s *SpacesService) Upload(ctx context.Context, repoID, dir string, opts *UploadOptions) (*CommitInfo, error) {
	if ctx == nil {
		return nil, nilContextError("Upload")
	}
	var o UploadOptions
	if opts != nil {
		o = *opts
	}
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	include, err := compilePatterns("Include", o.Include)
	if err != nil {
		return nil, err
	}
	exclude, err := compilePatterns("Exclude", o.Exclude)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("hfhub: Upload: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%w: Upload: %s is not a folder", ErrInvalidOption, dir)
	}
	files, err := walkUploadFolder(dir, include, exclude, o.Filter)
	if err != nil {
		return nil, err
	}

	var ops []CommitOperation
	if o.Delete {
		keep := make(map[string]bool, len(files))
		for _, f := range files {
			keep[f.rel] = true
		}
		rev := o.Revision
		if o.CreatePR {
			rev = ""
		}
		for f, err := range s.ListFiles(ctx, repoID, &ListFilesOptions{Revision: rev, Recursive: true}) {
			if err != nil {
				return nil, fmt.Errorf("hfhub: Upload: listing the remote files: %w", err)
			}
			if f.Type == "file" && !keep[f.Path] && f.Path != ".gitattributes" {
				ops = append(ops, DeleteFile(f.Path))
			}
		}
	}
	for _, f := range files {
		ops = append(ops, AddFileFromPath(f.rel, f.abs))
	}
	copts := &CommitOptions{Message: o.Message, Revision: o.Revision, CreatePR: o.CreatePR, Progress: o.Progress}
	if copts.Message == "" {
		copts.Message = "Upload folder with hfhub"
	}
	if len(ops) == 0 {
		// An empty folder, nothing to delete: no commit.
		if err := validRevision(o.Revision); err != nil {
			return nil, err
		}
		head, err := s.client.revisionSHA(ctx, "Upload", repoID, o.Revision)
		if err != nil {
			return nil, err
		}
		return &CommitInfo{OID: head, URL: s.client.base + "/spaces/" + repoID + "/commit/" + head}, nil
	}
	return s.commit(ctx, "Upload", repoID, ops, copts, o.DryRun)
}

type localFile struct{ rel, abs string }

// walkUploadFolder lists the files to upload, in path order.
func walkUploadFolder(dir string, include, exclude []*regexp.Regexp, filter func(string, bool) bool) ([]localFile, error) {
	var files []localFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		isDir := d.IsDir()
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil {
				return fmt.Errorf("hfhub: Upload: %s: %w", p, err)
			}
			if st.IsDir() {
				return nil // a link to a folder is not followed (as os.walk)
			}
			if !st.Mode().IsRegular() {
				return nil
			}
		} else if !isDir && !d.Type().IsRegular() {
			return nil // sockets, devices, pipes
		}
		if isDir {
			if d.Name() == ".git" || rel == ".cache/huggingface" || strings.HasSuffix(rel, "/.cache/huggingface") {
				return filepath.SkipDir
			}
			if filter != nil && !filter(rel, true) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == ".git" { // a worktree's .git file
			return nil
		}
		if filter != nil && !filter(rel, false) {
			return nil
		}
		if len(include) > 0 && !matchAny(include, rel) {
			return nil
		}
		if matchAny(exclude, rel) {
			return nil
		}
		files = append(files, localFile{rel: rel, abs: p})
		return nil
	})
	if err != nil {
		if strings.HasPrefix(err.Error(), "hfhub: ") {
			return nil, err
		}
		return nil, fmt.Errorf("hfhub: Upload: %w", err)
	}
	slices.SortFunc(files, func(a, b localFile) int { return strings.Compare(a.rel, b.rel) })
	return files, nil
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// compilePatterns turns glob patterns into matchers with the semantics of
// Python's fnmatch.fnmatchcase, as the Python client's filter_repo_objects
// uses it: "*" matches any text, "/" included; "?" one character;
// "[seq]" and "[!seq]" a character class. A pattern ending in "/" gets a
// "*" added.
func compilePatterns(what string, patterns []string) ([]*regexp.Regexp, error) {
	var res []*regexp.Regexp
	for _, p := range patterns {
		if p == "" {
			return nil, fmt.Errorf("%w: Upload: an empty %s pattern", ErrInvalidOption, what)
		}
		p = strings.ReplaceAll(p, `\`, "/")
		if strings.HasSuffix(p, "/") {
			p += "*"
		}
		re, err := regexp.Compile(fnmatchTranslate(p))
		if err != nil {
			return nil, fmt.Errorf("%w: Upload: %s pattern %q: %v", ErrInvalidOption, what, clip(p), err)
		}
		res = append(res, re)
	}
	return res, nil
}

// fnmatchTranslate is Python's fnmatch.translate.
func fnmatchTranslate(pat string) string {
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch c {
		case '*':
			for i+1 < len(rs) && rs[i+1] == '*' {
				i++
			}
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := i + 1
			if j < len(rs) && rs[j] == '!' {
				j++
			}
			if j < len(rs) && rs[j] == ']' {
				j++
			}
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			if j >= len(rs) {
				b.WriteString(`\[`)
				continue
			}
			class := string(rs[i+1 : j])
			i = j
			class = strings.ReplaceAll(class, `\`, `\\`)
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			} else if strings.HasPrefix(class, "^") {
				class = `\` + class
			}
			b.WriteString("[" + class + "]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	return b.String()
}
