package tableprinter

import (
	"testing"

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
