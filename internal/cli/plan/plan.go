// Package plan implements `hfspaces plan`, and the reading and printing
// of fleet files and plans that `apply` shares.
package plan

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/fleet"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/deploy"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ExitPending is plan's exit code when there are changes to apply, as
// `terraform plan -detailed-exitcode` has it.
const ExitPending = 2

// FleetFlags are the flags plan and apply share.
type FleetFlags struct {
	File                string
	Prune               bool
	KeepUnmarkedSecrets bool
	Concurrency         int
}

// AddFleetFlags defines the shared flags on fs.
func AddFleetFlags(fs *pflag.FlagSet, ff *FleetFlags) {
	fs.StringVarP(&ff.File, "file", "f", "", "the fleet file (spaces.yaml); - reads standard input")
	fs.BoolVar(&ff.Prune, "prune", false, "delete variables, secrets and source files the file does not have")
	fs.BoolVar(&ff.KeepUnmarkedSecrets, "keep-unmarked-secrets", false, "leave secrets set outside hfspaces (no marker) alone instead of rewriting them")
	fs.IntVar(&ff.Concurrency, "concurrency", 8, "how many Spaces to read or change at once")
}

// Check validates the shared flags.
func (ff *FleetFlags) Check() error {
	if ff.File == "" {
		return cmdutil.FlagErrorf("missing the fleet file: pass -f spaces.yaml (or -f - for standard input)")
	}
	if ff.Concurrency < 1 || ff.Concurrency > 64 {
		return cmdutil.FlagErrorf("--concurrency %d: want 1 to 64", ff.Concurrency)
	}
	return nil
}

// Options turns the flags into the library's options.
func (ff *FleetFlags) Options() *fleet.Options {
	return &fleet.Options{Concurrency: ff.Concurrency, Prune: ff.Prune, KeepUnmarkedSecrets: ff.KeepUnmarkedSecrets,
		SourceFilter: deploy.IgnoreFilter}
}

// ReadFile reads the fleet file named by -f ("-": standard input),
// resolving secret references with lookupEnv.
func ReadFile(ios *iostreams.IOStreams, name string, lookupEnv func(string) (string, bool)) (*fleet.File, error) {
	po := &fleet.ParseOptions{LookupEnv: lookupEnv}
	if name == "-" {
		return fleet.ReadFile(ios.In, "<stdin>", po)
	}
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return fleet.ReadFile(fh, name, po)
}

// PlanOptions holds what `plan` needs.
type PlanOptions struct {
	IO        *iostreams.IOStreams
	Client    func() (*hfhub.Client, error)
	LookupEnv func(string) (string, bool)
	JSON      bool
	FleetFlags
}

// NewCmdPlan builds `hfspaces plan`.
func NewCmdPlan(f *cmdutil.Factory, runF func(*PlanOptions) error) *cobra.Command {
	opts := &PlanOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "plan -f FILE",
		Short: "Show what `apply` would change to make Spaces match a file",
		Long: "Read every Space a fleet file (spaces.yaml) lists, compare it with the file and\n" +
			"print what `hfspaces apply` would create or change: attributes (old → new),\n" +
			"variables, secrets (by key only, never a value), files of a source folder; and\n" +
			"the fleet's cost per hour and per month before → after, from the Hub's hardware\n" +
			"catalog. Nothing is changed.\n\n" +
			"Exit code: 0 nothing to change, 2 changes pending, 1 an error.\n" +
			"See the README for the file's format.",
		Example: "  $ hfspaces plan -f spaces.yaml\n" +
			"  $ hfspaces export --author my-org | hfspaces plan -f -\n" +
			"  $ hfspaces plan -f spaces.yaml --json | jq '.spaces[] | select(.action != \"none\")'",
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Globals.JSON
			opts.LookupEnv = f.LookupEnv
			if err := opts.Check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return planRun(cmd.Context(), opts)
		},
	}
	AddFleetFlags(cmd.Flags(), &opts.FleetFlags)
	return cmd
}

func planRun(ctx context.Context, opts *PlanOptions) error {
	file, err := ReadFile(opts.IO, opts.File, opts.LookupEnv)
	if err != nil {
		return err
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	cs, err := Compute(ctx, opts.IO, client, file, opts.Options())
	if err != nil {
		return err
	}
	if opts.JSON {
		if err := cmdutil.WriteJSON(opts.IO, cs); err != nil {
			return err
		}
	} else {
		Render(opts.IO.Out, opts.IO.ColorScheme(), cs)
	}
	switch {
	case cs.Errors > 0:
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: cmdutil.ErrSilent}
	case cs.Pending():
		return &cmdutil.ExitError{Code: ExitPending, Err: cmdutil.ErrSilent}
	}
	return nil
}

// Compute plans the file with a progress indicator.
func Compute(ctx context.Context, ios *iostreams.IOStreams, c *hfhub.Client, file *fleet.File, o *fleet.Options) (*fleet.Changeset, error) {
	ios.StartProgressIndicator(fmt.Sprintf("Reading %d Spaces", len(file.Spaces)))
	defer ios.StopProgressIndicator()
	return fleet.Plan(ctx, c, file, o)
}

