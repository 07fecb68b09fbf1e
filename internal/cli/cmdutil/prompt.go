package cmdutil

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// Prompter asks the person at the terminal. Both questions give up with
// ctx's error when ctx ends (Ctrl-C) before an answer.
type Prompter interface {
	// Confirm asks a yes/no question; the default answer is no.
	Confirm(ctx context.Context, question string) (bool, error)
	// Password reads a value without echoing it.
	Password(ctx context.Context, prompt string) (string, error)
}

// InputPrompter is a Prompter that can also read a line of text. The
// terminal's prompter is one.
type InputPrompter interface {
	Input(ctx context.Context, prompt string) (string, error)
}

// NewTerminalPrompter asks on ios: questions on standard error, answers
// from standard input.
func NewTerminalPrompter(ios *iostreams.IOStreams) Prompter {
	return &terminalPrompter{ios: ios}
}

type terminalPrompter struct {
	ios *iostreams.IOStreams

	once   sync.Once
	reader *bufio.Reader
}

// errNoAnswer is the end of standard input where an answer was expected.
var errNoAnswer = errors.New("no answer: standard input ended")

func (p *terminalPrompter) Confirm(ctx context.Context, question string) (bool, error) {
	line, err := p.ask(ctx, fmt.Sprintf("%s %s [y/N] ", p.ios.ErrColorScheme().Yellow("?"), question))
	if err != nil {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// Input asks for a line of text, such as the name of what is about to be
// deleted, and returns it without surrounding spaces.
func (p *terminalPrompter) Input(ctx context.Context, prompt string) (string, error) {
	line, err := p.ask(ctx, fmt.Sprintf("%s %s ", p.ios.ErrColorScheme().Yellow("?"), prompt))
	return strings.TrimSpace(line), err
}

// ask writes the question on standard error and reads a line of answer.
func (p *terminalPrompter) ask(ctx context.Context, question string) (string, error) {
	p.once.Do(func() { p.reader = bufio.NewReader(p.ios.In) })
	fmt.Fprint(p.ios.ErrOut, question)
	type result struct {
		line string
		err  error
	}
	// Read aside, so that Ctrl-C need not wait for Enter. A read abandoned
	// this way ends with the process, which is on its way out.
	done := make(chan result, 1)
	go func() {
		line, err := p.reader.ReadString('\n')
		done <- result{line, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		fmt.Fprintln(p.ios.ErrOut)
		return "", ctx.Err()
	}
	if r.err != nil && (r.err != io.EOF || r.line == "") {
		fmt.Fprintln(p.ios.ErrOut)
		if r.err == io.EOF {
			return "", errNoAnswer
		}
		return "", r.err
	}
	return r.line, nil
}

func (p *terminalPrompter) Password(ctx context.Context, prompt string) (string, error) {
	fmt.Fprintf(p.ios.ErrOut, "%s %s ", p.ios.ErrColorScheme().Yellow("?"), prompt)
	v, err := p.ios.ReadPassword(ctx)
	fmt.Fprintln(p.ios.ErrOut)
	return v, err
}

// ConfirmDestructive lets a destructive action go ahead: at once with
// --yes; after a "y" on a terminal; never off a terminal without --yes.
// what completes "This will …", e.g. "delete 2 secrets from demo/app".
func ConfirmDestructive(ctx context.Context, ios *iostreams.IOStreams, p Prompter, yes bool, what string) error {
	if yes {
		return nil
	}
	if !ios.CanPrompt() {
		return FlagErrorf("refusing to %s without confirmation: pass --yes (standard input is not a terminal)", what)
	}
	ok, err := p.Confirm(ctx, fmt.Sprintf("This will %s. Continue?", what))
	if err != nil {
		return err
	}
	if !ok {
		return ErrCancel
	}
	return nil
}
