package hfhub

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestSpacesService_Commit(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	h.files["old.txt"] = []byte("bye")
	big := randomBytes(3 << 20)
	local := filepath.Join(t.TempDir(), "model.bin")
	if err := os.WriteFile(local, big, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{
		AddFileBytes("app.py", []byte("import gradio\n")),
		AddFileFromPath("/data/model.bin", local),
		DeleteFile("old.txt"),
		AddFileBytes("./empty.txt", nil),
	}, &CommitOptions{Message: "deploy", Description: "from CI"})
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	want := &CommitInfo{OID: h.head, URL: h.hubURL + "/spaces/u/s/commit/" + h.head, Committed: true,
		Uploaded: []string{"app.py", "data/model.bin", "empty.txt"}, Deleted: []string{"old.txt"}}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("CommitInfo mismatch (-want +got):\n%s", diff)
	}
	if len(h.commits) != 1 {
		t.Fatalf("%d commits sent, want 1", len(h.commits))
	}
	wantLines := []map[string]any{
		{"key": "header", "value": map[string]any{"summary": "deploy", "description": "from CI"}},
		{"key": "file", "value": map[string]any{"content": "aW1wb3J0IGdyYWRpbwo=", "path": "app.py", "encoding": "base64"}},
		{"key": "lfsFile", "value": map[string]any{"path": "data/model.bin", "algo": "sha256", "oid": sha256Hex(big), "size": float64(len(big))}},
		{"key": "deletedFile", "value": map[string]any{"path": "old.txt"}},
		{"key": "file", "value": map[string]any{"content": "", "path": "empty.txt", "encoding": "base64"}},
	}
	if diff := cmp.Diff(wantLines, h.commits[0]); diff != "" {
		t.Errorf("commit lines mismatch (-want +got):\n%s", diff)
	}
	if !bytes.Equal(h.files["data/model.bin"], big) || string(h.files["app.py"]) != "import gradio\n" {
		t.Errorf("the repository does not hold what was committed")
	}
	if _, ok := h.files["old.txt"]; ok {
		t.Errorf("old.txt was not deleted")
	}
	for _, r := range []string{"POST /api/spaces/u/s/preupload/main", "POST /spaces/u/s.git/info/lfs/objects/batch", "PUT /upload/", "POST /lfs/verify/", "POST /api/spaces/u/s/commit/main"} {
		if h.count(r) != 1 {
			t.Errorf("%d requests %q, want 1; all: %q", h.count(r), r, h.requests)
		}
	}
}

func TestSpacesService_Commit_SkipsIdenticalFiles(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	big := randomBytes(2 << 20)
	h.files["app.py"] = []byte("same\n")
	h.files["model.bin"] = big
	h.lfs["model.bin"] = true
	ops := []CommitOperation{AddFileBytes("app.py", []byte("same\n")), AddFileBytes("model.bin", big)}
	info, err := h.client.Spaces.Commit(t.Context(), "u/s", ops, nil)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	head := h.head
	want := &CommitInfo{OID: head, URL: h.hubURL + "/spaces/u/s/commit/" + head, Skipped: []string{"app.py", "model.bin"}}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("CommitInfo mismatch (-want +got):\n%s", diff)
	}
	if len(h.commits) != 0 || h.count("POST /spaces/u/s.git") != 0 || h.count("PUT") != 0 {
		t.Errorf("requests %q; want no commit and no LFS traffic", h.requests)
	}

	// One changed file is sent; the identical one is still skipped.
	ops[0] = AddFileBytes("app.py", []byte("changed\n"))
	info, err = h.client.Spaces.Commit(t.Context(), "u/s", ops, nil)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if !info.Committed || !cmp.Equal(info.Uploaded, []string{"app.py"}) || !cmp.Equal(info.Skipped, []string{"model.bin"}) || len(h.commits[0]) != 2 {
		t.Errorf("second commit %+v, lines %v", info, h.commits)
	}
}

