package hfhub_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/emulator/emulatortest"
)

// The repository side end to end against the emulator on loopback: the
// life cycle of a Space from Create to Delete.
func TestEmulator_RepositoryLifeCycle(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, emulator.Config{Seed: emulator.DemoSeed})
	c, err := hfhub.NewClient(hfhub.WithEndpoint(srv.URL), hfhub.WithToken(emulator.DemoWriteToken))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	const id = "demo/life-cycle"

	u, err := c.Spaces.Create(ctx, id, &hfhub.CreateOptions{SDK: hfhub.SDKStatic, Visibility: hfhub.VisibilityPrivate})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if u.URL != srv.URL+"/spaces/"+id {
		t.Errorf("Create URL = %q", u.URL)
	}
	if _, err := c.Spaces.Create(ctx, id, &hfhub.CreateOptions{SDK: hfhub.SDKStatic}); !errors.Is(err, hfhub.ErrConflict) {
		t.Errorf("second Create = %v, want ErrConflict", err)
	}
	if u2, err := c.Spaces.Create(ctx, id, &hfhub.CreateOptions{SDK: hfhub.SDKStatic, ExistOK: true}); err != nil || u2.URL != u.URL {
		t.Errorf("Create(ExistOK) = %+v, %v", u2, err)
	}
	info, err := c.Spaces.GetInfo(ctx, id)
	if err != nil || !info.Private {
		t.Errorf("GetInfo = %+v, %v; want a private Space", info, err)
	}
	initial := listPaths(t, c, id)
	for _, p := range []string{".gitattributes", "README.md", "index.html"} {
		if !slices.Contains(initial, p) {
			t.Errorf("a new static Space has %q, missing %s", initial, p)
		}
	}

	// Deploy a folder: a page, a 3 MB binary (LFS), a .git folder that
	// must stay home.
	big := make([]byte, 3<<20)
	rand.Read(big)
	dir := t.TempDir()
	write := func(p string, data []byte) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", []byte("<h1>hello</h1>\n"))
	write("README.md", []byte("---\ntitle: Life\nsdk: static\n---\n"))
	write("assets/model.bin", big)
	write(".git/HEAD", []byte("ref: refs/heads/main\n"))
	ci, err := c.Spaces.Upload(ctx, id, dir, &hfhub.UploadOptions{Delete: true, Message: "deploy"})
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if !ci.Committed || len(ci.OID) != 40 || !slices.Contains(ci.Uploaded, "assets/model.bin") || !slices.Contains(ci.Deleted, "style.css") {
		t.Errorf("Upload = %+v", ci)
	}
	if got := listPaths(t, c, id); !slices.Equal(got, []string{".gitattributes", "README.md", "assets/model.bin", "index.html"}) {
		t.Errorf("files after the upload: %q", got)
	}
	for f, err := range c.Spaces.ListFiles(ctx, id, &hfhub.ListFilesOptions{Path: "assets"}) {
		if err != nil {
			t.Fatal(err)
		}
		if f.Path != "assets/model.bin" || f.LFS == nil || f.LFS.Size != int64(len(big)) {
			t.Errorf("ListFiles(assets) gives %+v (LFS %+v)", f, f.LFS)
		}
	}
	rc, f, err := c.Spaces.Download(ctx, id, "assets/model.bin", nil)
	if err != nil {
		t.Fatalf("Download: %v", err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, big) || f.Size != int64(len(big)) || f.LFS == nil {
		t.Errorf("Download: %d bytes (%v), file %+v", len(got), err, f)
	}

	// The same folder again: no commit.
	again, err := c.Spaces.Upload(ctx, id, dir, &hfhub.UploadOptions{Delete: true})
	if err != nil || again.Committed || again.OID != ci.OID || len(again.Skipped) != 3 {
		t.Errorf("unchanged Upload = %+v, %v", again, err)
	}

	// A commit on a stale parent is refused; a pull request leaves main alone.
	_, err = c.Spaces.Commit(ctx, id, []hfhub.CommitOperation{hfhub.AddFileBytes("x.txt", []byte("x"))},
		&hfhub.CommitOptions{ParentCommit: strings.Repeat("0", 40)})
	if !errors.Is(err, hfhub.ErrStaleParent) || !errors.Is(err, hfhub.ErrConflict) {
		t.Errorf("stale Commit = %v", err)
	}
	pr, err := c.Spaces.Commit(ctx, id, []hfhub.CommitOperation{hfhub.AddFileBytes("pr.txt", []byte("pr")), hfhub.DeleteFile("index.html")},
		&hfhub.CommitOptions{CreatePR: true, Message: "proposal", ParentCommit: ci.OID})
	if err != nil || !strings.Contains(pr.PullRequestURL, "/discussions/") {
		t.Fatalf("Commit(CreatePR) = %+v, %v", pr, err)
	}
	if got := listPaths(t, c, id); slices.Contains(got, "pr.txt") || !slices.Contains(got, "index.html") {
		t.Errorf("a pull request changed main: %q", got)
	}

	if err := c.Spaces.UpdateSettings(ctx, id, &hfhub.SettingsOptions{Visibility: hfhub.VisibilityPublic}); err != nil {
		t.Errorf("UpdateSettings: %v", err)
	}
	if err := c.Spaces.Move(ctx, id, "demo/moved"); err != nil {
		t.Fatalf("Move: %v", err)
	}
	if err := c.Spaces.Delete(ctx, "demo/moved", nil); err != nil {
		t.Errorf("Delete: %v", err)
	}
	if err := c.Spaces.Delete(ctx, "demo/moved", nil); !errors.Is(err, hfhub.ErrNotFound) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
	if err := c.Spaces.Delete(ctx, "demo/moved", &hfhub.DeleteOptions{MissingOK: true}); err != nil {
		t.Errorf("Delete(MissingOK) = %v", err)
	}
}

