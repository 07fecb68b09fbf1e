package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkCommit2000Files: one commit of 2,000 files of 10 kB (27 MB of
// NDJSON) to an emulator with a data file, each commit durable.
//
//	go test -run '^$' -bench Commit2000Files -benchtime 5x ./emulator
func BenchmarkCommit2000Files(b *testing.B) {
	h := newHub(b, Config{Seed: DemoSeed, DataFile: filepath.Join(b.TempDir(), "hub.db")})
	var ops [][2]any
	for i := range 2000 {
		buf := make([]byte, 5000)
		rand.Read(buf)
		ops = append(ops, fileOp(fmt.Sprintf("src/d%02d/f%04d.py", i/100, i), hex.EncodeToString(buf)))
	}
	body := ndjson(map[string]any{"summary": "deploy"}, ops...)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for range b.N {
		mustStatus(b, h.commit("demo/gradio-app", "main", body), 200)
	}
}
