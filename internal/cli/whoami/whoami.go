// Package whoami implements `hfspaces whoami`.
package whoami

import (
	"context"
	"fmt"
	"strings"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// WhoamiOptions holds what `whoami` needs.
type WhoamiOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool
}

// NewCmdWhoami builds `hfspaces whoami`.
func NewCmdWhoami(f *cmdutil.Factory, runF func(*WhoamiOptions) error) *cobra.Command {
	opts := &WhoamiOptions{IO: f.IOStreams, Client: f.Client}
	return &cobra.Command{
		Use:   "whoami",
		Short: "Show the account behind the token",
		Long: "Show the account the token belongs to, its organizations and the token's role.\n\n" +
			"The token comes from --token, HF_TOKEN, or the file that `hf auth login` writes.",
		Example: "  $ hfspaces whoami\n  $ HF_TOKEN=hf_xxx hfspaces whoami --json",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return whoamiRun(cmd.Context(), opts)
		},
	}
}

type userJSON struct {
	Name      string   `json:"name"`
	FullName  string   `json:"fullname"`
	Type      string   `json:"type"`
	Orgs      []string `json:"orgs"`
	TokenName string   `json:"token_name"`
	TokenRole string   `json:"token_role"`
	Endpoint  string   `json:"endpoint"`
}

func whoamiRun(ctx context.Context, opts *WhoamiOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	if !client.HasToken() {
		return &cmdutil.ExitError{Code: cmdutil.ExitAuth, Err: fmt.Errorf("not logged in: no token.\nPass one with --token or HF_TOKEN, or run `hf auth login`")}
	}
	user, err := client.WhoAmI(ctx)
	if err != nil {
		return err
	}
	orgs := make([]string, 0, len(user.Orgs))
	for _, o := range user.Orgs {
		orgs = append(orgs, o.Name)
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, userJSON{Name: user.Name, FullName: user.FullName, Type: user.Type, Orgs: orgs,
			TokenName: user.TokenName, TokenRole: user.TokenRole, Endpoint: client.Endpoint()})
	}
	if !opts.IO.IsStdoutTTY() {
		return cmdutil.PrintFields(opts.IO, []cmdutil.Field{
			{Key: "name", Value: user.Name},
			{Key: "type", Value: user.Type},
			{Key: "orgs", Value: strings.Join(orgs, ",")},
			{Key: "token_role", Value: user.TokenRole},
			{Key: "endpoint", Value: client.Endpoint()},
		})
	}
	cs := opts.IO.ColorScheme()
	fmt.Fprintf(opts.IO.Out, "%s Logged in to %s as %s\n", cs.SuccessIcon(), client.Endpoint(), cs.Bold(user.Name))
	orgText := "none"
	if len(orgs) > 0 {
		orgText = strings.Join(orgs, ", ")
	}
	role := user.TokenRole
	if role == "" {
		role = "unknown"
	}
	if user.TokenName != "" {
		role += " (" + user.TokenName + ")"
	}
	return cmdutil.PrintFields(opts.IO, []cmdutil.Field{
		{Label: "Account", Value: user.Type},
		{Label: "Organizations", Value: orgText},
		{Label: "Token role", Value: role},
	})
}