func listPaths(t *testing.T, c *hfhub.Client, id string) []string {
	t.Helper()
	var paths []string
	for f, err := range c.Spaces.ListFiles(t.Context(), id, &hfhub.ListFilesOptions{Recursive: true}) {
		if err != nil {
			t.Fatalf("ListFiles: %v", err)
		}
		if f.Type == "file" {
			paths = append(paths, f.Path)
		}
	}
	slices.Sort(paths)
	return paths
}

// Against an emulator whose preupload, LFS batch and uploads fail every
// other time, a commit with a 9 MB file (multipart) still lands: those
// steps are retried. A commit whose connection is cut is not: its outcome
// is unknown.
func TestEmulator_CommitThroughFaults(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, emulator.Config{Seed: emulator.DemoSeed, Faults: []emulator.Fault{
		{Route: "preupload", Status: 503, Fraction: 0.5},
		{Route: "lfs-batch", Status: 502, Fraction: 0.5},
		{Route: "lfs-upload", Status: 500, Fraction: 0.5},
		{Route: "lfs-verify", Status: 503, Fraction: 0.5},
	}})
	c, err := hfhub.NewClient(hfhub.WithEndpoint(srv.URL), hfhub.WithToken(emulator.DemoWriteToken),
		hfhub.WithRetry(hfhub.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	big := make([]byte, 9<<20+17) // two parts of 8 MiB
	rand.Read(big)
	ci, err := c.Spaces.Commit(ctx, "demo/static-site", []hfhub.CommitOperation{
		hfhub.AddFileFunc("weights.bin", int64(len(big)), func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(big)), nil }),
		hfhub.AddFileBytes("notes.txt", []byte("notes\n")),
	}, &hfhub.CommitOptions{Message: "weights"})
	if err != nil || !ci.Committed {
		t.Fatalf("Commit = %+v, %v", ci, err)
	}
	rc, _, err := c.Spaces.Download(ctx, "demo/static-site", "weights.bin", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, big) {
		t.Errorf("downloaded %d bytes, not the %d committed", len(got), len(big))
	}

	cut := emulatortest.NewServer(t, emulator.Config{Seed: emulator.DemoSeed, Faults: []emulator.Fault{{Route: "commit", Reset: true}}})
	c2, _ := hfhub.NewClient(hfhub.WithEndpoint(cut.URL), hfhub.WithToken(emulator.DemoWriteToken))
	_, err = c2.Spaces.Commit(ctx, "demo/static-site", []hfhub.CommitOperation{hfhub.AddFileBytes("a.txt", []byte("a"))}, nil)
	if !errors.Is(err, hfhub.ErrOutcomeUnknown) {
		t.Errorf("Commit cut = %v, want ErrOutcomeUnknown", err)
	}
}