func TestSpacesService_Commit_IgnoredFiles(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	h.ignore["debug.log"] = true
	info, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("debug.log", []byte("x")), AddFileBytes("a.py", []byte("y"))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(info.Ignored, []string{"debug.log"}) || !cmp.Equal(info.Uploaded, []string{"a.py"}) || len(h.commits[0]) != 2 {
		t.Errorf("info %+v, lines %v", info, h.commits)
	}
}

func TestSpacesService_Commit_Multipart(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	h.chunk = 1 << 20
	data := randomBytes(5<<20 + 123)
	var progressMu sync.Mutex
	var last UploadProgress
	opens := atomic.Int64{}
	info, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{
		AddFileFunc("weights.bin", int64(len(data)), func() (io.ReadCloser, error) {
			opens.Add(1)
			return io.NopCloser(bytes.NewReader(data)), nil
		}),
	}, &CommitOptions{Progress: func(p UploadProgress) {
		progressMu.Lock()
		defer progressMu.Unlock()
		if p.BytesSent > last.BytesSent {
			last = p
		}
	}})
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if !info.Committed || !bytes.Equal(h.files["weights.bin"], data) {
		t.Fatalf("the multipart upload did not land: %+v", info)
	}
	if n := h.count("PUT /part/"); n != 6 {
		t.Errorf("%d part uploads, want 6", n)
	}
	if h.count("POST /lfs/complete/") != 1 || h.count("POST /lfs/verify/") != 1 {
		t.Errorf("requests %q", h.requests)
	}
	if want := (UploadProgress{Path: "weights.bin", BytesSent: int64(len(data)), Total: int64(len(data))}); last != want {
		t.Errorf("last progress %+v, want %+v", last, want)
	}
	// sample + hash + 6 parts
	if n := opens.Load(); n != 8 {
		t.Errorf("the opener was called %d times, want 8 (sample, hash, one per part)", n)
	}
}

// An upload that fails is retried with the file opened again.
func TestSpacesService_Commit_UploadRetriedByReopening(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	h.putFailures = 2
	data := randomBytes(2 << 20)
	opens := atomic.Int64{}
	_, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{
		AddFileFunc("w.bin", int64(len(data)), func() (io.ReadCloser, error) {
			opens.Add(1)
			return io.NopCloser(bytes.NewReader(data)), nil
		}),
	}, nil)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if n := h.count("PUT /upload/"); n != 3 {
		t.Errorf("%d PUTs, want 3", n)
	}
	if n := opens.Load(); n != 5 { // sample, hash, 3 uploads
		t.Errorf("opener called %d times, want 5", n)
	}
}

func TestSpacesService_Commit_PreuploadRetried(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var n atomic.Int64
	mux.HandleFunc("POST /api/spaces/u/s/preupload/main", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			writeJSON(w, 503, `{"error":"busy"}`)
			return
		}
		writeJSON(w, 200, `{"files":[{"path":"a","uploadMode":"regular","shouldIgnore":false,"oid":"`+gitBlobSHA1([]byte("a"))+`"}],"commitOid":"abc123"}`)
	})
	info, err := client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("a", []byte("a"))}, nil)
	if err != nil || info.Committed || info.OID != "abc123" || n.Load() != 3 {
		t.Errorf("Commit = %+v, %v after %d preuploads", info, err, n.Load())
	}
}

