package deploy

import (
	"strings"
	"sync"
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// TestProgress: the bar adds up the files in flight, from any goroutine,
// and is off when standard error is not a terminal.
func TestProgress(t *testing.T) {
	t.Parallel()
	ios, _, _, errOut := iostreams.Test()
	off := newProgress(ios, "demo/app")
	off.update(hfhub.UploadProgress{Path: "a.bin", BytesSent: 1, Total: 2})
	off.stop()
	if errOut.Len() != 0 {
		t.Errorf("a bar off a terminal: %q", errOut)
	}

	p := &progress{space: "demo/app", files: map[string][2]int64{}}
	var wg sync.WaitGroup
	for i, name := range []string{"a.bin", "b.bin"} {
		wg.Go(func() {
			for sent := int64(0); sent <= 40_000_000; sent += 1_000_000 {
				p.mu.Lock()
				p.record(hfhub.UploadProgress{Path: name, BytesSent: sent * int64(i+1) / 2, Total: 40_000_000 * int64(i+1) / 2})
				p.mu.Unlock()
			}
		})
	}
	wg.Wait()
	p.mu.Lock()
	p.record(hfhub.UploadProgress{Path: "a.bin", BytesSent: 10_000_000, Total: 20_000_000})
	label := p.labelLocked()
	p.mu.Unlock()
	// a.bin 10/20 MB, b.bin 40/40 MB: 50 of 60 MB.
	if want := "Uploading to demo/app ████████████████░░░░  83% 50.0 MB/60.0 MB · a.bin"; label != want {
		t.Errorf("label\n got %q\nwant %q", label, want)
	}
	if strings.Count(label, "█")+strings.Count(label, "░") != barWidth {
		t.Errorf("bar width in %q", label)
	}
}
