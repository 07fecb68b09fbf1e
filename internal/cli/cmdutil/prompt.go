package cmdutil

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// Prompter asks the person at the terminal.
type Prompter interface {
	// Confirm asks a yes/no question; the default answer is no.
	Confirm(question string) (bool, error)
	// Password reads a value without echoing it.
	Password(prompt string) (string, error)
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

func (p *terminalPrompter) Confirm(question string) (bool, error) {
	p.once.Do(func() { p.reader = bufio.NewReader(p.ios.In) })
	cs := p.ios.ColorScheme()
	fmt.Fprintf(p.ios.ErrOut, "%s %s [y/N] ", cs.Yellow("?"), question)
	line, err := p.reader.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		fmt.Fprintln(p.ios.ErrOut)
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

func (p *terminalPrompter) Password(prompt string) (string, error) {
	fmt.Fprintf(p.ios.ErrOut, "%s %s ", p.ios.ColorScheme().Yellow("?"), prompt)
	v, err := p.ios.ReadPassword()
	fmt.Fprintln(p.ios.ErrOut)
	return v, err
}

// ConfirmDestructive lets a destructive action go ahead: at once with
// --yes; after a "y" on a terminal; never off a terminal without --yes.
// what completes "This will …", e.g. "delete 2 secrets from demo/app".
func ConfirmDestructive(ios *iostreams.IOStreams, p Prompter, yes bool, what string) error {
	if yes {
		return nil
	}
	if !ios.CanPrompt() {
		return FlagErrorf("refusing to %s without confirmation: pass --yes (standard input is not a terminal)", what)
	}
	ok, err := p.Confirm(fmt.Sprintf("This will %s. Continue?", what))
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	if !ok {
		return ErrCancel
	}
	return nil
}
