package emulator

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

func TestPersistenceAcrossRestart(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "hub.db")
	clock := NewFakeClock(t0)
	h := newHub(t, Config{Seed: "demo", DataFile: file, Clock: clock, BuildDuration: 10 * time.Second})
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "KEPT", "value": "yes"}), 200)
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/secrets", DemoWriteToken, map[string]string{"key": "S", "value": "v"}), 200)
	mustStatus(t, h.do("DELETE", "/api/repos/delete", DemoWriteToken, map[string]any{"name": "static-site", "organization": "demo", "type": "space"}), 200)
	mustStatus(t, h.do("POST", "/api/spaces/demo/gpu-app/restart", DemoWriteToken, nil), 200)
	if err := h.e.AddUser("carol"); err != nil {
		t.Fatal(err)
	}
	if err := h.e.AddToken("hf_carol", "carol", "write"); err != nil {
		t.Fatal(err)
	}
	before := h.do("GET", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, nil).json(t)
	if err := h.e.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopened, with the seed asked for again: the file's state wins.
	h2 := newHub(t, Config{Seed: "demo", DataFile: file, Clock: clock, BuildDuration: 10 * time.Second})
	if diff := cmp.Diff(before, h2.do("GET", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, nil).json(t)); diff != "" {
		t.Errorf("variables after reopening (-want +got):\n%s", diff)
	}
	if v, ok := h2.e.SecretValue("demo/gradio-app", "S"); !ok || v != "v" {
		t.Errorf("secret after reopening: %q, %v", v, ok)
	}
	mustStatus(t, h2.do("GET", "/api/spaces/demo/static-site/runtime", DemoWriteToken, nil), 404)
	mustStatus(t, h2.do("GET", "/api/whoami-v2", "hf_carol", nil), 200)
	// The build that was under way goes on from where it was.
	if got := h2.stage("demo/gpu-app"); got != StageBuilding {
		t.Errorf("gpu-app after reopening: %s", got)
	}
	clock.Advance(10 * time.Second)
	if got := h2.stage("demo/gpu-app"); got != StageRunning {
		t.Errorf("gpu-app after its build: %s", got)
	}
}

// TestKillHelperProcess is not a test: TestPersistenceSurvivesKill runs the
// test binary again with it to serve an emulator it can kill -9.
func TestKillHelperProcess(t *testing.T) {
	file := os.Getenv("EMULATOR_KILL_HELPER_DATA")
	if file == "" {
		t.Skip("helper process only")
	}
	e, err := New(Config{Seed: "demo", DataFile: file})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Printf("URL=http://%s\n", ln.Addr())
	go http.Serve(ln, e)
	// Bounded: the parent kills it long before.
	time.Sleep(2 * time.Minute)
	os.Exit(3)
}

// startKillable serves an emulator with the data file in another process
// (TestKillHelperProcess) and returns its URL and a function that kills it
// with SIGKILL and waits for it to end. It is killed at cleanup if the test
// did not.
func startKillable(t *testing.T, file string) (url string, kill func()) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestKillHelperProcess$")
	cmd.Env = append(os.Environ(), "EMULATOR_KILL_HELPER_DATA="+file)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	kill = func() {
		if killed {
			return
		}
		killed = true
		if err := cmd.Process.Kill(); err != nil {
			t.Error(err)
		}
		cmd.Wait()
	}
	t.Cleanup(kill)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "URL=") {
		t.Fatalf("helper said %q, %v", line, err)
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "URL=")), kill
}

