package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// ndjson builds a commit body as the Python client does: ", " and ": "
// separators, a newline after every line.
func ndjson(header map[string]any, ops ...[2]any) string {
	var b strings.Builder
	line := func(key string, value any) {
		data, _ := json.Marshal(map[string]any{"key": key, "value": value})
		b.Write(data)
		b.WriteString("\n")
	}
	line("header", header)
	for _, op := range ops {
		line(op[0].(string), op[1])
	}
	return b.String()
}

func fileOp(path, content string) [2]any {
	return [2]any{"file", map[string]any{"path": path, "encoding": "base64", "content": base64.StdEncoding.EncodeToString([]byte(content))}}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// req sends a request with a body of any content type and extra headers.
func (h *hub) req(method, path, token, contentType, body string, header ...string) result {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequestWithContext(h.t.Context(), method, path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if !strings.HasPrefix(path, "http") {
		r, _ = http.NewRequestWithContext(h.t.Context(), method, h.base+path, rd)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	client := *h.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(r)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: data}
}

// commit sends an NDJSON commit to a Space's revision.
func (h *hub) commit(id, rev, body string, query ...string) result {
	h.t.Helper()
	p := "/api/spaces/" + id + "/commit/" + url.PathEscape(rev)
	if len(query) > 0 {
		p += "?" + query[0]
	}
	return h.req("POST", p, DemoWriteToken, "application/x-ndjson", body)
}

func (h *hub) create(name, sdk string, extra map[string]any) {
	h.t.Helper()
	body := map[string]any{"name": name, "organization": "demo", "type": "space", "sdk": sdk}
	for k, v := range extra {
		body[k] = v
	}
	mustStatus(h.t, h.do("POST", "/api/repos/create", DemoWriteToken, body), 200)
}

// treePaths lists a revision recursively: path → type.
func (h *hub) treePaths(id, rev string) map[string]string {
	h.t.Helper()
	r := h.do("GET", "/api/spaces/"+id+"/tree/"+url.PathEscape(rev)+"?recursive=true", DemoWriteToken, nil)
	mustStatus(h.t, r, 200)
	out := map[string]string{}
	for _, e := range r.json(h.t).([]any) {
		out[field(e, "path").(string)] = field(e, "type").(string)
	}
	return out
}

func TestCreateVisibility(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	for _, c := range []struct {
		name    string
		body    map[string]any
		private bool
	}{
		{"vis-private", map[string]any{"visibility": "private"}, true},
		{"vis-public", map[string]any{"visibility": "public"}, false},
		{"vis-protected", map[string]any{"visibility": "protected"}, false},
		{"legacy-private", map[string]any{"private": true}, true},
		{"default", nil, false},
	} {
		h.create(c.name, "gradio", c.body)
		info := h.do("GET", "/api/spaces/demo/"+c.name, DemoWriteToken, nil).json(t)
		if field(info, "private") != c.private {
			t.Errorf("%s: private %v, want %v", c.name, field(info, "private"), c.private)
		}
		anon := h.do("GET", "/api/spaces/demo/"+c.name, "", nil)
		if c.private && anon.status != 401 {
			t.Errorf("%s: anonymous read of a private Space: %d", c.name, anon.status)
		}
	}
	r := h.do("POST", "/api/repos/create", DemoWriteToken, map[string]any{"name": "x", "type": "space", "sdk": "gradio", "visibility": "secret"})
	mustStatus(t, r, 400)
}

func TestNewSpaceFilesAndHistory(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.create("site", "static", nil)
	h.create("app", "gradio", nil)
	if diff := cmp.Diff(map[string]string{".gitattributes": "file", "README.md": "file", "index.html": "file", "style.css": "file"}, h.treePaths("demo/site", "main")); diff != "" {
		t.Errorf("static Space files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{".gitattributes": "file", "README.md": "file"}, h.treePaths("demo/app", "main")); diff != "" {
		t.Errorf("gradio Space files (-want +got):\n%s", diff)
	}
	if got := h.stage("demo/site"); got != StageRunning {
		t.Errorf("new static Space: %s", got)
	}
	if got := h.stage("demo/app"); got != StageNoAppFile {
		t.Errorf("new gradio Space: %s", got)
	}
	commits := h.do("GET", "/api/spaces/demo/app/commits/main", DemoWriteToken, nil)
	mustStatus(t, commits, 200)
	list := commits.json(t).([]any)
	if len(list) != 2 || commits.header.Get("X-Total-Count") != "2" || field(list[1], "title") != "initial commit" {
		t.Fatalf("history of a new Space: %s (X-Total-Count %q)", commits.body, commits.header.Get("X-Total-Count"))
	}
	info := h.do("GET", "/api/spaces/demo/app?blobs=true", DemoWriteToken, nil).json(t)
	if field(info, "sha") != field(list[0], "id") {
		t.Errorf("info sha %v, head %v", field(info, "sha"), field(list[0], "id"))
	}
	sib := field(info, "siblings").([]any)
	if len(sib) != 2 || field(sib[1], "rfilename") != "README.md" || field(sib[1], "blobId") == nil || field(sib[1], "size") == nil {
		t.Errorf("siblings with blobs=true: %v", sib)
	}
	if field(info, "cardData", "sdk") != "gradio" || field(info, "cardData", "title") != "app" {
		t.Errorf("cardData from the README: %v", field(info, "cardData"))
	}
	// The README the Hub writes is the one resolve serves, and its blob id
	// is git's.
	readme := h.req("GET", "/spaces/demo/app/resolve/main/README.md", DemoWriteToken, "", "")
	mustStatus(t, readme, 200)
	if want := `"` + blobID(readme.body) + `"`; readme.header.Get("ETag") != want {
		t.Errorf("ETag %q, want %q", readme.header.Get("ETag"), want)
	}
	refs := h.do("GET", "/api/spaces/demo/app/refs", DemoWriteToken, nil).json(t)
	if field(refs, "branches").([]any)[0].(map[string]any)["targetCommit"] != field(info, "sha") {
		t.Errorf("refs: %v", refs)
	}
}

// TestGitIDs: blob, tree and commit ids are git's, so a tree id can be
// checked against `git mktree` output computed by hand.
func TestGitIDs(t *testing.T) {
	t.Parallel()
	// git hash-object of "hello\n"
	if got := blobID([]byte("hello\n")); got != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Errorf("blob id %s", got)
	}
	// printf 'hello\n' > a; git add a; git write-tree
	tr := newTree([]fileEntry{{Path: "a", Oid: blobID([]byte("hello\n"))}})
	if tr.ID != "0976950c1fdbcb52435a433913017bf044b3a58f" {
		t.Errorf("tree id %s", tr.ID)
	}
	// The empty tree.
	if got := newTree(nil).ID; got != "4b825dc642cb6eb9a060e54bf8d69288fbee4904" {
		t.Errorf("empty tree id %s", got)
	}
	// A folder sorts as its name with '/': "a.b" before "a/".
	tr = newTree([]fileEntry{{Path: "a/x", Oid: blobID(nil)}, {Path: "a.b", Oid: blobID(nil)}})
	if tr.ID != "4994165980e7344ec13bb6f20bbd78b6d533bff6" {
		t.Errorf("tree with a folder: %s", tr.ID)
	}
	// git commit-tree 0976950c… -m "Add app" -m first, as demo at 1741348800.
	c := &commitObject{Tree: "0976950c1fdbcb52435a433913017bf044b3a58f", Author: "demo", Date: time.Unix(1741348800, 0), Title: "Add app", Message: "first"}
	if got := commitID(c); got != "c5cffdd21a21e758a36cbc40954f997db7483602" {
		t.Errorf("commit id %s", got)
	}
}

func TestPreupload(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.create("up", "gradio", nil)
	mustStatus(t, h.commit("demo/up", "main", ndjson(map[string]any{"summary": "app"}, fileOp("app.py", "print(1)\n"))), 200)
	sample := func(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
	body := map[string]any{
		"files": []map[string]any{
			{"path": "app.py", "sample": sample([]byte("print(2)\n")), "size": 9},
			{"path": "model.bin", "sample": sample([]byte("tiny")), "size": 4},
			{"path": "image.png", "sample": sample([]byte("\x89PNG\r\n\x1a\n\x00\x00")), "size": 10},
			{"path": "big.txt", "sample": sample([]byte("aaaa")), "size": 11 << 20},
			{"path": "empty.bin", "sample": "", "size": 0},
			{"path": "cache/x.pyc", "sample": sample([]byte("x")), "size": 1},
		},
		"gitIgnore": "cache/\n",
	}
	r := h.do("POST", "/api/spaces/demo/up/preupload/main", DemoWriteToken, body)
	mustStatus(t, r, 200)
	v := r.json(t)
	files := field(v, "files").([]any)
	want := []struct {
		mode   string
		ignore bool
		oid    any
	}{
		{"regular", false, blobID([]byte("print(1)\n"))},
		{"lfs", false, nil},
		{"lfs", false, nil},
		{"lfs", false, nil},
		{"regular", false, nil},
		{"regular", true, nil},
	}
	for i, w := range want {
		f := files[i]
		if field(f, "uploadMode") != w.mode || field(f, "shouldIgnore") != w.ignore || field(f, "oid") != w.oid {
			t.Errorf("file %d: %v, want %+v", i, f, w)
		}
	}
	head := h.do("GET", "/api/spaces/demo/up", DemoWriteToken, nil).json(t)
	if field(v, "commitOid") != field(head, "sha") {
		t.Errorf("commitOid %v, head %v", field(v, "commitOid"), field(head, "sha"))
	}
	// The JavaScript client sends the .gitattributes it commits.
	r = h.do("POST", "/api/spaces/demo/up/preupload/main", DemoWriteToken, map[string]any{
		"files":         []map[string]any{{"path": "data.csv", "sample": sample([]byte("a,b")), "size": 3}},
		"gitAttributes": "*.csv filter=lfs diff=lfs merge=lfs -text\n",
	})
	if field(r.json(t), "files").([]any)[0].(map[string]any)["uploadMode"] != "lfs" {
		t.Errorf("gitAttributes not applied: %s", r.body)
	}
	mustStatus(t, h.do("POST", "/api/spaces/demo/up/preupload/nope", DemoWriteToken, body), 404)
	mustStatus(t, h.do("POST", "/api/spaces/demo/up/preupload/main", DemoReadToken, body), 403)
	mustStatus(t, h.do("POST", "/api/spaces/demo/up/preupload/main", DemoWriteToken, map[string]any{"files": []map[string]any{{"path": "../x", "sample": "", "size": 0}}}), 400)
}

func TestCommitAndRead(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.create("files", "gradio", nil)
	app := "import gradio as gr\n"
	r := h.commit("demo/files", "main", ndjson(map[string]any{"summary": "Add app", "description": "first"},
		fileOp("app.py", app), fileOp("requirements.txt", "gradio\nnumpy\n"), fileOp("src/lib/util.py", "x = 1\n"), fileOp("src/a.py", "")))
	mustStatus(t, r, 200)
	c := r.json(t)
	oid, _ := field(c, "commitOid").(string)
	if len(oid) != 40 || field(c, "success") != true || field(c, "hookOutput") != "" || !strings.HasSuffix(field(c, "commitUrl").(string), "/spaces/demo/files/commit/"+oid) {
		t.Fatalf("commit answer %s", r.body)
	}
	if got := h.stage("demo/files"); got != StageRunning {
		t.Errorf("after the app file: %s", got)
	}

	// Tree: the root, then recursive.
	r = h.do("GET", "/api/spaces/demo/files/tree/main", DemoWriteToken, nil)
	mustStatus(t, r, 200)
	var root []map[string]any
	json.Unmarshal(r.body, &root)
	var names []string
	for _, e := range root {
		names = append(names, e["type"].(string)+":"+e["path"].(string))
	}
	if diff := cmp.Diff([]string{"file:.gitattributes", "file:README.md", "file:app.py", "file:requirements.txt", "directory:src"}, names); diff != "" {
		t.Errorf("root (-want +got):\n%s", diff)
	}
	if r.header.Get("X-Repo-Commit") != oid {
		t.Errorf("tree X-Repo-Commit %q", r.header.Get("X-Repo-Commit"))
	}
	if diff := cmp.Diff(map[string]string{"src/lib": "directory", "src/lib/util.py": "file", "src/a.py": "file"},
		func() map[string]string {
			r := h.do("GET", "/api/spaces/demo/files/tree/main/src?recursive=1", DemoWriteToken, nil)
			out := map[string]string{}
			for _, e := range r.json(t).([]any) {
				out[field(e, "path").(string)] = field(e, "type").(string)
			}
			return out
		}()); diff != "" {
		t.Errorf("src recursive (-want +got):\n%s", diff)
	}
	// Python encodes the path (src%2Flib), JavaScript does not.
	for _, p := range []string{"/tree/main/src%2Flib", "/tree/main/src/lib"} {
		r = h.do("GET", "/api/spaces/demo/files"+p, DemoWriteToken, nil)
		mustStatus(t, r, 200)
		if list := r.json(t).([]any); len(list) != 1 || field(list[0], "path") != "src/lib/util.py" {
			t.Errorf("%s: %s", p, r.body)
		}
	}
	r = h.do("GET", "/api/spaces/demo/files/tree/main/nope", DemoWriteToken, nil)
	if r.status != 404 || r.header.Get("X-Error-Code") != "EntryNotFound" {
		t.Errorf("missing folder: %d %s", r.status, r.header.Get("X-Error-Code"))
	}
	r = h.do("GET", "/api/spaces/demo/files/tree/nobranch", DemoWriteToken, nil)
	if r.status != 404 || r.header.Get("X-Error-Code") != "RevisionNotFound" {
		t.Errorf("missing revision: %d %s", r.status, r.header.Get("X-Error-Code"))
	}
	r = h.do("GET", "/api/spaces/demo/files/tree/main?expand=true", DemoWriteToken, nil)
	if e := r.json(t).([]any)[2]; field(e, "lastCommit", "id") != oid || field(e, "lastCommit", "title") != "Add app" || field(e, "securityFileStatus", "status") != "safe" {
		t.Errorf("expand: %v", e)
	}

	// Resolve: bytes, headers, Range, HEAD; raw; a missing file.
	r = h.req("GET", "/spaces/demo/files/resolve/main/app.py", DemoWriteToken, "", "")
	mustStatus(t, r, 200)
	if string(r.body) != app || r.header.Get("ETag") != `"`+blobID([]byte(app))+`"` || r.header.Get("X-Repo-Commit") != oid ||
		r.header.Get("Content-Length") != fmt.Sprint(len(app)) || r.header.Get("Accept-Ranges") != "bytes" {
		t.Errorf("resolve: %q %v", r.body, r.header)
	}
	r = h.req("GET", "/spaces/demo/files/resolve/main/app.py", DemoWriteToken, "", "", "Range", "bytes=0-0")
	if r.status != 206 || string(r.body) != "i" || r.header.Get("Content-Range") != fmt.Sprintf("bytes 0-0/%d", len(app)) {
		t.Errorf("range: %d %q %v", r.status, r.body, r.header)
	}
	r = h.req("GET", "/spaces/demo/files/resolve/main/app.py", DemoWriteToken, "", "", "Range", "bytes=7-")
	if r.status != 206 || string(r.body) != app[7:] {
		t.Errorf("range from 7: %d %q", r.status, r.body)
	}
	r = h.req("HEAD", "/spaces/demo/files/resolve/main/app.py", DemoWriteToken, "", "")
	if r.status != 200 || len(r.body) != 0 || r.header.Get("Content-Length") != fmt.Sprint(len(app)) {
		t.Errorf("HEAD: %d %v", r.status, r.header)
	}
	r = h.req("GET", "/spaces/demo/files/resolve/main/src/a.py", DemoWriteToken, "", "", "Range", "bytes=0-0")
	if r.status != 200 || r.header.Get("Content-Range") != "bytes */0" {
		t.Errorf("range on an empty file: %d %v", r.status, r.header)
	}
	r = h.req("GET", "/spaces/demo/files/resolve/"+oid+"/src/lib/util.py", DemoWriteToken, "", "")
	if string(r.body) != "x = 1\n" {
		t.Errorf("resolve at a commit id: %d %q", r.status, r.body)
	}
	r = h.req("HEAD", "/spaces/demo/files/resolve/main/nope.py", DemoWriteToken, "", "")
	if r.status != 404 || r.header.Get("X-Error-Code") != "EntryNotFound" || r.header.Get("X-Repo-Commit") != oid {
		t.Errorf("missing file: %d %v", r.status, r.header)
	}
	r = h.req("GET", "/spaces/demo/files/raw/main/app.py", DemoWriteToken, "", "")
	if string(r.body) != app {
		t.Errorf("raw: %q", r.body)
	}

	// paths-info, as a form (Python) and as JSON (JavaScript).
	r = h.req("POST", "/api/spaces/demo/files/paths-info/main", DemoWriteToken, "application/x-www-form-urlencoded", "paths=app.py&paths=src&paths=nope&expand=false")
	mustStatus(t, r, 200)
	if list := r.json(t).([]any); len(list) != 2 || field(list[0], "oid") != blobID([]byte(app)) || field(list[1], "type") != "directory" {
		t.Errorf("paths-info form: %s", r.body)
	}
	r = h.req("POST", "/api/spaces/demo/files/paths-info/main", DemoWriteToken, "application/json", `{"paths":["requirements.txt"],"expand":true}`)
	if list := r.json(t).([]any); len(list) != 1 || field(list[0], "lastCommit", "id") != oid {
		t.Errorf("paths-info JSON: %s", r.body)
	}

	// A stale parent is a 412; deleting a missing file a 404; a folder goes.
	r = h.commit("demo/files", "main", ndjson(map[string]any{"summary": "x", "parentCommit": strings.Repeat("0", 40)}, fileOp("b.py", "")))
	mustStatus(t, r, 412)
	r = h.commit("demo/files", "main", ndjson(map[string]any{"summary": "x", "parentCommit": oid[:7]}, [2]any{"deletedFile", map[string]any{"path": "nope.py"}}))
	if r.status != 404 || r.header.Get("X-Error-Code") != "EntryNotFound" {
		t.Errorf("delete a missing file: %d %s", r.status, r.body)
	}
	r = h.commit("demo/files", "main", ndjson(map[string]any{"summary": "rm src", "parentCommit": oid[:7]}, [2]any{"deletedFolder", map[string]any{"path": "src/"}}, [2]any{"deletedFile", map[string]any{"path": "requirements.txt"}}))
	mustStatus(t, r, 200)
	if diff := cmp.Diff(map[string]string{".gitattributes": "file", "README.md": "file", "app.py": "file"}, h.treePaths("demo/files", "main")); diff != "" {
		t.Errorf("after deletions (-want +got):\n%s", diff)
	}
	mustStatus(t, h.commit("demo/files", "main", ndjson(map[string]any{"summary": "nothing"})), 400)
	mustStatus(t, h.commit("demo/files", "main", `{"key":"file","value":{}}`), 400)
	mustStatus(t, h.commit("demo/files", "main", ndjson(map[string]any{"summary": "x"}, fileOp(".git/config", "x"))), 400)
	mustStatus(t, h.commit("demo/files", "main", ndjson(map[string]any{"summary": "x"}, [2]any{"lfsFile", map[string]any{"path": "a.bin", "algo": "sha256", "oid": strings.Repeat("a", 64), "size": 1}})), 400)
	mustStatus(t, h.commit("demo/files", "nobranch", ndjson(map[string]any{"summary": "x"}, fileOp("b.py", ""))), 404)
	r = h.req("POST", "/api/spaces/demo/files/commit/main", DemoReadToken, "application/x-ndjson", ndjson(map[string]any{"summary": "x"}, fileOp("b.py", "")))
	mustStatus(t, r, 403)
	r = h.req("POST", "/api/spaces/demo/files/commit/main", OtherWriteToken, "application/x-ndjson", ndjson(map[string]any{"summary": "x"}, fileOp("b.py", "")))
	mustStatus(t, r, 403)
}

func TestCommitPullRequest(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.create("pr", "gradio", nil)
	before := field(h.do("GET", "/api/spaces/demo/pr", DemoWriteToken, nil).json(t), "sha")
	stage := h.stage("demo/pr")
	// Another user may open a pull request on a public Space.
	r := h.req("POST", "/api/spaces/demo/pr/preupload/main?create_pr=1", OtherWriteToken, "application/json", `{"files":[{"path":"app.py","sample":"","size":0}]}`)
	mustStatus(t, r, 200)
	r = h.req("POST", "/api/spaces/demo/pr/commit/main?create_pr=1", OtherWriteToken, "application/x-ndjson", ndjson(map[string]any{"summary": "Add app", "description": ""}, fileOp("app.py", "print(1)\n")))
	mustStatus(t, r, 200)
	c := r.json(t)
	if u, _ := field(c, "pullRequestUrl").(string); !strings.HasSuffix(u, "/spaces/demo/pr/discussions/1") {
		t.Fatalf("pullRequestUrl %q", u)
	}
	after := h.do("GET", "/api/spaces/demo/pr", DemoWriteToken, nil).json(t)
	if field(after, "sha") != before || h.stage("demo/pr") != stage {
		t.Errorf("main moved or rebuilt: %v %s", field(after, "sha"), h.stage("demo/pr"))
	}
	r = h.req("GET", "/spaces/demo/pr/resolve/refs%2Fpr%2F1/app.py", DemoWriteToken, "", "")
	if string(r.body) != "print(1)\n" || r.header.Get("X-Repo-Commit") != field(c, "commitOid") {
		t.Errorf("resolve refs/pr/1: %d %q", r.status, r.body)
	}
	// More commits go to refs/pr/1; JavaScript sends the tree's revision unencoded.
	mustStatus(t, h.commit("demo/pr", "refs/pr/1", ndjson(map[string]any{"summary": "more"}, fileOp("b.py", ""))), 200)
	if got := h.treePaths("demo/pr", "refs/pr/1"); got["b.py"] != "file" || got["app.py"] != "file" {
		t.Errorf("refs/pr/1: %v", got)
	}
	r = h.do("GET", "/api/spaces/demo/pr/tree/refs/pr/1", DemoWriteToken, nil)
	mustStatus(t, r, 200)
	refs := h.do("GET", "/api/spaces/demo/pr/refs?include_prs=1", DemoWriteToken, nil).json(t)
	prs := field(refs, "pullRequests").([]any)
	if len(prs) != 1 || field(prs[0], "ref") != "refs/pr/1" {
		t.Errorf("refs: %v", refs)
	}
	if _, ok := h.do("GET", "/api/spaces/demo/pr/refs", DemoWriteToken, nil).json(t).(map[string]any)["pullRequests"]; ok {
		t.Error("pullRequests without include_prs")
	}
	// A pull request against a commit id is a 404.
	r = h.commit("demo/pr", before.(string), ndjson(map[string]any{"summary": "x"}, fileOp("c.py", "")), "create_pr=1")
	if r.status != 404 || r.header.Get("X-Error-Code") != "RevisionNotFound" {
		t.Errorf("PR against a commit: %d %s", r.status, r.body)
	}
}

func TestBuildFromFiles(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed, BuildDuration: 10e9, StartDuration: 1e9})
	h.create("b", "gradio", nil)
	mustStatus(t, h.commit("demo/b", "main", ndjson(map[string]any{"summary": "app"}, fileOp("app.py", "x"), fileOp("requirements.txt", "numpy==2.0\n# c\ntorch\n"))), 200)
	if got := h.stage("demo/b"); got != StageBuilding {
		t.Fatalf("after a commit with the app: %s", got)
	}
	h.clock.Advance(11e9)
	if got := h.stage("demo/b"); got != StageRunning {
		t.Fatalf("after the build: %s", got)
	}
	log := buildLog(t, h, "demo/b")
	for _, want := range []string{"pip install --no-cache-dir -r /tmp/requirements.txt", "Collecting numpy==2.0", "Collecting torch", "gradio==5.20.0"} {
		if !strings.Contains(log, want) {
			t.Errorf("build log lacks %q:\n%s", want, log)
		}
	}
	readme := func(s string) [2]any { return fileOp("README.md", s) }
	for _, c := range []struct {
		readme, stage, msg string
	}{
		{"---\nsdk: gradio\napp_file: main.py\n---\n", StageNoAppFile, ""},
		{"---\nsdk: [gradio\n---\n", StageConfigError, "Invalid configuration in README.md"},
		{"---\nsdk: flask\n---\n", StageConfigError, `sdk "flask" is not one of`},
		{"# no front matter\n", StageConfigError, "Missing configuration"},
		{"---\nsdk: gradio\n---\n", StageBuilding, ""},
	} {
		mustStatus(t, h.commit("demo/b", "main", ndjson(map[string]any{"summary": "readme"}, readme(c.readme))), 200)
		rt := h.do("GET", "/api/spaces/demo/b/runtime", DemoWriteToken, nil).json(t)
		msg, _ := field(rt, "errorMessage").(string)
		if field(rt, "stage") != c.stage || !strings.Contains(msg, c.msg) {
			t.Errorf("README %q: stage %v, errorMessage %q; want %s, %q", c.readme, field(rt, "stage"), msg, c.stage, c.msg)
		}
	}
	// A Docker Space's build log shows its Dockerfile's instructions.
	h.create("d", "docker", nil)
	mustStatus(t, h.commit("demo/d", "main", ndjson(map[string]any{"summary": "docker"}, fileOp("Dockerfile", "FROM python:3.12\n# comment\nRUN pip install \\\n  fastapi\nCMD [\"python\"]\n"))), 200)
	h.clock.Advance(11e9)
	h.stage("demo/d")
	log = buildLog(t, h, "demo/d")
	for _, want := range []string{"--> FROM python:3.12\n", "--> RUN pip install  fastapi\n", "--> CMD [\"python\"]\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("docker build log lacks %q:\n%s", want, log)
		}
	}
	// A static Space runs at once; without index.html it has no app.
	h.create("s", "static", nil)
	mustStatus(t, h.commit("demo/s", "main", ndjson(map[string]any{"summary": "rm"}, [2]any{"deletedFile", map[string]any{"path": "index.html"}})), 200)
	if got := h.stage("demo/s"); got != StageNoAppFile {
		t.Errorf("static without index.html: %s", got)
	}
	mustStatus(t, h.commit("demo/s", "main", ndjson(map[string]any{"summary": "add"}, fileOp("index.html", "<p>hi</p>"))), 200)
	if got := h.stage("demo/s"); got != StageRunning {
		t.Errorf("static with index.html: %s", got)
	}
	// The README's sdk is the Space's.
	mustStatus(t, h.commit("demo/b", "main", ndjson(map[string]any{"summary": "to static"}, readme("---\nsdk: static\n---\n"), fileOp("index.html", "x"))), 200)
	if info := h.do("GET", "/api/spaces/demo/b", DemoWriteToken, nil).json(t); field(info, "sdk") != "static" || field(info, "runtime", "stage") != StageRunning {
		t.Errorf("after switching the README to static: %v %v", field(info, "sdk"), field(info, "runtime", "stage"))
	}
}

