package emulator

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Fault makes some answers of a route misbehave, for testing how a client
// copes. Route is an operation name: runtime, info, list, catalog, whoami,
// variables, secrets, hardware, sleeptime, pause, restart, dev-mode,
// storage, volumes, logs, duplicate, create, delete, preupload, revision,
// commit; or "*" (or "") for every route.
//
// Of the matching answers, Fraction are affected (0 means all), chosen
// deterministically: with 0.25 every fourth answer. An affected answer
// first waits Latency; then it is replaced by an error with Status (500,
// 502, 503, 429 …) without reaching the Space, or, with Reset, cut off
// half-way with the connection dropped; a log stream with CutAfterEvents
// is dropped after that many events. Latency is waited on the emulator's
// clock: with a FakeClock the answer comes once the test advances it.
type Fault struct {
	Route          string
	Fraction       float64
	Status         int
	Latency        time.Duration
	Reset          bool
	CutAfterEvents int
}

// ParseFaults reads a fault spec: faults separated by ';', each
// ROUTE:KEY=VALUE,… with keys status, fraction, latency (seconds or a Go
// duration), reset (true/false) and cut (events). For example
// "runtime:status=503,fraction=0.5;logs:cut=3;*:latency=0.2".
func ParseFaults(spec string) ([]Fault, error) {
	var out []Fault
	for part := range strings.SplitSeq(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		route, opts, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("fault %q: want ROUTE:KEY=VALUE,…", part)
		}
		f := Fault{Route: strings.TrimSpace(route)}
		for opt := range strings.SplitSeq(opts, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(opt), "=")
			if !ok {
				return nil, fmt.Errorf("fault %q: option %q: want KEY=VALUE", part, opt)
			}
			var err error
			switch k {
			case "status":
				f.Status, err = strconv.Atoi(v)
				if err == nil && (f.Status < 400 || f.Status > 599) {
					err = fmt.Errorf("not an error status")
				}
			case "fraction", "rate":
				f.Fraction, err = strconv.ParseFloat(v, 64)
				if err == nil && (f.Fraction < 0 || f.Fraction > 1) {
					err = fmt.Errorf("not between 0 and 1")
				}
			case "latency":
				f.Latency, err = parseSeconds(v)
			case "reset":
				f.Reset, err = strconv.ParseBool(v)
			case "cut":
				f.CutAfterEvents, err = strconv.Atoi(v)
			default:
				err = fmt.Errorf("unknown option")
			}
			if err != nil {
				return nil, fmt.Errorf("fault %q: option %q: %v", part, opt, err)
			}
		}
		if err := f.check(); err != nil {
			return nil, fmt.Errorf("fault %q: %v", part, strings.TrimPrefix(err.Error(), "emulator: "))
		}
		out = append(out, f)
	}
	return out, nil
}

// faultRoutes are the operation names a Fault can name, sorted.
var faultRoutes = []string{
	"branch", "catalog", "commit", "commits", "create", "delete", "dev-mode", "discussions", "duplicate", "hardware", "info",
	"lfs-batch", "lfs-download", "lfs-upload", "lfs-verify", "list", "logs", "move",
	"paths-info", "pause", "preupload", "raw", "refs", "resolve", "restart", "revision", "runtime", "secrets",
	"settings", "sleeptime", "storage", "tree", "validate-yaml", "variables", "volumes", "whoami",
}

// check reports what is wrong with a fault, if anything.
func (f Fault) check() error {
	if f.Route != "" && f.Route != "*" && !slices.Contains(faultRoutes, f.Route) {
		return fmt.Errorf("emulator: fault on unknown route %q (want * or one of %s)", f.Route, strings.Join(faultRoutes, ", "))
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return fmt.Errorf("emulator: fault on %q: status %d is not an error status", f.Route, f.Status)
	}
	if f.Fraction < 0 || f.Fraction > 1 {
		return fmt.Errorf("emulator: fault on %q: fraction %v is not between 0 and 1", f.Route, f.Fraction)
	}
	if f.Latency < 0 || f.CutAfterEvents < 0 {
		return fmt.Errorf("emulator: fault on %q: negative latency or cut", f.Route)
	}
	return nil
}

