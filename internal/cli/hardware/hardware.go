// Package hardware implements `hfspaces hardware`.
package hardware

import (
	"context"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/hfhub-go/hfhub/internal/cli/tableprinter"
	"github.com/spf13/cobra"
)

// HardwareOptions holds what `hardware` needs.
type HardwareOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool
}

// NewCmdHardware builds `hfspaces hardware`.
func NewCmdHardware(f *cmdutil.Factory, runF func(*HardwareOptions) error) *cobra.Command {
	opts := &HardwareOptions{IO: f.IOStreams, Client: f.Client}
	return &cobra.Command{
		Use:     "hardware",
		Short:   "List the hardware flavors and their prices",
		Long:    "List the hardware flavors a Space can run on, from the Hub's live catalog, with CPU, RAM,\naccelerator and price.",
		Example: "  $ hfspaces hardware\n  $ hfspaces hardware --json | jq -r '.[] | select(.accelerator != null) | .name'",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return hardwareRun(cmd.Context(), opts)
		},
	}
}

type acceleratorJSON struct {
	Type         string `json:"type"`
	Model        string `json:"model"`
	Quantity     int    `json:"quantity"`
	VRAM         string `json:"vram"`
	Manufacturer string `json:"manufacturer"`
}

type hardwareJSON struct {
	Name        string           `json:"name"`
	PrettyName  string           `json:"pretty_name"`
	CPU         string           `json:"cpu"`
	RAM         string           `json:"ram"`
	Accelerator *acceleratorJSON `json:"accelerator"`
	UnitCostUSD float64          `json:"unit_cost_usd"`
	UnitLabel   string           `json:"unit_label"`
	// HourlyCostUSD is the price of an hour, computed from the unit price
	// and its unit (the Hub prices per minute); null for a unit this tool
	// does not know.
	HourlyCostUSD *float64 `json:"hourly_cost_usd"`
}

func hardwareRun(ctx context.Context, opts *HardwareOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	catalog, err := client.Spaces.ListHardware(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		out := make([]hardwareJSON, 0, len(catalog))
		for _, h := range catalog {
			j := hardwareJSON{Name: string(h.Name), PrettyName: h.PrettyName, CPU: h.CPU, RAM: h.RAM, UnitCostUSD: h.UnitCostUSD, UnitLabel: h.UnitLabel}
			if j.UnitCostUSD == 0 && h.UnitCostMicroUSD != 0 {
				j.UnitCostUSD = float64(h.UnitCostMicroUSD) / 1e6
			}
			if micro, ok := h.HourlyMicroUSD(); ok {
				usd := float64(micro) / 1e6
				j.HourlyCostUSD = &usd
			}
			if a := h.Accelerator; a != nil {
				j.Accelerator = &acceleratorJSON{Type: a.Type, Model: a.Model, Quantity: a.Quantity, VRAM: a.VRAM, Manufacturer: a.Manufacturer}
			}
			out = append(out, j)
		}
		return cmdutil.WriteJSON(opts.IO, out)
	}
	cs := opts.IO.ColorScheme()
	tp := tableprinter.New(opts.IO, "NAME", "PRETTY NAME", "CPU", "RAM", "ACCELERATOR", "PRICE")
	tp.Optional("PRETTY NAME") // the name and the accelerator say it too
	for _, h := range catalog {
		tp.AddField(string(h.Name), cs.Bold)
		tp.AddField(h.PrettyName)
		tp.AddField(h.CPU)
		tp.AddField(h.RAM)
		tp.AddField(cmdutil.AcceleratorText(h.Accelerator))
		tp.AddField(cmdutil.PriceText(h))
		tp.EndRow()
	}
	return tp.Render()
}
