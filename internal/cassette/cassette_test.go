package cassette

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadAll(t *testing.T) {
	t.Parallel()
	cs, err := LoadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 5 {
		t.Fatalf("got %d cassettes, want 5", len(cs))
	}
	for _, c := range cs {
		if len(c.Interactions) == 0 {
			t.Errorf("%s: no interactions", c.Name)
		}
		for i, it := range c.Interactions {
			if it.Request.Method == "" || it.Request.URI == "" || it.Response.Status == 0 {
				t.Errorf("%s #%d: incomplete interaction %+v", c.Name, i, it)
			}
		}
	}
}

// TestCopyMatchesShared keeps the repository's copy of the recorded traffic
// identical to the project's shared ground truth, when that is checked out
// beside the repository.
func TestCopyMatchesShared(t *testing.T) {
	t.Parallel()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(dir, "..", "..", "..", "shared", "testdata", "hub-cassettes")
	paths, _ := filepath.Glob(filepath.Join(shared, "*.yaml"))
	if len(paths) == 0 {
		t.Skip("no shared/ checkout beside the repository")
	}
	for _, p := range paths {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, filepath.Base(p)))
		if err != nil {
			t.Errorf("missing copy of %s: %v", filepath.Base(p), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata copy of %s differs from shared/", filepath.Base(p))
		}
	}
}