func checkFaults(faults []Fault) error {
	for _, f := range faults {
		if err := f.check(); err != nil {
			return err
		}
	}
	return nil
}

type faultSet struct {
	mu     sync.Mutex
	faults []Fault
	seen   []uint64    // matching answers so far, per fault
	any    atomic.Bool // whether there are faults, read without mu
}

func newFaultSet(faults []Fault) *faultSet {
	fs := &faultSet{}
	fs.set(faults)
	return fs
}

func (fs *faultSet) set(faults []Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.faults = append([]Fault(nil), faults...)
	fs.seen = make([]uint64, len(faults))
	fs.any.Store(len(faults) > 0)
}

// pick returns the faults that hit this answer of route op.
func (fs *faultSet) pick(op string) []Fault {
	if !fs.any.Load() {
		return nil
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var hit []Fault
	for i, f := range fs.faults {
		if f.Route != "" && f.Route != "*" && f.Route != op {
			continue
		}
		fs.seen[i]++
		n := fs.seen[i]
		frac := f.Fraction
		if frac <= 0 || frac >= 1 {
			hit = append(hit, f)
			continue
		}
		// Answer n is hit when it crosses the next multiple of 1/frac.
		if math.Floor(float64(n)*frac) > math.Floor(float64(n-1)*frac) {
			hit = append(hit, f)
		}
	}
	return hit
}

// SetFaults replaces the injected faults. A fault on an unknown route, or
// otherwise malformed, is an error and leaves the faults as they were.
func (e *Emulator) SetFaults(faults []Fault) error {
	if err := checkFaults(faults); err != nil {
		return err
	}
	e.faults.set(faults)
	return nil
}

const cutKey ctxKey = 100

// serveWithFaults applies the faults that hit this answer, then serves it.
func (e *Emulator) serveWithFaults(op string, w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	hit := e.faults.pick(op)
	if len(hit) == 0 {
		h(w, r)
		return
	}
	var latency time.Duration
	status, reset, cut := 0, false, 0
	for _, f := range hit {
		latency += f.Latency
		if f.Status != 0 && status == 0 {
			status = f.Status
		}
		reset = reset || f.Reset
		if f.CutAfterEvents > 0 {
			cut = f.CutAfterEvents
		}
	}
	if latency > 0 {
		t := e.clock.NewTimer(latency)
		select {
		case <-t.C():
		case <-r.Context().Done():
			t.Stop()
			return
		case <-e.done:
			t.Stop()
		}
	}
	if status != 0 {
		if status == http.StatusTooManyRequests {
			// The answer says the quota is spent (clients read t= of a
			// 429 before Retry-After), and asks for a short wait, not the
			// rest of the real window.
			w.Header().Set("RateLimit", `"api";r=0;t=1`)
			w.Header().Set("Retry-After", "1")
		}
		fail(w, status, "", fmt.Sprintf("Injected fault: %d %s", status, http.StatusText(status)))
		return
	}
	if cut > 0 {
		r = r.WithContext(context.WithValue(r.Context(), cutKey, cut))
	}
	if !reset {
		h(w, r)
		return
	}
	if op == "logs" {
		if cut == 0 {
			r = r.WithContext(context.WithValue(r.Context(), cutKey, 1))
		}
		h(w, r)
		return
	}
	// Serve into a buffer, then send the headers and half the body, and
	// drop the connection.
	buf := &bufferedWriter{header: http.Header{}}
	h(buf, r)
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(buf.body.Len()))
	w.WriteHeader(buf.status)
	w.Write(buf.body.Bytes()[:buf.body.Len()/2])
	http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler)
}

type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