// Render prints a plan for a person: the Spaces that change, each
// change, the cost before → after and a summary. No secret value is in
// a plan, so none can be printed.
func Render(w io.Writer, cs *iostreams.ColorScheme, plan *fleet.Changeset) {
	for _, sc := range plan.Spaces {
		switch sc.Action {
		case fleet.ActionNone:
			if len(sc.Warnings) == 0 {
				continue
			}
			fmt.Fprintf(w, "%s %s %s\n", cs.Gray("="), sc.ID, cs.Gray("(no change)"))
		case fleet.ActionCreate:
			fmt.Fprintf(w, "%s %s %s\n", cs.Green("+"), cs.Bold(sc.ID), cs.Green("(create)"))
		case fleet.ActionUpdate:
			fmt.Fprintf(w, "%s %s %s\n", cs.Yellow("~"), cs.Bold(sc.ID), cs.Yellow("(update)"))
		case fleet.ActionError:
			fmt.Fprintf(w, "%s %s: %s\n", cs.FailureIcon(), cs.Bold(sc.ID), iostreams.Sanitize(sc.Error))
			continue
		}
		for _, c := range sc.Changes {
			fmt.Fprintf(w, "    %s\n", changeText(cs, c))
			if c.Attribute == "files" {
				for _, p := range sc.Upload {
					fmt.Fprintf(w, "        %s %s\n", cs.Green("+"), iostreams.Sanitize(p))
				}
				for _, p := range sc.Delete {
					fmt.Fprintf(w, "        %s %s\n", cs.Red("-"), iostreams.Sanitize(p))
				}
			}
		}
		for _, warn := range sc.Warnings {
			fmt.Fprintf(w, "    %s %s\n", cs.WarningIcon(), iostreams.Sanitize(warn))
		}
	}
	if len(plan.Spaces) > 0 && (plan.Pending() || plan.Errors > 0) {
		fmt.Fprintln(w)
	}
	c := plan.Cost
	if c.Error != "" {
		fmt.Fprintf(w, "%s Cost unknown: %s\n", cs.WarningIcon(), iostreams.Sanitize(c.Error))
	} else {
		fmt.Fprintf(w, "Cost per hour:  %s\n", beforeAfter(cs, c.HourlyBeforeMicroUSD, c.HourlyAfterMicroUSD))
		fmt.Fprintf(w, "Cost per month: %s\n", beforeAfter(cs, c.MonthlyBeforeMicroUSD, c.MonthlyAfterMicroUSD))
		fmt.Fprintf(w, "%s\n", cs.Gray(fmt.Sprintf("  an upper bound: every Space counts as awake all month (%d h) unless asleep or paused;", c.HoursPerMonth)))
		fmt.Fprintf(w, "%s\n", cs.Gray("  prices from the Hub's hardware catalog"))
		if len(c.Unpriced) > 0 {
			fmt.Fprintf(w, "  %s no price in the catalog for %s (counted as free)\n", cs.WarningIcon(), strings.Join(c.Unpriced, ", "))
		}
	}
	summary := fmt.Sprintf("Plan: %d to create, %d to change, %d unchanged", plan.Create, plan.Update, plan.Unchanged)
	if plan.Errors > 0 {
		summary += fmt.Sprintf(", %d with errors", plan.Errors)
	}
	fmt.Fprintln(w, summary+".")
}

// changeText shows a change; its values may come from the Hub (a
// variable's value), so control characters are neutralised.
func changeText(cs *iostreams.ColorScheme, c fleet.Change) string {
	c.Attribute, c.Old, c.New = iostreams.Sanitize(c.Attribute), iostreams.Sanitize(c.Old), iostreams.Sanitize(c.New)
	var s string
	switch c.Kind {
	case "add":
		s = cs.Green("+ ") + c.Attribute
		if c.New != "" {
			s += ": " + c.New
		}
	case "delete":
		s = cs.Red("- ") + c.Attribute
		if c.Old != "" {
			s += cs.Gray(" (was " + c.Old + ")")
		}
	default:
		s = cs.Yellow("~ ") + c.Attribute
		if c.Old != "" || c.New != "" {
			s += ": " + c.Old + " → " + c.New
		}
	}
	if c.Note != "" {
		s += cs.Gray(" (" + c.Note + ")")
	}
	return s
}

func beforeAfter(cs *iostreams.ColorScheme, before, after int64) string {
	s := usd(before) + " → " + usd(after)
	switch {
	case after > before:
		s += cs.Yellow(" (+" + usd(after-before) + ")")
	case after < before:
		s += cs.Green(" (-" + usd(before-after) + ")")
	}
	return s
}

// usd formats millionths of a dollar as dollars and cents.
func usd(micro int64) string {
	cents := (micro + 5000) / 10000
	return fmt.Sprintf("$%d.%02d", cents/100, cents%100)
}
