// Package secrets implements `hfspaces secrets ls|add|delete`.
package secrets

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

// NewCmdSecrets builds `hfspaces secrets`.
func NewCmdSecrets(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secrets <command>",
		Short: "List, add and delete a Space's secrets",
		Long: "Secrets are environment variables whose values the Hub never shows again, not even\n" +
			"to you. Changing a secret restarts the Space.",
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdAdd(f, nil), NewCmdDelete(f, nil))
	return cmd
}

// ListOptions holds what `secrets ls` needs.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	Now    func() time.Time
	JSON   bool

	Space string
}

// NewCmdList builds `hfspaces secrets ls`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: f.Client, Now: f.Now}
	return &cobra.Command{
		Use:     "ls SPACE",
		Aliases: []string{"list"},
		Short:   "List a Space's secrets (names and descriptions, never values)",
		Example: "  $ hfspaces secrets ls demo/gradio-app",
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

type secretJSON struct {
	Key         string     `json:"key"`
	Description string     `json:"description"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

func listRun(ctx context.Context, opts *ListOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	return printSecrets(ctx, opts.IO, client, opts.Space, opts.JSON, opts.Now)
}

func printSecrets(ctx context.Context, ios *iostreams.IOStreams, client *hfhub.Client, space string, asJSON bool, now func() time.Time) error {
	m, err := client.Spaces.GetSecrets(ctx, space)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if asJSON {
		out := make([]secretJSON, 0, len(keys))
		for _, k := range keys {
			s := m[k]
			j := secretJSON{Key: k, Description: s.Description}
			if !s.UpdatedAt.IsZero() {
				j.UpdatedAt = &s.UpdatedAt
			}
			out = append(out, j)
		}
		return cmdutil.WriteJSON(ios, out)
	}
	if len(keys) == 0 {
		if ios.IsStdoutTTY() {
			fmt.Fprintf(ios.Out, "%s has no secrets. Add one with `hfspaces secrets add %s -s KEY`.\n", space, space)
		}
		return nil
	}
	cs := ios.ColorScheme()
	tp := tableprinter.New(ios, "KEY", "DESCRIPTION", "UPDATED")
	for _, k := range keys {
		s := m[k]
		tp.AddField(k, cs.Bold)
		tp.AddField(s.Description)
		if tp.IsTTY() {
			tp.AddField(cmdutil.TimeText(s.UpdatedAt, now()), cs.Gray)
		} else {
			tp.AddField(cmdutil.TimeRFC3339(s.UpdatedAt))
		}
		tp.EndRow()
	}
	return tp.Render()
}

// AddOptions holds what `secrets add` needs.
type AddOptions struct {
	IO        *iostreams.IOStreams
	Client    func() (*hfhub.Client, error)
	Prompter  cmdutil.Prompter
	LookupEnv func(string) (string, bool)
	Now       func() time.Time
	JSON      bool

	Space string
	Pairs []string // -s KEY=VALUE or -s KEY
	Files []string // --secrets-file
	// Description is the description to set; nil keeps each key's current
	// one (the Hub would otherwise drop it on an update).
	Description *string
}

// NewCmdAdd builds `hfspaces secrets add`.
func NewCmdAdd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	var description string
	opts := &AddOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter, LookupEnv: f.LookupEnv, Now: f.Now}
	cmd := &cobra.Command{
		Use:     "add SPACE -s KEY[=VALUE]... [--secrets-file FILE]",
		Aliases: []string{"set"},
		Short:   "Add or update secrets",
		Long: "Add secrets to a Space, or update them. Values come from:\n\n" +
			"  -s KEY=VALUE        the command line (visible in your shell history and `ps`)\n" +
			"  -s KEY              the environment variable KEY, or else a hidden prompt on a terminal\n" +
			"  --secrets-file F    a .env file (KEY=VALUE lines; - reads standard input)\n\n" +
			"Values are never printed, logged or shown in errors.",
		Example: "  $ hfspaces secrets add demo/gradio-app -s OPENAI_API_KEY          # from $OPENAI_API_KEY or a prompt\n" +
			"  $ hfspaces secrets add demo/gradio-app --secrets-file .env.secrets\n" +
			"  $ hfspaces secrets add demo/gradio-app -s DB_PASSWORD --description \"Postgres password\"",
		Args: cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			opts.Description = nil
			if cmd.Flags().Changed("description") {
				opts.Description = &description
			}
			if len(opts.Pairs) == 0 && len(opts.Files) == 0 {
				return cmdutil.FlagErrorf("no secrets given: use -s KEY=VALUE, -s KEY or --secrets-file FILE")
			}
			if runF != nil {
				return runF(opts)
			}
			return addRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Pairs, "secret", "s", nil, "secret as KEY=VALUE, or KEY to read $KEY or prompt (repeatable)")
	cmd.Flags().StringArrayVar(&opts.Files, "secrets-file", nil, "read secrets from a .env file (repeatable; - for standard input)")
	cmd.Flags().StringVar(&description, "description", "", "description of the secrets (default: keep the current one)")
	return cmd
}

func addRun(ctx context.Context, opts *AddOptions) error {
	spec := cmdutil.EnvSpec{Kind: "secret", Flag: "-s", Pairs: opts.Pairs, Files: opts.Files, LookupEnv: opts.LookupEnv, Stdin: opts.IO.In}
	if opts.IO.IsStdinTTY() {
		spec.Ask = func(key string) (string, error) {
			v, err := opts.Prompter.Password(ctx, fmt.Sprintf("Value of secret %s (hidden):", key))
			if err != nil {
				return "", fmt.Errorf("reading the value of %s: %w", key, err)
			}
			return v, nil
		}
	}
	secrets, err := spec.Collect()
	if err != nil {
		return err
	}
	if len(secrets) == 0 {
		return cmdutil.FlagErrorf("no secrets found in %s", strings.Join(opts.Files, ", "))
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	current := map[string]hfhub.SpaceSecret{}
	if opts.Description == nil {
		if current, err = client.Spaces.GetSecrets(ctx, opts.Space); err != nil {
			return err
		}
	}
	cs := opts.IO.ColorScheme()
	for _, s := range secrets {
		description := current[s.Key].Description
		if opts.Description != nil {
			description = *opts.Description
		}
		if err := client.Spaces.AddSecret(ctx, opts.Space, s.Key, s.Value, &hfhub.SecretOptions{Description: description}); err != nil {
			return fmt.Errorf("setting secret %s: %w", s.Key, err)
		}
		cmdutil.Success(opts.IO, "Set secret %s on %s", cs.Bold(s.Key), opts.Space)
	}
	if opts.JSON {
		return printSecrets(ctx, opts.IO, client, opts.Space, true, opts.Now)
	}
	return nil
}

// DeleteOptions holds what `secrets delete` needs.
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

// NewCmdDelete builds `hfspaces secrets delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter, Now: f.Now}
	return &cobra.Command{
		Use:     "delete SPACE KEY...",
		Aliases: []string{"rm"},
		Short:   "Delete secrets",
		Long:    "Delete secrets from a Space. Asks for confirmation on a terminal; needs --yes otherwise.\nDeleting a secret that does not exist is not an error.",
		Example: "  $ hfspaces secrets delete demo/gradio-app OPENAI_API_KEY\n  $ hfspaces secrets delete demo/gradio-app OLD_A OLD_B --yes",
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
		IO: opts.IO, Prompter: opts.Prompter, Yes: opts.Yes, Kind: "secret", Space: opts.Space, Keys: opts.Keys, Client: opts.Client,
		Delete: func(ctx context.Context, c *hfhub.Client, space, key string) error {
			return c.Spaces.DeleteSecret(ctx, space, key)
		},
	})
	if err != nil {
		return err
	}
	if opts.JSON {
		return printSecrets(ctx, opts.IO, client, opts.Space, true, opts.Now)
	}
	return nil
}
