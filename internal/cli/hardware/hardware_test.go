package hardware

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func TestNewCmdHardwareParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdHardware, []clitest.ParseCase[HardwareOptions]{
		{Name: "plain", Args: []string{"hardware"}, Want: HardwareOptions{}},
		{Name: "json", Args: []string{"hardware", "--json"}, Want: HardwareOptions{JSON: true}},
		{Name: "argument", Args: []string{"hardware", "t4-small"}, WantCode: 1, WantErr: "unexpected argument"},
	})
}

func TestHardwareRun(t *testing.T) {
	t.Parallel()
	newCmd := func(f *cmdutil.Factory) *cobra.Command { return NewCmdHardware(f, nil) }
	clitest.RunCases(t, newCmd, []clitest.Case{
		{Name: "terminal", TTY: true, Args: []string{"hardware"}, AnyOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			lines := strings.Split(strings.TrimSuffix(r.Out, "\n"), "\n")
			wantHead := []string{
				"NAME             PRETTY NAME             CPU       RAM      ACCELERATOR                  PRICE",
				"cpu-basic        CPU Basic               2 vCPU    16 GB    -                            free",
				"cpu-upgrade      CPU Upgrade             8 vCPU    32 GB    -                            $0.03/hour",
			}
			if diff := cmp.Diff(wantHead, lines[:3]); diff != "" {
				t.Errorf("table head mismatch (-want +got):\n%s", diff)
			}
			if !strings.Contains(r.Out, "$8.30/hour\n") {
				t.Errorf("l40sx4's price is not $8.30/hour in:\n%s", r.Out)
			}
			if !strings.Contains(r.Out, "\nt4-small         Nvidia T4 - small       4 vCPU    15 GB    1x Nvidia T4 (16 GB)         $0.40/hour\n") {
				t.Errorf("no t4-small row in:\n%s", r.Out)
			}
		}},
		{Name: "terminal of 80 columns", TTY: true, Args: []string{"hardware"}, AnyOut: true,
			Setup: func(t *testing.T, e *clitest.Env) { e.IO.SetTerminalWidth(80) },
			Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
				lines := strings.Split(strings.TrimSuffix(r.Out, "\n"), "\n")
				if want := "NAME             CPU       RAM      ACCELERATOR                  PRICE"; lines[0] != want {
					t.Errorf("header %q, want %q (the pretty name left out)", lines[0], want)
				}
				for _, l := range lines {
					if n := utf8.RuneCountInString(l); n > 80 {
						t.Errorf("line of %d columns: %q", n, l)
					}
				}
				if !strings.Contains(r.Out, "\nl40sx8           192 vCPU  1534 GB  8x Nvidia L40S (384 GB)      $23.50/hour\n") {
					t.Errorf("the l40sx8 row is not whole in:\n%s", r.Out)
				}
			}},
		{Name: "piped", Args: []string{"hardware"}, AnyOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			lines := strings.Split(strings.TrimSuffix(r.Out, "\n"), "\n")
			if len(lines) != 23 {
				t.Errorf("%d flavors, want 23 (every flavor in WIRE.md)", len(lines))
			}
			if lines[0] != "cpu-basic\tCPU Basic\t2 vCPU\t16 GB\t-\tfree" {
				t.Errorf("first row %q", lines[0])
			}
		}},
		{Name: "json", Args: []string{"hardware", "--json"}, AnyOut: true, Check: func(t *testing.T, e *clitest.Env, r clitest.Result) {
			var got []map[string]any
			if err := json.Unmarshal([]byte(r.Out), &got); err != nil {
				t.Fatal(err)
			}
			var t4 map[string]any
			for _, h := range got {
				if diff := cmp.Diff([]string{"accelerator", "cpu", "hourly_cost_usd", "name", "pretty_name", "ram", "unit_cost_usd", "unit_label"}, sortedKeys(h)); diff != "" {
					t.Fatalf("keys of %v (-want +got):\n%s", h["name"], diff)
				}
				if h["name"] == "t4-small" {
					t4 = h
				}
			}
			want := map[string]any{"name": "t4-small", "pretty_name": "Nvidia T4 - small", "cpu": "4 vCPU", "ram": "15 GB",
				"accelerator": map[string]any{"type": "gpu", "model": "T4", "quantity": 1.0, "vram": "16 GB", "manufacturer": "Nvidia"},
			}
			// The unit price is the Hub's (per hour or per minute, as the
			// catalog says); the hourly price is the same either way.
			if hourly, _ := t4["hourly_cost_usd"].(float64); math.Round(hourly*100) != 40 {
				t.Errorf("t4-small hourly_cost_usd = %v, want about 0.40", t4["hourly_cost_usd"])
			}
			delete(t4, "hourly_cost_usd")
			delete(t4, "unit_cost_usd")
			delete(t4, "unit_label")
			if diff := cmp.Diff(want, t4); diff != "" {
				t.Errorf("t4-small mismatch (-want +got):\n%s", diff)
			}
		}},
	})
}

func sortedKeys(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
