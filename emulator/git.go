package emulator

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A Space's files live in a git repository, as on the Hub: every commit
// has a git commit id computed as git computes it, over a git tree whose
// blobs are the regular files' contents and, for LFS files, their pointer
// files. The refs (branches, pull requests) are in the Space's record; the
// commits and trees they name are in the object store (blobs.go).

// repoRecord is the refs of a Space's repository.
type repoRecord struct {
	Branches map[string]string `json:"branches"` // name → commit id
	Tags     map[string]string `json:"tags,omitempty"`
	PRs      []pullRequest     `json:"prs,omitempty"`
	// Discussions counts the discussions opened, pull requests included:
	// they share their numbers.
	Discussions int `json:"discussions,omitempty"`
}

// pullRequest is a pull request: refs/pr/Num, opened against Target.
type pullRequest struct {
	Num         int       `json:"num"`
	Head        string    `json:"head"`
	Base        string    `json:"base"` // the target's commit it started from
	Target      string    `json:"target"`
	MergeCommit string    `json:"mergeCommit,omitempty"`
	Title       string    `json:"title"`
	Author      string    `json:"author"`
	CreatedAt   time.Time `json:"createdAt"`
	Status      string    `json:"status"` // open, merged, closed
}

// fileEntry is a file in a commit's tree.
type fileEntry struct {
	Path string `json:"path"`
	Oid  string `json:"oid"`            // git blob id of the content, or of the LFS pointer
	Size int64  `json:"size"`           // size of the content
	LFS  string `json:"lfs,omitempty"`  // SHA-256 of the content, for an LFS file
	Pack string `json:"pack,omitempty"` // the pack holding a regular file's content
	Off  int64  `json:"off,omitempty"`  // where in the pack
}

func (f *fileEntry) isLFS() bool { return f.LFS != "" }

// commitObject is a commit as stored.
type commitObject struct {
	ID      string    `json:"-"`
	Tree    string    `json:"tree"`
	Parents []string  `json:"parents"`
	Author  string    `json:"author"`
	Date    time.Time `json:"date"`
	Title   string    `json:"title"`
	Message string    `json:"message"`
}

// treeState is a commit's files, sorted by path, with the git ids of its
// folders.
type treeState struct {
	ID      string
	Entries []fileEntry
	byPath  map[string]int
	dirs    map[string]string // folder ("" is the root) → git tree id
}

func (t *treeState) file(p string) *fileEntry {
	if i, ok := t.byPath[p]; ok {
		return &t.Entries[i]
	}
	return nil
}

func lfsPointer(sha string, size int64) []byte {
	return fmt.Appendf(nil, "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n", sha, size)
}

// newTree computes the git ids of a list of files (any order) and its
// folders.
func newTree(entries []fileEntry) *treeState {
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	t := &treeState{Entries: entries, byPath: make(map[string]int, len(entries)), dirs: map[string]string{}}
	type child struct {
		name string
		dir  bool
		oid  string
	}
	children := map[string][]child{"": nil}
	var addDir func(d string)
	addDir = func(d string) {
		if _, ok := children[d]; ok {
			return
		}
		children[d] = nil
		parent := path.Dir(d)
		if parent == "." {
			parent = ""
		}
		addDir(parent)
		children[parent] = append(children[parent], child{name: path.Base(d), dir: true})
	}
	for i, f := range entries {
		t.byPath[f.Path] = i
		d := path.Dir(f.Path)
		if d == "." {
			d = ""
		}
		addDir(d)
		children[d] = append(children[d], child{name: path.Base(f.Path), oid: f.Oid})
	}
	var hashDir func(d string) string
	hashDir = func(d string) string {
		cs := children[d]
		for i := range cs {
			if cs[i].dir {
				p := cs[i].name
				if d != "" {
					p = d + "/" + p
				}
				cs[i].oid = hashDir(p)
			}
		}
		// git orders a tree's entries by name, a folder's name ending in '/'.
		key := func(c child) string {
			if c.dir {
				return c.name + "/"
			}
			return c.name
		}
		sort.Slice(cs, func(i, j int) bool { return key(cs[i]) < key(cs[j]) })
		var body bytes.Buffer
		for _, c := range cs {
			mode := "100644"
			if c.dir {
				mode = "40000"
			}
			raw, _ := hex.DecodeString(c.oid)
			body.WriteString(mode + " " + c.name + "\x00")
			body.Write(raw)
		}
		id := gitHash("tree", body.Bytes())
		t.dirs[d] = id
		return id
	}
	t.ID = hashDir("")
	return t
}

