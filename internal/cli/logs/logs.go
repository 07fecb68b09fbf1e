// Package logs implements `hfspaces logs`.
package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// LogsOptions holds what `logs` needs.
type LogsOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*hfhub.Client, error)
	JSON   bool

	Space  string
	Build  bool
	Follow bool
	Tail   int // 0: everything
	// IdleTimeout is how long a server that sends nothing at all is waited
	// for (without --follow); 0 is the library's default.
	IdleTimeout time.Duration
}

// NewCmdLogs builds `hfspaces logs`.
func NewCmdLogs(f *cmdutil.Factory, runF func(*LogsOptions) error) *cobra.Command {
	opts := &LogsOptions{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "logs SPACE [--build] [-f] [-n N]",
		Short: "Show a Space's run or build logs",
		Long: "Print the logs a Space has so far and exit, or keep streaming with --follow until\n" +
			"the Space stops or Ctrl-C. Lines are printed as they arrive, piped too. --tail N\n" +
			"prints the last N lines logged before the command started (then, with --follow,\n" +
			"every new line). --build shows the build logs instead of the run logs: look there\n" +
			"when a Space is in BUILD_ERROR.\n\n" +
			"On a terminal each line starts with its time. With --json each line is a JSON\n" +
			"object {\"timestamp\", \"text\"} on a line of its own (JSON Lines), with \"gap\": true\n" +
			"where lines may be missing (the log was replaced or trimmed while reconnecting).",
		Example: "  $ hfspaces logs demo/gradio-app\n" +
			"  $ hfspaces logs demo/broken-build --build\n" +
			"  $ hfspaces logs demo/gradio-app -f -n 20",
		Args: cmdutil.ExactArgs(1, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.JSON = f.Globals.JSON
			if opts.Tail < 0 {
				return cmdutil.FlagErrorf("--tail must be 0 (everything) or more, not %d", opts.Tail)
			}
			if opts.IdleTimeout < 0 {
				return cmdutil.FlagErrorf("--idle-timeout must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return logsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Build, "build", false, "show the build logs instead of the run logs")
	cmd.Flags().BoolVarP(&opts.Follow, "follow", "f", false, "keep streaming new lines")
	cmd.Flags().IntVarP(&opts.Tail, "tail", "n", 0, "show only the last N lines logged so far (then follow, with -f)")
	cmd.Flags().DurationVar(&opts.IdleTimeout, "idle-timeout", f.LogIdleTimeout, "without -f, give up on a server that sends nothing for this long (default 5s)")
	return cmd
}

type lineJSON struct {
	Timestamp *time.Time `json:"timestamp"`
	Text      string     `json:"text"`
	// Gap: lines may be missing before this one (the log was replaced or
	// trimmed while the connection was down).
	Gap bool `json:"gap,omitempty"`
}

// gapNotice is what stderr says where lines may be missing.
const gapNotice = "Lines may be missing here: the log was replaced or trimmed while the connection was down."

// logsRun prints the lines as the library yields them, one write per line,
// so that piped output (`| grep`) is live: the history (its last N lines
// with --tail, which the library computes on the history alone), then,
// with --follow, every new line. On Ctrl-C what was read is printed and
// the error (exit 2) follows.
func logsRun(ctx context.Context, opts *LogsOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	kind := "run"
	if opts.Build {
		kind = "build"
	}
	p := newPrinter(opts)
	logOpts := &hfhub.LogOptions{Build: opts.Build, Follow: opts.Follow, Tail: opts.Tail, IdleTimeout: opts.IdleTimeout}

	spinning := false
	if opts.Follow {
		if opts.IO.IsStderrTTY() && !opts.JSON {
			fmt.Fprintf(opts.IO.ErrOut, "%s\n", opts.IO.ErrColorScheme().Gray(fmt.Sprintf("Following the %s logs of %s (Ctrl-C to stop)", kind, opts.Space)))
		}
	} else {
		// Until the first line: the spinner must not mix with the lines.
		opts.IO.StartProgressIndicator(fmt.Sprintf("Reading the %s logs of %s", kind, opts.Space))
		spinning = true
	}
	stopSpinner := func() {
		if spinning {
			opts.IO.StopProgressIndicator()
			spinning = false
		}
	}
	defer stopSpinner()
	for l, err := range client.Spaces.Logs(ctx, opts.Space, logOpts) {
		stopSpinner()
		if err != nil {
			return err
		}
		if err := p.print(l); err != nil {
			return err
		}
	}
	stopSpinner()
	if p.printed == 0 && !opts.Follow && opts.IO.IsStderrTTY() && !opts.JSON {
		hint := ""
		if !opts.Build {
			hint = fmt.Sprintf(" Try the build logs: `hfspaces logs %s --build`.", opts.Space)
		}
		cmdutil.Warn(opts.IO, "No %s logs for %s yet.%s", kind, opts.Space, hint)
	}
	return nil
}

// printer writes log lines to standard output, one write per line, so
// that nothing waits in a buffer.
type printer struct {
	opts    *LogsOptions
	tty     bool
	line    bytes.Buffer
	enc     *json.Encoder
	printed int
}

func newPrinter(opts *LogsOptions) *printer {
	p := &printer{opts: opts, tty: opts.IO.IsStdoutTTY()}
	p.enc = json.NewEncoder(&p.line)
	p.enc.SetEscapeHTML(false)
	return p
}

func (p *printer) print(l hfhub.LogLine) error {
	p.printed++
	p.line.Reset()
	if l.Gap && !p.opts.JSON {
		cmdutil.Warn(p.opts.IO, gapNotice)
	}
	switch {
	case p.opts.JSON:
		j := lineJSON{Text: l.Text, Gap: l.Gap}
		if !l.Timestamp.IsZero() {
			j.Timestamp = &l.Timestamp
		}
		if err := p.enc.Encode(j); err != nil {
			return err
		}
	case p.tty && !l.Timestamp.IsZero():
		fmt.Fprintf(&p.line, "%s %s\n", p.opts.IO.ColorScheme().Gray(l.Timestamp.Local().Format("15:04:05")), iostreams.Sanitize(l.Text))
	default:
		p.line.WriteString(iostreams.Sanitize(l.Text))
		p.line.WriteByte('\n')
	}
	_, err := p.opts.IO.Out.Write(p.line.Bytes())
	return err
}
