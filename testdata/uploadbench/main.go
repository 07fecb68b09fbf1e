// Command uploadbench measures Spaces.Upload against a Hub (the emulator)
// for docs/PERFORMANCE.md: it uploads a folder to a Space and prints the
// wall time, whether a commit was sent, and the peak RSS of the process.
//
//	go run ./testdata/uploadbench -endpoint URL -token T -space ns/name -dir DIR
//
// With -limit it measures the floor instead: SHA-256 of every byte of the
// folder once (one core), then every byte sent once in one HTTP PUT per
// file to a loopback server that discards it.
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hfhub-go/hfhub"
)

func main() {
	endpoint := flag.String("endpoint", "", "the Hub's URL")
	token := flag.String("token", "hf_demo_write", "token")
	space := flag.String("space", "", "Space id")
	dir := flag.String("dir", "", "folder to upload")
	limit := flag.Bool("limit", false, "measure hashing + sending once instead")
	verbose := flag.Bool("v", false, "log every request with its time")
	flag.Parse()
	if *limit {
		measureLimit(*dir)
		return
	}
	opts := []hfhub.Option{hfhub.WithEndpoint(*endpoint), hfhub.WithToken(*token)}
	if *verbose {
		opts = append(opts, hfhub.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	c, err := hfhub.NewClient(opts...)
	if err != nil {
		fail(err)
	}
	ctx := context.Background()
	start := time.Now()
	if _, err := c.Spaces.Create(ctx, *space, &hfhub.CreateOptions{SDK: hfhub.SDKStatic, ExistOK: true}); err != nil {
		fail(err)
	}
	info, err := c.Spaces.Upload(ctx, *space, *dir, &hfhub.UploadOptions{Message: "bench"})
	if err != nil {
		fail(err)
	}
	el := time.Since(start)
	fmt.Printf("go upload: %.2fs committed=%v uploaded=%d skipped=%d peakRSS=%s\n",
		el.Seconds(), info.Committed, len(info.Uploaded), len(info.Skipped), peakRSS())
}

func measureLimit(dir string) {
	var paths []string
	var total int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths = append(paths, p)
			st, _ := d.Info()
			total += st.Size()
		}
		return nil
	})
	buf := make([]byte, 256<<10)
	start := time.Now()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			fail(err)
		}
		h := sha256.New()
		io.CopyBuffer(h, f, buf)
		f.Close()
	}
	hashT := time.Since(start)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	start = time.Now()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			fail(err)
		}
		st, _ := f.Stat()
		req, _ := http.NewRequest("PUT", srv.URL+"/x", f)
		req.ContentLength = st.Size()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fail(err)
		}
		resp.Body.Close()
		f.Close()
	}
	sendT := time.Since(start)
	fmt.Printf("limit: %d files, %d MB; hash %.2fs + send %.2fs = %.2fs\n", len(paths), total>>20, hashT.Seconds(), sendT.Seconds(), (hashT + sendT).Seconds())
}

func peakRSS() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.Join(strings.Fields(l)[1:], " ")
		}
	}
	return "?"
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "uploadbench:", err)
	os.Exit(1)
}