func gitHash(kind string, body []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// commitID is the git id of a commit.
func commitID(c *commitObject) string {
	var b strings.Builder
	b.WriteString("tree " + c.Tree + "\n")
	for _, p := range c.Parents {
		b.WriteString("parent " + p + "\n")
	}
	who := fmt.Sprintf("%s <%s@users.noreply.huggingface.co> %d +0000", c.Author, c.Author, c.Date.Unix())
	b.WriteString("author " + who + "\n")
	b.WriteString("committer " + who + "\n\n")
	b.WriteString(c.Title + "\n")
	if c.Message != "" {
		b.WriteString("\n" + c.Message + "\n")
	}
	return gitHash("commit", []byte(b.String()))
}

// putTree stores a tree; putCommit stores a commit and returns its id.
func (e *Emulator) putTree(t *treeState) error {
	if _, ok := e.git.has("tree", t.ID); !ok {
		data, err := json.Marshal(t.Entries)
		if err != nil {
			return err
		}
		if err := e.git.put("tree", t.ID, data); err != nil {
			return err
		}
	}
	e.git.cacheMu.Lock()
	e.git.cacheTree(t)
	e.git.cacheMu.Unlock()
	return nil
}

func (e *Emulator) putCommit(c *commitObject) error {
	c.ID = commitID(c)
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := e.git.put("commit", c.ID, data); err != nil {
		return err
	}
	e.git.cacheMu.Lock()
	e.git.commits[c.ID] = c
	e.git.cacheMu.Unlock()
	return nil
}

const maxCached = 64

func (o *objectStore) cacheTree(t *treeState) {
	if len(o.trees) >= maxCached {
		clear(o.trees)
	}
	o.trees[t.ID] = t
}

// commit loads a commit, or returns nil.
func (e *Emulator) commit(id string) *commitObject {
	o := e.git
	o.cacheMu.Lock()
	c := o.commits[id]
	o.cacheMu.Unlock()
	if c != nil {
		return c
	}
	data, err := o.get("commit", id)
	if err != nil {
		return nil
	}
	c = &commitObject{}
	if json.Unmarshal(data, c) != nil {
		return nil
	}
	c.ID = id
	o.cacheMu.Lock()
	if len(o.commits) >= 16*maxCached {
		clear(o.commits)
	}
	o.commits[id] = c
	o.cacheMu.Unlock()
	return c
}

// tree loads a tree by id.
func (e *Emulator) tree(id string) (*treeState, error) {
	o := e.git
	o.cacheMu.Lock()
	t := o.trees[id]
	o.cacheMu.Unlock()
	if t != nil {
		return t, nil
	}
	data, err := o.get("tree", id)
	if err != nil {
		return nil, fmt.Errorf("emulator: tree %s: %w", id, err)
	}
	var entries []fileEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, err
	}
	t = newTree(entries)
	o.cacheMu.Lock()
	o.cacheTree(t)
	o.cacheMu.Unlock()
	return t, nil
}

// treeOf is the tree of a commit.
func (e *Emulator) treeOf(commitID string) (*treeState, error) {
	c := e.commit(commitID)
	if c == nil {
		return nil, fmt.Errorf("emulator: commit %s is missing", commitID)
	}
	return e.tree(c.Tree)
}

// readEntry reads a file's content (an LFS file's real content).
func (e *Emulator) readEntry(f *fileEntry) ([]byte, error) {
	s, err := e.openEntry(f)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	b := make([]byte, f.Size)
	_, err = s.ReadAt(b, 0)
	return b, err
}

func (e *Emulator) openEntry(f *fileEntry) (*section, error) {
	if f.isLFS() {
		return e.git.open("lfs", f.LFS, 0, f.Size)
	}
	if f.Size == 0 {
		return &section{SectionReader: io.NewSectionReader(strings.NewReader(""), 0, 0)}, nil
	}
	return e.git.open("pack", f.Pack, f.Off, f.Size)
}

// packWriter collects the contents of a commit's regular files into one
// pack object, so that a commit of many small files is one fsync.
type packWriter struct {
	w       *objectWriter
	entries []*fileEntry
}

