// Package emulatorcmd implements `hfspaces emulator`: the Hub emulator
// served on a local address.
package emulatorcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/hfhub-go/hfhub/emulator"
)

// Options are the command's flags and dependencies.
type Options struct {
	Addr         string
	DataFile     string
	Seed         string
	BuildSeconds float64
	StartSeconds float64
	RateLimit    string
	Faults       string
	Verbose      bool

	Out, Err io.Writer
	// Ready, when set, is called with the base URL once the server listens.
	Ready func(url string)
}

// NewCmdEmulator returns the `emulator` command.
func NewCmdEmulator() *cobra.Command {
	return newCmdEmulator(nil)
}

func newCmdEmulator(runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Serve a local emulator of the Hugging Face Hub's Spaces API",
		Long: `Serve a local, stateful emulator of the Hugging Face Hub's Spaces API.

The lines printed at start can be pasted into a shell: the first is
export HF_ENDPOINT=<url>, the next exports the demo write token as HF_TOKEN,
and the other seeded tokens follow as comments. Point hf, huggingface_hub or
this library at it with HF_ENDPOINT and HF_TOKEN. The demo tokens are
public: on an address other than loopback anyone who can reach it can use
them (a warning says so).
Spaces build and start on a clock: --build-seconds and --start-seconds set how
long (fractions allowed, 0 is instant). State is kept in memory unless --data
names a file; with a file every acknowledged write survives a crash, and a
seed is only applied to an empty file. Every answer carries the Hub's RateLimit
and RateLimit-Policy headers; --rate-limit sets the quota (by default
1000000000 requests per 300 s per token, which is never reached).

Faults (--faults) are ROUTE:KEY=VALUE,... separated by ';'. ROUTE is an
operation (runtime, info, list, variables, secrets, hardware, sleeptime, pause,
restart, dev-mode, storage, volumes, logs, duplicate, create, delete, whoami,
catalog, preupload, revision, commit) or '*'; keys are status (an error code),
fraction (0-1 of answers, default all), latency (seconds), reset (true: drop the
connection mid-answer) and cut (end log streams after N events).`,
		Example: `  $ hfspaces emulator
  $ hfspaces emulator --addr 127.0.0.1:8080 --data hub.db --build-seconds 5
  $ hfspaces emulator --rate-limit 100/60 --faults 'runtime:status=503,fraction=0.2;logs:cut=3'
  $ export HF_ENDPOINT=http://127.0.0.1:8080 HF_TOKEN=hf_demo_write   # in another shell, then: hf spaces ls`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Out = cmd.OutOrStdout()
			opts.Err = cmd.ErrOrStderr()
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			if runF != nil {
				return runF(ctx, opts)
			}
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			return Run(ctx, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	f.StringVar(&opts.DataFile, "data", "", "keep state in this file (bbolt, with a write-ahead log FILE.wal beside it) instead of in memory")
	f.StringVar(&opts.Seed, "seed", emulator.DemoSeed, `initial state: "demo" or "none"`)
	f.Float64Var(&opts.BuildSeconds, "build-seconds", 3, "length of the BUILDING phase in seconds")
	f.Float64Var(&opts.StartSeconds, "start-seconds", 2, "length of the APP_STARTING phase in seconds")
	f.StringVar(&opts.RateLimit, "rate-limit", "", "requests per window per token, as N/WINDOW-SECONDS (e.g. 1000/300); default: a quota never reached")
	f.StringVar(&opts.Faults, "faults", "", "faults to inject (see above)")
	f.BoolVar(&opts.Verbose, "verbose", false, "log every request to stderr (never tokens or secrets)")
	return cmd
}

// Config turns the options into an emulator configuration.
func (o *Options) Config() (emulator.Config, error) {
	cfg := emulator.Config{Seed: o.Seed, DataFile: o.DataFile}
	if cfg.Seed == "none" {
		cfg.Seed = ""
	}
	for _, d := range []struct {
		name string
		sec  float64
		dst  *time.Duration
	}{{"--build-seconds", o.BuildSeconds, &cfg.BuildDuration}, {"--start-seconds", o.StartSeconds, &cfg.StartDuration}} {
		if d.sec < 0 {
			return cfg, fmt.Errorf("%s must not be negative", d.name)
		}
		*d.dst = time.Duration(d.sec * float64(time.Second))
	}
	var err error
	if cfg.RateLimit, err = emulator.ParseRateLimit(o.RateLimit); err != nil {
		return cfg, err
	}
	if cfg.Faults, err = emulator.ParseFaults(o.Faults); err != nil {
		return cfg, err
	}
	if o.Verbose && o.Err != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(o.Err, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return cfg, nil
}

// Timeouts of the server: a slow or idle client cannot hold a connection.
// A request body has 30 s to arrive (the emulator sets that deadline when
// it reads one); log streams are long answers, so there is no write
// timeout for the whole answer (the stream bounds each write instead).
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 15 * time.Second
	maxHeaderBytes    = 64 << 10
)

func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// warnIfPublic warns when the emulator listens on an address other
// machines may reach: its demo tokens are published, so anyone there could
// use them.
func warnIfPublic(w io.Writer, addr net.Addr) {
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return
	}
	fmt.Fprintf(w, "WARNING: listening on %s, which is not a loopback address: the demo tokens (hf_demo_write, ...) are public, so anyone who can reach this address can read and change the emulator's state\n", addr)
}

// Run serves the emulator until ctx is done, then stops it cleanly.
func Run(ctx context.Context, o *Options) error {
	cfg, err := o.Config()
	if err != nil {
		return err
	}
	e, err := emulator.New(cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	srv := newServer(e)

	warnIfPublic(o.Err, ln.Addr())
	fmt.Fprintf(o.Out, "export HF_ENDPOINT=%s\n", url)
	exported := false
	for _, tok := range []string{emulator.DemoWriteToken, emulator.DemoReadToken, emulator.OtherWriteToken} {
		if user, role, ok := e.TokenInfo(tok); ok {
			prefix := "# "
			if !exported {
				prefix, exported = "", true
			}
			fmt.Fprintf(o.Out, "%sexport HF_TOKEN=%s\t# user %s, %s\n", prefix, tok, user, role)
		}
	}
	if o.Ready != nil {
		o.Ready(url)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// End the log streams first: they would hold Shutdown up.
	e.Close()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(o.Err, "emulator stopped")
	return nil
}
