package cmdutil

import (
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
			return FlagErrorf("too many arguments: %q (see `%s --help`)", args[n:], cmd.CommandPath())
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
			return FlagErrorf("too many arguments: %q (see `%s --help`)", args[hi:], cmd.CommandPath())
		}
		return nil
	}
}

// NoArgs refuses positional arguments.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return FlagErrorf("unexpected argument %q (see `%s --help`)", args[0], cmd.CommandPath())
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
