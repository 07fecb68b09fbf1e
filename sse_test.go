package hfhub

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// sseTestEvent is an sseEvent copied out of the decoder's buffers.
type sseTestEvent struct {
	Type string
	Data string
}

// readAllSSE decodes a whole stream and returns its events and the error
// that ended it (io.EOF for a clean end).
func readAllSSE(r io.Reader, maxData, bufSize int) ([]sseTestEvent, error) {
	d := newSSEDecoderSize(r, maxData, bufSize)
	var events []sseTestEvent
	for {
		ev, err := d.Next()
		if err != nil {
			return events, err
		}
		events = append(events, sseTestEvent{Type: string(ev.Type), Data: string(ev.Data)})
	}
}

// sseReaders presents one stream in the ways a network can deliver it.
var sseReaders = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one byte at a time", iotest.OneByteReader},
	{"half reads", iotest.HalfReader},
	{"EOF with the last data", iotest.DataErrReader},
}

func TestSSEDecoder(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 200<<10) // longer than the read buffer
	tests := []struct {
		name    string
		stream  string
		max     int // 0: maxEventSize
		want    []sseTestEvent
		wantErr error
	}{
		{name: "empty stream", stream: "", wantErr: io.EOF},
		{name: "one event", stream: "data: hello\n\n",
			want: []sseTestEvent{{Data: "hello"}}, wantErr: io.EOF},
		{name: "the Hub's log event",
			stream: `data: {"data":"Running on local URL:  http://0.0.0.0:7860\n","timestamp":"2025-03-07T12:24:19.337Z"}` + "\n\n",
			want:   []sseTestEvent{{Data: `{"data":"Running on local URL:  http://0.0.0.0:7860\n","timestamp":"2025-03-07T12:24:19.337Z"}`}}, wantErr: io.EOF},
		{name: "several events", stream: "data: a\n\ndata: b\n\ndata: c\n\n",
			want: []sseTestEvent{{Data: "a"}, {Data: "b"}, {Data: "c"}}, wantErr: io.EOF},
		{name: "data lines are joined with newlines", stream: "data: one\ndata: two\ndata:\ndata: four\n\n",
			want: []sseTestEvent{{Data: "one\ntwo\n\nfour"}}, wantErr: io.EOF},
		{name: "CRLF line ends", stream: "data: a\r\n\r\ndata: b\r\n\r\n",
			want: []sseTestEvent{{Data: "a"}, {Data: "b"}}, wantErr: io.EOF},
		{name: "CR line ends", stream: "data: a\r\rdata: b\rdata: c\r\r",
			want: []sseTestEvent{{Data: "a"}, {Data: "b\nc"}}, wantErr: io.EOF},
		{name: "mixed line ends", stream: "data: a\r\ndata: b\n\rdata: c\r\n\n",
			want: []sseTestEvent{{Data: "a\nb"}, {Data: "c"}}, wantErr: io.EOF},
		{name: "LF data line, CRLF blank line", stream: "data: a\n\r\ndata: b\n\r\n",
			want: []sseTestEvent{{Data: "a"}, {Data: "b"}}, wantErr: io.EOF},
		{name: "LF data line, CR blank line", stream: "data: a\n\rdata: b\n\r",
			want: []sseTestEvent{{Data: "a"}, {Data: "b"}}, wantErr: io.EOF},
		{name: "keep-alive is an event with empty data", stream: "data:\n\ndata: x\n\n",
			want: []sseTestEvent{{Data: ""}, {Data: "x"}}, wantErr: io.EOF},
		{name: "comments are skipped", stream: ": keep-alive\n\n:\ndata: x\n: inside\n\n",
			want: []sseTestEvent{{Data: "x"}}, wantErr: io.EOF},
		{name: "blank lines alone dispatch nothing", stream: "\n\n\n\r\n", wantErr: io.EOF},
		{name: "no space after the colon", stream: "data:x\n\n",
			want: []sseTestEvent{{Data: "x"}}, wantErr: io.EOF},
		{name: "only one space is dropped", stream: "data:  x \n\n",
			want: []sseTestEvent{{Data: " x "}}, wantErr: io.EOF},
		{name: "a colon in the value is kept", stream: "data: a: b\n\n",
			want: []sseTestEvent{{Data: "a: b"}}, wantErr: io.EOF},
		{name: "field without a colon", stream: "data\n\n",
			want: []sseTestEvent{{Data: ""}}, wantErr: io.EOF},
		{name: "event type", stream: "event: status\ndata: s\n\ndata: m\n\n",
			want: []sseTestEvent{{Type: "status", Data: "s"}, {Data: "m"}}, wantErr: io.EOF},
		{name: "event type without data is forgotten", stream: "event: status\n\ndata: m\n\n",
			want: []sseTestEvent{{Data: "m"}}, wantErr: io.EOF},
		{name: "id, retry and unknown fields are ignored", stream: "id: 7\nretry: 10\nfoo: bar\ndata: x\n\nid: 8\n\n",
			want: []sseTestEvent{{Data: "x"}}, wantErr: io.EOF},
		{name: "field names are case-sensitive", stream: "Data: x\n\n", wantErr: io.EOF},
		{name: "byte-order mark at the start", stream: "\xEF\xBB\xBFdata: x\n\n",
			want: []sseTestEvent{{Data: "x"}}, wantErr: io.EOF},
		{name: "byte-order mark later is not skipped", stream: "data: x\n\n\xEF\xBB\xBFdata: y\n\n",
			want: []sseTestEvent{{Data: "x"}}, wantErr: io.EOF},
		{name: "cut inside a line", stream: "data: a\n\ndata: b", want: []sseTestEvent{{Data: "a"}}, wantErr: io.ErrUnexpectedEOF},
		{name: "cut before the blank line", stream: "data: a\n\ndata: b\n", want: []sseTestEvent{{Data: "a"}}, wantErr: io.ErrUnexpectedEOF},
		{name: "cut after a comment is a clean end", stream: "data: a\n\n: bye\n", want: []sseTestEvent{{Data: "a"}}, wantErr: io.EOF},
		{name: "line longer than the read buffer", stream: "data: " + long + "\n\n",
			want: []sseTestEvent{{Data: long}}, wantErr: io.EOF},
		{name: "long line with CR ends", stream: "data: " + long + "\rdata: y\r\r",
			want: []sseTestEvent{{Data: long + "\ny"}}, wantErr: io.EOF},
		{name: "data at the limit", max: 8, stream: "data: 12345678\n\n",
			want: []sseTestEvent{{Data: "12345678"}}, wantErr: io.EOF},
		{name: "data over the limit", max: 8, stream: "data: a\n\ndata: 123456789\n\n",
			want: []sseTestEvent{{Data: "a"}}, wantErr: errEventTooLarge},
		{name: "data lines adding up over the limit", max: 8, stream: "data: 1234\ndata: 5678\n\n",
			wantErr: errEventTooLarge},
		{name: "comment line over the limit", max: 8, stream: ":" + strings.Repeat("c", 100) + "\n",
			wantErr: errEventTooLarge},
		{name: "endless line over the limit", max: 8, stream: "data: " + strings.Repeat("z", 1000),
			wantErr: errEventTooLarge},
	}
	for _, tt := range tests {
		for _, rd := range sseReaders {
			for _, bufSize := range []int{16, sseBufferSize} {
				max := tt.max
				if max == 0 {
					max = maxEventSize
				}
				got, err := readAllSSE(rd.wrap(strings.NewReader(tt.stream)), max, bufSize)
				if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s, %s, buffer %d: events (-want +got):\n%s", tt.name, rd.name, bufSize, diff)
				}
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("%s, %s, buffer %d: error %v, want %v", tt.name, rd.name, bufSize, err, tt.wantErr)
				}
			}
		}
	}
}

