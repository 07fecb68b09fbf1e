package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestRepoSurvivesKill commits files (inline and through LFS) from
// concurrent clients, kills the serving process with SIGKILL, and finds
// every acknowledged commit, with its files' bytes, in the data file and
// the objects beside it.
func TestRepoSurvivesKill(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a process")
	}
	file := filepath.Join(t.TempDir(), "hub.db")
	base, kill := startKillable(t, file)
	send := func(method, url, ct string, body []byte) (int, []byte) {
		req, _ := http.NewRequestWithContext(t.Context(), method, url, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, nil
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, data
	}

	type acked struct {
		space, commit string
		files         map[string][]byte
	}
	var mu sync.Mutex
	var acks []acked
	var wg sync.WaitGroup
	for w, space := range []string{"demo/gradio-app", "demo/static-site", "demo/gpu-app"} {
		wg.Go(func() {
			for i := range 5 {
				regular := fmt.Appendf(nil, "# writer %d commit %d\n", w, i)
				blob := bytes.Repeat(fmt.Appendf(nil, "%d-%d;", w, i), 3000)
				oid := sha256Hex(blob)
				batch, _ := json.Marshal(map[string]any{"operation": "upload", "transfers": []string{"basic"}, "hash_algo": "sha256",
					"objects": []map[string]any{{"oid": oid, "size": len(blob)}}})
				status, body := send("POST", base+"/spaces/"+space+".git/info/lfs/objects/batch", "application/vnd.git-lfs+json", batch)
				if status != 200 {
					t.Errorf("batch: %d %s", status, body)
					return
				}
				var ans struct {
					Objects []struct {
						Actions struct {
							Upload struct{ Href string }
						}
					}
				}
				json.Unmarshal(body, &ans)
				if status, body := send("PUT", ans.Objects[0].Actions.Upload.Href, "", blob); status != 200 {
					t.Errorf("upload: %d %s", status, body)
					return
				}
				commit := ndjson(map[string]any{"summary": fmt.Sprintf("commit %d", i)}, fileOp(fmt.Sprintf("w%d.py", i), string(regular)),
					[2]any{"lfsFile", map[string]any{"path": fmt.Sprintf("blob%d.bin", i), "algo": "sha256", "oid": oid, "size": len(blob)}})
				status, body = send("POST", base+"/api/spaces/"+space+"/commit/main", "application/x-ndjson", []byte(commit))
				if status != 200 {
					t.Errorf("commit: %d %s", status, body)
					return
				}
				var c struct{ CommitOid string }
				json.Unmarshal(body, &c)
				mu.Lock()
				acks = append(acks, acked{space, c.CommitOid, map[string][]byte{fmt.Sprintf("w%d.py", i): regular, fmt.Sprintf("blob%d.bin", i): blob}})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	kill()
	if len(acks) != 15 {
		t.Fatalf("only %d commits acknowledged", len(acks))
	}

	e, err := New(Config{DataFile: file, Clock: NewFakeClock(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.mu.Lock()
	defer e.mu.Unlock()
	heads := map[string]string{}
	for _, a := range acks {
		heads[a.space] = a.commit // each writer's last acknowledged commit
		tr, err := e.treeOf(a.commit)
		if err != nil {
			t.Errorf("commit %s of %s lost: %v", a.commit, a.space, err)
			continue
		}
		for p, want := range a.files {
			f := tr.file(p)
			if f == nil {
				t.Errorf("%s: %s missing from %s", a.space, p, a.commit)
				continue
			}
			got, err := e.readEntry(f)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %s: %d bytes, %v", a.space, p, len(got), err)
			}
		}
	}
	for space, head := range heads {
		if got := e.spaces[space].rec.Repo.Branches["main"]; got != head {
			t.Errorf("%s: main is %s, the last acknowledged commit %s", space, got, head)
		}
	}
}
