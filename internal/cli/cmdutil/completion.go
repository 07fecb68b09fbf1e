package cmdutil

import (
	"strings"

	"github.com/hfhub-go/hfhub"
	"github.com/spf13/cobra"
)

// StorageTiers are the persistent storage tiers, smallest first.
var StorageTiers = []string{string(hfhub.StorageSmall), string(hfhub.StorageMedium), string(hfhub.StorageLarge)}

// CompleteHardware completes a --hardware flag from the flavors this
// version knows: a TAB never waits for the network.
func CompleteHardware(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var names []string
	for _, h := range hfhub.KnownHardware() {
		names = append(names, string(h))
	}
	return withPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// CompleteStorage completes a --storage flag with the tiers.
func CompleteStorage(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return withPrefix(StorageTiers, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// CompleteSleepTime completes a --sleep-time flag: "never" is the one word
// it takes besides numbers and durations.
func CompleteSleepTime(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return withPrefix([]string{"never"}, toComplete), cobra.ShellCompDirectiveNoFileComp
}

func withPrefix(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			out = append(out, w)
		}
	}
	return out
}
