//go:build unix

package hfhub

import (
	"syscall"
	"testing"
	"time"
)

// cpuMeter reports the process's CPU time (user + system, every goroutine:
// the client, the in-process server and the garbage collector) per
// operation, and per item when items > 0. On a shared machine it is far
// steadier than wall time, which counts the time other processes ran.
func cpuMeter(b *testing.B, items int) func() {
	start := cpuTime()
	return func() {
		d := cpuTime() - start
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
		if items > 0 {
			b.ReportMetric(float64(d.Nanoseconds())/float64(b.N)/float64(items), "cpu-ns/item")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
