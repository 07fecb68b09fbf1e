package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit is a fixed-window request quota, as the Hub applies to its
// "api" bucket: at most Requests answers per Window for each token, or for
// each client address when no token (or one that is not valid) is sent.
// The zero value is DefaultRateLimit.
type RateLimit struct {
	Requests int
	Window   time.Duration
}

// DefaultRateLimit is the quota when none is configured. Every answer of
// the Hub carries RateLimit and RateLimit-Policy, so the emulator's do too,
// in the Hub's 5-minute window; the quota is far beyond what a client can
// send (over 3 million requests per second), so it is never reached.
var DefaultRateLimit = RateLimit{Requests: 1_000_000_000, Window: 5 * time.Minute}

// ParseRateLimit reads "N/WINDOW", WINDOW being seconds ("300", "0.5") or a
// Go duration ("5m"): "1000/300" is 1000 requests per 5 minutes. "" is the
// zero RateLimit, which stands for DefaultRateLimit.
func ParseRateLimit(spec string) (RateLimit, error) {
	if spec == "" {
		return RateLimit{}, nil
	}
	n, win, ok := strings.Cut(spec, "/")
	if !ok {
		return RateLimit{}, fmt.Errorf("rate limit %q: want N/WINDOW", spec)
	}
	req, err := strconv.Atoi(n)
	if err != nil || req <= 0 {
		return RateLimit{}, fmt.Errorf("rate limit %q: %q is not a positive number of requests", spec, n)
	}
	d, err := parseSeconds(win)
	if err != nil || d <= 0 {
		return RateLimit{}, fmt.Errorf("rate limit %q: %q is not a positive window", spec, win)
	}
	return RateLimit{Requests: req, Window: d}, nil
}

// parseSeconds reads a number of seconds (fractions allowed) or a Go duration.
func parseSeconds(s string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(f * float64(time.Second)), nil
	}
	return time.ParseDuration(s)
}

type rateLimiter struct {
	limit       RateLimit
	policyValue []string // the RateLimit-Policy header value, shared by every answer

	mu sync.Mutex
	// current is the start of the window the counters are for: windows are
	// aligned on the clock, so when one ends every counter is stale and is
	// dropped, and the map holds one entry per token or address seen in
	// the current window only.
	current time.Time
	windows map[string]*window
}

type window struct {
	count int
}

func newRateLimiter(l RateLimit) *rateLimiter {
	if l.Requests <= 0 || l.Window <= 0 {
		l = DefaultRateLimit
	}
	return &rateLimiter{
		limit:       l,
		policyValue: []string{fmt.Sprintf(`"fixed window";"api";q=%d;w=%d`, l.Requests, ceilSeconds(l.Window))},
		windows:     map[string]*window{},
	}
}

func ceilSeconds(d time.Duration) int64 {
	return int64((d + time.Second - 1) / time.Second)
}

// allow counts a request against its bucket, sets the RateLimit headers,
// and answers 429 when the bucket is empty.
func (rl *rateLimiter) allow(w http.ResponseWriter, key string, now time.Time) bool {
	start := now.Truncate(rl.limit.Window)
	rl.mu.Lock()
	if !start.Equal(rl.current) {
		clear(rl.windows)
		rl.current = start
	}
	win := rl.windows[key]
	if win == nil {
		win = &window{}
		rl.windows[key] = win
	}
	win.count++
	count := win.count
	rl.mu.Unlock()
	reset := ceilSeconds(start.Add(rl.limit.Window).Sub(now))
	remaining := max(rl.limit.Requests-count, 0)
	h := w.Header()
	// `"api";r=N;t=S`, built without fmt: this runs on every request.
	v := make([]byte, 0, 40)
	v = append(v, `"api";r=`...)
	v = strconv.AppendInt(v, int64(remaining), 10)
	v = append(v, ";t="...)
	v = strconv.AppendInt(v, reset, 10)
	h["Ratelimit"] = []string{string(v)}
	h["Ratelimit-Policy"] = rl.policyValue
	if count <= rl.limit.Requests {
		return true
	}
	h.Set("Retry-After", strconv.FormatInt(reset, 10))
	fail(w, http.StatusTooManyRequests, "", fmt.Sprintf("You have exceeded the rate limit for the 'api' bucket (%d requests per %d seconds). Retry after %d seconds.", rl.limit.Requests, ceilSeconds(rl.limit.Window), reset))
	return false
}
