// Package apply implements `hfspaces apply`.
package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/fleet"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/hfhub-go/hfhub/internal/cli/plan"
	"github.com/spf13/cobra"
)

// ApplyOptions holds what `apply` needs.
type ApplyOptions struct {
	IO           *iostreams.IOStreams
	Client       func() (*hfhub.Client, error)
	Prompter     cmdutil.Prompter
	LookupEnv    func(string) (string, bool)
	JSON         bool
	Yes          bool
	Wait         bool
	Timeout      time.Duration
	WaitInterval time.Duration
	plan.FleetFlags
}

// NewCmdApply builds `hfspaces apply`.
func NewCmdApply(f *cmdutil.Factory, runF func(*ApplyOptions) error) *cobra.Command {
	opts := &ApplyOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter}
	cmd := &cobra.Command{
		Use:   "apply -f FILE",
		Short: "Make Spaces match a fleet file",
		Long: "Plan as `hfspaces plan` does, show the plan, ask for confirmation (on a terminal;\n" +
			"--yes otherwise) and apply it: create missing Spaces, change what differs, deploy\n" +
			"source folders. Spaces are changed a few at a time; one that fails does not stop\n" +
			"the others. A summary follows; the exit code is 1 if any Space failed (8 if --wait\n" +
			"timed out while Spaces were still building or starting, and none failed).\n\n" +
			"Applying again right away sends no write: a secret whose value has not changed is\n" +
			"not rewritten (see the README on how that is known without storing the value).",
		Example: "  $ hfspaces apply -f spaces.yaml\n" +
			"  $ hfspaces apply -f spaces.yaml --yes --wait\n" +
			"  $ hfspaces apply -f spaces.yaml --prune --yes   # also delete unlisted variables and secrets",
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			opts.LookupEnv = f.LookupEnv
			opts.WaitInterval = f.WaitInterval
			if err := opts.Check(); err != nil {
				return err
			}
			if opts.Timeout <= 0 {
				return cmdutil.FlagErrorf("--timeout must be positive")
			}
			if opts.File == "-" && !opts.Yes {
				return cmdutil.FlagErrorf("with -f - the file comes from standard input, which cannot answer the confirmation too: pass --yes")
			}
			if runF != nil {
				return runF(opts)
			}
			return applyRun(cmd.Context(), opts)
		},
	}
	plan.AddFleetFlags(cmd.Flags(), &opts.FleetFlags)
	cmd.Flags().BoolVar(&opts.Wait, "wait", false, "wait for every changed Space to settle")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 30*time.Minute, "with --wait, how long to wait in all")
	return cmd
}

func applyRun(ctx context.Context, opts *ApplyOptions) error {
	file, err := plan.ReadFile(opts.IO, opts.File, opts.LookupEnv)
	if err != nil {
		return err
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	cs, err := plan.Compute(ctx, opts.IO, client, file, opts.Options())
	if err != nil {
		return err
	}
	// The plan goes to standard error with --json, which keeps standard
	// output for the result.
	planOut := opts.IO.Out
	planCS := opts.IO.ColorScheme()
	if opts.JSON {
		planOut, planCS = opts.IO.ErrOut, opts.IO.ErrColorScheme()
	}
	plan.Render(planOut, planCS, cs)
	if !cs.Pending() {
		if opts.JSON {
			if err := cmdutil.WriteJSON(opts.IO, &fleet.Result{Spaces: []fleet.SpaceResult{}}); err != nil {
				return err
			}
		}
		if cs.Errors > 0 {
			return cmdutil.ErrSilent
		}
		fmt.Fprintln(planOut, "Nothing to change.")
		return nil
	}
	what := fmt.Sprintf("create %d and change %d Spaces", cs.Create, cs.Update)
	if err := cmdutil.ConfirmDestructive(ctx, opts.IO, opts.Prompter, opts.Yes, what); err != nil {
		return err
	}

	// --timeout bounds the waiting, not the changes: every change is sent
	// first, however long it takes.
	ao := &fleet.ApplyOptions{Wait: opts.Wait, WaitTimeout: opts.Timeout}
	ao.WaitOptions.PollInterval = opts.WaitInterval
	ios := opts.IO
	ecs := ios.ErrColorScheme()
	ios.StartProgressIndicator(fmt.Sprintf("Applying changes to %d Spaces", cs.Create+cs.Update))
	res := fleet.Apply(ctx, client, cs, ao)
	ios.StopProgressIndicator()
	// Printed once all are done, in the file's order: the --debug trace
	// shares standard error while Spaces are changed concurrently.
	for _, r := range res.Spaces {
		switch {
		case r.Err != nil:
			fmt.Fprintf(ios.ErrOut, "%s %s: %s\n", ecs.FailureIcon(), r.ID, iostreams.Sanitize(cmdutil.DescribeError(r.Err)))
		case r.Action == fleet.ActionCreate || r.Action == fleet.ActionUpdate:
			line := fmt.Sprintf("%s %s: %s", ecs.SuccessIcon(), r.ID, strings.Join(r.Done, ", "))
			if r.Stage != "" {
				line += " (" + iostreams.Sanitize(string(r.Stage)) + ")"
			}
			fmt.Fprintln(ios.ErrOut, line)
		}
	}
	if err := ctx.Err(); err != nil {
		// Interrupted: what was done is printed above; say no more.
		return err
	}
	if opts.JSON {
		if err := cmdutil.WriteJSON(opts.IO, res); err != nil {
			return err
		}
	}
	summary := fmt.Sprintf("Applied: %d changed, %d failed.", res.Changed, res.Failed)
	if res.Failed > 0 {
		fmt.Fprintf(planOut, "%s %s\n", planCS.FailureIcon(), summary)
		if onlyTimedOut(res) {
			// As wait and the other --wait commands: still moving, not failed.
			return &cmdutil.ExitError{Code: cmdutil.ExitPending, Err: cmdutil.ErrSilent}
		}
		return cmdutil.ErrSilent
	}
	fmt.Fprintf(planOut, "%s %s\n", planCS.SuccessIcon(), summary)
	return nil
}

// onlyTimedOut reports whether every failure is --wait's timeout.
func onlyTimedOut(res *fleet.Result) bool {
	for _, r := range res.Spaces {
		if r.Err != nil && !errors.Is(r.Err, fleet.ErrWaitTimeout) {
			return false
		}
	}
	return true
}
