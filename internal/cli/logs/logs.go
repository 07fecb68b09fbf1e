// Package logs implements `hfspaces logs`.
package logs

import (
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
	Now    func() time.Time
	JSON   bool

	Space  string
	Build  bool
	Follow bool
	Tail   int // 0: everything
	// IdleTimeout is how long a silent stream means "nothing more buffered"
	// (without --follow); 0 is the library's default.
	IdleTimeout time.Duration
}

// NewCmdLogs builds `hfspaces logs`.
func NewCmdLogs(f *cmdutil.Factory, runF func(*LogsOptions) error) *cobra.Command {
	opts := &LogsOptions{IO: f.IOStreams, Client: f.Client, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "logs SPACE [--build] [-f] [-n N]",
		Short: "Show a Space's run or build logs",
		Long: "Print the logs a Space has so far and exit, or keep streaming with --follow until\n" +
			"the Space stops or Ctrl-C. --build shows the build logs instead of the run logs:\n" +
			"look there when a Space is in BUILD_ERROR.\n\n" +
			"On a terminal each line starts with its time. With --json each line is a JSON\n" +
			"object {\"timestamp\", \"text\"} on a line of its own (JSON Lines).",
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
	cmd.Flags().IntVarP(&opts.Tail, "tail", "n", 0, "show only the last N lines (then follow, with -f)")
	cmd.Flags().DurationVar(&opts.IdleTimeout, "idle-timeout", f.LogIdleTimeout, "without -f, stop after the stream is silent this long (default 5s)")
	return cmd
}

type lineJSON struct {
	Timestamp *time.Time `json:"timestamp"`
	Text      string     `json:"text"`
}

func logsRun(ctx context.Context, opts *LogsOptions) error {
	client, err := opts.Client()
	if err != nil {
		return err
	}
	kind := "run"
	if opts.Build {
		kind = "build"
	}
	cs := opts.IO.ColorScheme()
	tty := opts.IO.IsStdoutTTY()
	enc := json.NewEncoder(opts.IO.Out)
	enc.SetEscapeHTML(false)
	printed := 0
	emit := func(l hfhub.LogLine) error {
		printed++
		if opts.JSON {
			j := lineJSON{Text: l.Text}
			if !l.Timestamp.IsZero() {
				j.Timestamp = &l.Timestamp
			}
			return enc.Encode(j)
		}
		if tty && !l.Timestamp.IsZero() {
			_, err := fmt.Fprintf(opts.IO.Out, "%s %s\n", cs.Gray(l.Timestamp.Local().Format("15:04:05")), l.Text)
			return err
		}
		_, err := fmt.Fprintln(opts.IO.Out, l.Text)
		return err
	}
	logOpts := &hfhub.LogOptions{Build: opts.Build, Follow: opts.Follow, IdleTimeout: opts.IdleTimeout}

	if !opts.Follow {
		// Gather first: the stream only ends after a silence, and a spinner
		// must not interleave with the lines.
		opts.IO.StartProgressIndicator(fmt.Sprintf("Reading the %s logs of %s", kind, opts.Space))
		var lines []hfhub.LogLine
		for l, err := range client.Spaces.Logs(ctx, opts.Space, logOpts) {
			if err != nil {
				opts.IO.StopProgressIndicator()
				return err
			}
			lines = append(lines, l)
			if opts.Tail > 0 && len(lines) > 2*opts.Tail {
				lines = append(lines[:0], lines[len(lines)-opts.Tail:]...)
			}
		}
		opts.IO.StopProgressIndicator()
		if opts.Tail > 0 && len(lines) > opts.Tail {
			lines = lines[len(lines)-opts.Tail:]
		}
		for _, l := range lines {
			if err := emit(l); err != nil {
				return err
			}
		}
		if printed == 0 && opts.IO.IsStderrTTY() && !opts.JSON {
			hint := ""
			if !opts.Build {
				hint = fmt.Sprintf(" Try the build logs: `hfspaces logs %s --build`.", opts.Space)
			}
			cmdutil.Warn(opts.IO, "No %s logs for %s yet.%s", kind, opts.Space, hint)
		}
		return nil
	}

	if opts.IO.IsStderrTTY() && !opts.JSON {
		fmt.Fprintf(opts.IO.ErrOut, "%s\n", opts.IO.ErrColorScheme().Gray(fmt.Sprintf("Following the %s logs of %s (Ctrl-C to stop)", kind, opts.Space)))
	}
	if opts.Tail == 0 {
		for l, err := range client.Spaces.Logs(ctx, opts.Space, logOpts) {
			if err != nil {
				return err
			}
			if err := emit(l); err != nil {
				return err
			}
		}
		return nil
	}
	return followTail(ctx, client, opts, logOpts, emit)
}

// historyQuiet is how long the replay of a followed stream may pause before
// the lines so far count as history, of which --tail keeps the last N.
const historyQuiet = 300 * time.Millisecond

// followTail follows a stream but shows only the last opts.Tail lines of
// what was logged before: lines stamped before the command started, or
// that arrive in the first burst of the replay.
func followTail(ctx context.Context, client *hfhub.Client, opts *LogsOptions, logOpts *hfhub.LogOptions, emit func(hfhub.LogLine) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type item struct {
		line hfhub.LogLine
		err  error
	}
	ch := make(chan item)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(ch)
		for l, err := range client.Spaces.Logs(ctx, opts.Space, logOpts) {
			select {
			case ch <- item{l, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() { cancel(); <-done }()

	start := opts.Now()
	var history []hfhub.LogLine
	live := false
	flush := func() error {
		live = true
		if len(history) > opts.Tail {
			history = history[len(history)-opts.Tail:]
		}
		for _, l := range history {
			if err := emit(l); err != nil {
				return err
			}
		}
		history = nil
		return nil
	}
	quiet := time.NewTimer(historyQuiet)
	defer quiet.Stop()
	for {
		select {
		case it, ok := <-ch:
			if !ok {
				if !live {
					return flush()
				}
				return nil
			}
			if it.err != nil {
				if !live {
					flush()
				}
				return it.err
			}
			if live {
				if err := emit(it.line); err != nil {
					return err
				}
				continue
			}
			if it.line.Timestamp.After(start) {
				if err := flush(); err != nil {
					return err
				}
				if err := emit(it.line); err != nil {
					return err
				}
				continue
			}
			history = append(history, it.line)
			if len(history) > 2*opts.Tail {
				history = append(history[:0], history[len(history)-opts.Tail:]...)
			}
			quiet.Reset(historyQuiet)
		case <-quiet.C:
			if !live {
				if err := flush(); err != nil {
					return err
				}
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
