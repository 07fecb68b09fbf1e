// Package completion implements `hfspaces completion`.
package completion

import (
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// CompletionOptions holds what `completion` needs.
type CompletionOptions struct {
	IO    *iostreams.IOStreams
	Shell string
	Root  *cobra.Command
}

// NewCmdCompletion builds `hfspaces completion`.
func NewCmdCompletion(f *cmdutil.Factory, runF func(*CompletionOptions) error) *cobra.Command {
	opts := &CompletionOptions{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: "Print the completion script for a shell. To load it:\n\n" +
			"  bash:        source <(hfspaces completion bash)\n" +
			"  zsh:         hfspaces completion zsh > \"${fpath[1]}/_hfspaces\"\n" +
			"  fish:        hfspaces completion fish > ~/.config/fish/completions/hfspaces.fish\n" +
			"  powershell:  hfspaces completion powershell | Out-String | Invoke-Expression",
		Example:   "  $ echo 'source <(hfspaces completion bash)' >> ~/.bashrc",
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      cmdutil.ExactArgs(1, "missing the shell: bash, zsh, fish or powershell"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Shell = args[0]
			opts.Root = cmd.Root()
			switch opts.Shell {
			case "bash", "zsh", "fish", "powershell":
			default:
				return cmdutil.FlagErrorf("unsupported shell %q: want bash, zsh, fish or powershell", opts.Shell)
			}
			if runF != nil {
				return runF(opts)
			}
			return completionRun(opts)
		},
	}
}

func completionRun(opts *CompletionOptions) error {
	out := opts.IO.Out
	switch opts.Shell {
	case "bash":
		return opts.Root.GenBashCompletionV2(out, true)
	case "zsh":
		return opts.Root.GenZshCompletion(out)
	case "fish":
		return opts.Root.GenFishCompletion(out, true)
	}
	return opts.Root.GenPowerShellCompletionWithDesc(out)
}
