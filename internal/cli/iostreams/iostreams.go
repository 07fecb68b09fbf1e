// Package iostreams holds the standard streams of a command together with
// what the command needs to know about them: whether each is a terminal,
// whether colour is wanted, how wide the screen is, and how to show
// progress without mixing it into the output.
package iostreams

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// IOStreams are the streams a command reads and writes. Commands never touch
// os.Stdout and friends directly, so tests can swap in buffers and pretend to
// be a terminal.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	colour    bool // on standard output
	errColour bool // on standard error
	width     int

	// readPassword reads a line without echo; nil when stdin is not a terminal.
	readPassword func() (string, error)
	// saveTerminal records the terminal's state and returns a function that
	// restores it; nil when there is no terminal to restore.
	saveTerminal func() (restore func())

	mu          sync.Mutex
	progress    *spinner
	progressOff bool // the spinner is forbidden (--debug)
}

// System returns streams bound to the process's standard streams, with
// terminal detection done once. NO_COLOR (any value) and TERM=dumb turn
// colour off.
func System() *IOStreams {
	ios := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
	}
	if ios.stdoutTTY {
		ios.width = 80
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			ios.width = w
		}
	}
	ios.colour = ios.stdoutTTY && colourAllowed(os.Getenv)
	ios.errColour = ios.stderrTTY && colourAllowed(os.Getenv)
	if ios.stdinTTY {
		fd := int(os.Stdin.Fd())
		ios.readPassword = func() (string, error) {
			b, err := term.ReadPassword(fd)
			return string(b), err
		}
		ios.saveTerminal = func() func() {
			state, err := term.GetState(fd)
			if err != nil {
				return func() {}
			}
			return func() { term.Restore(fd, state) }
		}
	}
	return ios
}

// colourAllowed follows no-color.org: NO_COLOR set to anything but the empty
// string turns colour off; so does a dumb terminal.
func colourAllowed(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// Test returns streams backed by buffers: input, output and error output.
// None of them is a terminal until the Set…TTY methods say so.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt reports whether the user can be asked a question: both standard
// input and standard output are terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stdoutTTY }

// SetStdinTTY pretends standard input is (or is not) a terminal.
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// SetStdoutTTY pretends standard output is (or is not) a terminal.
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY pretends standard error is (or is not) a terminal.
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetColorEnabled turns colour on standard output on or off.
func (s *IOStreams) SetColorEnabled(v bool) { s.colour = v }

// SetStderrColorEnabled turns colour on standard error on or off.
func (s *IOStreams) SetStderrColorEnabled(v bool) { s.errColour = v }

// ColorEnabled reports whether standard output may carry ANSI colours.
func (s *IOStreams) ColorEnabled() bool { return s.colour }

// TerminalWidth is the width of the terminal on standard output in
// columns; 0 when unknown.
func (s *IOStreams) TerminalWidth() int { return s.width }

// SetTerminalWidth pretends the terminal is that wide; 0 means unknown.
func (s *IOStreams) SetTerminalWidth(columns int) { s.width = columns }

// SetPasswordReader replaces the function that reads a line without echo,
// for tests of hidden prompts.
func (s *IOStreams) SetPasswordReader(f func() (string, error)) { s.readPassword = f }

// ReadPassword reads one line from the terminal without echoing it. Off a
// terminal it fails: a secret is never read in clear from a pipe by surprise.
// When ctx ends first (Ctrl-C), it returns ctx's error at once and gives the
// terminal its echo back; the abandoned read ends with the process.
func (s *IOStreams) ReadPassword(ctx context.Context) (string, error) {
	if s.readPassword == nil || !s.stdinTTY {
		return "", errNoTerminal
	}
	restore := func() {}
	if s.saveTerminal != nil {
		restore = s.saveTerminal()
	}
	type result struct {
		value string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		v, err := s.readPassword()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return strings.TrimRight(r.value, "\r\n"), r.err
	case <-ctx.Done():
		restore()
		return "", ctx.Err()
	}
}

type noTerminalError struct{}

func (noTerminalError) Error() string { return "standard input is not a terminal" }

var errNoTerminal error = noTerminalError{}

// ColorScheme returns the colours to use on standard output, all no-ops
// when colour is off there.
func (s *IOStreams) ColorScheme() *ColorScheme { return &ColorScheme{enabled: s.colour} }

// ErrColorScheme returns the colours to use on standard error (errors,
// warnings, prompts, progress), which may be a terminal when standard
// output is not, and the other way round.
func (s *IOStreams) ErrColorScheme() *ColorScheme { return &ColorScheme{enabled: s.errColour} }
