package hfhub

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpacesService_ListFiles(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	mux.HandleFunc("/api/spaces/u/s/tree/main", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("no token on the tree page")
		}
		if r.URL.Query().Get("cursor") == "" {
			testQuery(t, r, map[string][]string{"recursive": {"true"}, "expand": {"false"}})
			w.Header().Set("Link", `<`+serverURL+`/api/spaces/u/s/tree/main?recursive=true&expand=false&cursor=abc>; rel="next"`)
			writeJSON(w, http.StatusOK, `[{"type":"file","oid":"1a42034850e2f5213e1a89a887747b667dc9d125","size":152,"path":"app.py"},
				{"type":"directory","oid":"c52ce5e4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":0,"path":"data"}]`)
			return
		}
		testQuery(t, r, map[string][]string{"recursive": {"true"}, "expand": {"false"}, "cursor": {"abc"}})
		writeJSON(w, http.StatusOK, `[{"type":"file","oid":"b0b0","size":12000000,"path":"data/model.bin",
			"lfs":{"oid":"5e5e","size":12000000,"pointerSize":134},"xetHash":"x1"}]`)
	})
	var got []*RepoFile
	for f, err := range client.Spaces.ListFiles(t.Context(), "u/s", &ListFilesOptions{Recursive: true}) {
		if err != nil {
			t.Fatalf("ListFiles: %v", err)
		}
		got = append(got, f)
	}
	want := []*RepoFile{
		{Path: "app.py", Type: "file", Size: 152, OID: "1a42034850e2f5213e1a89a887747b667dc9d125"},
		{Path: "data", Type: "directory", OID: "c52ce5e4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{Path: "data/model.bin", Type: "file", Size: 12000000, OID: "b0b0", LFS: &LFSInfo{SHA256: "5e5e", Size: 12000000, PointerSize: 134}, XetHash: "x1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListFiles mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_ListFiles_PathAndRevisionAreOneSegmentEach(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/u/s/tree/{rev}/{path}", func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "/api/spaces/u/s/tree/refs%2Fpr%2F1/src%2Flib")
		testQuery(t, r, map[string][]string{"recursive": {"false"}, "expand": {"false"}})
		w.Header().Set("X-Error-Code", "EntryNotFound")
		writeJSON(w, http.StatusNotFound, `{"error":"not found"}`)
	})
	n := 0
	for _, err := range client.Spaces.ListFiles(t.Context(), "u/s", &ListFilesOptions{Revision: "refs/pr/1", Path: "/src/lib/"}) {
		n++
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("ListFiles = %v, want ErrNotFound", err)
		}
	}
	if n != 1 {
		t.Errorf("%d values yielded, want 1 error", n)
	}
}

func TestSpacesService_ListFiles_NextPageOnAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/api/spaces/u/s/tree/main", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://evil.example/api/spaces/u/s/tree/main?cursor=1>; rel="next"`)
		writeJSON(w, http.StatusOK, `[]`)
	})
	var last error
	for _, err := range client.Spaces.ListFiles(t.Context(), "u/s", nil) {
		last = err
	}
	if last == nil || !strings.Contains(last.Error(), "another host") {
		t.Errorf("ListFiles = %v, want a refusal of the other host", last)
	}
}

func TestSpacesService_Download(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/spaces/u/s/resolve/main/src/app%20v2.py", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testPath(t, r, "/spaces/u/s/resolve/main/src/app%20v2.py")
		w.Header().Set("ETag", `"1a42034850e2f5213e1a89a887747b667dc9d125"`)
		w.Header().Set("X-Repo-Commit", "c52ce5e4")
		io.WriteString(w, "print('hi')\n")
	})
	rc, f, err := client.Spaces.Download(t.Context(), "u/s", "src/app v2.py", nil)
	if err != nil {
		t.Fatalf("Download: %v", err)
	}
	defer rc.Close()
	data, _ := io.ReadAll(rc)
	if string(data) != "print('hi')\n" {
		t.Errorf("content = %q", data)
	}
	want := &RepoFile{Path: "src/app v2.py", Type: "file", Size: 12, OID: "1a42034850e2f5213e1a89a887747b667dc9d125"}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("RepoFile mismatch (-want +got):\n%s", diff)
	}
}

