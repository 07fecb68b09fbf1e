package cmdutil

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// Field is one line of a summary: a label for people, a key for scripts.
type Field struct {
	Label string // "Sleep time"
	Key   string // "sleep_time"
	Value string // plain text
	Color func(string) string
}

// PrintFields prints a summary: on a terminal, aligned "Label: value"
// lines; piped, "key<TAB>value" lines. Values go through
// iostreams.Sanitize.
func PrintFields(ios *iostreams.IOStreams, fields []Field) error {
	if !ios.IsStdoutTTY() {
		for _, f := range fields {
			if _, err := fmt.Fprintf(ios.Out, "%s\t%s\n", f.Key, iostreams.Sanitize(f.Value)); err != nil {
				return err
			}
		}
		return nil
	}
	width := 0
	for _, f := range fields {
		width = max(width, utf8.RuneCountInString(f.Label))
	}
	cs := ios.ColorScheme()
	for _, f := range fields {
		v := iostreams.Sanitize(f.Value)
		if f.Color != nil {
			v = f.Color(v)
		}
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(f.Label))
		if _, err := fmt.Fprintf(ios.Out, "  %s%s  %s\n", cs.Gray(f.Label+":"), pad, v); err != nil {
			return err
		}
	}
	return nil
}

// Success prints "✓ message" when standard output is a terminal. Piped,
// a change prints nothing: a script has the exit code, or --json.
//
// Success and Warn print their arguments as given: a string from the Hub
// goes through iostreams.Sanitize first, or through a ColorScheme method
// or a helper of this package (StageText, HardwareText…), which sanitise.
func Success(ios *iostreams.IOStreams, format string, args ...any) {
	if !ios.IsStdoutTTY() {
		return
	}
	fmt.Fprintf(ios.Out, "%s %s\n", ios.ColorScheme().SuccessIcon(), fmt.Sprintf(format, args...))
}

// Warn prints "! message" on standard error.
func Warn(ios *iostreams.IOStreams, format string, args ...any) {
	fmt.Fprintf(ios.ErrOut, "%s %s\n", ios.ErrColorScheme().WarningIcon(), fmt.Sprintf(format, args...))
}
