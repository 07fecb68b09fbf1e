// Package root assembles the hfspaces command tree and runs it: Main is
// the whole program, less the three lines of cmd/hfspaces.
package root

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/apply"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/completion"
	"github.com/hfhub-go/hfhub/internal/cli/create"
	"github.com/hfhub-go/hfhub/internal/cli/deletecmd"
	"github.com/hfhub-go/hfhub/internal/cli/demo"
	"github.com/hfhub-go/hfhub/internal/cli/deploy"
	"github.com/hfhub-go/hfhub/internal/cli/devmode"
	"github.com/hfhub-go/hfhub/internal/cli/duplicate"
	"github.com/hfhub-go/hfhub/internal/cli/emulatorcmd"
	"github.com/hfhub-go/hfhub/internal/cli/export"
	"github.com/hfhub-go/hfhub/internal/cli/files"
	"github.com/hfhub-go/hfhub/internal/cli/hardware"
	"github.com/hfhub-go/hfhub/internal/cli/info"
	"github.com/hfhub-go/hfhub/internal/cli/list"
	"github.com/hfhub-go/hfhub/internal/cli/logs"
	"github.com/hfhub-go/hfhub/internal/cli/pause"
	"github.com/hfhub-go/hfhub/internal/cli/plan"
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
// context; long work stops cleanly and the exit code is 2. A second one
// ends the process at once, should anything not have stopped.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // the default action again for the next signal
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
func Run(ctx context.Context, f *cmdutil.Factory, args []string) (code int) {
	defer func() {
		// A bug must not greet the user with a Go stack trace: one line
		// saying what happened, the trace only with --debug.
		if p := recover(); p != nil {
			fmt.Fprintf(f.IOStreams.ErrOut, "error: internal error in hfspaces: %v\nThis is a bug; please report it with the command you ran (add --debug for details).\n", p)
			if f.Globals != nil && f.Globals.Debug {
				f.IOStreams.ErrOut.Write(debug.Stack())
			}
			code = cmdutil.ExitFailure
		}
	}()
	cmd := NewCmdRoot(f)
	cmd.SetArgs(args)
	cmd.SetIn(f.IOStreams.In)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	executed, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	return cmdutil.ReportError(f.IOStreams, executed, err)
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
			"secrets and variables, storage and volumes, dev mode, duplication and logs; create,\n" +
			"deploy a folder (as CI does), read files and delete.\n\n" +
			"The token comes from --token, HF_TOKEN, or the file `hf auth login` writes;\n" +
			"the Hub from --endpoint or HF_ENDPOINT. Try it all offline: `hfspaces demo`.",
		Example: "  $ hfspaces demo\n" +
			"  $ hfspaces deploy demo/my-app ./app -m \"Deploy $GITHUB_SHA\"\n" +
			"  $ hfspaces runtime demo/gradio-app\n" +
			"  $ hfspaces settings demo/gradio-app --hardware t4-small --wait\n" +
			"  $ hfspaces secrets add demo/gradio-app -s OPENAI_API_KEY",
		Version:       f.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Help without arguments; an unknown command is refused with a
		// suggestion on the same line, as for `hfspaces secrets lss`
		// (cobra's own puts it on lines of its own).
		Args: cobra.ArbitraryArgs,
		RunE: cmdutil.GroupRunE,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			if f.Globals.Debug {
				// The trace goes to standard error: no spinner to tear its lines.
				f.IOStreams.SetProgressIndicatorEnabled(false)
			}
		},
	}
	cmd.SetVersionTemplate("hfspaces {{.Version}}\n")
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })

	cmdutil.AddGlobalFlags(cmd.PersistentFlags(), f.Globals)

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
		create.NewCmdCreate(f, nil),
		deploy.NewCmdDeploy(f, nil),
		files.NewCmdFiles(f),
		deletecmd.NewCmdDelete(f, nil),
		plan.NewCmdPlan(f, nil),
		apply.NewCmdApply(f, nil),
		export.NewCmdExport(f, nil),
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
	noFileArguments(cmd)
	return cmd
}

// noFileArguments stops TAB from offering file names for arguments: no
// command takes a file as an argument (a Space id, a key, a tier), and
// file flags such as --env-file still complete files.
func noFileArguments(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 {
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
		noFileArguments(c)
	}
}