// TestPersistenceSurvivesKill acknowledges writes from concurrent clients,
// kills the serving process with SIGKILL, and finds every acknowledged
// write in the data file.
func TestPersistenceSurvivesKill(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a process")
	}
	file := filepath.Join(t.TempDir(), "hub.db")
	url, kill := startKillable(t, file)

	client := &http.Client{}
	var mu sync.Mutex
	acked := map[string]bool{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 15 {
				key := fmt.Sprintf("K_%d_%d", w, i)
				body := strings.NewReader(fmt.Sprintf(`{"key":%q,"value":"v"}`, key))
				req, _ := http.NewRequestWithContext(t.Context(), "POST", url+"/api/spaces/demo/gradio-app/variables", body)
				req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode == 200 {
					mu.Lock()
					acked[key] = true
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	kill()
	if len(acked) != 60 {
		t.Fatalf("only %d writes acknowledged", len(acked))
	}

	e, err := New(Config{DataFile: file})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.mu.Lock()
	var missing []string
	vars := e.spaces["demo/gradio-app"].rec.Variables
	for key := range acked {
		if findEntry(vars, key) < 0 {
			missing = append(missing, key)
		}
	}
	e.mu.Unlock()
	if len(missing) > 0 {
		t.Errorf("acknowledged writes lost after kill -9: %v", missing)
	}
}

// TestSeedIsOneTransaction: the demo seed reaches a new data file in a
// single write transaction, so a kill during the first start leaves either
// nothing (and the next start seeds again) or the whole seed — never half.
func TestSeedIsOneTransaction(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hub.db")
	e, err := New(Config{Seed: DemoSeed, DataFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var txid int
	var spaces int
	if err := db.View(func(tx *bolt.Tx) error {
		txid = tx.ID()
		spaces = tx.Bucket(bucketSpaces).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if spaces != 6 {
		t.Errorf("%d Spaces in the data file, want the seed's 6", spaces)
	}
	// bbolt's first commit is the file's creation; then one to create the
	// buckets and one for the seed.
	if txid > 3 {
		t.Errorf("the seed took %d write transactions, want it in one", txid-2)
	}
}

// TestWriteWaitsForDiskWithoutTheLock: a write is answered only once its
// transaction has committed, and while it waits for the disk other
// requests — reads and writes to other Spaces — go on: the state lock is
// not held during the sync. Writes queued meanwhile share the next commit.
func TestWriteWaitsForDiskWithoutTheLock(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", DataFile: filepath.Join(t.TempDir(), "hub.db")})
	entered := make(chan struct{}, 10)
	release := make(chan struct{})
	var commits atomic.Int32
	h.e.store.beforeCommit = func() error {
		commits.Add(1)
		entered <- struct{}{}
		<-release
		return nil
	}
	answered := make(chan result, 3)
	go func() {
		answered <- h.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "A", "value": "1"})
	}()
	<-entered // the first write's transaction is about to commit
	select {
	case r := <-answered:
		t.Fatalf("write answered before its commit: %d %s", r.status, r.body)
	default:
	}
	// Reads are served meanwhile, and see the change in memory.
	r := h.do("GET", "/api/spaces/demo/gradio-app/variables", DemoReadToken, nil)
	mustStatus(t, r, 200)
	if field(r.json(t), "A", "value") != "1" {
		t.Errorf("variables while the write syncs: %s", r.body)
	}
	// Two more writes queue up behind the one syncing.
	for _, key := range []string{"B", "C"} {
		go func() {
			answered <- h.do("POST", "/api/spaces/demo/gpu-app/variables", DemoWriteToken, map[string]string{"key": key, "value": "1"})
		}()
	}
	waitFor(t, func() bool {
		h.e.store.mu.Lock()
		defer h.e.store.mu.Unlock()
		return len(h.e.store.cur.puts) >= 2
	})
	close(release)
	for range 3 {
		mustStatus(t, <-answered, 200)
	}
	// The first commit, and one for both queued writes.
	if n := commits.Load(); n != 2 {
		t.Errorf("%d commits for 3 writes, want 2 (the queued writes share one)", n)
	}
}

// waitFor polls cond, which another goroutine makes true, for at most 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 10000 {
		if cond() {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("condition never met")
}

// TestDiskFailureRefusesWrites: a write whose commit fails is a 500, never
// acknowledged; every later write is refused before it changes anything,
// and reads go on.
func TestDiskFailureRefusesWrites(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: "demo", DataFile: filepath.Join(t.TempDir(), "hub.db")})
	h.e.store.beforeCommit = func() error { return errors.New("disk full") }
	r := h.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "A", "value": "1"})
	mustStatus(t, r, 500)
	if !strings.Contains(string(r.body), "disk full") {
		t.Errorf("answer %s does not say why", r.body)
	}
	r = h.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "B", "value": "1"})
	mustStatus(t, r, 500)
	if field(h.do("GET", "/api/spaces/demo/gradio-app/variables", DemoReadToken, nil).json(t), "B") != nil {
		t.Error("a refused write changed the state")
	}
	mustStatus(t, h.do("GET", "/api/spaces/demo/gradio-app/runtime", DemoReadToken, nil), 200)
}