// The commit is sent once, whatever happens to it.
func TestSpacesService_Commit_NeverRetried(t *testing.T) {
	t.Parallel()
	t.Run("5xx", func(t *testing.T) {
		h := newFakeHub(t)
		h.commitStatus = http.StatusServiceUnavailable
		_, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("a", []byte("a"))}, nil)
		if !errors.Is(err, ErrServer) || h.count("POST /api/spaces/u/s/commit") != 1 {
			t.Errorf("Commit = %v after %d commits, want ErrServer after 1", err, h.count("POST /api/spaces/u/s/commit"))
		}
	})
	t.Run("connection cut after the request", func(t *testing.T) {
		h := newFakeHub(t)
		h.commitHook = func(w http.ResponseWriter, r *http.Request) bool {
			io.Copy(io.Discard, r.Body)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return true
		}
		_, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("a", []byte("a"))}, nil)
		if !errors.Is(err, ErrOutcomeUnknown) || h.count("POST /api/spaces/u/s/commit") != 1 {
			t.Errorf("Commit = %v after %d commits, want ErrOutcomeUnknown after 1", err, h.count("POST /api/spaces/u/s/commit"))
		}
	})
	t.Run("answer cut", func(t *testing.T) {
		h := newFakeHub(t)
		h.commitHook = func(w http.ResponseWriter, r *http.Request) bool {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			io.WriteString(w, `{"success":true,"commitOid":"ab`)
			return true
		}
		_, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("a", []byte("a"))}, nil)
		if !errors.Is(err, ErrOutcomeUnknown) || h.count("POST /api/spaces/u/s/commit") != 1 {
			t.Errorf("Commit = %v, want ErrOutcomeUnknown after 1 commit", err)
		}
	})
}

func TestSpacesService_Commit_StaleParent(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	h.commitStatus = http.StatusPreconditionFailed
	_, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{DeleteFolder("logs/")}, &CommitOptions{ParentCommit: "abcdef1"})
	if !errors.Is(err, ErrStaleParent) || !errors.Is(err, ErrConflict) {
		t.Fatalf("Commit = %v, want ErrStaleParent and ErrConflict", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 412 {
		t.Errorf("no 412 APIError behind %v", err)
	}
	want := []map[string]any{
		{"key": "header", "value": map[string]any{"summary": "Delete files with hfhub", "description": "", "parentCommit": "abcdef1"}},
		{"key": "deletedFolder", "value": map[string]any{"path": "logs/"}},
	}
	if diff := cmp.Diff(want, h.commits[0]); diff != "" {
		t.Errorf("commit lines mismatch (-want +got):\n%s", diff)
	}
	if h.count("POST /api/spaces/u/s/preupload") != 0 {
		t.Errorf("a preupload was sent for a commit that adds nothing")
	}
}

func TestSpacesService_Commit_CreatePR(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	mux.HandleFunc("POST /api/spaces/u/s/preupload/main", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string][]string{"create_pr": {"1"}})
		writeJSON(w, 200, `{"files":[{"path":"a","uploadMode":"regular","shouldIgnore":false}],"commitOid":"abc"}`)
	})
	mux.HandleFunc("POST /api/spaces/u/s/commit/main", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string][]string{"create_pr": {"1"}})
		writeJSON(w, 200, `{"success":true,"commitOid":"def","commitUrl":"`+serverURL+`/spaces/u/s/commit/def","pullRequestUrl":"https://huggingface.co/spaces/u/s/discussions/1"}`)
	})
	info, err := client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("a", []byte("a"))}, &CommitOptions{CreatePR: true})
	if err != nil || info.PullRequestURL != serverURL+"/spaces/u/s/discussions/1" || info.OID != "def" {
		t.Errorf("Commit = %+v, %v", info, err)
	}
}

func TestSpacesService_Commit_RevisionIsOneSegment(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("POST /api/spaces/u/s/commit/{rev}", func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "/api/spaces/u/s/commit/refs%2Fpr%2F3")
		writeJSON(w, 200, `{"success":true,"commitOid":"def","commitUrl":"x"}`)
	})
	if _, err := client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{DeleteFile("a")}, &CommitOptions{Revision: "refs/pr/3"}); err != nil {
		t.Error(err)
	}
}

