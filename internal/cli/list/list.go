// Package list implements `hfspaces list`.
package list

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/hfhub-go/hfhub/internal/cli/tableprinter"
	"github.com/spf13/cobra"
)

// ListOptions holds what `list` needs.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Author string
	Search string
	Limit  int
}

// NewCmdList builds `hfspaces list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List Spaces",
		Long:    "List Spaces on the Hub, optionally only one author's or those matching a search.",
		Example: "  $ hfspaces list --author demo\n  $ hfspaces list --search chat --limit 5\n  $ hfspaces list --author demo --json",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.Globals.JSON
			if opts.Limit < 0 {
				return cmdutil.FlagErrorf("--limit must be 0 (no limit) or more, not %d", opts.Limit)
			}
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Author, "author", "", "only Spaces of this user or organization")
	cmd.Flags().StringVar(&opts.Search, "search", "", "only Spaces whose id contains this text")
	cmd.Flags().IntVar(&opts.Limit, "limit", 30, "show at most this many Spaces (0: all)")
	return cmd
}

type spaceJSON struct {
	ID       string  `json:"id"`
	Private  bool    `json:"private"`
	SDK      *string `json:"sdk"`
	Stage    *string `json:"stage"`
	Hardware *string `json:"hardware"`
	Likes    int     `json:"likes"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func listRun(ctx context.Context, opts *ListOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	var spaces []*hfhub.SpaceInfo
	// On a terminal, one Space more than the limit tells whether there are
	// more to say so; scripts get exactly what they asked for.
	limit, probe := opts.Limit, !opts.JSON && opts.IO.IsStdoutTTY() && opts.Limit > 0
	if probe {
		limit++
	}
	opts.IO.StartProgressIndicator("Listing Spaces")
	for s, err := range client.Spaces.List(ctx, &hfhub.ListOptions{Author: opts.Author, Search: opts.Search, Limit: limit, Expand: listExpand}) {
		if err != nil {
			opts.IO.StopProgressIndicator()
			return err
		}
		spaces = append(spaces, s)
	}
	more := probe && len(spaces) > opts.Limit
	if more {
		spaces = spaces[:opts.Limit]
	}
	fillRuntimes(ctx, client, spaces)
	opts.IO.StopProgressIndicator()

	stageOf := func(s *hfhub.SpaceInfo) (hfhub.Stage, string) {
		if s.Runtime == nil {
			return "", ""
		}
		hw := s.Runtime.Hardware
		if hw == "" {
			hw = s.Runtime.RequestedHardware
		}
		return s.Runtime.Stage, string(hw)
	}
	if opts.JSON {
		out := make([]spaceJSON, 0, len(spaces))
		for _, s := range spaces {
			stage, hw := stageOf(s)
			out = append(out, spaceJSON{ID: s.ID, Private: s.Private, SDK: nullable(s.SDK), Stage: nullable(string(stage)), Hardware: nullable(hw), Likes: s.Likes})
		}
		return cmdutil.WriteJSON(opts.IO, out)
	}
	if len(spaces) == 0 {
		if opts.IO.IsStdoutTTY() {
			cmdutil.Warn(opts.IO, "No Spaces found.")
		}
		return nil
	}
	cs := opts.IO.ColorScheme()
	tp := tableprinter.New(opts.IO, "ID", "VISIBILITY", "SDK", "STAGE", "HARDWARE", "LIKES")
	for _, s := range spaces {
		stage, hw := stageOf(s)
		visibility := "public"
		if s.Private {
			visibility = "private"
		}
		tp.AddField(s.ID, cs.Bold)
		tp.AddField(visibility)
		tp.AddField(orDash(s.SDK))
		tp.AddField(orDash(string(stage)), cmdutil.StageColor(cs, stage))
		tp.AddField(orDash(hw))
		tp.AddField(strconv.Itoa(s.Likes))
		tp.EndRow()
	}
	if err := tp.Render(); err != nil {
		return err
	}
	if more {
		fmt.Fprintf(opts.IO.ErrOut, "%s\n", opts.IO.ErrColorScheme().Gray(fmt.Sprintf(
			"Showing the first %d Spaces; there are more. See them all with --limit 0, or narrow with --author or --search.", opts.Limit)))
	}
	return nil
}

// listExpand asks the Hub for what the listing shows, runtime included, in
// the listing itself.
var listExpand = []string{"private", "sdk", "likes", "runtime"}

// fillRuntimes reads the runtime of each Space the listing gave without
// one (the Hub may leave it out for a Space that never ran), a few at a
// time. A Space whose runtime cannot be read is shown without a stage.
func fillRuntimes(ctx context.Context, client *hfhub.Client, spaces []*hfhub.SpaceInfo) {
	const parallel = 8
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, s := range spaces {
		if s.Runtime != nil || s.ID == "" {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if rt, err := client.Spaces.GetRuntime(ctx, s.ID); err == nil {
				s.Runtime = rt
			}
		}()
	}
	wg.Wait()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
