// Package volumes implements `hfspaces volumes ls|set|delete`.
package volumes

import (
	"context"
	"fmt"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/hfhub-go/hfhub/internal/cli/tableprinter"
	"github.com/spf13/cobra"
)

// NewCmdVolumes builds `hfspaces volumes`.
func NewCmdVolumes(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "volumes <command>",
		Short: "List, set and delete the volumes mounted in a Space",
		Long: "Volumes mount Hub repositories (models, datasets, Spaces) or buckets into a Space,\n" +
			"read-only or read-write.",
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdSet(f, nil), NewCmdDelete(f, nil))
	return cmd
}

// ListOptions holds what `volumes ls` needs.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space string
}

// NewCmdList builds `hfspaces volumes ls`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Client: f.Client}
	return &cobra.Command{
		Use:     "ls SPACE",
		Aliases: []string{"list"},
		Short:   "List the volumes mounted in a Space",
		Example: "  $ hfspaces volumes ls demo/gradio-app",
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

func listRun(ctx context.Context, opts *ListOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	rt, err := client.Spaces.GetRuntime(ctx, opts.Space)
	if err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, cmdutil.NewVolumesJSON(rt.Volumes))
	}
	if len(rt.Volumes) == 0 {
		if opts.IO.IsStdoutTTY() {
			fmt.Fprintf(opts.IO.Out, "%s has no volumes. Mount one with `hfspaces volumes set %s -v model:NAMESPACE/NAME:/models:ro`.\n", opts.Space, opts.Space)
		}
		return nil
	}
	cs := opts.IO.ColorScheme()
	tp := tableprinter.New(opts.IO, "TYPE", "SOURCE", "REVISION", "PATH", "MOUNT", "ACCESS")
	for _, v := range rt.Volumes {
		access := "read-write"
		if v.ReadOnly != nil && *v.ReadOnly {
			access = "read-only"
		}
		tp.AddField(v.Type)
		tp.AddField(v.Source, cs.Bold)
		tp.AddField(orDash(v.Revision))
		tp.AddField(orDash(v.Path))
		tp.AddField(v.MountPath)
		tp.AddField(access)
		tp.EndRow()
	}
	return tp.Render()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// SetOptions holds what `volumes set` needs.
type SetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space   string
	Volumes []hfhub.Volume
}

// NewCmdSet builds `hfspaces volumes set`.
func NewCmdSet(f *cmdutil.Factory, runF func(*SetOptions) error) *cobra.Command {
	opts := &SetOptions{IO: f.IOStreams, Client: f.Client}
	var specs []string
	cmd := &cobra.Command{
		Use:   "set SPACE -v TYPE:SOURCE:/MOUNT[:ro]...",
		Short: "Replace the volumes mounted in a Space",
		Long: "Replace all volumes of a Space with those given. Each -v is\n\n" +
			"  TYPE:SOURCE[@REVISION][/PATH]:/MOUNT[:ro|:rw]\n\n" +
			"with TYPE model, dataset, space or bucket. The form hf://TYPEs/SOURCE:/MOUNT[:ro]\n" +
			"of `hf spaces volumes set` is accepted too.",
		Example: "  $ hfspaces volumes set demo/gradio-app -v model:demo/bert:/models:ro\n" +
			"  $ hfspaces volumes set demo/gradio-app -v dataset:demo/data@v2:/data:ro -v bucket:demo/scratch:/scratch",
		Args: cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			if len(specs) == 0 {
				return cmdutil.FlagErrorf("no volumes given: use -v TYPE:SOURCE:/MOUNT[:ro] (to remove all, use `hfspaces volumes delete`)")
			}
			opts.Volumes = nil
			for _, s := range specs {
				v, err := cmdutil.ParseVolume(s)
				if err != nil {
					return err
				}
				opts.Volumes = append(opts.Volumes, v)
			}
			if runF != nil {
				return runF(opts)
			}
			return setRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVarP(&specs, "volume", "v", nil, "volume as TYPE:SOURCE:/MOUNT[:ro] (repeatable)")
	return cmd
}

func setRun(ctx context.Context, opts *SetOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	if err := client.Spaces.SetVolumes(ctx, opts.Space, opts.Volumes); err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, cmdutil.NewVolumesJSON(opts.Volumes))
	}
	for _, v := range opts.Volumes {
		cmdutil.Success(opts.IO, "Mounted %s on %s", cmdutil.VolumeText(v), opts.Space)
	}
	return nil
}

// DeleteOptions holds what `volumes delete` needs.
type DeleteOptions struct {
	IO       *iostreams.IOStreams
	Client   func() (*hfhub.Client, error)
	Prompter cmdutil.Prompter
	JSON     bool
	Yes      bool

	Space string
}

// NewCmdDelete builds `hfspaces volumes delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(*DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter}
	return &cobra.Command{
		Use:     "delete SPACE",
		Aliases: []string{"rm"},
		Short:   "Remove all volumes from a Space",
		Long:    "Remove all volumes from a Space. Asks for confirmation on a terminal; needs --yes otherwise.",
		Example: "  $ hfspaces volumes delete demo/gradio-app --yes",
		Args:    cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
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
}

func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	if err := cmdutil.ConfirmDestructive(ctx, opts.IO, opts.Prompter, opts.Yes, "remove all volumes from "+opts.Space); err != nil {
		return err
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	if err := client.Spaces.DeleteVolumes(ctx, opts.Space); err != nil {
		return err
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO, []cmdutil.VolumeJSON{})
	}
	cmdutil.Success(opts.IO, "Removed all volumes from %s", opts.Space)
	return nil
}