// buildLog reads a Space's whole build log.
func buildLog(t *testing.T, h *hub, id string) string {
	t.Helper()
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	var b strings.Builder
	for _, l := range h.e.spaces[id].rec.BuildLog {
		b.WriteString(l.Data)
	}
	return b.String()
}

func TestSettingsMoveDelete(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.create("set", "gradio", nil)
	mustStatus(t, h.do("PUT", "/api/spaces/demo/set/settings", DemoWriteToken, map[string]any{"visibility": "private", "gated": "auto"}), 200)
	info := h.do("GET", "/api/spaces/demo/set", DemoWriteToken, nil).json(t)
	if field(info, "private") != true || field(info, "gated") != "auto" {
		t.Errorf("after settings: private %v gated %v", field(info, "private"), field(info, "gated"))
	}
	mustStatus(t, h.do("GET", "/api/spaces/demo/set", "", nil), 401)
	mustStatus(t, h.do("PUT", "/api/spaces/demo/set/settings", DemoWriteToken, map[string]any{"private": false, "gated": false}), 200)
	if info := h.do("GET", "/api/spaces/demo/set", "", nil).json(t); field(info, "private") != false || field(info, "gated") != false {
		t.Errorf("after private false: %v %v", field(info, "private"), field(info, "gated"))
	}
	for _, bad := range []map[string]any{{}, {"visibility": "secret"}, {"gated": true}, {"discussions": 1}} {
		mustStatus(t, h.do("PUT", "/api/spaces/demo/set/settings", DemoWriteToken, bad), 400)
	}
	mustStatus(t, h.do("PUT", "/api/spaces/demo/set/settings", DemoReadToken, map[string]any{"visibility": "public"}), 403)
	mustStatus(t, h.do("PUT", "/api/spaces/demo/nope/settings", DemoWriteToken, map[string]any{"visibility": "public"}), 404)

	// Move, within the user's namespaces.
	mustStatus(t, h.do("POST", "/api/repos/move", DemoWriteToken, map[string]any{"fromRepo": "demo/set", "toRepo": "demo-org/moved", "type": "space"}), 200)
	// The old id redirects, relatively, to the new one.
	r := h.req("GET", "/api/spaces/demo/set/tree/main?recursive=true", DemoWriteToken, "", "")
	if r.status != 307 || r.header.Get("Location") != "/api/spaces/demo-org/moved/tree/main?recursive=true" {
		t.Errorf("old id: %d %v", r.status, r.header)
	}
	r = h.req("HEAD", "/spaces/demo/set/resolve/main/README.md", DemoWriteToken, "", "")
	if r.status != 307 || r.header.Get("Location") != "/spaces/demo-org/moved/resolve/main/README.md" {
		t.Errorf("old id, resolve: %d %v", r.status, r.header)
	}
	mustStatus(t, h.do("GET", "/api/spaces/demo/set", DemoWriteToken, nil), 200) // followed
	mustStatus(t, h.do("PUT", "/api/spaces/demo-org/moved/settings", DemoWriteToken, map[string]any{"visibility": "private"}), 200)
	mustStatus(t, h.do("GET", "/api/spaces/demo/set", OtherWriteToken, nil), 404) // a private Space's new id is not revealed
	moved := h.do("GET", "/api/spaces/demo-org/moved", DemoWriteToken, nil).json(t)
	if field(moved, "author") != "demo-org" || len(field(moved, "siblings").([]any)) != 2 {
		t.Errorf("moved: %v", moved)
	}
	mustStatus(t, h.do("POST", "/api/repos/move", DemoWriteToken, map[string]any{"fromRepo": "demo-org/moved", "toRepo": "demo/gradio-app", "type": "space"}), 409)
	mustStatus(t, h.do("POST", "/api/repos/move", DemoWriteToken, map[string]any{"fromRepo": "demo-org/moved", "toRepo": "other/x", "type": "space"}), 403)
	mustStatus(t, h.do("POST", "/api/repos/move", DemoWriteToken, map[string]any{"fromRepo": "demo-org/moved", "toRepo": "demo/x", "type": "model"}), 400)

	r = h.do("DELETE", "/api/repos/delete", DemoWriteToken, map[string]any{"name": "moved", "organization": "demo-org", "type": "space"})
	if r.status != 200 || string(r.body) != "OK" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Errorf("delete: %d %q %s", r.status, r.body, r.header.Get("Content-Type"))
	}
	r = h.do("DELETE", "/api/repos/delete", DemoWriteToken, map[string]any{"name": "moved", "organization": "demo-org", "type": "space"})
	if r.status != 404 || r.header.Get("X-Error-Code") != "RepoNotFound" {
		t.Errorf("delete again: %d %v", r.status, r.header)
	}
}

