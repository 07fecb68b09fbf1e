// Package tableprinter prints rows for a person or for a program: on a
// terminal, aligned columns under a header; piped, tab-separated values with
// no header and no decoration, so that `cut -f2` and `while read` work.
package tableprinter

import (
	"fmt"
	"io"
	"slices"
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
	width  int // of the terminal; 0 when unknown
	// optional columns, by header, left out first on a narrow terminal
	optional []string
	rows     [][]field
	row      []field
}

type field struct {
	text  string
	color func(string) string
}

// New returns a printer writing to ios.Out, formatted for a terminal when
// ios.Out is one. The header is shown on a terminal only.
func New(ios *iostreams.IOStreams, header ...string) *Printer {
	return &Printer{out: ios.Out, tty: ios.IsStdoutTTY(), cs: ios.ColorScheme(), header: header, width: ios.TerminalWidth()}
}

// IsTTY reports whether the table is laid out for a person.
func (p *Printer) IsTTY() bool { return p.tty }

// AddField adds a cell to the current row. color, if given, decorates the
// cell on a terminal, and is given the text as shown (it may be cut to fit
// the terminal); alignment is computed on the undecorated text. The text
// goes through iostreams.Sanitize, on a terminal and piped: cells hold
// what the Hub said, and its control characters must not reach a terminal.
func (p *Printer) AddField(text string, color ...func(string) string) {
	text = iostreams.Sanitize(text)
	if p.tty {
		// A stray newline or tab would break the alignment of every row.
		text = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\t' || r == '\r' || r == '\v' {
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
	p.dropOptional(&widths)
	p.fit(widths)
	line := func(cells []field) error {
		var b strings.Builder
		for i, f := range cells {
			text := truncate(f.text, widths[i])
			shown := text
			if f.color != nil {
				shown = f.color(text)
			}
			b.WriteString(shown)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(text)+2))
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

// Optional names columns, by header, that a terminal too narrow for the
// table leaves out, in this order, before any column is cut: those that
// repeat what another says, such as a pretty name. Piped output keeps them.
func (p *Printer) Optional(headers ...string) { p.optional = append(p.optional, headers...) }

// dropOptional leaves out optional columns, one at a time, until the table
// fits the terminal or none is left to drop.
func (p *Printer) dropOptional(widths *[]int) {
	if p.width <= 0 {
		return
	}
	for _, name := range p.optional {
		if tableWidth(*widths) <= p.width {
			return
		}
		col := slices.Index(p.header, name)
		if col < 0 {
			continue
		}
		p.header = slices.Delete(p.header, col, col+1)
		*widths = slices.Delete(*widths, col, col+1)
		for i, r := range p.rows {
			if col < len(r) {
				p.rows[i] = slices.Delete(r, col, col+1)
			}
		}
	}
}

func tableWidth(widths []int) int {
	total := 2 * max(len(widths)-1, 0)
	for _, w := range widths {
		total += w
	}
	return total
}

// fit narrows the columns until the table fits the terminal: one column at
// a time, the widest but never the first (the id a reader looks for), and
// none below the width of its header. A terminal of unknown width, or one
// too narrow even then, gets the table as it is.
func (p *Printer) fit(widths []int) {
	if p.width <= 0 || len(widths) < 2 {
		return
	}
	total := tableWidth(widths)
	for total > p.width {
		widest := -1
		for i := len(widths) - 1; i >= 1; i-- {
			if widths[i] > p.minWidth(i) && (widest < 0 || widths[i] > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return
		}
		widths[widest]--
		total--
	}
}

func (p *Printer) minWidth(col int) int {
	w := 3
	if col < len(p.header) {
		w = max(w, utf8.RuneCountInString(p.header[col]))
	}
	return w
}

// truncate cuts s to width columns, the last of them "…".
func truncate(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:width-1]) + "…"
}

// tsvEscape keeps one record per line and one field per tab.
func tsvEscape(s string) string {
	if !strings.ContainsAny(s, "\t\n\r\\") {
		return s
	}
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s)
}