// TestLogsKeptApart: the record holds no log lines; they are in the logs
// bucket, written when they change, and come back on reopening — also
// from a file of the earlier format, whose records held the logs.
func TestLogsKeptApart(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "hub.db")
	h := newHub(t, Config{Seed: "demo", DataFile: file})
	h.e.AppendLog("demo/gradio-app", false, "one more line")
	if err := h.e.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(file, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rec []byte
	db.View(func(tx *bolt.Tx) error {
		rec = bytes.Clone(tx.Bucket(bucketSpaces).Get([]byte("demo/gradio-app")))
		return nil
	})
	if bytes.Contains(rec, []byte("one more line")) || bytes.Contains(rec, []byte("buildLog")) {
		t.Errorf("the record holds log lines: %s", rec)
	}
	// The earlier format: logs inside the record, no logs bucket entry.
	var legacy map[string]any
	json.Unmarshal(rec, &legacy)
	legacy["runLog"] = []map[string]any{{"data": "legacy line\n", "timestamp": "2025-03-07T12:00:00Z"}}
	data, _ := json.Marshal(legacy)
	if err := db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketSpaces).Put([]byte("demo/gradio-app"), data); err != nil {
			return err
		}
		return tx.Bucket(bucketLogs).Delete([]byte(logKey("demo/gradio-app", false)))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	h2 := newHub(t, Config{DataFile: file})
	h2.e.mu.Lock()
	s := h2.e.spaces["demo/gradio-app"]
	run, build := s.rec.RunLog, s.rec.BuildLog
	h2.e.mu.Unlock()
	if len(run) != 1 || run[0].Data != "legacy line\n" {
		t.Errorf("run log from a legacy record: %v", run)
	}
	if len(build) == 0 {
		t.Error("the build log, in its bucket, was not loaded")
	}
	// A write saves the record without the log: the log moves to its
	// bucket.
	mustStatus(t, h2.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "K", "value": "v"}), 200)
	h2.e.Close()
	// And logs written apart come back.
	h3 := newHub(t, Config{DataFile: file})
	h3.e.AppendLog("demo/gradio-app", false, "a new line")
	h3.e.Close()
	h4 := newHub(t, Config{DataFile: file})
	h4.e.mu.Lock()
	run = h4.e.spaces["demo/gradio-app"].rec.RunLog
	h4.e.mu.Unlock()
	if len(run) != 2 || run[0].Data != "legacy line\n" || run[1].Data != "a new line\n" {
		t.Errorf("run log after reopening: %v", run)
	}
}

// TestWALReplay: acknowledged writes are in the write-ahead log until a
// checkpoint moves them into the bbolt file; opening the data file after
// a crash replays every whole record, and a record cut short (a write that
// was never acknowledged) is dropped, not an error.
func TestWALReplay(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "hub.db")
	h := newHub(t, Config{Seed: "demo", DataFile: file})
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "ONE", "value": "1"}), 200)
	mustStatus(t, h.do("DELETE", "/api/repos/delete", DemoWriteToken, map[string]any{"name": "static-site", "type": "space"}), 200)
	// A crash now: copy the files as they are, without closing.
	for _, name := range []string{"hub.db", "hub.db.wal"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "hub.db.wal" {
			// Half a record more, after the last: a write that was never
			// acknowledged.
			end := 0
			for n := binary.BigEndian.Uint32(data[end:]); n != 0; n = binary.BigEndian.Uint32(data[end:]) {
				end += 8 + int(n)
			}
			if end == 0 {
				t.Fatal("the acknowledged writes are not in the log")
			}
			half := encodeBatch(nil, 0, []put{{bucket: bucketSpaces, key: "demo/x", value: []byte("{}")}}, [][]byte{[]byte("{}")})
			copy(data[end:], half[:len(half)-3])
		}
		if err := os.WriteFile(filepath.Join(dir, "crash-"+name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h2 := newHub(t, Config{DataFile: filepath.Join(dir, "crash-hub.db")})
	if got := field(h2.do("GET", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, nil).json(t), "ONE", "value"); got != "1" {
		t.Errorf("variable after replay: %v", got)
	}
	mustStatus(t, h2.do("GET", "/api/spaces/demo/static-site", DemoWriteToken, nil), 404)
	// The replayed records are not replayed again over later writes.
	mustStatus(t, h2.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "ONE", "value": "2"}), 200)
	h2.e.Close()
	h3 := newHub(t, Config{DataFile: filepath.Join(dir, "crash-hub.db")})
	if got := field(h3.do("GET", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, nil).json(t), "ONE", "value"); got != "2" {
		t.Errorf("variable after the second opening: %v", got)
	}
	mustStatus(t, h3.do("GET", "/api/spaces/demo/static-site", DemoWriteToken, nil), 404)
}

// TestWALCheckpoint: once the log passes its size limit its records move
// into the bbolt file and it starts empty again, and nothing is lost.
func TestWALCheckpoint(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "hub.db")
	h := newHub(t, Config{Seed: "demo", DataFile: file})
	value := strings.Repeat("v", maxEnvValue-1)
	written := 0
	for i := 0; written <= walCheckpointBytes+maxEnvValue; i++ {
		mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "BIG", "value": value + fmt.Sprint(i%10)}), 200)
		written += maxEnvValue
	}
	mustStatus(t, h.do("POST", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, map[string]string{"key": "LAST", "value": "x"}), 200)
	h.e.store.mu.Lock() // (the committer is idle: every write was answered)
	size, epoch := h.e.store.walSize, h.e.store.epoch
	h.e.store.mu.Unlock()
	if size > walCheckpointBytes/2 || epoch == 0 {
		t.Errorf("the log after %d bytes of writes: %d bytes in epoch %d (want it checkpointed)", written, size, epoch)
	}
	h.e.Close()
	h2 := newHub(t, Config{DataFile: file})
	v := h2.do("GET", "/api/spaces/demo/gradio-app/variables", DemoWriteToken, nil).json(t)
	if field(v, "LAST", "value") != "x" || field(v, "BIG") == nil {
		t.Errorf("variables after reopening: LAST %v", field(v, "LAST"))
	}
}