func TestValidateYAML(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	for _, c := range []struct {
		content string
		status  int
		key     string
	}{
		{"---\nsdk: gradio\n---\n# hi\n", 200, ""},
		{"# no metadata\n", 200, "warnings"},
		{"---\nsdk: [\n---\n", 400, "errors"},
		{"---\nsdk: flask\n---\n", 400, "errors"},
	} {
		r := h.do("POST", "/api/validate-yaml", DemoWriteToken, map[string]any{"content": c.content, "repoType": "space"})
		if r.status != c.status {
			t.Errorf("%q: %d %s", c.content, r.status, r.body)
			continue
		}
		if c.key != "" {
			if list, _ := field(r.json(t), c.key).([]any); len(list) == 0 || field(list[0], "message") == nil {
				t.Errorf("%q: no %s: %s", c.content, c.key, r.body)
			}
		}
	}
}

func TestTreePagination(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.create("many", "gradio", nil)
	var ops [][2]any
	for i := range 1100 {
		ops = append(ops, fileOp(fmt.Sprintf("f/%04d.txt", i), fmt.Sprint(i)))
	}
	mustStatus(t, h.commit("demo/many", "main", ndjson(map[string]any{"summary": "many"}, ops...)), 200)
	var all []string
	next := h.base + "/api/spaces/demo/many/tree/main/f?recursive=true"
	pages := 0
	for next != "" {
		r := h.req("GET", next, DemoWriteToken, "", "")
		mustStatus(t, r, 200)
		for _, e := range r.json(t).([]any) {
			all = append(all, field(e, "path").(string))
		}
		next = ""
		if l := r.header.Get("Link"); l != "" {
			next = strings.TrimSuffix(strings.TrimPrefix(strings.Split(l, ";")[0], "<"), ">")
		}
		pages++
	}
	if pages != 2 || len(all) != 1100 || all[1099] != "f/1099.txt" {
		t.Errorf("%d pages, %d entries", pages, len(all))
	}
	r := h.do("GET", "/api/spaces/demo/many/commits/main?limit=1", DemoWriteToken, nil)
	if r.header.Get("X-Total-Count") != "3" || !strings.Contains(r.header.Get("Link"), "p=1") || len(r.json(t).([]any)) != 1 {
		t.Errorf("commits page: %v %s", r.header, r.body)
	}
}

