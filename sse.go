package hfhub

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// maxEventSize bounds one Server-Sent Event's data: a stream that sends a
// larger event is refused rather than buffered without limit.
const maxEventSize = 1 << 20

// sseBufferSize is the read buffer of the decoder. Log events are a few
// hundred bytes; a large buffer means few reads per thousand lines.
const sseBufferSize = 64 << 10

// errEventTooLarge is returned by sseDecoder.Next for an event (or a line)
// over the decoder's size limit.
var errEventTooLarge = errors.New("event larger than the size limit")

// sseEvent is one event of a text/event-stream. Both slices belong to the
// decoder and are valid only until its next call of Next.
type sseEvent struct {
	Type []byte // the "event:" field; empty for the default ("message")
	Data []byte // the "data:" fields joined by "\n"; empty for a keep-alive
}

// sseDecoder reads Server-Sent Events as the WHATWG HTML standard defines
// the text/event-stream format: lines end in "\n", "\r\n" or "\r"; a line
// starting with ":" is a comment; "field: value" sets a field (one space
// after the colon is dropped); a blank line dispatches the event. Only the
// data and event fields are kept: the Hub replays its log streams from the
// start and the caller owns the reconnect policy, so id and retry have no
// use here.
//
// It is built for throughput: lines are read as slices of the bufio
// buffer, and an event's data is copied into one reused buffer, so decoding
// allocates nothing once the buffers have grown.
type sseDecoder struct {
	r       *bufio.Reader
	maxData int   // largest event data accepted
	maxLine int   // largest line accepted
	err     error // sticky read error (io.EOF included)

	rest    []byte // unread part of the current chunk after a bare "\r"
	skipLF  bool   // the last line ended in "\r": a "\n" next belongs to it
	started bool   // the byte-order mark check is done
	long    []byte // a line longer than the bufio buffer, assembled

	data []byte
	typ  []byte

	inBuffer bool // the last line is a slice of the bufio buffer, unread past its "\n"
}

// newSSEDecoder returns a decoder reading r, refusing events whose data is
// over maxData bytes.
func newSSEDecoder(r io.Reader, maxData int) *sseDecoder {
	return newSSEDecoderSize(r, maxData, sseBufferSize)
}

// newSSEDecoderSize is newSSEDecoder with a read buffer of bufSize bytes.
func newSSEDecoderSize(r io.Reader, maxData, bufSize int) *sseDecoder {
	d := &sseDecoder{r: bufio.NewReaderSize(r, bufSize)}
	d.maxData = maxData
	d.maxLine = maxData + 64 // room for the field name
	d.Reset(r)
	return d
}

// Reset makes the decoder read a new stream from r, keeping its buffers.
func (d *sseDecoder) Reset(r io.Reader) {
	d.r.Reset(r)
	d.err = nil
	d.rest = nil
	d.skipLF = false
	d.started = false
	d.long = d.long[:0]
	d.data = d.data[:0]
	d.typ = d.typ[:0]
}

var utf8BOM = []byte("\xEF\xBB\xBF")

