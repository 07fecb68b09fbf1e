// Package root assembles the hfspaces command tree and runs it: Main is
// the whole program, less the three lines of cmd/hfspaces.
package root

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/completion"
	"github.com/hfhub-go/hfhub/internal/cli/demo"
	"github.com/hfhub-go/hfhub/internal/cli/devmode"
	"github.com/hfhub-go/hfhub/internal/cli/duplicate"
	"github.com/hfhub-go/hfhub/internal/cli/emulatorcmd"
	"github.com/hfhub-go/hfhub/internal/cli/hardware"
	"github.com/hfhub-go/hfhub/internal/cli/info"
	"github.com/hfhub-go/hfhub/internal/cli/list"
	"github.com/hfhub-go/hfhub/internal/cli/logs"
	"github.com/hfhub-go/hfhub/internal/cli/pause"
	"github.com/hfhub-go/hfhub/internal/cli/restart"
	"github.com/hfhub-go/hfhub/internal/cli/runtimecmd"
	"github.com/hfhub-go/hfhub/internal/cli/secrets"
	"github.com/hfhub-go/hfhub/internal/cli/settings"
	"github.com/hfhub-go/hfhub/internal/cli/storage"
	"github.com/hfhub-go/hfhub/internal/cli/variables"
	"github.com/hfhub-go/hfhub/internal/cli/volumes"
	"github.com/hfhub-go/hfhub/internal/cli/wait"
	"github.com/hfhub-go/hfhub/internal/cli/whoami"
	"github.com/spf13/cobra"
)

// Main runs hfspaces with the process's arguments and streams and returns
// its exit code. The first Ctrl-C (or SIGTERM) cancels the command's
// context; long work stops cleanly and the exit code is 2.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, cmdutil.New(Version()), os.Args[1:])
}

// Version is the module's version when built by `go install …@version`,
// else the library's.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return hfhub.Version
}

// Run runs the command line args with the dependencies in f, prints any
// error for a person on f's standard error, and returns the exit code.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	cmd := NewCmdRoot(f)
	cmd.SetArgs(args)
	cmd.SetIn(f.IOStreams.In)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	executed, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	return reportError(f, executed, err)
}

func reportError(f *cmdutil.Factory, cmd *cobra.Command, err error) int {
	errOut := f.IOStreams.ErrOut
	cs := f.IOStreams.ColorScheme()
	code := cmdutil.ExitCode(err)
	switch {
	case errors.Is(err, cmdutil.ErrSilent):
		return cmdutil.ExitFailure
	case code == cmdutil.ExitCancel:
		if errors.Is(err, cmdutil.ErrCancel) {
			fmt.Fprintln(errOut, "Cancelled.")
		} else {
			fmt.Fprintln(errOut, "Interrupted.")
		}
		return code
	}
	var flagErr *cmdutil.FlagError
	if errors.As(err, &flagErr) || isCobraUsageError(err) {
		fmt.Fprintf(errOut, "%s %s\n", cs.Red("error:"), err)
		path := "hfspaces"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(errOut, "Run `%s --help` for usage.\n", path)
		return cmdutil.ExitFailure
	}
	fmt.Fprintf(errOut, "%s %s\n", cs.Red("error:"), cmdutil.DescribeError(err))
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

// NewCmdRoot builds the whole command tree.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	if f.Execute == nil {
		f.Execute = Run
	}
	cmd := &cobra.Command{
		Use:   "hfspaces <command> [flags]",
		Short: "Manage Hugging Face Spaces from the command line",
		Long: "Manage Hugging Face Spaces: runtime and stage, hardware, sleep time, pause and restart,\n" +
			"secrets and variables, storage and volumes, dev mode, duplication and logs.\n\n" +
			"The token comes from --token, HF_TOKEN, or the file `hf auth login` writes;\n" +
			"the Hub from --endpoint or HF_ENDPOINT. Try it all offline: `hfspaces demo`.",
		Example: "  $ hfspaces demo\n" +
			"  $ hfspaces runtime demo/gradio-app\n" +
			"  $ hfspaces settings demo/gradio-app --hardware t4-small --wait\n" +
			"  $ hfspaces secrets add demo/gradio-app -s OPENAI_API_KEY",
		Version:       f.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cmdutil.NoArgs,
	}
	cmd.SetVersionTemplate("hfspaces {{.Version}}\n")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })

	pf := cmd.PersistentFlags()
	pf.StringVar(&f.Globals.Token, "token", "", "Hugging Face token (default: $HF_TOKEN or the `hf auth login` token file)")
	pf.StringVar(&f.Globals.Endpoint, "endpoint", "", "Hub URL (default: $HF_ENDPOINT or https://huggingface.co)")
	pf.BoolVar(&f.Globals.JSON, "json", false, "print machine-readable JSON")
	pf.BoolVar(&f.Globals.NoRetry, "no-retry", false, "do not retry failed requests")
	pf.BoolVar(&f.Globals.Debug, "debug", false, "trace HTTP requests on standard error (token and secrets redacted)")
	pf.BoolVarP(&f.Globals.Yes, "yes", "y", false, "do not ask for confirmation of destructive changes")

	cmd.AddGroup(
		&cobra.Group{ID: "spaces", Title: "Spaces:"},
		&cobra.Group{ID: "config", Title: "Configuration:"},
		&cobra.Group{ID: "tools", Title: "Tools:"},
	)
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			cmd.AddCommand(c)
		}
	}
	add("spaces",
		whoami.NewCmdWhoami(f, nil),
		list.NewCmdList(f, nil),
		info.NewCmdInfo(f, nil),
		runtimecmd.NewCmdRuntime(f, nil),
		wait.NewCmdWait(f, nil),
		logs.NewCmdLogs(f, nil),
		pause.NewCmdPause(f, nil),
		restart.NewCmdRestart(f, nil),
		duplicate.NewCmdDuplicate(f, nil),
	)
	add("config",
		hardware.NewCmdHardware(f, nil),
		settings.NewCmdSettings(f, nil),
		secrets.NewCmdSecrets(f),
		variables.NewCmdVariables(f),
		volumes.NewCmdVolumes(f),
		storage.NewCmdStorage(f),
		devmode.NewCmdDevMode(f, nil),
	)
	add("tools",
		emulatorcmd.NewCmdEmulator(),
		demo.NewCmdDemo(f, nil),
		completion.NewCmdCompletion(f, nil),
	)
	cmd.SetHelpCommandGroupID("tools")
	cmd.CompletionOptions.DisableDefaultCmd = true
	return cmd
}
