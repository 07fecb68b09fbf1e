package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/hfhub-go/hfhub/internal/cli/suggest"
)

// HardwareHint returns a hint for a flavor the Hub refused: "Did you mean
// t4-small?" when it is a likely typo of a flavor this tool knows or the
// live catalog lists, else a pointer to `hfspaces hardware`. It returns ""
// for a flavor that is known (the failure was about something else).
func HardwareHint(ctx context.Context, client *hfhub.Client, flavor hfhub.Hardware) string {
	names := map[string]bool{}
	var candidates []string
	add := func(n string) {
		if n != "" && !names[n] {
			names[n] = true
			candidates = append(candidates, n)
		}
	}
	for _, h := range hfhub.KnownHardware() {
		add(string(h))
	}
	if client != nil {
		if catalog, err := client.Spaces.ListHardware(ctx); err == nil {
			for _, h := range catalog {
				add(string(h.Name))
			}
		}
	}
	if names[string(flavor)] {
		return ""
	}
	if s := suggest.Closest(string(flavor), candidates); s != "" {
		return fmt.Sprintf("Did you mean %s? Run `hfspaces hardware` for the catalog.", s)
	}
	return "Run `hfspaces hardware` for the catalog of flavors."
}

// HardwareError adds a "did you mean" hint to a failed hardware request
// when the Hub refused the flavor.
func HardwareError(ctx context.Context, client *hfhub.Client, flavor hfhub.Hardware, err error) error {
	if errors.Is(err, hfhub.ErrBadRequest) || errors.Is(err, hfhub.ErrInvalidHardware) {
		return WithHint(err, HardwareHint(ctx, client, flavor))
	}
	return err
}

// ConfirmPaidHardware asks, on a terminal, before hardware that costs money
// is requested for space: it shows the flavor's price per hour from the
// live catalog. --yes, or output that is not a terminal, goes ahead without
// asking (scripts keep working). Free flavors, and flavors the catalog does
// not list (the Hub decides on those), go ahead too. A no is ErrCancel.
func ConfirmPaidHardware(ctx context.Context, ios *iostreams.IOStreams, p Prompter, client *hfhub.Client, yes bool, flavor hfhub.Hardware, space string) error {
	if yes || !ios.CanPrompt() {
		return nil
	}
	question := ""
	catalog, err := client.Spaces.ListHardware(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if flavor == hfhub.HardwareCPUBasic {
			return nil
		}
		question = fmt.Sprintf("%s may cost money, and its price could not be read (%s). Request it for %s?",
			iostreams.Sanitize(string(flavor)), iostreams.Sanitize(DescribeError(err)), space)
	} else {
		i := slices.IndexFunc(catalog, func(h hfhub.HardwareInfo) bool { return h.Name == flavor })
		if i < 0 {
			return nil
		}
		h := catalog[i]
		if PriceText(h) == "free" {
			return nil
		}
		question = fmt.Sprintf("%s costs %s while %s runs on it (it runs until paused or asleep). Request it?",
			iostreams.Sanitize(string(flavor)), PriceText(h), space)
	}
	ok, err := p.Confirm(ctx, question)
	if err != nil {
		return err
	}
	if !ok {
		return ErrCancel
	}
	return nil
}
