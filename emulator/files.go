package emulator

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The repository side of a Space: preupload, commit, tree, paths-info,
// resolve and raw, commits, refs, branches, settings, move and
// validate-yaml (the wire: ../shared/WIRE-REPOS.md).

func (e *Emulator) repoRoutes(sp string) {
	e.route("PUT "+sp+"/settings", "settings", e.handleSettings)
	e.route("POST /api/repos/move", "move", e.handleMove)
	e.route("POST /api/validate-yaml", "validate-yaml", e.handleValidateYAML)
	e.route("GET "+sp+"/tree/{rest...}", "tree", e.handleTree)
	e.route("POST "+sp+"/paths-info/{revision}", "paths-info", e.handlePathsInfo)
	e.route("GET "+sp+"/commits/{rest...}", "commits", e.handleCommits)
	e.route("GET "+sp+"/refs", "refs", e.handleRefs)
	e.route("POST "+sp+"/branch/{branch}", "branch", e.handleBranchCreate)
	e.route("DELETE "+sp+"/branch/{branch}", "branch", e.handleBranchDelete)
	// GET patterns answer HEAD too.
	e.route("GET /spaces/{namespace}/{name}/resolve/{revision}/{path...}", "resolve", e.handleResolve)
	e.route("GET /spaces/{namespace}/{name}/raw/{revision}/{path...}", "raw", e.handleRaw)
	e.lfsRoutes()
	e.discussionRoutes(sp)
}

// maxCommitBody is the largest commit body: the Hub takes up to 1 GB of
// regular files' content per commit.
const maxCommitBody = 1 << 30

// largeBodyRoute reports whether a request may carry a body over maxBody:
// commits and LFS uploads, which read their bodies as streams with their
// own limits.
func largeBodyRoute(r *http.Request) bool {
	p := r.URL.Path
	switch r.Method {
	case http.MethodPost:
		return strings.HasPrefix(p, "/api/spaces/") && strings.Contains(p, "/commit/")
	case http.MethodPut:
		return strings.HasPrefix(p, "/lfs/upload/") || strings.HasPrefix(p, "/lfs/part/")
	}
	return false
}

func isTrue(v string) bool { return v == "1" || v == "true" || v == "True" }

// locked runs fn with e.mu held on the Space named id, after the access
// check and settling it to now. Nothing is saved.
func (e *Emulator) locked(r *http.Request, id string, need access, fn func(s *space, now time.Time) error) error {
	c := callerOf(r)
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.spaces[id]
	var rec *spaceRecord
	if s != nil {
		rec = &s.rec
	}
	if err := e.authorize(c, rec, need); err != nil {
		return err
	}
	if e.settle(&s.rec, now) {
		e.notify(s)
	}
	return fn(s, now)
}

// mutate is locked for a change: when fn fails its change is undone; when
// it succeeds the Space is queued for the data file under the lock and
// mutate returns once that is durable, after releasing the lock (so an
// acknowledged change is durable and no fsync holds the lock). A failed
// write to the data file is a 500 and stops every later write (store.go).
func (e *Emulator) mutate(r *http.Request, id string, need access, fn func(s *space, now time.Time) error) error {
	var saved *pending
	err := e.locked(r, id, need, func(s *space, now time.Time) error {
		snap := e.snapshot(s)
		if err := fn(s, now); err != nil {
			e.restore(s, snap)
			return err
		}
		saved = e.queueSave(s)
		e.notify(s)
		return nil
	})
	if err != nil {
		return err
	}
	return saved.wait()
}

// authorizePR decides whether the caller may open a pull request: anyone
// who sees the Space, with a write token. e.mu must be held.
func (e *Emulator) authorizePR(c caller, rec *spaceRecord) *apiError {
	if err := e.authorize(c, rec, accessRead); err != nil {
		return err
	}
	if c.user == "" {
		return &apiError{status: http.StatusUnauthorized, msg: msgInvalidUser}
	}
	if c.role != "write" {
		return errorf(http.StatusForbidden, "This action requires a token with write access; yours is read-only")
	}
	return nil
}

// prAccess reports whether a preupload or commit needs only what opening
// a pull request needs: it opens one, or goes to one (refs/pr/N).
func prAccess(r *http.Request, createPR bool) bool {
	return createPR || prRef.MatchString(r.PathValue("revision"))
}

// lockedPR is locked for a request that opens or updates a pull request,
// or needs write access otherwise.
func (e *Emulator) lockedPR(r *http.Request, id string, createPR, save bool, fn func(s *space, now time.Time) error) error {
	run := e.locked
	if save {
		run = e.mutate
	}
	need := accessWrite
	if createPR {
		need = accessRead
	}
	return run(r, id, need, func(s *space, now time.Time) error {
		if createPR {
			if err := e.authorizePR(callerOf(r), &s.rec); err != nil {
				return err
			}
		}
		return fn(s, now)
	})
}

// cleanRepoPath applies the Hub's rules to a path in a repository.
func cleanRepoPath(p string) (string, error) {
	p = strings.TrimPrefix(strings.TrimPrefix(p, "/"), "./")
	if p == "" || p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.ContainsRune(p, 0) {
		return "", errorf(http.StatusBadRequest, "Invalid path %q in the repository", p)
	}
	for _, part := range strings.Split(strings.TrimSuffix(p, "/"), "/") {
		switch part {
		case "", ".", "..":
			return "", errorf(http.StatusBadRequest, "Invalid path %q: empty, '.' or '..' components are not allowed", p)
		case ".git", ".cache":
			return "", errorf(http.StatusBadRequest, "Invalid path %q: a path cannot contain a %s folder", p, part)
		}
	}
	return p, nil
}

// --- preupload ---

// lfsThreshold is the size above which the Hub stores any file in LFS.
const lfsThreshold = 10 << 20

