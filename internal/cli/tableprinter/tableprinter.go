// Package tableprinter prints rows for a person or for a program: on a
// terminal, aligned columns under a header; piped, tab-separated values with
// no header and no decoration, so that `cut -f2` and `while read` work.
package tableprinter

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// Printer collects rows and writes them on Render.
type Printer struct {
	out    io.Writer
	tty    bool
	cs     *iostreams.ColorScheme
	header []string
	rows   [][]field
	row    []field
}

type field struct {
	text  string
	color func(string) string
}

// New returns a printer writing to ios.Out, formatted for a terminal when
// ios.Out is one. The header is shown on a terminal only.
func New(ios *iostreams.IOStreams, header ...string) *Printer {
	return &Printer{out: ios.Out, tty: ios.IsStdoutTTY(), cs: ios.ColorScheme(), header: header}
}

// IsTTY reports whether the table is laid out for a person.
func (p *Printer) IsTTY() bool { return p.tty }

// AddField adds a cell to the current row. color, if given, decorates the
// cell on a terminal; alignment is computed on the undecorated text.
func (p *Printer) AddField(text string, color ...func(string) string) {
	if p.tty {
		// A stray newline or tab would break the alignment of every row.
		text = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\t' || r == '\r' {
				return ' '
			}
			return r
		}, text)
	}
	f := field{text: text}
	if len(color) > 0 {
		f.color = color[0]
	}
	p.row = append(p.row, f)
}

// EndRow finishes the current row.
func (p *Printer) EndRow() {
	p.rows = append(p.rows, p.row)
	p.row = nil
}

// Render writes the table.
func (p *Printer) Render() error {
	if len(p.row) > 0 {
		p.EndRow()
	}
	if !p.tty {
		for _, r := range p.rows {
			cells := make([]string, len(r))
			for i, f := range r {
				cells[i] = tsvEscape(f.text)
			}
			if _, err := fmt.Fprintln(p.out, strings.Join(cells, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	var widths []int
	measure := func(i int, s string) {
		for len(widths) <= i {
			widths = append(widths, 0)
		}
		widths[i] = max(widths[i], utf8.RuneCountInString(s))
	}
	for i, h := range p.header {
		measure(i, h)
	}
	for _, r := range p.rows {
		for i, f := range r {
			measure(i, f.text)
		}
	}
	line := func(cells []field) error {
		var b strings.Builder
		for i, f := range cells {
			text := f.text
			if f.color != nil {
				text = f.color(text)
			}
			b.WriteString(text)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(f.text)+2))
			}
		}
		_, err := fmt.Fprintln(p.out, b.String())
		return err
	}
	if len(p.header) > 0 && len(p.rows) > 0 {
		h := make([]field, len(p.header))
		for i, s := range p.header {
			h[i] = field{text: s, color: p.cs.Bold}
		}
		if err := line(h); err != nil {
			return err
		}
	}
	for _, r := range p.rows {
		if err := line(r); err != nil {
			return err
		}
	}
	return nil
}

// tsvEscape keeps one record per line and one field per tab.
func tsvEscape(s string) string {
	if !strings.ContainsAny(s, "\t\n\r\\") {
		return s
	}
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s)
}