func TestBranches(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.create("br", "gradio", nil)
	mustStatus(t, h.do("POST", "/api/spaces/demo/br/branch/dev", DemoWriteToken, map[string]any{}), 200)
	mustStatus(t, h.do("POST", "/api/spaces/demo/br/branch/dev", DemoWriteToken, map[string]any{}), 409)
	mustStatus(t, h.commit("demo/br", "dev", ndjson(map[string]any{"summary": "on dev"}, fileOp("x.py", "1"))), 200)
	if got := h.treePaths("demo/br", "dev"); got["x.py"] != "file" {
		t.Errorf("dev: %v", got)
	}
	if got := h.treePaths("demo/br", "main"); got["x.py"] != "" {
		t.Errorf("main has dev's file")
	}
	mustStatus(t, h.do("DELETE", "/api/spaces/demo/br/branch/dev", DemoWriteToken, nil), 200)
	mustStatus(t, h.do("DELETE", "/api/spaces/demo/br/branch/dev", DemoWriteToken, nil), 404)
	mustStatus(t, h.do("DELETE", "/api/spaces/demo/br/branch/main", DemoWriteToken, nil), 403)
}

func TestLFS(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.create("lfs", "gradio", nil)
	small := bytes.Repeat([]byte{0, 1, 2, 3}, 25)
	big := make([]byte, lfsChunkSize+12345)
	for i := range big {
		big[i] = byte(i * 7)
	}
	smallOid, bigOid := sha256Hex(small), sha256Hex(big)
	batch := func(token string, objects ...any) result {
		body, _ := json.Marshal(map[string]any{
			"operation": "upload", "transfers": []string{"basic", "multipart", "xet"}, "hash_algo": "sha_256",
			"ref": map[string]any{"name": "main"}, "objects": objects,
		})
		return h.req("POST", "/spaces/demo/lfs.git/info/lfs/objects/batch", token, "application/vnd.git-lfs+json", string(body), "Accept", "application/vnd.git-lfs+json")
	}
	r := batch(DemoWriteToken, map[string]any{"oid": smallOid, "size": len(small)}, map[string]any{"oid": bigOid, "size": len(big)}, map[string]any{"oid": "nope", "size": 1})
	mustStatus(t, r, 200)
	if r.header.Get("Content-Type") != "application/vnd.git-lfs+json" {
		t.Errorf("batch Content-Type %q", r.header.Get("Content-Type"))
	}
	objs := field(r.json(t), "objects").([]any)
	if field(objs[2], "error", "code") != float64(422) {
		t.Errorf("bad oid: %v", objs[2])
	}
	up := field(objs[0], "actions", "upload").(map[string]any)
	if _, multi := field(up, "header", "chunk_size").(string); multi {
		t.Fatalf("small object with a multipart transfer: %v", up)
	}
	verify := field(objs[0], "actions", "verify", "href").(string)

	// Basic: the bytes must match the oid; no token needed.
	mustStatus(t, h.req("PUT", up["href"].(string), "", "", string(small[:50])), 400)
	r = h.req("PUT", up["href"].(string), "", "", strings.Repeat("x", len(small)))
	if r.status != 400 || !strings.Contains(string(r.body), "Checksum mismatch") {
		t.Errorf("bytes that are not the oid's: %d %s", r.status, r.body)
	}
	tampered := strings.Replace(up["href"].(string), "signature=", "signature=0", 1)
	mustStatus(t, h.req("PUT", tampered, "", "", string(small)), 403)
	mustStatus(t, h.req("PUT", up["href"].(string), "", "", string(small)), 200)
	mustStatus(t, h.req("POST", verify, DemoWriteToken, "application/vnd.git-lfs+json", fmt.Sprintf(`{"oid":%q,"size":%d}`, smallOid, len(small))), 200)
	mustStatus(t, h.req("POST", verify, DemoWriteToken, "application/vnd.git-lfs+json", fmt.Sprintf(`{"oid":%q,"size":1}`, bigOid)), 404)

	// Multipart: one URL per part, an ETag per part, then completion.
	up = field(objs[1], "actions", "upload").(map[string]any)
	header := up["header"].(map[string]any)
	if header["chunk_size"] != fmt.Sprint(lfsChunkSize) || header["00001"] == nil || header["00002"] == nil || len(header) != 3 {
		t.Fatalf("multipart header: %v", header)
	}
	var parts []map[string]any
	for n, p := range []string{"00001", "00002"} {
		chunk := big[n*lfsChunkSize : min((n+1)*lfsChunkSize, len(big))]
		r := h.req("PUT", header[p].(string), "", "", string(chunk))
		mustStatus(t, r, 200)
		if r.header.Get("ETag") == "" {
			t.Fatal("no ETag on a part")
		}
		parts = append(parts, map[string]any{"partNumber": n + 1, "etag": r.header.Get("ETag")})
	}
	bad, _ := json.Marshal(map[string]any{"oid": bigOid, "parts": []map[string]any{parts[1], parts[0]}})
	mustStatus(t, h.req("POST", up["href"].(string), "", "application/vnd.git-lfs+json", string(bad)), 400)
	done, _ := json.Marshal(map[string]any{"oid": bigOid, "parts": parts})
	mustStatus(t, h.req("POST", up["href"].(string), "", "application/vnd.git-lfs+json", string(done)), 200)

	// Stored: no actions any more.
	r = batch(DemoWriteToken, map[string]any{"oid": smallOid, "size": len(small)}, map[string]any{"oid": bigOid, "size": len(big)})
	for _, o := range field(r.json(t), "objects").([]any) {
		if field(o, "actions") != nil {
			t.Errorf("stored object with actions: %v", o)
		}
	}
	mustStatus(t, batch(DemoReadToken, map[string]any{"oid": smallOid, "size": len(small)}), 403)

	// Commit them; .gitattributes gains the path it did not track.
	r = h.commit("demo/lfs", "main", ndjson(map[string]any{"summary": "lfs"},
		[2]any{"lfsFile", map[string]any{"path": "model.bin", "algo": "sha256", "oid": smallOid, "size": len(small)}},
		[2]any{"lfsFile", map[string]any{"path": "data/big.dat", "algo": "sha256", "oid": bigOid}}))
	mustStatus(t, r, 200)
	attrs := h.req("GET", "/spaces/demo/lfs/resolve/main/.gitattributes", DemoWriteToken, "", "")
	if !strings.HasSuffix(string(attrs.body), "\ndata/big.dat filter=lfs diff=lfs merge=lfs -text\n") || strings.Contains(string(attrs.body), "model.bin") {
		t.Errorf(".gitattributes: %s", attrs.body)
	}
	pointer := lfsPointer(bigOid, int64(len(big)))
	r = h.req("POST", "/api/spaces/demo/lfs/paths-info/main", DemoWriteToken, "application/json", `{"paths":["data/big.dat"]}`)
	e := r.json(t).([]any)[0]
	if field(e, "oid") != blobID(pointer) || field(e, "size") != float64(len(big)) || field(e, "lfs", "oid") != bigOid || field(e, "lfs", "pointerSize") != float64(len(pointer)) {
		t.Errorf("LFS entry: %v", e)
	}

	// resolve redirects to the content, with the headers clients read.
	r = h.req("HEAD", "/spaces/demo/lfs/resolve/main/data/big.dat", DemoWriteToken, "", "", "Accept-Encoding", "identity")
	loc := r.header.Get("Location")
	if r.status != 302 || r.header.Get("X-Linked-Etag") != `"`+bigOid+`"` || r.header.Get("X-Linked-Size") != fmt.Sprint(len(big)) ||
		r.header.Get("ETag") != `"`+blobID(pointer)+`"` || r.header.Get("X-Repo-Commit") == "" || !strings.HasPrefix(loc, "http://hub.test/") {
		t.Fatalf("resolve of an LFS file: %d %v", r.status, r.header)
	}
	r = h.req("GET", loc, "", "", "")
	if r.status != 200 || !bytes.Equal(r.body, big) {
		t.Errorf("LFS content: %d, %d bytes", r.status, len(r.body))
	}
	r = h.req("GET", loc, "", "", "", "Range", "bytes=0-0")
	if r.status != 206 || r.header.Get("Content-Range") != fmt.Sprintf("bytes 0-0/%d", len(big)) {
		t.Errorf("LFS range: %d %v", r.status, r.header)
	}
	r = h.req("GET", "/spaces/demo/lfs/raw/main/data/big.dat", DemoWriteToken, "", "")
	if !bytes.Equal(r.body, pointer) {
		t.Errorf("raw of an LFS file: %q", r.body)
	}
	r = h.do("POST", "/api/spaces/demo/lfs/preupload/main", DemoWriteToken, map[string]any{"files": []map[string]any{{"path": "model.bin", "sample": "AA==", "size": len(small)}}})
	if field(r.json(t), "files").([]any)[0].(map[string]any)["oid"] != smallOid {
		t.Errorf("preupload oid of an LFS file: %s", r.body)
	}
	// The transfer URLs expire.
	h.clock.Advance(2 * lfsURLLifetime)
	mustStatus(t, h.req("GET", loc, "", "", ""), 403)
}