// An LFS file is redirected to storage on another host: the redirect is
// followed, without the token.
func TestSpacesService_Download_LFSRedirectWithoutToken(t *testing.T) {
	t.Parallel()
	content := strings.Repeat("x", 5000)
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := r.Header.Get("Authorization"); h != "" {
			t.Errorf("storage got Authorization %q", h)
		}
		io.WriteString(w, content)
	}))
	t.Cleanup(storage.Close)
	client, mux, _ := setup(t)
	mux.HandleFunc("/spaces/u/s/resolve/v1/model.bin", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			t.Errorf("the Hub got no token")
		}
		w.Header().Set("X-Linked-Etag", `"5e5e"`)
		w.Header().Set("X-Linked-Size", "5000")
		w.Header().Set("ETag", `W/"5e5e"`)
		http.Redirect(w, r, storage.URL+"/blob/5e5e?sig=1", http.StatusFound)
	})
	rc, f, err := client.Spaces.Download(t.Context(), "u/s", "model.bin", &DownloadOptions{Revision: "v1"})
	if err != nil {
		t.Fatalf("Download: %v", err)
	}
	defer rc.Close()
	data, _ := io.ReadAll(rc)
	if string(data) != content {
		t.Errorf("got %d bytes, want %d", len(data), len(content))
	}
	want := &RepoFile{Path: "model.bin", Type: "file", Size: 5000, LFS: &LFSInfo{SHA256: "5e5e", Size: 5000}}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("RepoFile mismatch (-want +got):\n%s", diff)
	}
}

func TestSpacesService_Download_Missing(t *testing.T) {
	t.Parallel()
	client, mux, _ := setup(t)
	mux.HandleFunc("/spaces/u/s/resolve/main/nope.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Error-Code", "EntryNotFound")
		writeJSON(w, http.StatusNotFound, `{"error":"Entry not found"}`)
	})
	if _, _, err := client.Spaces.Download(t.Context(), "u/s", "nope.txt", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("Download = %v, want ErrNotFound", err)
	}
	noClient, _ := noRequests(t)
	for _, p := range []string{"", "a/../b", ".git/config", "a//b"} {
		if _, _, err := noClient.Spaces.Download(t.Context(), "u/s", p, nil); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("Download(%q) = %v, want ErrInvalidOption", p, err)
		}
	}
}

// A download whose connection breaks is resumed where it stopped, at the
// commit the first answer named.
func TestSpacesService_Download_ResumesACutBody(t *testing.T) {
	t.Parallel()
	content := strings.Repeat("0123456789", 10000)
	commit := "c52ce5e4c52ce5e4c52ce5e4c52ce5e4c52ce5e4"
	client, mux, _ := setup(t)
	mux.HandleFunc("/spaces/u/s/resolve/main/app.py", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Repo-Commit", commit)
		w.Header().Set("Content-Length", strconv.Itoa(len(content)))
		w.WriteHeader(200)
		io.WriteString(w, content[:30000])
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	mux.HandleFunc("/spaces/u/s/resolve/"+commit+"/app.py", func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Range"); got != "bytes=30000-" {
			t.Errorf("Range %q, want bytes=30000-", got)
		}
		w.Header().Set("Content-Range", fmt.Sprintf("bytes 30000-%d/%d", len(content)-1, len(content)))
		w.WriteHeader(http.StatusPartialContent)
		io.WriteString(w, content[30000:])
	})
	rc, _, err := client.Spaces.Download(t.Context(), "u/s", "app.py", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil || string(got) != content {
		t.Errorf("read %d bytes (%v), want %d", len(got), err, len(content))
	}
}

// Breaking out of the loop stops paging: no next page is asked for.
func TestSpacesService_ListFiles_BreakStopsPaging(t *testing.T) {
	t.Parallel()
	client, mux, serverURL := setup(t)
	var pages atomic.Int64
	mux.HandleFunc("/api/spaces/u/s/tree/main", func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		w.Header().Set("Link", `<`+serverURL+`/api/spaces/u/s/tree/main?cursor=x>; rel="next"`)
		writeJSON(w, http.StatusOK, `[{"type":"file","oid":"a","size":1,"path":"a"},{"type":"file","oid":"b","size":1,"path":"b"}]`)
	})
	for range client.Spaces.ListFiles(t.Context(), "u/s", nil) {
		break
	}
	if pages.Load() != 1 {
		t.Errorf("%d pages asked for, want 1", pages.Load())
	}
}
