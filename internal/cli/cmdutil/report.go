package cmdutil

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// AddGlobalFlags defines the flags every command accepts on fs, bound to g.
func AddGlobalFlags(fs *pflag.FlagSet, g *GlobalFlags) {
	fs.StringVar(&g.Token, "token", "", "Hugging Face token (default: $HF_TOKEN, or the token file of hf auth login)")
	fs.StringVar(&g.Endpoint, "endpoint", "", "Hub URL (default: $HF_ENDPOINT or https://huggingface.co)")
	fs.BoolVar(&g.JSON, "json", false, "print machine-readable JSON")
	fs.BoolVar(&g.NoRetry, "no-retry", false, "do not retry failed requests")
	fs.BoolVar(&g.Debug, "debug", false, "trace HTTP requests on standard error (token and secrets redacted)")
	fs.BoolVarP(&g.Yes, "yes", "y", false, "do not ask for confirmation of destructive changes")
}

// ReportError prints err for a person on standard error and returns the
// exit code. cmd is the command that failed, for the pointer to its help.
func ReportError(ios *iostreams.IOStreams, cmd *cobra.Command, err error) int {
	if err == nil {
		return ExitOK
	}
	errOut := ios.ErrOut
	cs := ios.ErrColorScheme()
	code := ExitCode(err)
	switch {
	case errors.Is(err, ErrSilent):
		// Already reported; an ExitError around it still chooses the code
		// (plan's 2 for changes pending).
		var exitErr *ExitError
		if errors.As(err, &exitErr) {
			return exitErr.Code
		}
		return ExitFailure
	case code == ExitCancel:
		if errors.Is(err, ErrCancel) {
			fmt.Fprintln(errOut, "Cancelled.")
			return code
		}
		if ios.IsStderrTTY() {
			// Over the "^C" the terminal echoed at the start of the line.
			fmt.Fprint(errOut, "\r\x1b[K")
		}
		fmt.Fprintln(errOut, "Interrupted.")
		return code
	}
	var flagErr *FlagError
	if errors.As(err, &flagErr) || isCobraUsageError(err) {
		fmt.Fprintf(errOut, "%s %s\n", cs.Red("error:"), iostreams.Sanitize(err.Error()))
		path := "hfspaces"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(errOut, "Run `%s --help` for usage.\n", path)
		return ExitFailure
	}
	fmt.Fprintf(errOut, "%s %s\n", cs.Red("error:"), iostreams.Sanitize(DescribeError(err)))
	return code
}

// isCobraUsageError recognises the errors cobra itself returns for a bad
// command line (it has no type for them).
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "required flag", "accepts ", "requires at least"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}