// TestMemoryCap: without a data file, objects are kept in memory up to a
// cap; past it a write is a 507 that says what to do.
func TestMemoryCap(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.e.git.mu.Lock()
	h.e.git.memCap = h.e.git.memBytes + 1000
	h.e.git.mu.Unlock()
	r := h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "big"}, fileOp("big.txt", strings.Repeat("x", 2000))))
	if r.status != 507 || !strings.Contains(string(r.body), "--data") {
		t.Errorf("over the cap: %d %s", r.status, r.body)
	}
	mustStatus(t, h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "small"}, fileOp("small.txt", "x"))), 200)
}

func TestDuplicateCopiesFilesAndRevisionInfo(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	mustStatus(t, h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "data"}, fileOp("data/x.txt", "x\n"))), 200)
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/duplicate", DemoWriteToken, map[string]any{"repository": "demo/copy"}), 200)
	if diff := cmp.Diff(h.treePaths("demo/gradio-app", "main"), h.treePaths("demo/copy", "main")); diff != "" {
		t.Errorf("duplicate's files (-source +copy):\n%s", diff)
	}
	r := h.req("GET", "/spaces/demo/copy/resolve/main/data/x.txt", DemoWriteToken, "", "")
	if string(r.body) != "x\n" {
		t.Errorf("duplicate's file: %q", r.body)
	}
	// Info at a revision: the sha and the files of that revision.
	commits := h.do("GET", "/api/spaces/demo/gradio-app/commits/main", DemoWriteToken, nil).json(t).([]any)
	old := field(commits[1], "id").(string)
	info := h.do("GET", "/api/spaces/demo/gradio-app/revision/"+old, DemoWriteToken, nil).json(t)
	if field(info, "sha") != old {
		t.Errorf("revision sha %v, want %s", field(info, "sha"), old)
	}
	for _, s := range field(info, "siblings").([]any) {
		if field(s, "rfilename") == "data/x.txt" {
			t.Error("a file of a later commit in an older revision's siblings")
		}
	}
	mustStatus(t, h.do("GET", "/api/spaces/demo/gradio-app/revision/HEAD?expand=sha", DemoWriteToken, nil), 200)
	r = h.do("GET", "/api/spaces/demo/gradio-app/revision/nope", DemoWriteToken, nil)
	if r.status != 404 || r.header.Get("X-Error-Code") != "RevisionNotFound" {
		t.Errorf("missing revision: %d %v", r.status, r.header)
	}
}