func (e *Emulator) newPack() (*packWriter, error) {
	w, err := e.git.create("pack")
	if err != nil {
		return nil, err
	}
	return &packWriter{w: w}, nil
}

// add appends a regular file's content and returns its entry; the entry's
// pack is set by finish.
func (p *packWriter) add(filePath string, content []byte) (*fileEntry, error) {
	f := &fileEntry{Path: filePath, Oid: blobID(content), Size: int64(len(content))}
	if len(content) > 0 {
		f.Off = p.w.n
		if _, err := p.w.Write(content); err != nil {
			return nil, err
		}
		p.entries = append(p.entries, f)
	}
	return f, nil
}

// finish stores the pack durably.
func (p *packWriter) finish() error {
	if len(p.entries) == 0 {
		p.w.abort()
		return nil
	}
	key := p.w.sum()
	for _, f := range p.entries {
		f.Pack = key
	}
	return p.w.commit(key)
}

func (p *packWriter) abort() { p.w.abort() }

// newCommit makes a commit of files on top of parent ("" for none) and
// stores its tree and itself.
func (e *Emulator) newCommit(parent string, entries []fileEntry, author, title, message string, at time.Time) (*commitObject, *treeState, error) {
	t := newTree(entries)
	if err := e.putTree(t); err != nil {
		return nil, nil, err
	}
	c := &commitObject{Tree: t.ID, Author: author, Date: at.UTC().Truncate(time.Second), Title: title, Message: message}
	if parent != "" {
		c.Parents = []string{parent}
	}
	if err := e.putCommit(c); err != nil {
		return nil, nil, err
	}
	return c, t, nil
}

// sdkFiles are the files the Hub gives a new Space of this SDK.
func sdkFiles(id, sdk string) map[string][]byte {
	_, name, _ := strings.Cut(id, "/")
	readme := "---\ntitle: " + name + "\nemoji: 🚀\ncolorFrom: blue\ncolorTo: purple\nsdk: " + sdk + "\n"
	switch sdk {
	case "gradio":
		readme += "sdk_version: 5.20.0\napp_file: app.py\n"
	case "streamlit":
		readme += "sdk_version: 1.43.0\napp_file: app.py\n"
	case "docker":
		readme += "app_port: 7860\n"
	}
	readme += "pinned: false\n---\n\nCheck out the configuration reference at https://huggingface.co/docs/hub/spaces-config-reference\n"
	files := map[string][]byte{"README.md": []byte(readme)}
	if sdk == "static" {
		files["index.html"] = []byte(staticIndex)
		files["style.css"] = []byte(staticStyle)
	}
	return files
}

// gitattributes is the .gitattributes of every new repository on the Hub.
const gitattributes = `*.7z filter=lfs diff=lfs merge=lfs -text
*.arrow filter=lfs diff=lfs merge=lfs -text
*.bin filter=lfs diff=lfs merge=lfs -text
*.bz2 filter=lfs diff=lfs merge=lfs -text
*.ckpt filter=lfs diff=lfs merge=lfs -text
*.ftz filter=lfs diff=lfs merge=lfs -text
*.gz filter=lfs diff=lfs merge=lfs -text
*.h5 filter=lfs diff=lfs merge=lfs -text
*.joblib filter=lfs diff=lfs merge=lfs -text
*.lfs.* filter=lfs diff=lfs merge=lfs -text
*.mlmodel filter=lfs diff=lfs merge=lfs -text
*.model filter=lfs diff=lfs merge=lfs -text
*.msgpack filter=lfs diff=lfs merge=lfs -text
*.npy filter=lfs diff=lfs merge=lfs -text
*.npz filter=lfs diff=lfs merge=lfs -text
*.onnx filter=lfs diff=lfs merge=lfs -text
*.ot filter=lfs diff=lfs merge=lfs -text
*.parquet filter=lfs diff=lfs merge=lfs -text
*.pb filter=lfs diff=lfs merge=lfs -text
*.pickle filter=lfs diff=lfs merge=lfs -text
*.pkl filter=lfs diff=lfs merge=lfs -text
*.pt filter=lfs diff=lfs merge=lfs -text
*.pth filter=lfs diff=lfs merge=lfs -text
*.rar filter=lfs diff=lfs merge=lfs -text
*.safetensors filter=lfs diff=lfs merge=lfs -text
saved_model/**/* filter=lfs diff=lfs merge=lfs -text
*.tar.* filter=lfs diff=lfs merge=lfs -text
*.tar filter=lfs diff=lfs merge=lfs -text
*.tflite filter=lfs diff=lfs merge=lfs -text
*.tgz filter=lfs diff=lfs merge=lfs -text
*.wasm filter=lfs diff=lfs merge=lfs -text
*.xz filter=lfs diff=lfs merge=lfs -text
*.zip filter=lfs diff=lfs merge=lfs -text
*.zst filter=lfs diff=lfs merge=lfs -text
*tfevents* filter=lfs diff=lfs merge=lfs -text
`

