package emulator

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkVariableWriteDataFile: variable writes with a data file, 32
// concurrent writers, each answered once durable (ServeHTTP, no network).
// writes/s is the throughput.
func BenchmarkVariableWriteDataFile(b *testing.B) {
	e, err := New(Config{Seed: "demo", DataFile: filepath.Join(b.TempDir(), "hub.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	b.ReportAllocs()
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{header: http.Header{}}
		for pb.Next() {
			req, _ := http.NewRequest("POST", "http://hub.test/api/spaces/demo/gradio-app/variables", strings.NewReader(`{"key":"BENCH","value":"1"}`))
			req.Header.Set("Authorization", "Bearer "+DemoWriteToken)
			clear(w.header)
			w.status = 0
			e.ServeHTTP(w, req)
			if w.status != 200 {
				b.Errorf("status %d", w.status)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
}
