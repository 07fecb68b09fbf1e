package hfhub

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// RetryPolicy says how transient failures are retried: connection errors,
// answers cut while being read (a 2xx included), and 408, 429, 500, 502,
// 503 and 504 answers, for reads and for the operations that are safe to
// repeat. Restart and Duplicate are never sent twice: when one fails after
// its request may have reached the Hub, its error wraps ErrOutcomeUnknown.
type RetryPolicy struct {
	// MaxRetries is how many times a request is sent again; 0 turns
	// retries off.
	MaxRetries int
	// MinBackoff is the first wait (default 500 ms); it doubles, with
	// jitter, up to MaxBackoff (default 10 s).
	MinBackoff, MaxBackoff time.Duration
	// MaxWait caps the wait a rate-limited (429) answer asks for
	// (default 60 s). The context's deadline caps it too.
	MaxWait time.Duration
}

// DefaultRetryPolicy is the policy of a client built without WithRetry:
// 3 retries, 500 ms doubling with jitter to 10 s, rate-limit waits up to 60 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 3, MinBackoff: 500 * time.Millisecond, MaxBackoff: 10 * time.Second, MaxWait: 60 * time.Second}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MinBackoff == 0 {
		p.MinBackoff = d.MinBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = d.MaxBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = p.MinBackoff
	}
	if p.MaxWait == 0 {
		p.MaxWait = d.MaxWait
	}
	return p
}

// backoff is the wait before retry number attempt+1: MinBackoff doubled per
// attempt, capped at MaxBackoff, with "equal jitter" (half fixed, half random)
// so that many clients do not retry in step.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.MinBackoff
	for i := 0; i < attempt && d < p.MaxBackoff; i++ {
		if d > p.MaxBackoff/2 { // doubling would pass the cap, or overflow
			d = p.MaxBackoff
			break
		}
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half)
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