const staticIndex = `<!doctype html>
<html>
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width" />
		<title>My static Space</title>
		<link rel="stylesheet" href="style.css" />
	</head>
	<body>
		<div class="card">
			<h1>Welcome to your static Space!</h1>
			<p>You can modify this app directly by editing <i>index.html</i> in the Files and versions tab.</p>
			<p>
				Also don't forget to check the
				<a href="https://huggingface.co/docs/hub/spaces" target="_blank">Spaces documentation</a>.
			</p>
		</div>
	</body>
</html>
`

const staticStyle = `body {
	padding: 2rem;
	font-family: -apple-system, BlinkMacSystemFont, "Arial", sans-serif;
}

h1 {
	font-size: 16px;
	margin-top: 0;
}

p {
	color: rgb(107, 114, 128);
	font-size: 15px;
	margin-bottom: 10px;
	margin-top: 5px;
}

.card {
	max-width: 620px;
	margin: 0 auto;
	padding: 16px;
	border: 1px solid lightgray;
	border-radius: 16px;
}

.card p:last-child {
	margin-bottom: 0;
}
`

// initRepo gives a new Space its repository: the Hub's system commit
// holding .gitattributes, then a commit of the SDK's files and extra ones
// (path → content). It sets the record's refs, files and sha.
func (e *Emulator) initRepo(rec *spaceRecord, extra map[string][]byte, now time.Time) error {
	pack, err := e.newPack()
	if err != nil {
		return err
	}
	defer pack.abort()
	attrs, err := pack.add(".gitattributes", []byte(gitattributes))
	if err != nil {
		return err
	}
	files := sdkFiles(rec.ID, rec.SDK)
	for p, c := range extra {
		files[p] = c
	}
	var added []*fileEntry
	for _, p := range sortedKeys(files) {
		f, err := pack.add(p, files[p])
		if err != nil {
			return err
		}
		added = append(added, f)
	}
	if err := pack.finish(); err != nil {
		return err
	}
	first, _, err := e.newCommit("", []fileEntry{*attrs}, "system", "initial commit", "", now)
	if err != nil {
		return err
	}
	entries := []fileEntry{*attrs}
	for _, f := range added {
		entries = append(entries, *f)
	}
	c, t, err := e.newCommit(first.ID, entries, rec.Author, "initial commit", "", now)
	if err != nil {
		return err
	}
	rec.Repo = &repoRecord{Branches: map[string]string{"main": c.ID}}
	e.setMain(rec, c, t)
	return nil
}

// forkRepo gives a new Space (a duplicate) the files of another's main.
func (e *Emulator) forkRepo(rec, src *spaceRecord, author string, now time.Time) error {
	t, err := e.mainTree(src)
	if err != nil {
		return err
	}
	first, _, err := e.newCommit("", slices.Clone(t.Entries), author, "Duplicate from "+src.ID, "", now)
	if err != nil {
		return err
	}
	rec.Repo = &repoRecord{Branches: map[string]string{"main": first.ID}}
	e.setMain(rec, first, t)
	return nil
}

