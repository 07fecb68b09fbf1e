package deploy

import (
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// progress shows an upload on a terminal: a bar of the bytes sent so far
// over the bytes of the files started, on the spinner's line of standard
// error. Off a terminal it shows nothing.
type progress struct {
	io    *iostreams.IOStreams
	space string
	on    bool

	mu    sync.Mutex
	files map[string][2]int64 // sent, total
	sent  int64
	total int64
	last  string // the file most recently reported
}

func newProgress(ios *iostreams.IOStreams, space string) *progress {
	p := &progress{io: ios, space: space, on: ios.ProgressIndicatorEnabled(), files: map[string][2]int64{}}
	if p.on {
		ios.StartProgressIndicator("Deploying to " + space)
	}
	return p
}

// update is UploadOptions.Progress: called from any goroutine, cheap.
func (p *progress) update(u hfhub.UploadProgress) {
	if !p.on {
		return
	}
	p.mu.Lock()
	p.record(u)
	label := p.labelLocked()
	p.mu.Unlock()
	p.io.StartProgressIndicator(label)
}

// record adds a report to the totals; p.mu must be held.
func (p *progress) record(u hfhub.UploadProgress) {
	old := p.files[u.Path]
	p.sent += u.BytesSent - old[0]
	p.total += u.Total - old[1]
	p.files[u.Path] = [2]int64{u.BytesSent, u.Total}
	p.last = u.Path
}

const barWidth = 20

func (p *progress) labelLocked() string {
	pct := 0
	if p.total > 0 {
		pct = int(p.sent * 100 / p.total)
	}
	filled := pct * barWidth / 100
	bar := strings.Repeat("█", filled) + strings.Repeat("░", barWidth-filled)
	return fmt.Sprintf("Uploading to %s %s %3d%% %s/%s · %s", p.space, bar, pct,
		cmdutil.SizeText(p.sent), cmdutil.SizeText(p.total), path.Base(p.last))
}

func (p *progress) stop() {
	if p.on {
		p.io.StopProgressIndicator()
	}
}
