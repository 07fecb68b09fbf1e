package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// Transport returns an http.RoundTripper that hands requests straight to
// the emulator's handler, with no sockets: time-based tests can then run
// the emulator and a client inside one testing/synctest bubble (a loopback
// server would stall the bubble's fake time). Answers stream through a
// pipe, so log streams (SSE) work too. Closing a response body, or ending
// the request's context, cancels the handler's context.
func (e *Emulator) Transport() http.RoundTripper { return &memTransport{h: e} }

// NewMemoryTransport is Transport for any handler.
func NewMemoryTransport(h http.Handler) http.RoundTripper { return &memTransport{h: h} }

type memTransport struct{ h http.Handler }

// errConnReset is what a client sees when the handler drops the
// connection (a Reset fault, an SSE cut).
var errConnReset = errors.New("emulator: connection reset by peer")

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	ctx, cancel := context.WithCancel(req.Context())
	sreq := req.Clone(ctx)
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:1"
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}
	sreq.Proto, sreq.ProtoMajor, sreq.ProtoMinor = "HTTP/1.1", 1, 1

	pr, pw := io.Pipe()
	rw := &pipeWriter{header: http.Header{}, pw: pw, ready: make(chan struct{})}
	stop := context.AfterFunc(ctx, func() { pr.CloseWithError(context.Cause(ctx)) })
	go func() {
		// As a server does, and as http.RoundTripper requires.
		defer sreq.Body.Close()
		defer func() {
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					rw.fail(errConnReset)
					panic(v)
				}
				rw.fail(errConnReset)
				return
			}
			rw.finish()
		}()
		t.h.ServeHTTP(rw, sreq)
	}()
	select {
	case <-rw.ready:
	case <-ctx.Done():
		cancel()
		return nil, context.Cause(ctx)
	}
	if rw.err != nil {
		stop()
		cancel()
		return nil, rw.err
	}
	resp := &http.Response{
		Status:        strconv.Itoa(rw.status) + " " + http.StatusText(rw.status),
		StatusCode:    rw.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rw.sent,
		ContentLength: -1,
		Body:          &pipeBody{pr: pr, cancel: cancel},
		Request:       req,
	}
	if cl, err := strconv.ParseInt(rw.sent.Get("Content-Length"), 10, 64); err == nil {
		resp.ContentLength = cl
	}
	if req.Method == http.MethodHead {
		resp.Body.Close()
		resp.Body = http.NoBody
	}
	return resp, nil
}

// pipeWriter is the handler's side: headers are handed over once, the body
// goes through the pipe as it is written.
type pipeWriter struct {
	header http.Header
	pw     *io.PipeWriter

	once   sync.Once
	ready  chan struct{}
	status int
	sent   http.Header
	err    error // set before ready is closed, when no answer was made
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(status int) {
	w.once.Do(func() {
		w.status = status
		w.sent = w.header.Clone()
		close(w.ready)
	})
}

func (w *pipeWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(p)
}

// Flush makes the headers visible; the body is unbuffered already.
func (w *pipeWriter) Flush() { w.WriteHeader(http.StatusOK) }

func (w *pipeWriter) finish() {
	w.WriteHeader(http.StatusOK)
	w.pw.Close()
}

func (w *pipeWriter) fail(err error) {
	w.once.Do(func() {
		w.err = err
		close(w.ready)
	})
	w.pw.CloseWithError(err)
}

type pipeBody struct {
	pr     *io.PipeReader
	cancel context.CancelFunc
}

func (b *pipeBody) Read(p []byte) (int, error) { return b.pr.Read(p) }

func (b *pipeBody) Close() error {
	b.pr.Close()
	b.cancel()
	return nil
}