// TestRevisionsOfOtherSpaces: the object store is shared, but a commit id
// names a revision only in the Space whose history holds it.
func TestRevisionsOfOtherSpaces(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	r := h.commit("demo/gpu-app", "main", ndjson(map[string]any{"summary": "secret"}, fileOp("secret.txt", "s3cret")))
	mustStatus(t, r, 200)
	id := field(r.json(t), "commitOid").(string)
	mustStatus(t, h.req("GET", "/spaces/demo/gpu-app/resolve/"+id+"/secret.txt", DemoWriteToken, "", ""), 200)
	r = h.req("GET", "/spaces/demo/gradio-app/resolve/"+id+"/secret.txt", OtherWriteToken, "", "")
	if r.status != 404 || r.header.Get("X-Error-Code") != "RevisionNotFound" {
		t.Errorf("another Space's commit: %d %s", r.status, r.body)
	}
}

// TestLFSObjectsBelongToASpace: an object uploaded for one Space is not
// usable from another without uploading it there.
func TestLFSObjectsBelongToASpace(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	content := []byte("private weights")
	oid := sha256Hex(content)
	upload := func(space string) result {
		body := fmt.Sprintf(`{"operation":"upload","transfers":["basic"],"objects":[{"oid":%q,"size":%d}]}`, oid, len(content))
		return h.req("POST", "/spaces/"+space+".git/info/lfs/objects/batch", DemoWriteToken, "application/vnd.git-lfs+json", body)
	}
	r := upload("demo/gpu-app")
	href := field(r.json(t), "objects").([]any)[0].(map[string]any)["actions"].(map[string]any)["upload"].(map[string]any)["href"].(string)
	mustStatus(t, h.req("PUT", href, "", "", string(content)), 200)
	lfs := ndjson(map[string]any{"summary": "w"}, [2]any{"lfsFile", map[string]any{"path": "w.bin", "algo": "sha256", "oid": oid, "size": len(content)}})
	mustStatus(t, h.commit("demo/gpu-app", "main", lfs), 200)
	// Another Space: the object is not there until uploaded for it.
	mustStatus(t, h.commit("demo/gradio-app", "main", lfs), 400)
	if field(upload("demo/gradio-app").json(t), "objects").([]any)[0].(map[string]any)["actions"] == nil {
		t.Error("the batch offers another Space's object as stored")
	}
	// The same Space may commit it again at another path without uploading.
	mustStatus(t, h.commit("demo/gpu-app", "main", ndjson(map[string]any{"summary": "copy"}, [2]any{"lfsFile", map[string]any{"path": "copy.bin", "algo": "sha256", "oid": oid}})), 200)
}

