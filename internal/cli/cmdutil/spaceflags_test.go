package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

func TestDescribeRepoErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		// EnvSpec strips the *fs.PathError to avoid repeating the file name.
		{"local file, errno alone", fmt.Errorf("could not read the variable file v.env: %w", syscall.ENOENT),
			"could not read the variable file v.env: no such file or directory"},
		{"missing file of a Space", &hfhub.APIError{StatusCode: 404, Code: "EntryNotFound", Message: "Entry not found", URL: "http://127.0.0.1:9/spaces/demo/x/resolve/main/a.txt"},
			"Not found: a file or folder of Space demo/x (404): Entry not found."},
		{"missing folder of a Space", &hfhub.APIError{StatusCode: 404, Code: "EntryNotFound", URL: "http://127.0.0.1:9/api/spaces/demo/x/tree/main/nope"},
			"Not found: a file or folder of Space demo/x (404)."},
		{"missing revision", &hfhub.APIError{StatusCode: 404, Code: "RevisionNotFound", Message: "Invalid rev id: v9", URL: "http://127.0.0.1:9/api/spaces/demo/x/tree/v9"},
			"Not found: a revision of Space demo/x (404): Invalid rev id: v9."},
		{"missing Space on a file route", &hfhub.APIError{StatusCode: 404, Code: "RepoNotFound", URL: "http://127.0.0.1:9/spaces/demo/x.git/info/lfs/objects/batch"},
			"Space demo/x not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`."},
	} {
		if got := DescribeError(tt.err); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestVisibilityFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v    VisibilityFlags
		want hfhub.Visibility
		err  bool
	}{
		{VisibilityFlags{}, "", false},
		{VisibilityFlags{private: true}, "private", false},
		{VisibilityFlags{protected: true}, "protected", false},
		{VisibilityFlags{public: true}, "public", false},
		{VisibilityFlags{public: true, private: true}, "", true},
	} {
		got, err := tt.v.Visibility()
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("%+v: %q, %v", tt.v, got, err)
		}
	}
}

func TestSizeText(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 8198: "8.2 kB", 12_345_678: "12.3 MB", 999_960: "1.0 MB", 2_000_000_000: "2.0 GB"} {
		if got := SizeText(n); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

type inputStub struct {
	stubPrompter
	typed string
}

func (p *inputStub) Input(ctx context.Context, q string) (string, error) {
	p.asked = append(p.asked, q)
	return p.typed, nil
}

func TestConfirmByTyping(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		tty   bool
		yes   bool
		typed string
		want  error
	}{
		{name: "yes", yes: true},
		{name: "typed the id", tty: true, typed: "demo/x"},
		{name: "typed something else", tty: true, typed: "x", want: ErrCancel},
		{name: "not a terminal", want: &FlagError{}},
	} {
		ios, _, _, _ := iostreams.Test()
		ios.SetStdinTTY(tt.tty)
		ios.SetStdoutTTY(tt.tty)
		p := &inputStub{typed: tt.typed}
		err := ConfirmByTyping(t.Context(), ios, p, tt.yes, "delete the Space demo/x", "demo/x")
		var fe *FlagError
		switch {
		case tt.want == nil && err != nil, tt.want == ErrCancel && !errors.Is(err, ErrCancel):
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != nil && tt.want != ErrCancel && !errors.As(err, &fe):
			t.Errorf("%s: %v, want a usage error", tt.name, err)
		}
		if asked := len(p.asked) > 0; asked != (tt.tty && !tt.yes) {
			t.Errorf("%s: asked %v", tt.name, p.asked)
		}
	}
}

// TestTerminalPrompterInput: the typed line, without its spaces and
// newline; the end of input is an error, not an empty answer.
func TestTerminalPrompterInput(t *testing.T) {
	t.Parallel()
	ios, in, _, errOut := iostreams.Test()
	in.WriteString("  demo/x \n")
	p := NewTerminalPrompter(ios).(InputPrompter)
	got, err := p.Input(t.Context(), "Type demo/x to confirm:")
	if err != nil || got != "demo/x" {
		t.Errorf("Input = %q, %v", got, err)
	}
	if want := "? Type demo/x to confirm: "; errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if _, err := p.Input(t.Context(), "Again:"); err == nil {
		t.Error("Input at the end of input: no error")
	}
}