func TestSpacesService_Commit_BadInput(t *testing.T) {
	t.Parallel()
	client, _ := noRequests(t)
	dir := t.TempDir()
	cases := []struct {
		ops  []CommitOperation
		opts *CommitOptions
		text string
	}{
		{nil, nil, "at least one operation"},
		{[]CommitOperation{AddFileBytes("", nil)}, nil, "empty path"},
		{[]CommitOperation{AddFileBytes("../x", nil)}, nil, `".."`},
		{[]CommitOperation{AddFileBytes("a/.git/config", nil)}, nil, `".git"`},
		{[]CommitOperation{AddFileBytes(".cache/x", nil)}, nil, `".cache"`},
		{[]CommitOperation{AddFileBytes("a", nil), AddFileBytes("/a", nil)}, nil, "added twice"},
		{[]CommitOperation{AddFileFromPath("a", filepath.Join(dir, "missing"))}, nil, "no such file"},
		{[]CommitOperation{AddFileFromPath("a", dir)}, nil, "not a regular file"},
		{[]CommitOperation{AddFileFunc("a", -1, func() (io.ReadCloser, error) { return nil, nil })}, nil, "negative size"},
		{[]CommitOperation{DeleteFile("a")}, &CommitOptions{ParentCommit: "main"}, "parent commit"},
		{[]CommitOperation{nil}, nil, "operation 1"},
	}
	for _, tc := range cases {
		_, err := client.Spaces.Commit(t.Context(), "u/s", tc.ops, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("Commit(%v) = %v; want an error mentioning %q", tc.ops, err, tc.text)
		}
	}
}

// A file that changes size while being committed fails the commit instead
// of sending other bytes than those announced.
func TestSpacesService_Commit_FileChangedOnTheWay(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	var opens atomic.Int64
	_, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{
		AddFileFunc("a.txt", 10, func() (io.ReadCloser, error) {
			if opens.Add(1) == 1 { // the sample
				return io.NopCloser(strings.NewReader("0123456789")), nil
			}
			return io.NopCloser(strings.NewReader("01234")), nil
		}),
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "changed while being committed") || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("Commit = %v, want a changed-file error", err)
	}
	if len(h.commits) != 0 {
		t.Errorf("the Hub took a commit")
	}
}

func TestSpacesService_Commit_ValidatesReadme(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("POST /api/spaces/u/s/preupload/main", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"files":[{"path":"README.md","uploadMode":"regular","shouldIgnore":false}],"commitOid":"abc"}`)
	})
	mux.HandleFunc("POST /api/validate-yaml", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, map[string]any{"content": "---\nsdk: flask\n---\n", "repoType": "space"})
		writeJSON(w, 400, `{"error":"\"sdk\" must be one of [gradio, docker, static, streamlit]"}`)
	})
	_, err := client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("README.md", []byte("---\nsdk: flask\n---\n"))}, nil)
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "README.md") || !strings.Contains(err.Error(), "must be one of") {
		t.Errorf("Commit = %v, want the README's error", err)
	}
}

// Memory stays bounded whatever the file sizes: a 128 MiB regular file
// (base64 in the NDJSON commit) and a 128 MiB LFS file go through with a
// heap that never holds them.
func TestSpacesService_Commit_BoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 256 MiB")
	}
	const size = 128 << 20
	client, mux, serverURL := setup(t)
	// A Hub that only counts what it receives.
	mux.HandleFunc("POST /api/spaces/u/s/preupload/main", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"files":[{"path":"big.txt","uploadMode":"regular","shouldIgnore":false},{"path":"big.bin","uploadMode":"lfs","shouldIgnore":false}],"commitOid":"abc"}`)
	})
	mux.HandleFunc("POST /spaces/u/s.git/info/lfs/objects/batch", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Objects []struct{ OID string } }
		json.NewDecoder(r.Body).Decode(&req)
		writeJSON(w, 200, `{"objects":[{"oid":"`+req.Objects[0].OID+`","size":`+fmt.Sprint(size)+`,"actions":{"upload":{"href":"`+serverURL+`/storage"}}}]}`)
	})
	var lfsGot, commitGot atomic.Int64
	mux.HandleFunc("PUT /storage", func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		lfsGot.Store(n)
	})
	mux.HandleFunc("POST /api/spaces/u/s/commit/main", func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		commitGot.Store(n)
		writeJSON(w, 200, `{"success":true,"commitOid":"`+strings.Repeat("a", 40)+`","commitUrl":"x"}`)
	})
	gen := func(b byte) func() (io.ReadCloser, error) {
		return func() (io.ReadCloser, error) { return io.NopCloser(io.LimitReader(repeatByte(b), size)), nil }
	}
	peak := watchHeap(t)
	info, err := client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{
		AddFileFunc("big.txt", size, gen('a')), AddFileFunc("big.bin", size, gen(0))}, nil)
	if err != nil || !info.Committed {
		t.Fatalf("Commit = %+v, %v", info, err)
	}
	if got := commitGot.Load(); got < size/3*4 || got > size/3*4+400 {
		t.Errorf("commit body of %d bytes, want about %d", got, size/3*4)
	}
	if got := lfsGot.Load(); got != size {
		t.Errorf("LFS upload of %d bytes, want %d", got, size)
	}
	t.Logf("heap peak %d MiB", peak()>>20)
	if p := peak(); p > 48<<20 {
		t.Errorf("heap peaked at %d MiB streaming two %d MiB files", p>>20, size>>20)
	}
}