// Next returns the next event. At the end of the stream it returns io.EOF,
// or io.ErrUnexpectedEOF when the stream ends inside an event (the event is
// then discarded, as the standard says). Other read errors are returned as
// they are; errEventTooLarge when an event is over the limit. After an
// error the decoder must be Reset before it is used again.
func (d *sseDecoder) Next() (sseEvent, error) {
	d.data = d.data[:0]
	d.typ = d.typ[:0]
	hasData := false
	for {
		line, err := d.readLine()
		if err != nil {
			if err == io.EOF && hasData {
				err = io.ErrUnexpectedEOF
			}
			return sseEvent{}, err
		}
		if !d.started {
			d.started = true
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		if len(line) == 0 {
			if hasData {
				return sseEvent{Type: d.typ, Data: d.data}, nil
			}
			d.typ = d.typ[:0]
			continue
		}
		if line[0] == ':' {
			continue // a comment, often used as a keep-alive
		}
		name, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			name, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(name) {
		case "data":
			if !hasData && d.inBuffer && len(value) <= d.maxData && d.blankLineBuffered() {
				// The usual event, one data line: its value is still in
				// the read buffer and no read has to happen to see the
				// event end, so it is returned without a copy.
				return sseEvent{Type: d.typ, Data: value}, nil
			}
			if hasData {
				d.data = append(d.data, '\n')
			}
			if len(d.data)+len(value) > d.maxData {
				return sseEvent{}, errEventTooLarge
			}
			d.data = append(d.data, value...)
			hasData = true
		case "event":
			d.typ = append(d.typ[:0], value...)
		}
	}
}

// readLine returns the next line without its end-of-line. The slice is
// valid until the next call. A line cut off by the end of the stream is
// io.ErrUnexpectedEOF.
//
// bufio.Reader.ReadSlice('\n') finds the common endings; a "\r" inside the
// chunk it returns ends a line too, and the rest of the chunk is kept for
// the next call (no read happens in between, so it stays valid).
func (d *sseDecoder) readLine() ([]byte, error) {
	d.long = d.long[:0]
	d.inBuffer = false
	for {
		var chunk []byte
		var readErr error
		switch {
		case len(d.rest) > 0:
			chunk, d.rest = d.rest, nil
		case d.err != nil:
			readErr = d.err
		default:
			chunk, readErr = d.r.ReadSlice('\n')
			if readErr != nil && readErr != bufio.ErrBufferFull {
				d.err = readErr
			}
		}
		if d.skipLF && len(chunk) > 0 {
			d.skipLF = false
			if chunk[0] == '\n' {
				chunk = chunk[1:]
				if len(chunk) == 0 {
					continue
				}
			}
		}
		if len(chunk) == 0 { // only with a read error
			if readErr == io.EOF && len(d.long) > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, readErr
		}
		if i := bytes.IndexByte(chunk, '\r'); i >= 0 {
			rest := chunk[i+1:]
			switch {
			case len(rest) == 0:
				d.skipLF = true
			case rest[0] == '\n':
				rest = rest[1:]
			}
			d.rest = rest
			return d.line(chunk[:i])
		}
		if n := len(chunk); chunk[n-1] == '\n' {
			d.inBuffer = len(d.long) == 0 && d.rest == nil && d.err == nil
			return d.line(chunk[:n-1])
		}
		// No end-of-line yet: the line is longer than the buffer, or the
		// stream ended (or failed) inside it.
		if len(d.long)+len(chunk) > d.maxLine {
			return nil, errEventTooLarge
		}
		d.long = append(d.long, chunk...)
		if readErr == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if readErr != nil && readErr != bufio.ErrBufferFull {
			return nil, readErr
		}
	}
}

// blankLineBuffered reports whether the next line is blank and already
// in the read buffer, and if so consumes it. It reads nothing, so the last
// line stays valid.
func (d *sseDecoder) blankLineBuffered() bool {
	n := d.r.Buffered()
	if n == 0 {
		return false
	}
	next, _ := d.r.Peek(min(n, 2))
	switch {
	case next[0] == '\n':
		d.r.Discard(1)
	case next[0] != '\r':
		return false
	case len(next) == 2 && next[1] == '\n':
		d.r.Discard(2)
	default: // a bare "\r", perhaps the first half of "\r\n"
		d.r.Discard(1)
		d.skipLF = len(next) == 1
	}
	return true
}

// line finishes a line whose last piece is tail.
func (d *sseDecoder) line(tail []byte) ([]byte, error) {
	if len(d.long) == 0 {
		if len(tail) > d.maxLine {
			return nil, errEventTooLarge
		}
		return tail, nil
	}
	if len(d.long)+len(tail) > d.maxLine {
		return nil, errEventTooLarge
	}
	d.long = append(d.long, tail...)
	return d.long, nil
}