// TestConcurrentCommitsOnOneParent: of commits racing on the same
// parentCommit exactly one lands; the others are 412 and change nothing.
func TestConcurrentCommitsOnOneParent(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	head := field(h.do("GET", "/api/spaces/demo/gradio-app", DemoWriteToken, nil).json(t), "sha").(string)
	const n = 8
	statuses := make(chan int, n)
	for i := range n {
		go func() {
			r := h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "race", "parentCommit": head}, fileOp(fmt.Sprintf("r%d.txt", i), "x")))
			statuses <- r.status
		}()
	}
	count := map[int]int{}
	for range n {
		count[<-statuses]++
	}
	if count[200] != 1 || count[412] != n-1 {
		t.Fatalf("statuses %v, want one 200 and %d 412", count, n-1)
	}
	files := 0
	for p := range h.treePaths("demo/gradio-app", "main") {
		if len(p) == 6 && strings.HasPrefix(p, "r") && strings.HasSuffix(p, ".txt") {
			files++
		}
	}
	if files != 1 {
		t.Errorf("%d of the racing files on main, want 1", files)
	}
}

func TestRepoControls(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	r := h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "x"}, fileOp("x.txt", "hello")))
	mustStatus(t, r, 200)
	files, err := h.e.Files("demo/gradio-app", "")
	if err != nil || !slices.Contains(files, "x.txt") || !slices.Contains(files, "app.py") {
		t.Errorf("Files: %v, %v", files, err)
	}
	if b, err := h.e.ReadFile("demo/gradio-app", "main", "x.txt"); err != nil || string(b) != "hello" {
		t.Errorf("ReadFile: %q, %v", b, err)
	}
	if _, err := h.e.ReadFile("demo/gradio-app", "main", "nope"); err == nil {
		t.Error("ReadFile of a missing file succeeded")
	}
	ids, err := h.e.Commits("demo/gradio-app", "")
	if err != nil || len(ids) != 3 || ids[0] != field(r.json(t), "commitOid") {
		t.Errorf("Commits: %v, %v", ids, err)
	}
	if _, err := h.e.Files("demo/nope", ""); err == nil {
		t.Error("Files of a missing Space succeeded")
	}
}

func TestPullRequestMerge(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	// A pull request opened as a discussion, then committed to.
	r := h.do("POST", "/api/spaces/demo/gradio-app/discussions", OtherWriteToken, map[string]any{"title": "Improve", "description": "", "pullRequest": true})
	mustStatus(t, r, 200)
	if field(r.json(t), "num") != float64(1) {
		t.Fatalf("discussion: %s", r.body)
	}
	r = h.req("POST", "/api/spaces/demo/gradio-app/commit/refs%2Fpr%2F1", OtherWriteToken, "application/x-ndjson",
		ndjson(map[string]any{"summary": "pr"}, fileOp("pr.txt", "from the PR"), fileOp("app.py", "print('pr')\n")))
	mustStatus(t, r, 200)
	// Meanwhile main changes another file, and the same file in a second PR.
	mustStatus(t, h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "main"}, fileOp("main.txt", "on main"))), 200)
	mustStatus(t, h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "pr2"}, fileOp("app.py", "print('other')\n")), "create_pr=1"), 200)

	d := h.do("GET", "/api/spaces/demo/gradio-app/discussions/1", DemoWriteToken, nil)
	mustStatus(t, d, 200)
	if field(d.json(t), "isPullRequest") != true || field(d.json(t), "changes", "base") != "refs/heads/main" || field(d.json(t), "status") != "open" {
		t.Errorf("details: %s", d.body)
	}
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/discussions/1/merge", OtherWriteToken, map[string]any{}), 403)
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/discussions/1/merge", DemoWriteToken, map[string]any{"comment": "thanks"}), 200)
	if b, _ := h.e.ReadFile("demo/gradio-app", "main", "pr.txt"); string(b) != "from the PR" {
		t.Errorf("pr.txt on main after the merge: %q", b)
	}
	if b, _ := h.e.ReadFile("demo/gradio-app", "main", "main.txt"); string(b) != "on main" {
		t.Errorf("main.txt after the merge: %q", b)
	}
	d = h.do("GET", "/api/spaces/demo/gradio-app/discussions/1", DemoWriteToken, nil)
	if field(d.json(t), "status") != "merged" || field(d.json(t), "changes", "mergeCommitId") != field(h.do("GET", "/api/spaces/demo/gradio-app", DemoWriteToken, nil).json(t), "sha") {
		t.Errorf("after the merge: %s", d.body)
	}
	if got := h.stage("demo/gradio-app"); got != StageRunningBuilding && got != StageRunning {
		t.Errorf("after merging into main: %s", got)
	}
	// The second pull request changed app.py too: a conflict.
	r = h.do("POST", "/api/spaces/demo/gradio-app/discussions/2/merge", DemoWriteToken, nil)
	if r.status != 409 || !strings.Contains(string(r.body), "app.py") {
		t.Errorf("conflicting merge: %d %s", r.status, r.body)
	}
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/discussions/1/merge", DemoWriteToken, nil), 400)
	mustStatus(t, h.do("GET", "/api/spaces/demo/gradio-app/discussions/9", DemoWriteToken, nil), 404)
}

