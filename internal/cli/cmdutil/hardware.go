package cmdutil

import (
	"context"
	"errors"
	"fmt"

	"github.com/hfhub-go/hfhub"
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