// setMain records a new head of main: the record's sha, its path → blob id
// map, its card data and SDK from the README.
func (e *Emulator) setMain(rec *spaceRecord, c *commitObject, t *treeState) {
	rec.Repo.Branches["main"] = c.ID
	rec.Sha = c.ID
	rec.LastModified = c.Date
	rec.Files = make(map[string]string, len(t.Entries))
	for _, f := range t.Entries {
		rec.Files[f.Path] = f.Oid
	}
	rec.CardData = nil
	if f := t.file("README.md"); f != nil && f.Size < maxBody {
		if b, err := e.readEntry(f); err == nil {
			if card, ok, err := frontMatter(b); err == nil && ok {
				if data, err := marshal(card); err == nil {
					rec.CardData = data
				}
				if sdk, _ := lookup(card, "sdk").(string); slices.Contains(sdks, sdk) && sdk != rec.SDK {
					wasStatic := rec.static()
					rec.SDK = sdk
					switch {
					case rec.static():
						rec.HardwareRequested, rec.HardwareCurrent = "", ""
					case wasStatic:
						rec.HardwareRequested = "cpu-basic"
					}
				}
			}
		}
	}
}

// ensureRepo gives a Space recorded before repositories existed one, made
// of its SDK's files and of the paths its record lists (their contents were
// never kept: those files are empty), so that its app file is still there.
func (e *Emulator) ensureRepo(rec *spaceRecord) error {
	if rec.Repo != nil {
		return nil
	}
	extra := map[string][]byte{}
	template := sdkFiles(rec.ID, rec.SDK)
	for p := range rec.Files {
		if _, ok := template[p]; !ok && p != ".gitattributes" {
			extra[p] = []byte{} // the SDK's own files (README) keep their content
		}
	}
	return e.initRepo(rec, extra, rec.CreatedAt)
}

// mainTree is the tree at the head of main.
func (e *Emulator) mainTree(rec *spaceRecord) (*treeState, error) {
	if err := e.ensureRepo(rec); err != nil {
		return nil, err
	}
	return e.treeOf(rec.Repo.Branches["main"])
}

var (
	hexRev = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
	prRef  = regexp.MustCompile(`^refs/pr/([1-9][0-9]*)$`)
)

func errRevision(rev string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "RevisionNotFound", msg: "Invalid rev id: " + rev}
}

// resolveRev finds the commit a revision names: a branch (or
// refs/heads/…), HEAD, a tag, refs/pr/N, or a commit id or prefix of one
// reachable from a ref.
func (e *Emulator) resolveRev(rec *spaceRecord, rev string) (string, error) {
	if err := e.ensureRepo(rec); err != nil {
		return "", err
	}
	repo := rec.Repo
	name := strings.TrimPrefix(rev, "refs/heads/")
	if rev == "HEAD" {
		name = "main"
	}
	if id, ok := repo.Branches[name]; ok {
		return id, nil
	}
	if id, ok := repo.Tags[strings.TrimPrefix(rev, "refs/tags/")]; ok {
		return id, nil
	}
	if pr := repo.pr(rev); pr != nil {
		return pr.Head, nil
	}
	if hexRev.MatchString(rev) {
		// Only commits of this repository: the object store is shared.
		var found string
		e.walkRefs(rec, func(c *commitObject) bool {
			if strings.HasPrefix(c.ID, rev) {
				found = c.ID
				return false
			}
			return true
		})
		if found != "" {
			return found, nil
		}
	}
	return "", errRevision(rev)
}

func (r *repoRecord) pr(rev string) *pullRequest {
	m := prRef.FindStringSubmatch(rev)
	if m == nil {
		return nil
	}
	n, _ := strconv.Atoi(m[1])
	for i := range r.PRs {
		if r.PRs[i].Num == n {
			return &r.PRs[i]
		}
	}
	return nil
}

// walkRefs visits the commits reachable from every ref, each once, until
// fn returns false.
func (e *Emulator) walkRefs(rec *spaceRecord, fn func(*commitObject) bool) {
	seen := map[string]bool{}
	var heads []string
	for _, b := range sortedKeys(rec.Repo.Branches) {
		heads = append(heads, rec.Repo.Branches[b])
	}
	for _, pr := range rec.Repo.PRs {
		heads = append(heads, pr.Head)
	}
	for len(heads) > 0 {
		id := heads[0]
		heads = heads[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		c := e.commit(id)
		if c == nil {
			continue
		}
		if !fn(c) {
			return
		}
		heads = append(heads, c.Parents...)
	}
}

// history visits the commits from head following first parents, until fn
// returns false.
func (e *Emulator) history(head string, fn func(*commitObject) bool) {
	for id := head; id != ""; {
		c := e.commit(id)
		if c == nil || !fn(c) {
			return
		}
		id = ""
		if len(c.Parents) > 0 {
			id = c.Parents[0]
		}
	}
}