func TestGitPatterns(t *testing.T) {
	t.Parallel()
	attrs := parseAttributes(gitattributes + "*.csv filter=lfs diff=lfs merge=lfs -text\nsmall.csv -filter\n")
	for p, want := range map[string]bool{
		"model.bin": true, "a/b/model.bin": true, "x.tar.gz": true, "saved_model/a/b.pb": true, "saved_model/x": true, "other/saved_model/x": false,
		"app.py": false, "data.csv": true, "small.csv": false, "runs/events.out.tfevents.1": true, "bin": false,
	} {
		if got := attrs.lfs(p); got != want {
			t.Errorf("lfs(%q) = %v, want %v", p, got, want)
		}
	}
	ignore := parseIgnore("# comment\n__pycache__/\n*.log\n!keep.log\n/build\ndocs/**/*.tmp\n")
	for p, want := range map[string]bool{
		"__pycache__/x.pyc": true, "a/__pycache__/x.pyc": true, "__pycache__": false,
		"x.log": true, "a/x.log": true, "keep.log": false,
		"build/out.o": true, "src/build/out.o": false,
		"docs/a/b/c.tmp": true, "docs/c.tmp": true, "c.tmp": false, "app.py": false,
	} {
		if got := ignore.ignored(p); got != want {
			t.Errorf("ignored(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestMoveSurvivesRestart: with a data file, the old id still redirects
// after a restart, and the Space keeps its files and its logs.
func TestMoveSurvivesRestart(t *testing.T) {
	t.Parallel()
	file := t.TempDir() + "/hub.db"
	h := newHub(t, Config{Seed: DemoSeed, DataFile: file})
	h.e.AppendLog("demo/gradio-app", false, "a line logged before the move")
	mustStatus(t, h.do("POST", "/api/repos/move", DemoWriteToken, map[string]any{"fromRepo": "demo/gradio-app", "toRepo": "demo/renamed", "type": "space"}), 200)
	h.e.Close()
	h2 := newHub(t, Config{DataFile: file})
	h2.e.mu.Lock()
	var logged bool
	if s := h2.e.spaces["demo/renamed"]; s != nil {
		for _, l := range s.rec.RunLog {
			logged = logged || strings.Contains(l.Data, "a line logged before the move")
		}
	}
	h2.e.mu.Unlock()
	if !logged {
		t.Error("the run log was lost by the move and restart")
	}
	r := h2.req("GET", "/api/spaces/demo/gradio-app/runtime", DemoWriteToken, "", "")
	if r.status != 307 || r.header.Get("Location") != "/api/spaces/demo/renamed/runtime" {
		t.Errorf("after a restart: %d %v", r.status, r.header)
	}
	if b, err := h2.e.ReadFile("demo/renamed", "", "app.py"); err != nil || len(b) == 0 {
		t.Errorf("files after move and restart: %q, %v", b, err)
	}
}

// TestMultipartOnDisk: with a data file, a multipart object is assembled in
// place and, once completed, survives a restart.
func TestMultipartOnDisk(t *testing.T) {
	t.Parallel()
	file := t.TempDir() + "/hub.db"
	h := newHub(t, Config{Seed: DemoSeed, DataFile: file})
	big := bytes.Repeat([]byte("0123456789abcdef"), (lfsChunkSize+1000)/16)
	oid := sha256Hex(big)
	body := fmt.Sprintf(`{"operation":"upload","transfers":["basic","multipart"],"hash_algo":"sha256","objects":[{"oid":%q,"size":%d}]}`, oid, len(big))
	r := h.req("POST", "/spaces/demo/gradio-app.git/info/lfs/objects/batch", DemoWriteToken, "application/vnd.git-lfs+json", body)
	up := field(r.json(t), "objects").([]any)[0].(map[string]any)["actions"].(map[string]any)["upload"].(map[string]any)
	header := up["header"].(map[string]any)
	// Parts in reverse order, as parallel uploads may land.
	etags := make([]string, 2)
	for n := 1; n >= 0; n-- {
		r := h.req("PUT", header[fmt.Sprintf("%05d", n+1)].(string), "", "", string(big[n*lfsChunkSize:min((n+1)*lfsChunkSize, len(big))]))
		mustStatus(t, r, 200)
		etags[n] = r.header.Get("ETag")
	}
	wrong := fmt.Sprintf(`{"oid":%q,"parts":[{"partNumber":1,"etag":%q},{"partNumber":2,"etag":"\"x\""}]}`, oid, etags[0])
	mustStatus(t, h.req("POST", up["href"].(string), "", "application/vnd.git-lfs+json", wrong), 400)
	done := fmt.Sprintf(`{"oid":%q,"parts":[{"partNumber":1,"etag":%q},{"partNumber":2,"etag":%q}]}`, oid, etags[0], etags[1])
	mustStatus(t, h.req("POST", up["href"].(string), "", "application/vnd.git-lfs+json", done), 200)
	mustStatus(t, h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "big"}, [2]any{"lfsFile", map[string]any{"path": "big.bin", "algo": "sha256", "oid": oid, "size": len(big)}})), 200)
	h.e.Close()
	h2 := newHub(t, Config{DataFile: file})
	if b, err := h2.e.ReadFile("demo/gradio-app", "", "big.bin"); err != nil || !bytes.Equal(b, big) {
		t.Errorf("after a restart: %d bytes, %v", len(b), err)
	}
}

// TestCommitContentEncodings: utf-8 content, and base64 whose JSON string
// escapes characters (as some encoders escape '/').
func TestCommitContentEncodings(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	body := `{"key":"header","value":{"summary":"enc"}}` + "\n" +
		`{"key":"file","value":{"path":"t.txt","encoding":"utf-8","content":"a\"b\n"}}` + "\n" +
		`{"key":"file","value":{"path":"f.bin","encoding":"base64","content":"\/\/\/\/"}}`
	mustStatus(t, h.commit("demo/gradio-app", "main", body), 200)
	if b, _ := h.e.ReadFile("demo/gradio-app", "", "t.txt"); string(b) != "a\"b\n" {
		t.Errorf("utf-8: %q", b)
	}
	if b, _ := h.e.ReadFile("demo/gradio-app", "", "f.bin"); !bytes.Equal(b, []byte{0xff, 0xff, 0xff}) {
		t.Errorf("escaped base64: %x", b)
	}
	mustStatus(t, h.commit("demo/gradio-app", "main", `{"key":"header","value":{"summary":"x"}}`+"\n"+`{"key":"file","value":{"path":"x","encoding":"base64","content":5}}`), 400)
	mustStatus(t, h.commit("demo/gradio-app", "main", `{"key":"header","value":{"summary":"x"}}`+"\n"+`{"key":"file","value":{"path":"x","encoding":"base64","content":"!!"}}`), 400)
}

// TestParallelParts: parts sent at the same time (the JavaScript client
// sends 5 at once) land in one object.
func TestParallelParts(t *testing.T) {
	t.Parallel()
	for _, disk := range []bool{false, true} {
		cfg := Config{Seed: DemoSeed}
		if disk {
			cfg.DataFile = t.TempDir() + "/hub.db"
		}
		h := newHub(t, cfg)
		big := make([]byte, 3*lfsChunkSize+5)
		for i := range big {
			big[i] = byte(i % 251)
		}
		oid := sha256Hex(big)
		body := fmt.Sprintf(`{"operation":"upload","transfers":["multipart"],"objects":[{"oid":%q,"size":%d}]}`, oid, len(big))
		r := h.req("POST", "/spaces/demo/gradio-app.git/info/lfs/objects/batch", DemoWriteToken, "application/vnd.git-lfs+json", body)
		up := field(r.json(t), "objects").([]any)[0].(map[string]any)["actions"].(map[string]any)["upload"].(map[string]any)
		header := up["header"].(map[string]any)
		etags := make([]string, 4)
		done := make(chan struct{})
		for n := range 4 {
			go func() {
				defer func() { done <- struct{}{} }()
				r := h.req("PUT", header[fmt.Sprintf("%05d", n+1)].(string), "", "", string(big[n*lfsChunkSize:min((n+1)*lfsChunkSize, len(big))]))
				etags[n] = r.header.Get("ETag")
			}()
		}
		for range 4 {
			<-done
		}
		var parts []string
		for n, e := range etags {
			parts = append(parts, fmt.Sprintf(`{"partNumber":%d,"etag":%q}`, n+1, e))
		}
		mustStatus(t, h.req("POST", up["href"].(string), "", "application/vnd.git-lfs+json", fmt.Sprintf(`{"oid":%q,"parts":[%s]}`, oid, strings.Join(parts, ","))), 200)
	}
}

// TestLeftoversCleaned: what a killed process left half-written is removed
// when the store is next written.
func TestLeftoversCleaned(t *testing.T) {
	t.Parallel()
	file := t.TempDir() + "/hub.db"
	left := file + ".objects/tmp/pack-123"
	if err := os.MkdirAll(file+".objects/tmp", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(left, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	newHub(t, Config{Seed: DemoSeed, DataFile: file})
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("leftover still there: %v", err)
	}
}

// TestHotReload: a commit with hot_reload=1 to a running Space changes its
// sha without a rebuild (what `hf spaces hot-reload` waits for).
func TestHotReload(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed, BuildDuration: 10e9})
	r := h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "hot"}, fileOp("app.py", "print(2)\n")), "hot_reload=1")
	mustStatus(t, r, 200)
	info := h.do("GET", "/api/spaces/demo/gradio-app", DemoWriteToken, nil).json(t)
	if field(info, "sha") != field(r.json(t), "commitOid") || field(info, "runtime", "stage") != StageRunning {
		t.Errorf("after a hot reload: sha %v, stage %v", field(info, "sha"), field(info, "runtime", "stage"))
	}
	mustStatus(t, h.commit("demo/gradio-app", "main", ndjson(map[string]any{"summary": "cold"}, fileOp("app.py", "print(3)\n"))), 200)
	if got := h.stage("demo/gradio-app"); got != StageRunningBuilding {
		t.Errorf("after a plain commit: %s", got)
	}
}

// TestOldRecordKeepsItsFileNames: a Space recorded before repositories
// existed (no repo, only the paths of its files) gets a repository that
// still holds those paths, so its app file is not lost.
func TestOldRecordKeepsItsFileNames(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})
	h.e.mu.Lock()
	s := h.e.spaces["demo/gradio-app"]
	s.rec.Repo = nil
	s.rec.Files = map[string]string{"README.md": "x", "app.py": "y", "requirements.txt": "z", ".gitattributes": "w"}
	t0, err := h.e.mainTree(&s.rec)
	h.e.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range t0.Entries {
		names = append(names, f.Path)
	}
	for _, want := range []string{"README.md", "app.py", "requirements.txt", ".gitattributes"} {
		if !slices.Contains(names, want) {
			t.Errorf("the rebuilt repository lacks %s: %v", want, names)
		}
	}
}