type repeatByte byte

func (b repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// watchHeap samples the heap in use until the returned function is called,
// which returns the peak.
func watchHeap(t *testing.T) func() uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	var once sync.Once
	stop := func() uint64 {
		once.Do(func() { close(done); <-stopped })
		return peak.Load()
	}
	t.Cleanup(func() { stop() })
	return stop
}

// Uploads run in parallel, at most maxConcurrentPUT at a time: with every
// storage answer held back, exactly that many are in flight.
func TestSpacesService_Commit_UploadsInParallelWithABound(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const parts = 20
		data := randomBytes(parts * 1024)
		release := make(chan struct{})
		var inflight, most atomic.Int64
		mux := http.NewServeMux()
		mux.HandleFunc("POST /api/spaces/u/s/preupload/main", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"files":[{"path":"w.bin","uploadMode":"lfs","shouldIgnore":false}],"commitOid":"abc"}`)
		})
		mux.HandleFunc("POST /spaces/u/s.git/info/lfs/objects/batch", func(w http.ResponseWriter, r *http.Request) {
			header := map[string]string{"chunk_size": "1024"}
			for i := 1; i <= parts; i++ {
				header[fmt.Sprintf("%05d", i)] = fmt.Sprintf("https://storage.test/part/%d", i)
			}
			h, _ := json.Marshal(header)
			writeJSON(w, 200, `{"objects":[{"oid":"`+sha256Hex(data)+`","size":`+fmt.Sprint(len(data))+
				`,"actions":{"upload":{"href":"https://hub.test/complete","header":`+string(h)+`}}}]}`)
		})
		mux.HandleFunc("PUT /part/{n}", func(w http.ResponseWriter, r *http.Request) {
			n := inflight.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			<-release
			inflight.Add(-1)
			w.Header().Set("ETag", `"e`+r.PathValue("n")+`"`)
		})
		mux.HandleFunc("POST /complete", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
		mux.HandleFunc("POST /api/spaces/u/s/commit/main", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"success":true,"commitOid":"def","commitUrl":"x"}`)
		})
		client := memClient(t, mux)
		done := make(chan error)
		go func() {
			_, err := client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("w.bin", data)}, nil)
			done <- err
		}()
		synctest.Wait()
		if got := inflight.Load(); got != maxConcurrentPUT {
			t.Errorf("%d uploads in flight, want %d", got, maxConcurrentPUT)
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if most.Load() != maxConcurrentPUT {
			t.Errorf("at most %d uploads were in flight, want %d", most.Load(), maxConcurrentPUT)
		}
	})
}

