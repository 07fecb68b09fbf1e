package cmdutil

import (
	"fmt"

	"github.com/spf13/cobra"
)

// ExactArgs checks the number of positional arguments and, when it is
// wrong, says what is missing as a usage error.
func ExactArgs(n int, missing string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return FlagErrorf("%s", missing)
		}
		if len(args) > n {
			return FlagErrorf("too many arguments: %q", args[n:])
		}
		return nil
	}
}

// RangeArgs checks that there are between lo and hi positional arguments.
func RangeArgs(lo, hi int, missing string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < lo {
			return FlagErrorf("%s", missing)
		}
		if len(args) > hi {
			return FlagErrorf("too many arguments: %q", args[hi:])
		}
		return nil
	}
}

// NoArgs refuses positional arguments.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return FlagErrorf("unexpected argument %q", args[0])
	}
	return nil
}

// MinArgs requires at least n positional arguments.
func MinArgs(n int, missing string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return FlagErrorf("%s", missing)
		}
		return nil
	}
}

// SpaceArgMissing is the usage error for a missing Space id.
const SpaceArgMissing = "missing the Space id, e.g. demo/gradio-app"

// GroupRunE is the RunE of a command that only groups others (secrets,
// variables, …): without arguments it shows its help; with an unknown
// subcommand it fails as a usage error, with a suggestion when one is close.
func GroupRunE(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return FlagErrorf("%s", msg)
}
