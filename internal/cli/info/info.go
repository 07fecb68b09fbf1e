// Package info implements `hfspaces info`.
package info

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/hfhub-go/hfhub/internal/cli/runtimecmd"
	"github.com/spf13/cobra"
)

// InfoOptions holds what `info` needs.
type InfoOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	Now    func() time.Time
	JSON   bool

	Space string
}

// NewCmdInfo builds `hfspaces info`.
func NewCmdInfo(f *cmdutil.Factory, runF func(*InfoOptions) error) *cobra.Command {
	opts := &InfoOptions{IO: f.IOStreams, Client: f.Client, Now: f.Now}
	return &cobra.Command{
		Use:     "info SPACE",
		Short:   "Show a Space's details and runtime",
		Long:    "Show a Space's metadata (author, SDK, visibility, likes, last change) and its runtime.",
		Example: "  $ hfspaces info demo/gradio-app\n  $ hfspaces info demo/gradio-app --json",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return infoRun(cmd.Context(), opts)
		},
	}
}

type infoJSON struct {
	ID           string               `json:"id"`
	Author       string               `json:"author"`
	SDK          *string              `json:"sdk"`
	Private      bool                 `json:"private"`
	Likes        int                  `json:"likes"`
	LastModified *time.Time           `json:"last_modified"`
	Subdomain    *string              `json:"subdomain"`
	URL          string               `json:"url"`
	Runtime      *cmdutil.RuntimeJSON `json:"runtime"`
}

func infoRun(ctx context.Context, opts *InfoOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	space, err := client.Spaces.GetInfo(ctx, opts.Space)
	if err != nil {
		return err
	}
	id := space.ID
	if id == "" {
		id = opts.Space
	}
	url := strings.TrimSuffix(client.Endpoint(), "/") + "/spaces/" + id
	if opts.JSON {
		out := infoJSON{ID: id, Author: space.Author, Private: space.Private, Likes: space.Likes, URL: url}
		if space.SDK != "" {
			out.SDK = &space.SDK
		}
		if space.Subdomain != "" {
			out.Subdomain = &space.Subdomain
		}
		if !space.LastModified.IsZero() {
			out.LastModified = &space.LastModified
		}
		if space.Runtime != nil {
			rt := cmdutil.NewRuntimeJSON(space.Runtime)
			out.Runtime = &rt
		}
		return cmdutil.WriteJSON(opts.IO, out)
	}
	visibility := "public"
	if space.Private {
		visibility = "private"
	}
	sdk := space.SDK
	if space.Runtime != nil && space.Runtime.SDKVersion != "" {
		sdk += " " + space.Runtime.SDKVersion
	}
	if sdk == "" {
		sdk = "-"
	}
	updated := space.LastModified.UTC().Format(time.RFC3339)
	if opts.IO.IsStdoutTTY() {
		updated = cmdutil.TimeText(space.LastModified, opts.Now())
	}
	cs := opts.IO.ColorScheme()
	fields := []cmdutil.Field{
		{Label: "URL", Key: "url", Value: url, Color: cs.Cyan},
		{Label: "Author", Key: "author", Value: space.Author},
		{Label: "SDK", Key: "sdk", Value: sdk},
		{Label: "Visibility", Key: "visibility", Value: visibility},
		{Label: "Likes", Key: "likes", Value: strconv.Itoa(space.Likes)},
		{Label: "Updated", Key: "last_modified", Value: updated},
	}
	if space.Runtime != nil {
		fields = append(fields, runtimecmd.RuntimeFields(cs, space.Runtime)...)
	}
	if opts.IO.IsStdoutTTY() {
		fmt.Fprintln(opts.IO.Out, cs.Bold(id))
	}
	return cmdutil.PrintFields(opts.IO, fields)
}