// A Hub that refuses the commit before reading its body is reported as
// such, not as a failure to write the body.
func TestSpacesService_Commit_RefusedBeforeTheBodyIsRead(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	h.lfsThreshold = 1 << 62
	h.commitHook = func(w http.ResponseWriter, r *http.Request) bool {
		writeJSON(w, http.StatusRequestEntityTooLarge, `{"error":"Payload too large"}`)
		return true
	}
	big := bytes.Repeat([]byte("a"), 8<<20)
	_, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("big.txt", big)}, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("Commit = %v, want the 413", err)
	}
}

// A commit cancelled once its request was sent may have been applied: the
// error says so, and still matches the context's error.
func TestSpacesService_Commit_CancelledAfterSending(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	sent := make(chan struct{})
	h.commitHook = func(w http.ResponseWriter, r *http.Request) bool {
		io.Copy(io.Discard, r.Body)
		close(sent)
		<-r.Context().Done()
		return true
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() {
		_, err := h.client.Spaces.Commit(ctx, "u/s", []CommitOperation{AddFileBytes("a", []byte("a"))}, nil)
		done <- err
	}()
	<-sent
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("Commit = %v, want context.Canceled and ErrOutcomeUnknown", err)
	}
}

// A .gitignore being committed goes with every preupload call (gitIgnore),
// as the Python client sends it, so that the Hub applies the new rules.
func TestSpacesService_Commit_SendsGitignoreToPreupload(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	var calls atomic.Int64
	mux.HandleFunc("POST /api/spaces/u/s/preupload/main", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			Files     []preuploadFile `json:"files"`
			GitIgnore *string         `json:"gitIgnore"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		if req.GitIgnore == nil || *req.GitIgnore != "*.log\n" {
			t.Errorf("gitIgnore = %v, want the .gitignore being committed", req.GitIgnore)
		}
		var out []string
		for _, f := range req.Files {
			oid := gitBlobSHA1(nil)
			if f.Path == ".gitignore" {
				oid = gitBlobSHA1([]byte("*.log\n"))
			}
			out = append(out, fmt.Sprintf(`{"path":%q,"uploadMode":"regular","shouldIgnore":%v,"oid":%q}`,
				f.Path, strings.HasSuffix(f.Path, ".log"), oid))
		}
		writeJSON(w, 200, `{"files":[`+strings.Join(out, ",")+`],"commitOid":"abc"}`)
	})
	ops := []CommitOperation{AddFileBytes(".gitignore", []byte("*.log\n"))}
	for i := range 300 { // two preupload batches
		ops = append(ops, AddFileBytes(fmt.Sprintf("f%03d.log", i), nil))
	}
	info, err := client.Spaces.Commit(t.Context(), "u/s", ops, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The .gitignore is there already, the rest ignored: no commit.
	if calls.Load() != 2 || len(info.Ignored) != 300 || info.Committed {
		t.Errorf("%d preupload calls, info %d ignored, committed %v", calls.Load(), len(info.Ignored), info.Committed)
	}
}

// Progress reports regular files as they stream into the commit.
func TestSpacesService_Commit_ProgressOfRegularFiles(t *testing.T) {
	t.Parallel()
	h := newFakeHub(t)
	var mu sync.Mutex
	last := map[string]UploadProgress{}
	data := bytes.Repeat([]byte("x"), 700<<10)
	_, err := h.client.Spaces.Commit(t.Context(), "u/s", []CommitOperation{AddFileBytes("a.txt", data)}, &CommitOptions{
		Progress: func(p UploadProgress) {
			mu.Lock()
			defer mu.Unlock()
			last[p.Path] = p
		}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (UploadProgress{Path: "a.txt", BytesSent: int64(len(data)), Total: int64(len(data))}); last["a.txt"] != want {
		t.Errorf("last progress %+v, want %+v", last["a.txt"], want)
	}
}
