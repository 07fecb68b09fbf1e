// Package variables implements `hfspaces variables ls|add|delete`.
package variables

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/hfhub-go/hfhub/internal/cli/tableprinter"
	"github.com/spf13/cobra"
)

// NewCmdVariables builds `hfspaces variables`.
func NewCmdVariables(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "variables <command>",
		Aliases: []string{"vars"},
		Short:   "List, add and delete a Space's public variables",
		Long: "Variables are environment variables of a Space whose values anyone who can see the\n" +
			"Space can read. Use `hfspaces secrets` for values that must stay private.",
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdAdd(f, nil), NewCmdDelete(f, nil))
	return cmd
}

// ListOptions holds what `variables ls` needs.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	Now    func() time.Time
	JSON   bool

	Space string
}

// NewCmdList builds `hfspaces variables ls`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: f.Client, Now: f.Now}
	return &cobra.Command{
		Use:     "ls SPACE",
		Aliases: []string{"list"},
		Short:   "List a Space's variables",
		Example: "  $ hfspaces variables ls demo/gradio-app\n  $ hfspaces variables ls demo/gradio-app --json",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
}

type variableJSON struct {
	Key         string     `json:"key"`
	Value       string     `json:"value"`
	Description string     `json:"description"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

func listRun(ctx context.Context, opts *ListOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	m, err := client.Spaces.GetVariables(ctx, opts.Space)
	if err != nil {
		return err
	}
	return printVariables(opts.IO, opts.Space, m, opts.JSON, opts.Now)
}

func printVariables(ios *iostreams.IOStreams, space string, m map[string]hfhub.SpaceVariable, asJSON bool, now func() time.Time) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if asJSON {
		out := make([]variableJSON, 0, len(keys))
		for _, k := range keys {
			v := m[k]
			j := variableJSON{Key: k, Value: v.Value, Description: v.Description}
			if !v.UpdatedAt.IsZero() {
				j.UpdatedAt = &v.UpdatedAt
			}
			out = append(out, j)
		}
		return cmdutil.WriteJSON(ios, out)
	}
	if len(keys) == 0 {
		if ios.IsStdoutTTY() {
			fmt.Fprintf(ios.Out, "%s has no variables. Add one with `hfspaces variables add %s -e KEY=VALUE`.\n", space, space)
		}
		return nil
	}
	cs := ios.ColorScheme()
	tp := tableprinter.New(ios, "KEY", "VALUE", "DESCRIPTION", "UPDATED")
	for _, k := range keys {
		v := m[k]
		tp.AddField(k, cs.Bold)
		tp.AddField(v.Value)
		tp.AddField(v.Description)
		if tp.IsTTY() {
			tp.AddField(cmdutil.TimeText(v.UpdatedAt, now()), cs.Gray)
		} else {
			tp.AddField(cmdutil.TimeRFC3339(v.UpdatedAt))
		}
		tp.EndRow()
	}
	return tp.Render()
}

// AddOptions holds what `variables add` needs.
type AddOptions struct {
	IO        *iostreams.IOStreams
	Client    func() (*hfhub.Client, error)
	LookupEnv func(string) (string, bool)
	Now       func() time.Time
	JSON      bool

	Space string
	Pairs []string // -e KEY=VALUE or -e KEY
	Files []string // --env-file
	// Description is the description to set; nil keeps each key's current
	// one (the Hub would otherwise drop it on an update).
	Description *string
}

// NewCmdAdd builds `hfspaces variables add`.
func NewCmdAdd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	var description string
	opts := &AddOptions{IO: f.IOStreams, Client: f.Client, LookupEnv: f.LookupEnv, Now: f.Now}
	cmd := &cobra.Command{
		Use:     "add SPACE -e KEY=VALUE... [--env-file FILE] [--description D]",
		Aliases: []string{"set"},
		Short:   "Add or update variables",
		Long: "Add variables to a Space, or update them (with the same key).\n\n" +
			"  -e KEY=VALUE      the command line\n" +
			"  -e KEY            the environment variable KEY\n" +
			"  --env-file F      a .env file (KEY=VALUE lines; - reads standard input)",
		Example: "  $ hfspaces variables add demo/gradio-app -e MODEL_ID=gpt2 --description \"model to serve\"\n" +
			"  $ hfspaces variables add demo/gradio-app --env-file .env",
		Args: cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			opts.Description = nil
			if cmd.Flags().Changed("description") {
				opts.Description = &description
			}
			if len(opts.Pairs) == 0 && len(opts.Files) == 0 {
				return cmdutil.FlagErrorf("no variables given: use -e KEY=VALUE, -e KEY or --env-file FILE")
			}
			if runF != nil {
				return runF(opts)
			}
			return addRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Pairs, "env", "e", nil, "variable as KEY=VALUE, or KEY to read $KEY (repeatable)")
	cmd.Flags().StringArrayVar(&opts.Files, "env-file", nil, "read variables from a .env file (repeatable; - for standard input)")
	cmd.Flags().StringVar(&description, "description", "", "description of the variables (default: keep the current one)")
	return cmd
}

func addRun(ctx context.Context, opts *AddOptions) error {
	vars, err := cmdutil.EnvSpec{Kind: "variable", Flag: "-e", Pairs: opts.Pairs, Files: opts.Files, LookupEnv: opts.LookupEnv, Stdin: opts.IO.In}.Collect()
	if err != nil {
		return err
	}
	if len(vars) == 0 {
		return cmdutil.FlagErrorf("no variables found in %s", strings.Join(opts.Files, ", "))
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	current := map[string]hfhub.SpaceVariable{}
	if opts.Description == nil {
		if current, err = client.Spaces.GetVariables(ctx, opts.Space); err != nil {
			return err
		}
	}
	cs := opts.IO.ColorScheme()
	for _, v := range vars {
		description := current[v.Key].Description
		if opts.Description != nil {
			description = *opts.Description
		}
		if _, err := client.Spaces.AddVariable(ctx, opts.Space, v.Key, v.Value, &hfhub.VariableOptions{Description: description}); err != nil {
			return fmt.Errorf("setting variable %s: %w", v.Key, err)
		}
		cmdutil.Success(opts.IO, "Set variable %s=%s on %s", cs.Bold(v.Key), iostreams.Sanitize(v.Value), opts.Space)
	}
	if opts.JSON {
		m, err := client.Spaces.GetVariables(ctx, opts.Space)
		if err != nil {
			return err
		}
		return printVariables(opts.IO, opts.Space, m, true, opts.Now)
	}
	return nil
}

// DeleteOptions holds what `variables delete` needs.
type DeleteOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*hfhub.Client, error)
	Prompter cmdutil.Prompter
	Now      func() time.Time
	JSON     bool
	Yes      bool

	Space string
	Keys  []string
}

// NewCmdDelete builds `hfspaces variables delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter, Now: f.Now}
	return &cobra.Command{
		Use:     "delete SPACE KEY...",
		Aliases: []string{"rm"},
		Short:   "Delete variables",
		Long:    "Delete variables from a Space. Asks for confirmation on a terminal; needs --yes otherwise.\nDeleting a variable that does not exist is not an error.",
		Example: "  $ hfspaces variables delete demo/gradio-app MODEL_ID --yes",
		Args:    cmdutil.MinArgs(2, "missing arguments: SPACE and at least one KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space, opts.Keys = args[0], args[1:]
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			if runF != nil {
				return runF(opts)
			}
			return deleteRun(cmd.Context(), opts)
		},
	}
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	client, err := cmdutil.DeleteKeys(ctx, cmdutil.DeleteKeysOptions{
		IO: opts.IO, Prompter: opts.Prompter, Yes: opts.Yes, Kind: "variable", Space: opts.Space, Keys: opts.Keys, Client: opts.Client,
		Delete: func(ctx context.Context, c *hfhub.Client, space, key string) error {
			return c.Spaces.DeleteVariable(ctx, space, key)
		},
	})
	if err != nil {
		return err
	}
	if opts.JSON {
		m, err := client.Spaces.GetVariables(ctx, opts.Space)
		if err != nil {
			return err
		}
		return printVariables(opts.IO, opts.Space, m, true, opts.Now)
	}
	return nil
}
