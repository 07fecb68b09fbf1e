// Package deletecmd implements `hfspaces delete`.
package deletecmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// DeleteOptions holds what `delete` needs.
type DeleteOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*hfhub.Client, error)
	Prompter cmdutil.Prompter
	JSON     bool
	Yes      bool

	Space     string
	MissingOK bool
}

// NewCmdDelete builds `hfspaces delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter}
	cmd := &cobra.Command{
		Use:   "delete SPACE [--yes]",
		Short: "Delete a Space, its files and its history",
		Long: "Delete a Space for good: its files, its history, its secrets and its storage.\n" +
			"There is no undo.\n\n" +
			"On a terminal you confirm by typing the Space id. Elsewhere (a script, CI) it\n" +
			"needs --yes.",
		Example: "  $ hfspaces delete demo/old-app\n" +
			"  $ hfspaces delete demo/pr-42-preview --yes --missing-ok   # in CI",
		Args: cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			if runF != nil {
				return runF(opts)
			}
			return deleteRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.MissingOK, "missing-ok", false, "succeed if the Space does not exist")
	return cmd
}

type resultJSON struct {
	RepoID  string `json:"repo_id"`
	Deleted bool   `json:"deleted"`
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	// Nobody should type an id the Hub would refuse anyway.
	if err := hfhub.ValidateRepoID(opts.Space); err != nil {
		return err
	}
	if err := cmdutil.ConfirmByTyping(ctx, opts.IO, opts.Prompter, opts.Yes, "delete the Space "+opts.Space, opts.Space); err != nil {
		return err
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	opts.IO.StartProgressIndicator("Deleting " + opts.Space)
	// Without the library's MissingOK, to tell "deleted" from "was not
	// there" (a retry that finds it gone is success in the library either way).
	err = client.Spaces.Delete(ctx, opts.Space, nil)
	opts.IO.StopProgressIndicator()
	if errors.Is(err, hfhub.ErrNotFound) && opts.MissingOK {
		if opts.JSON {
			return cmdutil.WriteJSON(opts.IO, resultJSON{RepoID: opts.Space, Deleted: false})
		}
		cmdutil.Success(opts.IO, "%s does not exist; nothing to delete", opts.IO.ColorScheme().Bold(opts.Space))
		return nil
	}
	if errors.Is(err, hfhub.ErrNotFound) {
		// The Hub's answer names no Space: the request's URL is
		// /api/repos/delete for every repository.
		return fmt.Errorf("Space %s not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`; --missing-ok makes this a success", opts.Space)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, resultJSON{RepoID: opts.Space, Deleted: true})
	}
	cmdutil.Success(opts.IO, "Deleted %s", opts.IO.ColorScheme().Bold(opts.Space))
	return nil
}