func TestSSEDecoder_ReadErrorIsReturned(t *testing.T) {
	t.Parallel()
	reset := errors.New("connection reset by peer")
	r := io.MultiReader(strings.NewReader("data: a\n\ndata: b"), iotest.ErrReader(reset))
	got, err := readAllSSE(r, maxEventSize, sseBufferSize)
	if diff := cmp.Diff([]sseTestEvent{{Data: "a"}}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if !errors.Is(err, reset) {
		t.Errorf("error %v, want %v", err, reset)
	}
}

func TestSSEDecoder_ResetReadsANewStream(t *testing.T) {
	t.Parallel()
	d := newSSEDecoder(strings.NewReader("data: a\n\ndata: cut"), maxEventSize)
	if ev, err := d.Next(); err != nil || string(ev.Data) != "a" {
		t.Fatalf("Next = %q, %v; want a", ev.Data, err)
	}
	if _, err := d.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Next: error %v, want io.ErrUnexpectedEOF", err)
	}
	d.Reset(strings.NewReader("\xEF\xBB\xBFdata: b\n\n"))
	if ev, err := d.Next(); err != nil || string(ev.Data) != "b" {
		t.Fatalf("after Reset, Next = %q, %v; want b", ev.Data, err)
	}
}

// referenceSSE is a plain transcription of the standard's parsing rules,
// written for clarity rather than speed: the oracle of FuzzSSEDecoder.
func referenceSSE(stream []byte, maxData int) ([]sseTestEvent, error) {
	maxLine := maxData + 64
	var events []sseTestEvent
	var data []byte
	hasData, typ, first := false, "", true
	for len(stream) > 0 {
		i := bytes.IndexAny(stream, "\r\n")
		if i < 0 {
			if len(stream) > maxLine {
				return events, errEventTooLarge
			}
			return events, io.ErrUnexpectedEOF
		}
		line := stream[:i]
		if stream[i] == '\r' && i+1 < len(stream) && stream[i+1] == '\n' {
			stream = stream[i+2:]
		} else {
			stream = stream[i+1:]
		}
		if len(line) > maxLine {
			return events, errEventTooLarge
		}
		if first {
			first = false
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		switch {
		case len(line) == 0:
			if hasData {
				events = append(events, sseTestEvent{Type: typ, Data: string(data)})
			}
			data, hasData, typ = nil, false, ""
			continue
		case line[0] == ':':
			continue
		}
		name, value, found := bytes.Cut(line, []byte(":"))
		if found {
			value = bytes.TrimPrefix(value, []byte(" "))
		}
		switch string(name) {
		case "data":
			if hasData {
				data = append(data, '\n')
			}
			data = append(data, value...)
			hasData = true
			if len(data) > maxData {
				return events, errEventTooLarge
			}
		case "event":
			typ = string(value)
		}
	}
	if hasData {
		return events, io.ErrUnexpectedEOF
	}
	return events, io.EOF
}

func FuzzSSEDecoder(f *testing.F) {
	for _, s := range []string{
		"data: hello\n\n",
		"data: a\r\n\r\ndata: b\rdata: c\r\r",
		": ping\n\ndata:\n\nevent: x\ndata: y\nid: 1\n\n",
		"\xEF\xBB\xBFdata: bom\n\n",
		`data: {"data":"line\n","timestamp":"2025-03-07T12:24:19.337Z"}` + "\n\n",
		"data: cut",
		"data: " + strings.Repeat("long ", 40) + "\n\n",
		"data: a\r",
	} {
		f.Add([]byte(s))
	}
	const maxData = 100
	f.Fuzz(func(t *testing.T, stream []byte) {
		want, wantErr := referenceSSE(stream, maxData)
		for _, rd := range sseReaders {
			for _, bufSize := range []int{16, 64, sseBufferSize} {
				got, err := readAllSSE(rd.wrap(bytes.NewReader(stream)), maxData, bufSize)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("%s, buffer %d: events differ from the reference (-want +got):\n%s", rd.name, bufSize, diff)
				}
				if err != wantErr {
					t.Fatalf("%s, buffer %d: error %v, reference says %v", rd.name, bufSize, err, wantErr)
				}
			}
		}
	})
}
