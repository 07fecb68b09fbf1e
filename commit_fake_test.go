package hfhub

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeHub is a small in-test Hub for the commit pipeline: preupload, the
// LFS batch API with its storage on another host (basic or multipart),
// verify, commit. It checks what the Python client's wire says of every
// request and records them.
type fakeHub struct {
	t       *testing.T
	client  *Client
	hubURL  string
	storage *httptest.Server
	mux     *http.ServeMux

	mu           sync.Mutex
	files        map[string][]byte // the repository's files at main
	lfs          map[string]bool   // paths stored with LFS
	objects      map[string][]byte // LFS storage, by sha256
	parts        map[string]map[int][]byte
	head         string
	lfsThreshold int64           // files at least this big go to LFS
	ignore       map[string]bool // shouldIgnore
	chunk        int64           // > 0: multipart with this chunk size
	commits      [][]map[string]any
	requests     []string
	putFailures  int // PUTs to storage answered 500 before one succeeds
	commitStatus int // answer the commit with this status instead
	commitHook   func(w http.ResponseWriter, r *http.Request) bool
}

func gitBlobSHA1(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

func sha256Hex(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func newFakeHub(t *testing.T) *fakeHub {
	h := &fakeHub{t: t, files: map[string][]byte{}, lfs: map[string]bool{}, objects: map[string][]byte{},
		parts: map[string]map[int][]byte{}, head: "0000000000000000000000000000000000000001",
		lfsThreshold: 1 << 20, ignore: map[string]bool{}}
	h.storage = httptest.NewServer(http.HandlerFunc(h.serveStorage))
	t.Cleanup(h.storage.Close)
	h.client, h.mux, h.hubURL = setup(t)
	h.mux.HandleFunc("POST /api/spaces/u/s/preupload/{rev}", h.servePreupload)
	h.mux.HandleFunc("POST /spaces/u/s.git/info/lfs/objects/batch", h.serveBatch)
	h.mux.HandleFunc("POST /lfs/complete/{oid}", h.serveComplete)
	h.mux.HandleFunc("POST /lfs/verify/{oid}", h.serveVerify)
	h.mux.HandleFunc("POST /api/spaces/u/s/commit/{rev}", h.serveCommit)
	h.mux.HandleFunc("GET /api/spaces/u/s/revision/{rev}", func(w http.ResponseWriter, r *http.Request) {
		h.record(r)
		h.mu.Lock()
		defer h.mu.Unlock()
		writeJSON(w, 200, `{"id":"u/s","sha":"`+h.head+`"}`)
	})
	h.mux.HandleFunc("GET /api/spaces/u/s/tree/main", func(w http.ResponseWriter, r *http.Request) {
		h.record(r)
		h.mu.Lock()
		defer h.mu.Unlock()
		var out []map[string]any
		for _, p := range slices.Sorted(mapKeys(h.files)) {
			e := map[string]any{"type": "file", "path": p, "size": len(h.files[p]), "oid": gitBlobSHA1(h.files[p])}
			if h.lfs[p] {
				e["lfs"] = map[string]any{"oid": sha256Hex(h.files[p]), "size": len(h.files[p]), "pointerSize": 130}
			}
			out = append(out, e)
		}
		data, _ := json.Marshal(out)
		if out == nil {
			data = []byte("[]")
		}
		writeJSON(w, 200, string(data))
	})
	return h
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (h *fakeHub) record(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests = append(h.requests, r.Method+" "+r.URL.Path)
}

func (h *fakeHub) count(prefix string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range h.requests {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func (h *fakeHub) checkAuth(r *http.Request, want bool) {
	h.t.Helper()
	got := r.Header.Get("Authorization")
	if want && got != "Bearer "+testToken {
		h.t.Errorf("%s %s: Authorization %q, want the token", r.Method, r.URL.Path, got)
	}
	if !want && got != "" {
		h.t.Errorf("%s %s: Authorization %q, want none", r.Method, r.URL.Path, got)
	}
}

func (h *fakeHub) servePreupload(w http.ResponseWriter, r *http.Request) {
	h.record(r)
	h.checkAuth(r, true)
	var req struct {
		Files []struct {
			Path   string `json:"path"`
			Sample string `json:"sample"`
			Size   int64  `json:"size"`
		} `json:"files"`
		GitIgnore *string `json:"gitIgnore"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		h.t.Errorf("preupload body: %v", err)
	}
	if len(req.Files) == 0 || len(req.Files) > 256 {
		h.t.Errorf("preupload with %d files, want 1 to 256", len(req.Files))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	type answerFile struct {
		Path         string `json:"path"`
		UploadMode   string `json:"uploadMode"`
		ShouldIgnore bool   `json:"shouldIgnore"`
		OID          string `json:"oid,omitempty"`
	}
	var out struct {
		Files     []answerFile `json:"files"`
		CommitOID string       `json:"commitOid"`
	}
	out.CommitOID = h.head
	for _, f := range req.Files {
		sample, err := base64.StdEncoding.DecodeString(f.Sample)
		if err != nil || len(sample) > 512 || (f.Size > 0 && len(sample) != int(min(f.Size, 512))) {
			h.t.Errorf("preupload %q: sample of %d bytes for size %d (%v)", f.Path, len(sample), f.Size, err)
		}
		a := answerFile{Path: f.Path, UploadMode: "regular", ShouldIgnore: h.ignore[f.Path]}
		if f.Size >= h.lfsThreshold || bytes.IndexByte(sample, 0) >= 0 {
			a.UploadMode = "lfs"
		}
		if data, ok := h.files[f.Path]; ok {
			a.OID = gitBlobSHA1(data)
			if h.lfs[f.Path] {
				a.OID = sha256Hex(data)
			}
		}
		out.Files = append(out.Files, a)
	}
	data, _ := json.Marshal(out)
	writeJSON(w, 200, string(data))
}

func (h *fakeHub) serveBatch(w http.ResponseWriter, r *http.Request) {
	h.record(r)
	h.checkAuth(r, true)
	if r.Header.Get("Accept") != "application/vnd.git-lfs+json" || r.Header.Get("Content-Type") != "application/vnd.git-lfs+json" {
		h.t.Errorf("LFS batch: Accept %q, Content-Type %q", r.Header.Get("Accept"), r.Header.Get("Content-Type"))
	}
	var req struct {
		Operation string   `json:"operation"`
		Transfers []string `json:"transfers"`
		Objects   []struct {
			OID  string `json:"oid"`
			Size int64  `json:"size"`
		} `json:"objects"`
		HashAlgo string            `json:"hash_algo"`
		Ref      map[string]string `json:"ref"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		h.t.Errorf("batch body: %v", err)
	}
	if req.Operation != "upload" || !slices.Equal(req.Transfers, []string{"basic", "multipart"}) || req.HashAlgo != "sha256" {
		h.t.Errorf("batch: operation %q transfers %q hash_algo %q", req.Operation, req.Transfers, req.HashAlgo)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var objs []map[string]any
	for _, o := range req.Objects {
		obj := map[string]any{"oid": o.OID, "size": o.Size}
		if _, ok := h.objects[o.OID]; !ok {
			verify := map[string]any{"href": h.hubURL + "/lfs/verify/" + o.OID}
			if h.chunk > 0 {
				header := map[string]string{"chunk_size": strconv.FormatInt(h.chunk, 10)}
				n := (o.Size + h.chunk - 1) / h.chunk
				for i := int64(1); i <= n; i++ {
					header[fmt.Sprintf("%05d", i)] = fmt.Sprintf("%s/part/%s/%d", h.storage.URL, o.OID, i)
				}
				obj["actions"] = map[string]any{"upload": map[string]any{"href": h.hubURL + "/lfs/complete/" + o.OID, "header": header}, "verify": verify}
			} else {
				obj["actions"] = map[string]any{"upload": map[string]any{"href": h.storage.URL + "/upload/" + o.OID, "header": map[string]string{"X-Ignored": "1"}}, "verify": verify}
			}
		}
		objs = append(objs, obj)
	}
	data, _ := json.Marshal(map[string]any{"transfer": "basic", "objects": objs})
	w.Header().Set("Content-Type", "application/vnd.git-lfs+json")
	w.Write(data)
}

func (h *fakeHub) serveStorage(w http.ResponseWriter, r *http.Request) {
	h.record(r)
	h.checkAuth(r, false)
	if r.Method != http.MethodPut {
		h.t.Errorf("storage: %s, want PUT", r.Method)
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.putFailures > 0 {
		h.putFailures--
		http.Error(w, "storage hiccup", http.StatusInternalServerError)
		return
	}
	if oid, ok := strings.CutPrefix(r.URL.Path, "/upload/"); ok {
		if sha256Hex(data) != oid {
			h.t.Errorf("storage: object %s received with the wrong content (%d bytes)", oid, len(data))
		}
		h.objects[oid] = data
		return
	}
	var oid string
	var n int
	if _, err := fmt.Sscanf(strings.ReplaceAll(r.URL.Path, "/", " "), " part %s %d", &oid, &n); err != nil {
		h.t.Errorf("storage: unexpected %s", r.URL.Path)
		return
	}
	if h.parts[oid] == nil {
		h.parts[oid] = map[int][]byte{}
	}
	h.parts[oid][n] = data
	w.Header().Set("ETag", fmt.Sprintf(`"etag-%d"`, n))
}

func (h *fakeHub) serveComplete(w http.ResponseWriter, r *http.Request) {
	h.record(r)
	h.checkAuth(r, false)
	oid := r.PathValue("oid")
	var req struct {
		OID   string `json:"oid"`
		Parts []struct {
			PartNumber int    `json:"partNumber"`
			ETag       string `json:"etag"`
		} `json:"parts"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.OID != oid {
		h.t.Errorf("complete: %v, oid %q", err, req.OID)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var all []byte
	for i, p := range req.Parts {
		if p.PartNumber != i+1 || p.ETag != fmt.Sprintf(`"etag-%d"`, i+1) {
			h.t.Errorf("complete: part %d is %+v", i+1, p)
		}
		all = append(all, h.parts[oid][p.PartNumber]...)
	}
	if sha256Hex(all) != oid {
		h.t.Errorf("complete: assembled parts do not hash to %s", oid)
	}
	h.objects[oid] = all
	w.Write([]byte("{}"))
}

func (h *fakeHub) serveVerify(w http.ResponseWriter, r *http.Request) {
	h.record(r)
	h.checkAuth(r, true)
	var req struct {
		OID  string `json:"oid"`
		Size int64  `json:"size"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	h.mu.Lock()
	defer h.mu.Unlock()
	if data, ok := h.objects[req.OID]; !ok || int64(len(data)) != req.Size || req.OID != r.PathValue("oid") {
		writeJSON(w, 404, `{"error":"object not stored"}`)
		return
	}
	writeJSON(w, 200, `{}`)
}

func (h *fakeHub) serveCommit(w http.ResponseWriter, r *http.Request) {
	h.record(r)
	h.checkAuth(r, true)
	if h.commitHook != nil && h.commitHook(w, r) {
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		h.t.Errorf("commit Content-Type %q", ct)
	}
	if r.ContentLength < 0 {
		h.t.Errorf("commit body sent without a Content-Length")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client gave up on the body: no commit
	}
	if int64(len(body)) != r.ContentLength {
		h.t.Errorf("commit body of %d bytes, Content-Length %d", len(body), r.ContentLength)
	}
	if !bytes.HasSuffix(body, []byte("\n")) {
		h.t.Errorf("commit body does not end with a newline")
	}
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			h.t.Errorf("commit line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.commits = append(h.commits, lines)
	if h.commitStatus != 0 {
		writeJSON(w, h.commitStatus, `{"error":"The branch was updated since you opened this page. Please refresh and try again."}`)
		return
	}
	for _, l := range lines[1:] {
		v := l["value"].(map[string]any)
		p := v["path"].(string)
		switch l["key"] {
		case "file":
			data, _ := base64.StdEncoding.DecodeString(v["content"].(string))
			h.files[p], h.lfs[p] = data, false
		case "lfsFile":
			data, ok := h.objects[v["oid"].(string)]
			if !ok {
				h.t.Errorf("commit names LFS object %v, not stored", v["oid"])
			}
			h.files[p], h.lfs[p] = data, true
		case "deletedFile":
			delete(h.files, p)
		case "deletedFolder":
			for k := range h.files {
				if strings.HasPrefix(k, strings.TrimSuffix(p, "/")+"/") {
					delete(h.files, k)
				}
			}
		}
	}
	h.head = fmt.Sprintf("%040x", len(h.commits)+1)
	writeJSON(w, 200, `{"success":true,"commitOid":"`+h.head+`","commitUrl":"https://huggingface.co/spaces/u/s/commit/`+h.head+`","hookOutput":""}`)
}