// handlePreupload answers which upload mode each file takes (regular, or
// lfs for large or binary files and paths .gitattributes tracks), whether
// .gitignore ignores it, and the oid of the file at that path if it
// exists: its git blob id, or its SHA-256 for an LFS file.
func (e *Emulator) handlePreupload(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Files []struct {
			Path   string `json:"path"`
			Sample string `json:"sample"`
			Size   int64  `json:"size"`
		} `json:"files"`
		GitIgnore     *string `json:"gitIgnore"`
		GitAttributes *string `json:"gitAttributes"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	if len(req.Files) > 1000 {
		fail(w, http.StatusBadRequest, "", "Too many files in one preupload call: at most 1000")
		return
	}
	createPR := isTrue(r.URL.Query().Get("create_pr"))
	var answer obj
	err := e.lockedPR(r, spaceID(r), prAccess(r, createPR), false, func(s *space, now time.Time) error {
		rev := r.PathValue("revision")
		head, err := e.writableRev(&s.rec, rev, createPR)
		if err != nil {
			return err
		}
		t, err := e.treeOf(head)
		if err != nil {
			return err
		}
		attrs, ignore := "", ""
		if f := t.file(".gitattributes"); f != nil && f.Size < maxBody {
			b, _ := e.readEntry(f)
			attrs = string(b)
		}
		if f := t.file(".gitignore"); f != nil && f.Size < maxBody {
			b, _ := e.readEntry(f)
			ignore = string(b)
		}
		if req.GitAttributes != nil {
			attrs = *req.GitAttributes
		}
		if req.GitIgnore != nil {
			ignore = *req.GitIgnore
		}
		lfsRules, ignoreRules := parseAttributes(attrs), parseIgnore(ignore)
		files := make([]obj, 0, len(req.Files))
		for i, f := range req.Files {
			p, err := cleanRepoPath(f.Path)
			if err != nil {
				return err
			}
			if f.Size < 0 {
				return errorf(http.StatusBadRequest, "files[%d].size must not be negative", i)
			}
			sample, err := base64.StdEncoding.DecodeString(f.Sample)
			if err != nil {
				return errorf(http.StatusBadRequest, "files[%d].sample must be base64", i)
			}
			mode := "regular"
			if f.Size > 0 && (f.Size > lfsThreshold || lfsRules.lfs(p) || looksBinary(sample)) {
				mode = "lfs"
			}
			o := obj{{"path", f.Path}, {"uploadMode", mode}, {"shouldIgnore", ignoreRules.ignored(p)}}
			if cur := t.file(p); cur != nil {
				oid := cur.Oid
				if cur.isLFS() {
					oid = cur.LFS
				}
				o = append(o, kv{"oid", oid})
			}
			files = append(files, o)
		}
		answer = obj{{"files", files}, {"commitOid", head}}
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// looksBinary reports whether a sample of a file's start looks binary: a NUL
// byte, or bytes that are not UTF-8.
func looksBinary(sample []byte) bool {
	if slices.Contains(sample, 0) {
		return true
	}
	// The sample may end inside a character.
	for i := 0; i < 3 && len(sample) > 0 && !utf8.Valid(sample); i++ {
		sample = sample[:len(sample)-1]
	}
	return !utf8.Valid(sample)
}

// writableRev is the head commit a commit to rev builds on: a branch, or
// with createPR the branch the pull request targets; an open pull
// request's ref refs/pr/N too.
func (e *Emulator) writableRev(rec *spaceRecord, rev string, createPR bool) (string, error) {
	if err := e.ensureRepo(rec); err != nil {
		return "", err
	}
	name := strings.TrimPrefix(rev, "refs/heads/")
	if id, ok := rec.Repo.Branches[name]; ok {
		return id, nil
	}
	if !createPR {
		if pr := rec.Repo.pr(rev); pr != nil && pr.Status == "open" {
			return pr.Head, nil
		}
	}
	return "", errRevision(rev)
}

// --- .gitattributes and .gitignore ---

type gitRule struct {
	re      *regexp.Regexp
	dirOnly bool
	set     bool // filter=lfs, or an ignore rule that is not negated
}

type gitRules []gitRule

// globRegexp turns a gitignore-style pattern into a regexp over paths.
func globRegexp(pattern string) (*regexp.Regexp, bool) {
	dirOnly := strings.HasSuffix(pattern, "/")
	pattern = strings.TrimSuffix(pattern, "/")
	anchored := strings.Contains(pattern, "/")
	pattern = strings.TrimPrefix(pattern, "/")
	var b strings.Builder
	if anchored {
		b.WriteString("^")
	} else {
		b.WriteString("^(?:.*/)?")
	}
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case strings.HasPrefix(pattern[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(pattern[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			j := strings.IndexByte(pattern[i:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := pattern[i+1 : i+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j
		case c == '\\' && i+1 < len(pattern):
			i++
			b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, false
	}
	return re, dirOnly
}

// parseAttributes reads the LFS rules of a .gitattributes.
func parseAttributes(text string) gitRules {
	var rules gitRules
	for line := range strings.SplitSeq(text, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		set, found := false, false
		for _, a := range fields[1:] {
			switch a {
			case "filter=lfs":
				set, found = true, true
			case "-filter", "!filter":
				set, found = false, true
			}
			if strings.HasPrefix(a, "filter=") && a != "filter=lfs" {
				set, found = false, true
			}
		}
		if !found {
			continue
		}
		if re, dirOnly := globRegexp(fields[0]); re != nil && !dirOnly {
			rules = append(rules, gitRule{re: re, set: set})
		}
	}
	return rules
}

// lfs reports whether the last rule matching p tracks it in LFS.
func (rules gitRules) lfs(p string) bool {
	for i := len(rules) - 1; i >= 0; i-- {
		if rules[i].re.MatchString(p) {
			return rules[i].set
		}
	}
	return false
}

func parseIgnore(text string) gitRules {
	var rules gitRules
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimRight(line, " \r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set := true
		if strings.HasPrefix(line, "!") {
			set, line = false, line[1:]
		}
		if re, dirOnly := globRegexp(line); re != nil {
			rules = append(rules, gitRule{re: re, dirOnly: dirOnly, set: set})
		}
	}
	return rules
}

// ignored applies .gitignore rules to a file's path: a file under an
// ignored folder is ignored.
func (rules gitRules) ignored(p string) bool {
	if len(rules) == 0 {
		return false
	}
	match := func(q string, dir bool) bool {
		for i := len(rules) - 1; i >= 0; i-- {
			if (!rules[i].dirOnly || dir) && rules[i].re.MatchString(q) {
				return rules[i].set
			}
		}
		return false
	}
	parts := strings.Split(p, "/")
	for i := 1; i < len(parts); i++ {
		if match(strings.Join(parts[:i], "/"), true) {
			return true
		}
	}
	return match(p, false)
}

// --- commit ---

type commitOp struct {
	key     string
	path    string
	entry   *fileEntry // file: the content, in the pack
	lfsOid  string
	lfsSize *int64
}

// handleCommit applies an NDJSON commit: a header line, then file,
// lfsFile, deletedFile and deletedFolder lines. The regular files'
// contents are stored, durably, before the commit is recorded; an LFS
// file must have been uploaded. A commit to main rebuilds the Space.
func (e *Emulator) handleCommit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	createPR := isTrue(q.Get("create_pr"))
	hotReload := isTrue(q.Get("hot_reload"))
	// Check access before reading what may be a large body.
	if err := e.lockedPR(r, spaceID(r), prAccess(r, createPR), false, func(*space, time.Time) error { return nil }); err != nil {
		failErr(w, err)
		return
	}
	pack, err := e.newPack()
	if err != nil {
		failErr(w, err)
		return
	}
	defer pack.abort()
	header, ops, err := readCommit(http.MaxBytesReader(w, r.Body, maxCommitBody), pack)
	if err == nil {
		err = pack.finish()
	}
	if err != nil {
		failErr(w, err)
		return
	}
	var answer obj
	err = e.lockedPR(r, spaceID(r), prAccess(r, createPR), true, func(s *space, now time.Time) error {
		var err error
		answer, err = e.applyCommit(r, s, now, header, ops, createPR, hotReload)
		return err
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

type commitHeader struct {
	Summary      string  `json:"summary"`
	Description  string  `json:"description"`
	ParentCommit *string `json:"parentCommit"`
}

var parentRe = regexp.MustCompile(`^[0-9a-fA-F]{5,40}$`)

// readCommit reads an NDJSON commit body, one JSON object a line, putting
// regular files' contents into pack as it goes.
func readCommit(body io.Reader, pack *packWriter) (*commitHeader, []commitOp, error) {
	br := bufio.NewReaderSize(body, 1<<20)
	var header *commitHeader
	var ops []commitOp
	var scratch []byte
	for n := 0; ; {
		raw, err := readLine(br)
		if err != nil && err != io.EOF {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, nil, errorf(http.StatusRequestEntityTooLarge, "Commit payload is too large: at most %d MiB of regular files per commit; send large files through LFS", maxCommitBody>>20)
			}
			return nil, nil, errorf(http.StatusBadRequest, "Could not read the commit payload")
		}
		last := err == io.EOF
		if raw = bytes.TrimSpace(raw); len(raw) > 0 {
			n++
			if err := readCommitLine(raw, n, &header, &ops, pack, &scratch); err != nil {
				return nil, nil, err
			}
		}
		if last {
			break
		}
	}
	if header == nil {
		return nil, nil, errorf(http.StatusBadRequest, "Empty commit payload: the first line must have the key `header`")
	}
	if len(ops) == 0 {
		return nil, nil, errorf(http.StatusBadRequest, "Add a line with the key `lfsFile`, `file` or `deletedFile`")
	}
	return header, ops, nil
}

// readLine reads a line of any length.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	buf := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = br.ReadSlice('\n')
		buf = append(buf, line...)
	}
	return buf, err
}

func readCommitLine(raw []byte, n int, header **commitHeader, ops *[]commitOp, pack *packWriter, scratch *[]byte) error {
	var line struct {
		Key   string `json:"key"`
		Value struct {
			Summary      *string         `json:"summary"`
			Description  *string         `json:"description"`
			ParentCommit *string         `json:"parentCommit"`
			Path         string          `json:"path"`
			Content      json.RawMessage `json:"content"`
			Encoding     string          `json:"encoding"`
			Oid          string          `json:"oid"`
			Algo         string          `json:"algo"`
			Size         *int64          `json:"size"`
		} `json:"value"`
	}
	if err := json.Unmarshal(raw, &line); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return errorf(http.StatusBadRequest, "Invalid commit payload on line %d: %s must be %s", n, typ.Field, jsonTypeName(typ.Type))
		}
		return errorf(http.StatusBadRequest, "Invalid NDJSON commit payload: line %d is not a JSON object with key and value", n)
	}
	v := &line.Value
	if n == 1 {
		if line.Key != "header" {
			return errorf(http.StatusBadRequest, "The first line of a commit must have the key `header`")
		}
		h := &commitHeader{ParentCommit: v.ParentCommit}
		if v.Summary != nil {
			h.Summary = *v.Summary
		}
		if v.Description != nil {
			h.Description = *v.Description
		}
		if strings.TrimSpace(h.Summary) == "" {
			return errorf(http.StatusBadRequest, "The commit header needs a summary")
		}
		if h.ParentCommit != nil && !parentRe.MatchString(*h.ParentCommit) {
			return errorf(http.StatusBadRequest, "Invalid parentCommit %q: want a commit id (5 to 40 hex digits)", *h.ParentCommit)
		}
		*header = h
		return nil
	}
	op := commitOp{key: line.Key}
	var err error
	switch line.Key {
	case "file":
		if op.path, err = cleanRepoPath(v.Path); err != nil {
			return err
		}
		raw := []byte(v.Content)
		if len(raw) < 2 || raw[0] != '"' {
			return errorf(http.StatusBadRequest, "The file line for %s needs its content as a string", v.Path)
		}
		// Base64 has nothing to unescape: decode the JSON string's bytes
		// directly, into a buffer reused from line to line.
		if bytes.IndexByte(raw, '\\') >= 0 || v.Encoding != "base64" {
			var str string
			if err := json.Unmarshal(raw, &str); err != nil {
				return errorf(http.StatusBadRequest, "Invalid content for %s", v.Path)
			}
			raw = []byte(`"` + str + `"`)
		}
		text := raw[1 : len(raw)-1]
		var content []byte
		switch v.Encoding {
		case "base64":
			*scratch = slices.Grow((*scratch)[:0], base64.StdEncoding.DecodedLen(len(text)))
			m, err := base64.StdEncoding.Decode((*scratch)[:base64.StdEncoding.DecodedLen(len(text))], text)
			if err != nil {
				return errorf(http.StatusBadRequest, "Invalid base64 content for %s", v.Path)
			}
			content = (*scratch)[:m]
		case "utf-8", "utf8", "":
			content = text
		default:
			return errorf(http.StatusBadRequest, "Invalid encoding %q for %s: want base64 or utf-8", v.Encoding, v.Path)
		}
		if op.entry, err = pack.add(op.path, content); err != nil {
			return err
		}
	case "lfsFile":
		if op.path, err = cleanRepoPath(v.Path); err != nil {
			return err
		}
		if v.Algo != "" && v.Algo != "sha256" {
			return errorf(http.StatusBadRequest, "Invalid algo %q for %s: want sha256", v.Algo, v.Path)
		}
		if !sha256Re.MatchString(v.Oid) {
			return errorf(http.StatusBadRequest, "Invalid oid %q for %s: want a SHA-256 in hex", v.Oid, v.Path)
		}
		op.lfsOid, op.lfsSize = v.Oid, v.Size
	case "deletedFile":
		if op.path, err = cleanRepoPath(v.Path); err != nil {
			return err
		}
	case "deletedFolder":
		op.path = strings.Trim(v.Path, "/")
		if op.path != "" {
			if op.path, err = cleanRepoPath(op.path); err != nil {
				return err
			}
		}
	default:
		return errorf(http.StatusBadRequest, "Unknown key %q on line %d: want file, lfsFile, deletedFile or deletedFolder", line.Key, n)
	}
	*ops = append(*ops, op)
	return nil
}

var sha256Re = regexp.MustCompile(`^[0-9a-f]{64}$`)

// applyCommit records a commit read by readCommit. e.mu is held.
func (e *Emulator) applyCommit(r *http.Request, s *space, now time.Time, h *commitHeader, ops []commitOp, createPR, hotReload bool) (obj, error) {
	rec := &s.rec
	rev := r.PathValue("revision")
	base, err := e.writableRev(rec, rev, createPR)
	if err != nil {
		return nil, err
	}
	if h.ParentCommit != nil {
		parent := strings.ToLower(*h.ParentCommit)
		if createPR {
			// The pull request starts from the parent commit.
			if base, err = e.resolveRev(rec, parent); err != nil {
				return nil, err
			}
		} else if !strings.HasPrefix(base, parent) {
			return nil, &apiError{status: http.StatusPreconditionFailed, msg: "The branch was updated since you opened this page. Please refresh and try again."}
		}
	}
	t, err := e.treeOf(base)
	if err != nil {
		return nil, err
	}
	files := make(map[string]fileEntry, len(t.Entries)+len(ops))
	for _, f := range t.Entries {
		files[f.Path] = f
	}
	var lfsPaths []string
	for _, op := range ops {
		switch op.key {
		case "file":
			files[op.path] = *op.entry
		case "lfsFile":
			size, ok := e.lfsOwned(rec.ID, op.lfsOid)
			if !ok {
				// An object of the Space's files (a copy) needs no upload.
				for _, f := range t.Entries {
					if f.LFS == op.lfsOid {
						size, ok = f.Size, true
						break
					}
				}
			}
			if !ok {
				return nil, errorf(http.StatusBadRequest, "The LFS object %s of %s was not uploaded: upload it through the LFS batch API before committing", op.lfsOid, op.path)
			}
			if op.lfsSize != nil && *op.lfsSize != size {
				return nil, errorf(http.StatusBadRequest, "The LFS object of %s has %d bytes, not %d", op.path, size, *op.lfsSize)
			}
			files[op.path] = fileEntry{Path: op.path, Oid: blobID(lfsPointer(op.lfsOid, size)), Size: size, LFS: op.lfsOid}
			lfsPaths = append(lfsPaths, op.path)
		case "deletedFile":
			if _, ok := files[op.path]; !ok {
				return nil, &apiError{status: http.StatusNotFound, code: "EntryNotFound", msg: "A file with this name doesn't exist: " + op.path}
			}
			delete(files, op.path)
		case "deletedFolder":
			found := false
			for p := range files {
				if op.path == "" || strings.HasPrefix(p, op.path+"/") {
					delete(files, p)
					found = true
				}
			}
			if !found {
				return nil, &apiError{status: http.StatusNotFound, code: "EntryNotFound", msg: "A folder with this name doesn't exist: " + op.path}
			}
		}
	}
	if err := e.trackLFS(files, lfsPaths); err != nil {
		return nil, err
	}
	entries := make([]fileEntry, 0, len(files))
	for _, f := range files {
		entries = append(entries, f)
	}
	c, nt, err := e.newCommit(base, entries, callerOf(r).user, strings.TrimSpace(h.Summary), strings.TrimSpace(h.Description), now)
	if err != nil {
		return nil, err
	}
	answer := obj{
		{"success", true},
		{"commitOid", c.ID},
		{"commitUrl", spaceURL(r, rec.ID) + "/commit/" + c.ID},
		{"hookOutput", ""},
	}
	repo := rec.Repo
	switch {
	case createPR:
		repo.Discussions++
		target := strings.TrimPrefix(rev, "refs/heads/")
		repo.PRs = append(repo.PRs, pullRequest{Num: repo.Discussions, Head: c.ID, Base: base, Target: target, Title: c.Title,
			Author: callerOf(r).user, CreatedAt: now, Status: "open"})
		answer = append(answer, kv{"pullRequestUrl", fmt.Sprintf("%s/discussions/%d", spaceURL(r, rec.ID), repo.Discussions)})
	case repo.pr(rev) != nil:
		repo.pr(rev).Head = c.ID
	default:
		name := strings.TrimPrefix(rev, "refs/heads/")
		repo.Branches[name] = c.ID
		if name == "main" {
			e.setMain(rec, c, nt)
			running := rec.Stage == StageRunning || rec.Stage == StageRunningBuilding
			if rec.Stage != StagePaused && !(hotReload && running) {
				e.startBuild(rec, now, e.cfg.BuildDuration, e.cfg.StartDuration)
				e.settle(rec, now)
			}
		}
	}
	return answer, nil
}

// trackLFS adds the paths committed as LFS files that .gitattributes does
// not track yet to it, as the Hub does.
func (e *Emulator) trackLFS(files map[string]fileEntry, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	var text string
	if f, ok := files[".gitattributes"]; ok && !f.isLFS() && f.Size < maxBody {
		b, err := e.readEntry(&f)
		if err != nil {
			return err
		}
		text = string(b)
	}
	rules := parseAttributes(text)
	var add strings.Builder
	for _, p := range paths {
		if !rules.lfs(p) {
			add.WriteString(escapeAttrPath(p) + " filter=lfs diff=lfs merge=lfs -text\n")
		}
	}
	if add.Len() == 0 {
		return nil
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	content := []byte(text + add.String())
	pack, err := e.newPack()
	if err != nil {
		return err
	}
	defer pack.abort()
	f, err := pack.add(".gitattributes", content)
	if err != nil {
		return err
	}
	if err := pack.finish(); err != nil {
		return err
	}
	files[".gitattributes"] = *f
	return nil
}

func escapeAttrPath(p string) string {
	r := strings.NewReplacer(" ", "[[:space:]]", "*", `\*`, "?", `\?`, "[", `\[`)
	return r.Replace(p)
}

// --- tree and paths-info ---

// treeItem is a file or folder of a tree listing.
type treeItem struct {
	path string
	dir  string // the folder's tree id, for a folder
	file *fileEntry
}

// splitRevPath splits rev/path (the JavaScript client sends both
// unencoded, so a revision may hold slashes): the longest prefix that is
// a revision wins.
func (e *Emulator) splitRevPath(rec *spaceRecord, rest string) (commit, p string, err error) {
	parts := strings.Split(rest, "/")
	for i := len(parts); i >= 1; i-- {
		rev := strings.Join(parts[:i], "/")
		if id, err := e.resolveRev(rec, rev); err == nil {
			return id, strings.Trim(strings.Join(parts[i:], "/"), "/"), nil
		}
	}
	return "", "", errRevision(parts[0])
}

// list returns the items under folder dir ("" is the root): its children,
// or with recursive everything below it, folders before their content.
func (t *treeState) list(dir string, recursive bool) ([]treeItem, bool) {
	prefix := ""
	if dir != "" {
		if _, ok := t.dirs[dir]; !ok {
			return nil, false
		}
		prefix = dir + "/"
	}
	var out []treeItem
	seen := map[string]bool{}
	for i := range t.Entries {
		f := &t.Entries[i]
		if !strings.HasPrefix(f.Path, prefix) {
			continue
		}
		rel := f.Path[len(prefix):]
		parts := strings.Split(rel, "/")
		for j := 1; j < len(parts); j++ {
			d := prefix + strings.Join(parts[:j], "/")
			if !seen[d] {
				seen[d] = true
				out = append(out, treeItem{path: d, dir: t.dirs[d]})
			}
			if !recursive {
				break
			}
		}
		if recursive || len(parts) == 1 {
			out = append(out, treeItem{path: f.Path, file: f})
		}
	}
	return out, true
}

// treeObject is a tree entry as the Hub answers it.
func (e *Emulator) treeObject(it treeItem, expand bool, head string) obj {
	var o obj
	if it.file == nil {
		o = obj{{"type", "directory"}, {"oid", it.dir}, {"size", 0}, {"path", it.path}}
	} else {
		f := it.file
		o = obj{{"type", "file"}, {"oid", f.Oid}, {"size", f.Size}, {"path", f.Path}}
		if f.isLFS() {
			o = append(o, kv{"lfs", obj{{"oid", f.LFS}, {"size", f.Size}, {"pointerSize", len(lfsPointer(f.LFS, f.Size))}}})
		}
	}
	if expand {
		if c := e.lastCommit(head, it); c != nil {
			o = append(o, kv{"lastCommit", obj{{"id", c.ID}, {"title", c.Title}, {"date", hubTime(c.Date)}}})
		}
		if it.file != nil {
			o = append(o, kv{"securityFileStatus", obj{
				{"status", "safe"},
				{"avScan", obj{{"virusFound", false}, {"virusNames", nil}}},
				{"pickleImportScan", nil},
			}})
		}
	}
	return o
}

// oidAt is an item's oid in a commit's tree, or "".
func (e *Emulator) oidAt(commitID string, it treeItem) string {
	t, err := e.treeOf(commitID)
	if err != nil {
		return ""
	}
	if it.file == nil {
		return t.dirs[it.path]
	}
	if f := t.file(it.path); f != nil {
		return f.Oid
	}
	return ""
}

// lastCommit is the last commit (following first parents) that changed
// an item.
func (e *Emulator) lastCommit(head string, it treeItem) *commitObject {
	want := e.oidAt(head, it)
	var last *commitObject
	e.history(head, func(c *commitObject) bool {
		if e.oidAt(c.ID, it) != want {
			return false
		}
		last = c
		return true
	})
	return last
}

func pageCursor(q url.Values) (int, error) {
	cur := q.Get("cursor")
	if cur == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cur)
	n, err2 := strconv.Atoi(string(b))
	if err != nil || err2 != nil || n < 0 {
		return 0, errorf(http.StatusBadRequest, "Invalid cursor")
	}
	return n, nil
}

// nextLink is the Link header of a next page: the same request with
// another query value.
func nextLink(r *http.Request, key, value string) string {
	q := r.URL.Query()
	q.Set(key, value)
	return fmt.Sprintf("<%s%s?%s>; rel=\"next\"", baseURL(r), r.URL.EscapedPath(), q.Encode())
}

// handleTree answers GET /api/spaces/{id}/tree/{rev}[/{path}]: a page of
// entries (1000, or 50 with expand) and a Link to the next.
func (e *Emulator) handleTree(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	recursive, expand := isTrue(q.Get("recursive")), isTrue(q.Get("expand"))
	start, err := pageCursor(q)
	if err != nil {
		failErr(w, err)
		return
	}
	limit := 1000
	if expand {
		limit = 50
	}
	var page []obj
	next := -1
	var commit string
	err = e.locked(r, spaceID(r), accessRead, func(s *space, now time.Time) error {
		id, p, err := e.splitRevPath(&s.rec, r.PathValue("rest"))
		if err != nil {
			return err
		}
		commit = id
		t, err := e.treeOf(id)
		if err != nil {
			return err
		}
		items, ok := t.list(p, recursive)
		if !ok {
			return &apiError{status: http.StatusNotFound, code: "EntryNotFound", msg: fmt.Sprintf("%s does not exist on %q", p, r.PathValue("rest"))}
		}
		page = []obj{}
		for i := start; i < len(items); i++ {
			if len(page) == limit {
				next = i
				break
			}
			page = append(page, e.treeObject(items[i], expand, id))
		}
		return nil
	})
	if commit != "" {
		w.Header().Set("X-Repo-Commit", commit)
	}
	if err != nil {
		failErr(w, err)
		return
	}
	if next >= 0 {
		w.Header().Set("Link", nextLink(r, "cursor", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(next)))))
	}
	writeJSON(w, http.StatusOK, page)
}

// handlePathsInfo answers POST /api/spaces/{id}/paths-info/{rev}: the
// entries of the paths that exist. The Python client sends a form, the
// JavaScript client JSON.
func (e *Emulator) handlePathsInfo(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		failErr(w, err)
		return
	}
	var paths []string
	var expand bool
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		var req struct {
			Paths  []string `json:"paths"`
			Expand any      `json:"expand"`
		}
		if err := parseJSON(body, &req); err != nil {
			failErr(w, err)
			return
		}
		paths = req.Paths
		switch v := req.Expand.(type) {
		case bool:
			expand = v
		case string:
			expand = isTrue(v)
		}
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			fail(w, http.StatusBadRequest, "", "Invalid form body: want paths=…&paths=…&expand=…")
			return
		}
		paths = form["paths"]
		expand = isTrue(form.Get("expand"))
	}
	if len(paths) > 1000 {
		fail(w, http.StatusRequestEntityTooLarge, "", "Payload Too Large: too many parameters (at most 1000 paths)")
		return
	}
	var out []obj
	err = e.locked(r, spaceID(r), accessRead, func(s *space, now time.Time) error {
		id, err := e.resolveRev(&s.rec, r.PathValue("revision"))
		if err != nil {
			return err
		}
		t, err := e.treeOf(id)
		if err != nil {
			return err
		}
		out = []obj{}
		seen := map[string]bool{}
		for _, p := range paths {
			p = strings.Trim(p, "/")
			if seen[p] {
				continue
			}
			seen[p] = true
			if f := t.file(p); f != nil {
				out = append(out, e.treeObject(treeItem{path: p, file: f}, expand, id))
			} else if d, ok := t.dirs[p]; ok && p != "" {
				out = append(out, e.treeObject(treeItem{path: p, dir: d}, expand, id))
			}
		}
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// --- resolve and raw ---

func (e *Emulator) handleResolve(w http.ResponseWriter, r *http.Request) { e.serveFile(w, r, false) }
func (e *Emulator) handleRaw(w http.ResponseWriter, r *http.Request)     { e.serveFile(w, r, true) }

// serveFile answers GET or HEAD on /spaces/{id}/resolve/{rev}/{path} (the
// file's content; an LFS file is a 302 to its content elsewhere, with
// X-Linked-Etag and X-Linked-Size) or on raw (the git blob: an LFS file's
// pointer). Every answer names the commit in X-Repo-Commit.
func (e *Emulator) serveFile(w http.ResponseWriter, r *http.Request, raw bool) {
	var commit string
	var f *fileEntry
	p := r.PathValue("path")
	id := spaceID(r)
	err := e.locked(r, id, accessRead, func(s *space, now time.Time) error {
		c, err := e.resolveRev(&s.rec, r.PathValue("revision"))
		if err != nil {
			return err
		}
		commit = c
		t, err := e.treeOf(c)
		if err != nil {
			return err
		}
		if fe := t.file(p); fe != nil {
			cp := *fe
			f = &cp
		}
		return nil
	})
	h := w.Header()
	if commit != "" {
		h.Set("X-Repo-Commit", commit)
	}
	if err != nil {
		failErr(w, err)
		return
	}
	if f == nil {
		fail(w, http.StatusNotFound, "EntryNotFound", "Entry not found")
		return
	}
	h.Set("ETag", `"`+f.Oid+`"`)
	h.Set("Accept-Ranges", "bytes")
	name := path.Base(f.Path)
	if !isTrue(r.URL.Query().Get("noContentDisposition")) {
		h.Set("Content-Disposition", contentDisposition(name))
	}
	if f.isLFS() {
		if raw {
			serveBytes(w, r, name, lfsPointer(f.LFS, f.Size))
			return
		}
		h.Set("X-Linked-Etag", `"`+f.LFS+`"`)
		h.Set("X-Linked-Size", strconv.FormatInt(f.Size, 10))
		loc := e.signedURL(r, "download", f.LFS, f.Size, id, url.Values{"filename": {name}})
		h.Set("Location", loc)
		writeBody(w, http.StatusFound, "text/plain; charset=utf-8", []byte("Found. Redirecting to "+loc))
		return
	}
	sec, err := e.openEntry(f)
	if err != nil {
		failErr(w, err)
		return
	}
	defer sec.Close()
	serveContent(w, r, name, f.Size, sec)
}

func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf("inline; filename*=UTF-8''%s; filename=\"%s\";", url.PathEscape(name), ascii)
}

func serveBytes(w http.ResponseWriter, r *http.Request, name string, b []byte) {
	serveContent(w, r, name, int64(len(b)), io.NewSectionReader(strings.NewReader(string(b)), 0, int64(len(b))))
}

// serveContent serves a file with Range support. An empty file answers a
// Range request with all of itself (nothing), and says its size in
// Content-Range, which a range cannot.
func serveContent(w http.ResponseWriter, r *http.Request, name string, size int64, content io.ReadSeeker) {
	h := w.Header()
	if h.Get("Content-Type") == "" {
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			h.Set("Content-Type", ct)
		}
	}
	if size == 0 && r.Header.Get("Range") != "" {
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "text/plain; charset=utf-8")
		}
		h.Set("Content-Range", "bytes */0")
		h.Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return
	}
	http.ServeContent(w, r, name, time.Time{}, content)
}

// --- commits and refs ---

// handleCommits answers GET /api/spaces/{id}/commits/{rev}: the history
// from rev following first parents, newest first, limit at a time (p is
// the page), with X-Total-Count.
func (e *Emulator) handleCommits(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			fail(w, http.StatusBadRequest, "", "Invalid limit: want 1 to 1000")
			return
		}
		limit = n
	}
	pageNo := 0
	if p := q.Get("p"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			fail(w, http.StatusBadRequest, "", "Invalid page p: want 0 or more")
			return
		}
		pageNo = n
	}
	formatted := slices.Contains(append(q["expand"], q["expand[]"]...), "formatted")
	var out []obj
	total := 0
	err := e.locked(r, spaceID(r), accessRead, func(s *space, now time.Time) error {
		head, err := e.resolveRev(&s.rec, strings.Trim(r.PathValue("rest"), "/"))
		if err != nil {
			return err
		}
		out = []obj{}
		e.history(head, func(c *commitObject) bool {
			if total >= pageNo*limit && len(out) < limit {
				o := obj{
					{"id", c.ID},
					{"title", c.Title},
					{"message", c.Message},
					{"authors", []obj{{{"user", c.Author}, {"avatar", "/avatars/" + c.Author + ".svg"}}}},
					{"date", hubTime(c.Date)},
				}
				if formatted {
					o = append(o, kv{"formatted", obj{{"title", htmlEscape(c.Title)}, {"message", htmlEscape(c.Message)}}})
				}
				out = append(out, o)
			}
			total++
			return true
		})
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	if (pageNo+1)*limit < total {
		w.Header().Set("Link", nextLink(r, "p", strconv.Itoa(pageNo+1)))
	}
	writeJSON(w, http.StatusOK, out)
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// handleRefs answers GET /api/spaces/{id}/refs: branches, tags, and with
// include_prs=1 the pull requests.
func (e *Emulator) handleRefs(w http.ResponseWriter, r *http.Request) {
	var answer obj
	err := e.locked(r, spaceID(r), accessRead, func(s *space, now time.Time) error {
		if err := e.ensureRepo(&s.rec); err != nil {
			return err
		}
		repo := s.rec.Repo
		ref := func(name, full, target string) obj {
			return obj{{"name", name}, {"ref", full}, {"targetCommit", target}}
		}
		branches := []obj{}
		for _, b := range sortedKeys(repo.Branches) {
			branches = append(branches, ref(b, "refs/heads/"+b, repo.Branches[b]))
		}
		tags := []obj{}
		for _, tg := range sortedKeys(repo.Tags) {
			tags = append(tags, ref(tg, "refs/tags/"+tg, repo.Tags[tg]))
		}
		answer = obj{{"branches", branches}, {"converts", []obj{}}, {"tags", tags}}
		if isTrue(r.URL.Query().Get("include_prs")) {
			prs := []obj{}
			for _, pr := range repo.PRs {
				name := fmt.Sprintf("refs/pr/%d", pr.Num)
				prs = append(prs, ref(name, name, pr.Head))
			}
			answer = append(answer, kv{"pullRequests", prs})
		}
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

var branchName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$`)

// handleBranchCreate answers POST /api/spaces/{id}/branch/{branch}.
func (e *Emulator) handleBranchCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		StartingPoint *string `json:"startingPoint"`
		EmptyBranch   bool    `json:"emptyBranch"`
		Overwrite     bool    `json:"overwrite"`
	}
	body, err := readBody(w, r)
	if err != nil {
		failErr(w, err)
		return
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := parseJSON(body, &req); err != nil {
			failErr(w, err)
			return
		}
	}
	name := r.PathValue("branch")
	if !branchName.MatchString(name) || strings.Contains(name, "..") || strings.HasPrefix(name, "refs/") || strings.HasSuffix(name, "/") || strings.HasSuffix(name, ".lock") {
		fail(w, http.StatusBadRequest, "", fmt.Sprintf("Invalid branch name %q", name))
		return
	}
	err = e.mutate(r, spaceID(r), accessWrite, func(s *space, now time.Time) error {
		rec := &s.rec
		if err := e.ensureRepo(rec); err != nil {
			return err
		}
		if _, exists := rec.Repo.Branches[name]; exists && !req.Overwrite {
			return errorf(http.StatusConflict, "Reference already exists: refs/heads/%s", name)
		}
		if name == "main" {
			return errorf(http.StatusBadRequest, "Cannot overwrite the default branch main")
		}
		var target string
		if req.EmptyBranch {
			c, _, err := e.newCommit("", nil, callerOf(r).user, "Empty branch", "", now)
			if err != nil {
				return err
			}
			target = c.ID
		} else {
			from := "main"
			if req.StartingPoint != nil {
				from = *req.StartingPoint
			}
			id, err := e.resolveRev(rec, from)
			if err != nil {
				return err
			}
			target = id
		}
		rec.Repo.Branches[name] = target
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj{})
}

