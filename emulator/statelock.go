package emulator

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// stateLock is the mutex that guards the emulator's state (e.mu). It can
// measure how long it is held: benchmarks turn tracking on to find the
// longest hold (docs/PERFORMANCE.md); off, it costs an atomic load per
// Lock and Unlock.
type stateLock struct {
	sync.Mutex
	track atomic.Bool
	// threadCPU, when set (by a benchmark), reads the calling thread's CPU
	// time: the holder is then pinned to its thread while it holds the
	// lock, so that the CPU time of the hold can be measured too.
	threadCPU func() time.Duration

	// Written only while held.
	since    time.Time
	sinceCPU time.Duration
	pinned   bool

	longest, longestCPU atomic.Int64
}

func (l *stateLock) Lock() {
	l.Mutex.Lock()
	if l.track.Load() {
		if l.threadCPU != nil {
			runtime.LockOSThread()
			l.pinned = true
			l.sinceCPU = l.threadCPU()
		}
		l.since = time.Now()
	}
}

func (l *stateLock) Unlock() {
	if !l.since.IsZero() {
		raise(&l.longest, int64(time.Since(l.since)))
		l.since = time.Time{}
	}
	if l.pinned {
		raise(&l.longestCPU, int64(l.threadCPU()-l.sinceCPU))
		l.pinned = false
		runtime.UnlockOSThread()
	}
	l.Mutex.Unlock()
}

func raise(max *atomic.Int64, d int64) {
	for {
		old := max.Load()
		if d <= old || max.CompareAndSwap(old, d) {
			return
		}
	}
}

// trackHolds starts measuring hold times afresh; longestHold and
// longestCPUHold return the longest since, in wall-clock and CPU time.
func (l *stateLock) trackHolds() {
	l.Lock()
	l.longest.Store(0)
	l.longestCPU.Store(0)
	l.track.Store(true)
	l.Unlock()
}

func (l *stateLock) longestHold() time.Duration    { return time.Duration(l.longest.Load()) }
func (l *stateLock) longestCPUHold() time.Duration { return time.Duration(l.longestCPU.Load()) }
