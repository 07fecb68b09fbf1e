package tableprinter

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

func TestRender(t *testing.T) {
	t.Parallel()
	rows := [][]string{{"demo/gradio-app", "RUNNING", "cpu-basic"}, {"demo/gpu", "BUILDING", "t4-small"}, {"x", "multi\nline\tcell", ""}}
	tests := []struct {
		name  string
		tty   bool
		color bool
		want  string
	}{
		{name: "terminal", tty: true, want: "" +
			"ID               STAGE            HARDWARE\n" +
			"demo/gradio-app  RUNNING          cpu-basic\n" +
			"demo/gpu         BUILDING         t4-small\n" +
			"x                multi line cell  \n"},
		{name: "terminal with colour", tty: true, color: true, want: "" +
			"\x1b[1mID\x1b[0m               \x1b[1mSTAGE\x1b[0m            \x1b[1mHARDWARE\x1b[0m\n" +
			"demo/gradio-app  RUNNING          cpu-basic\n" +
			"demo/gpu         BUILDING         t4-small\n" +
			"x                multi line cell  \n"},
		{name: "piped", want: "" +
			"demo/gradio-app\tRUNNING\tcpu-basic\n" +
			"demo/gpu\tBUILDING\tt4-small\n" +
			"x\tmulti\\nline\\tcell\t\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ios, _, out, _ := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			ios.SetColorEnabled(tt.color)
			p := New(ios, "ID", "STAGE", "HARDWARE")
			for _, r := range rows {
				for _, c := range r {
					p.AddField(c)
				}
				p.EndRow()
			}
			if err := p.Render(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderEmptyHasNoHeader(t *testing.T) {
	t.Parallel()
	ios, _, out, _ := iostreams.Test()
	ios.SetStdoutTTY(true)
	if err := New(ios, "A", "B").Render(); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("empty table printed %q", out.String())
	}
}

// TestRenderFitsTheTerminal: on a terminal narrower than the table, the
// widest columns give way (with "…"), never the first; piped output is
// never cut.
func TestRenderFitsTheTerminal(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"MODEL_CONFIGURATION", `{"temperature": 0.7, "top_p": 0.9}`, "sampling parameters of the model", "just now"},
		{"A", "1", "", "2 h ago"},
	}
	tests := []struct {
		name  string
		tty   bool
		width int
		want  string
	}{
		{name: "wide enough", tty: true, width: 120, want: "" +
			"KEY                  VALUE                               DESCRIPTION                       UPDATED\n" +
			"MODEL_CONFIGURATION  {\"temperature\": 0.7, \"top_p\": 0.9}  sampling parameters of the model  just now\n" +
			"A                    1                                                                     2 h ago\n"},
		{name: "narrow", tty: true, width: 72, want: "" +
			"KEY                  VALUE                 DESCRIPTION          UPDATED\n" +
			"MODEL_CONFIGURATION  {\"temperature\": 0.7…  sampling parameter…  just now\n" +
			"A                    1                                          2 h ago\n"},
		{name: "width unknown", tty: true, width: 0, want: "" +
			"KEY                  VALUE                               DESCRIPTION                       UPDATED\n" +
			"MODEL_CONFIGURATION  {\"temperature\": 0.7, \"top_p\": 0.9}  sampling parameters of the model  just now\n" +
			"A                    1                                                                     2 h ago\n"},
		{name: "piped", width: 40, want: "" +
			"MODEL_CONFIGURATION\t{\"temperature\": 0.7, \"top_p\": 0.9}\tsampling parameters of the model\tjust now\n" +
			"A\t1\t\t2 h ago\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ios, _, out, _ := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			ios.SetTerminalWidth(tt.width)
			p := New(ios, "KEY", "VALUE", "DESCRIPTION", "UPDATED")
			for _, r := range rows {
				for _, c := range r {
					p.AddField(c)
				}
				p.EndRow()
			}
			if err := p.Render(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
			if tt.tty && tt.width > 0 {
				for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
					if n := utf8.RuneCountInString(line); n > tt.width {
						t.Errorf("line of %d columns on a terminal of %d: %q", n, tt.width, line)
					}
				}
			}
		})
	}
}

// TestRenderDropsOptionalColumns: a column that repeats another gives way
// whole before any is cut.
func TestRenderDropsOptionalColumns(t *testing.T) {
	t.Parallel()
	render := func(tty bool, width int) string {
		ios, _, out, _ := iostreams.Test()
		ios.SetStdoutTTY(tty)
		ios.SetTerminalWidth(width)
		p := New(ios, "NAME", "PRETTY NAME", "ACCELERATOR", "PRICE")
		p.Optional("PRETTY NAME")
		for _, r := range [][]string{{"t4-small", "Nvidia T4 small", "1x Nvidia T4 (16 GB)", "$0.40/hour"}, {"cpu-basic", "CPU basic", "-", "free"}} {
			for _, c := range r {
				p.AddField(c)
			}
			p.EndRow()
		}
		if err := p.Render(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	for _, tt := range []struct {
		name  string
		tty   bool
		width int
		want  string
	}{
		{"fits", true, 80, "" +
			"NAME       PRETTY NAME      ACCELERATOR           PRICE\n" +
			"t4-small   Nvidia T4 small  1x Nvidia T4 (16 GB)  $0.40/hour\n" +
			"cpu-basic  CPU basic        -                     free\n"},
		{"narrow: dropped, nothing cut", true, 50, "" +
			"NAME       ACCELERATOR           PRICE\n" +
			"t4-small   1x Nvidia T4 (16 GB)  $0.40/hour\n" +
			"cpu-basic  -                     free\n"},
		{"narrower: dropped, then cut", true, 36, "" +
			"NAME       ACCELERATOR    PRICE\n" +
			"t4-small   1x Nvidia T4…  $0.40/hour\n" +
			"cpu-basic  -              free\n"},
		{"piped keeps it", false, 36, "" +
			"t4-small\tNvidia T4 small\t1x Nvidia T4 (16 GB)\t$0.40/hour\n" +
			"cpu-basic\tCPU basic\t-\tfree\n"},
	} {
		if diff := cmp.Diff(tt.want, render(tt.tty, tt.width)); diff != "" {
			t.Errorf("%s: output mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}