// handleBranchDelete answers DELETE /api/spaces/{id}/branch/{branch}.
func (e *Emulator) handleBranchDelete(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("branch")
	err := e.mutate(r, spaceID(r), accessWrite, func(s *space, now time.Time) error {
		rec := &s.rec
		if err := e.ensureRepo(rec); err != nil {
			return err
		}
		if name == "main" {
			return errorf(http.StatusForbidden, "Cannot delete the default branch main")
		}
		if _, ok := rec.Repo.Branches[name]; !ok {
			return errRevision(name)
		}
		delete(rec.Repo.Branches, name)
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj{})
}

// --- settings, move, validate-yaml ---

// handleSettings answers PUT /api/spaces/{id}/settings: visibility (or
// the older private) and gated. Older clients' xetEnabled is accepted and
// ignored.
func (e *Emulator) handleSettings(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		failErr(w, err)
		return
	}
	var req map[string]json.RawMessage
	if err := json.Unmarshal(body, &req); err != nil || req == nil {
		fail(w, http.StatusBadRequest, "", "Invalid JSON: the body must be an object")
		return
	}
	var visibility, gated *string
	var private *bool
	for _, k := range sortedKeys(req) {
		v := req[k]
		switch k {
		case "visibility":
			var s string
			if json.Unmarshal(v, &s) != nil || !slices.Contains([]string{"public", "private", "protected"}, s) {
				fail(w, http.StatusBadRequest, "", "Invalid visibility: must be public, private or protected")
				return
			}
			visibility = &s
		case "private":
			var b bool
			if json.Unmarshal(v, &b) != nil {
				fail(w, http.StatusBadRequest, "", "Invalid JSON: private must be a boolean")
				return
			}
			private = &b
		case "gated":
			var s string
			var b bool
			switch {
			case json.Unmarshal(v, &s) == nil && (s == "auto" || s == "manual"):
			case json.Unmarshal(v, &b) == nil && !b:
				s = ""
			default:
				fail(w, http.StatusBadRequest, "", `Invalid gated: must be "auto", "manual" or false`)
				return
			}
			gated = &s
		case "xetEnabled", "discussionsDisabled":
		default:
			fail(w, http.StatusBadRequest, "", fmt.Sprintf("Unknown setting %q: want visibility, private or gated", k))
			return
		}
	}
	if visibility == nil && private == nil && gated == nil {
		fail(w, http.StatusBadRequest, "", "Nothing to update: send visibility or gated")
		return
	}
	var answer obj
	err = e.mutate(r, spaceID(r), accessWrite, func(s *space, now time.Time) error {
		rec := &s.rec
		if private != nil {
			rec.Private, rec.Protected = *private, false
		}
		if visibility != nil {
			rec.Private, rec.Protected = *visibility == "private", *visibility == "protected"
		}
		if gated != nil {
			rec.Gated = *gated
		}
		answer = obj{{"private", rec.Private}, {"gated", gatedValue(rec)}}
		return nil
	})
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

func gatedValue(rec *spaceRecord) any {
	if rec.Gated == "" {
		return false
	}
	return rec.Gated
}

// handleMove answers POST /api/repos/move: a Space gets another id.
func (e *Emulator) handleMove(w http.ResponseWriter, r *http.Request) {
	var req struct {
		FromRepo string `json:"fromRepo"`
		ToRepo   string `json:"toRepo"`
		Type     string `json:"type"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	if req.Type != "space" {
		fail(w, http.StatusBadRequest, "", "This emulator hosts Spaces only: type must be \"space\"")
		return
	}
	for _, id := range []string{req.FromRepo, req.ToRepo} {
		if err := checkRepoID(id); err != nil {
			failErr(w, err)
			return
		}
	}
	c := callerOf(r)
	var saved []*pending
	e.mu.Lock()
	err := func() error {
		s := e.spaces[req.FromRepo]
		var rec *spaceRecord
		if s != nil {
			rec = &s.rec
		}
		if err := e.authorize(c, rec, accessWrite); err != nil {
			return err
		}
		ns, _, _ := strings.Cut(req.ToRepo, "/")
		if !e.isMember(c.user, ns) {
			return errorf(http.StatusForbidden, "You don't have the rights to create a repo under %s", ns)
		}
		if _, exists := e.spaces[req.ToRepo]; exists {
			return errorf(http.StatusConflict, "A space repository called %s already exists", req.ToRepo)
		}
		if err := e.writable(); err != nil {
			return err
		}
		rec.ID, rec.Author = req.ToRepo, ns
		rec.MovedFrom = append(slices.DeleteFunc(rec.MovedFrom, func(id string) bool { return id == req.ToRepo }), req.FromRepo)
		// Written whole under the new id (its logs too), then removed
		// under the old one, in the committer's order; waited for after
		// the lock is released.
		s.saved = false
		saved = []*pending{e.queueSave(s), e.queueRemove(req.FromRepo)}
		delete(e.spaces, req.FromRepo)
		e.spaces[req.ToRepo] = s
		e.git.moved.Store(req.FromRepo, true)
		e.notify(s)
		return nil
	}()
	e.mu.Unlock()
	for _, p := range saved {
		if werr := p.wait(); err == nil {
			err = werr
		}
	}
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, obj{{"url", spaceURL(r, req.ToRepo)}})
}

// handleValidateYAML answers POST /api/validate-yaml: 400 with errors when
// a README's front matter does not parse (or, for a Space, names no known
// SDK); warnings when it is empty.
func (e *Emulator) handleValidateYAML(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Content  *string `json:"content"`
		RepoType string  `json:"repoType"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		failErr(w, err)
		return
	}
	if req.Content == nil {
		fail(w, http.StatusBadRequest, "", "content is required")
		return
	}
	message := func(m string) []obj { return []obj{{{"message", m}}} }
	card, ok, err := frontMatter([]byte(*req.Content))
	switch {
	case err != nil:
		writeJSON(w, http.StatusBadRequest, obj{{"errors", message("Invalid metadata in README.md: " + err.Error())}})
	case !ok || len(card) == 0:
		writeJSON(w, http.StatusOK, obj{{"errors", []obj{}}, {"warnings", message("Empty or missing yaml metadata in repo card")}})
	default:
		if req.RepoType == "space" {
			if _, _, problem := spaceConfig([]byte(*req.Content), true); problem != "" {
				writeJSON(w, http.StatusBadRequest, obj{{"errors", message(problem)}})
				return
			}
		}
		writeJSON(w, http.StatusOK, obj{{"errors", []obj{}}, {"warnings", []obj{}}})
	}
}

// --- Space info at a revision ---

// repoInfo is the Space object of GET /api/spaces/{id}[/revision/{rev}]
// at a revision: its sha, its siblings (with blobs=true their size, blob
// id and LFS details) and the settings of the repository. e.mu is held.
func (e *Emulator) repoInfo(r *http.Request, rec *spaceRecord, rev string) (obj, error) {
	id, err := e.resolveRev(rec, rev)
	if err != nil {
		return nil, err
	}
	t, err := e.treeOf(id)
	if err != nil {
		return nil, err
	}
	blobs := isTrue(r.URL.Query().Get("blobs"))
	siblings := make([]obj, len(t.Entries))
	for i := range t.Entries {
		f := &t.Entries[i]
		o := obj{{"rfilename", f.Path}}
		if blobs {
			o = append(o, kv{"size", f.Size}, kv{"blobId", f.Oid})
			if f.isLFS() {
				o = append(o, kv{"lfs", obj{{"size", f.Size}, {"sha256", f.LFS}, {"pointerSize", len(lfsPointer(f.LFS, f.Size))}}})
			}
		}
		siblings[i] = o
	}
	c := e.commit(id)
	o := infoObject(rec)
	for i := range o {
		switch o[i].k {
		case "sha":
			o[i].v = id
		case "siblings":
			o[i].v = siblings
		case "gated":
			o[i].v = gatedValue(rec)
		case "lastModified":
			if c != nil {
				o[i].v = hubTime(c.Date)
			}
		}
	}
	return o, nil
}
