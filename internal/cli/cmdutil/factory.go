// Package cmdutil holds what every hfspaces command shares: the Factory that
// hands out dependencies, the errors that map to exit codes, prompts,
// output helpers and flag parsers.
package cmdutil

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/httpdebug"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// GlobalFlags are the flags every command accepts. The root command binds
// them; commands read them when they run.
type GlobalFlags struct {
	Token    string
	Endpoint string
	JSON     bool
	NoRetry  bool
	Debug    bool
	Yes      bool
}

// Factory hands dependencies to commands. Fields are set once at start-up
// (or by a test) and read when a command runs, after flags are parsed.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Prompter  Prompter
	Globals   *GlobalFlags
	Version   string

	// Client returns the Hub client, built on first use from the global
	// flags and the environment.
	Client func() (*hfhub.Client, error)
	// LookupEnv reads the environment, for -s KEY and -e KEY without a value.
	LookupEnv func(string) (string, bool)
	// Now is the clock.
	Now func() time.Time

	// WaitInterval and LogIdleTimeout are the defaults of --interval (wait,
	// restart, settings) and --idle-timeout (logs); zero means the
	// library's. The demo shortens them to match its fast emulator.
	WaitInterval   time.Duration
	LogIdleTimeout time.Duration

	// Execute runs a command line with the dependencies of f and returns
	// its exit code; the demo uses it to run each step as typed.
	Execute func(ctx context.Context, f *Factory, args []string) int
}

// New returns the Factory for a real run.
func New(version string) *Factory {
	ios := iostreams.System()
	f := &Factory{
		IOStreams: ios,
		Prompter:  NewTerminalPrompter(ios),
		Globals:   &GlobalFlags{},
		Version:   version,
		LookupEnv: os.LookupEnv,
		Now:       time.Now,
	}
	f.Client = ClientFunc(f, nil)
	return f
}

// ClientFunc returns a memoized constructor of the Hub client configured by
// f's global flags. base, if not nil, replaces the HTTP transport (the demo
// and tests use an in-process emulator this way).
func ClientFunc(f *Factory, base http.RoundTripper) func() (*hfhub.Client, error) {
	var (
		once   sync.Once
		client *hfhub.Client
		err    error
	)
	return func() (*hfhub.Client, error) {
		once.Do(func() { client, err = NewClient(f.Globals, f.IOStreams.ErrOut, f.Version, base) })
		return client, err
	}
}

// NewClient builds a Hub client from the global flags: --token and
// --endpoint override the environment (HF_TOKEN, HF_ENDPOINT, the token
// file), --no-retry turns retries off, --debug traces requests to debugOut
// with credentials and secret values redacted. extra options come last.
func NewClient(g *GlobalFlags, debugOut io.Writer, version string, base http.RoundTripper, extra ...hfhub.Option) (*hfhub.Client, error) {
	opts := []hfhub.Option{hfhub.WithUserAgent("hfspaces/" + version)}
	if g.Token != "" {
		opts = append(opts, hfhub.WithToken(g.Token))
	}
	if g.Endpoint != "" {
		opts = append(opts, hfhub.WithEndpoint(g.Endpoint))
	}
	if g.NoRetry {
		opts = append(opts, hfhub.WithRetry(hfhub.RetryPolicy{MaxRetries: 0}))
	}
	transport := base
	if g.Debug {
		// The trace and the library's log share the stream, and requests
		// run concurrently (plan, apply): one lock keeps lines whole.
		debugOut = &lockedWriter{w: debugOut}
		if transport == nil {
			transport = http.DefaultTransport
		}
		transport = &httpdebug.Transport{Base: transport, Out: debugOut}
		opts = append(opts, hfhub.WithLogger(slog.New(slog.NewTextHandler(debugOut, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if transport != nil {
		opts = append(opts, hfhub.WithHTTPClient(&http.Client{Transport: transport}))
	}
	return hfhub.NewClient(append(opts, extra...)...)
}

// lockedWriter serializes writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
