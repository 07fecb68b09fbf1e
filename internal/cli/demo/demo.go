// Package demo implements `hfspaces demo`: a tour of every command against
// an emulated Hub started in-process, with no network and no account.
package demo

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
)

// DemoOptions holds what `demo` needs.
type DemoOptions struct {
	IO       *iostreams.IOStreams
	Factory  *cmdutil.Factory
	Now      func() time.Time
	Debug    bool
	Build    time.Duration // emulated build time
	Start    time.Duration // emulated start time
	StepHook func(step Step, exitCode int)
}

// NewCmdDemo builds `hfspaces demo`.
func NewCmdDemo(f *cmdutil.Factory, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{IO: f.IOStreams, Factory: f, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Tour every command against a local emulated Hub (no account needed)",
		Long: "Start an emulated Hub in this process, seeded with demo Spaces, and walk through\n" +
			"what hfspaces does: runtime, variables, secrets, hardware, sleep time, volumes,\n" +
			"storage, pause, restart, logs, duplication, deploying a folder, a fleet file, and\n" +
			"the errors you may meet. Before each step it prints the command it runs. Nothing\n" +
			"leaves your machine.",
		Example: "  $ hfspaces demo\n  $ go run github.com/hfhub-go/hfhub/cmd/hfspaces@latest demo",
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Debug = f.Globals.Debug
			if runF != nil {
				return runF(opts)
			}
			return RunDemo(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Build, "build-time", 300*time.Millisecond, "how long an emulated build takes")
	cmd.Flags().DurationVar(&opts.Start, "start-time", 200*time.Millisecond, "how long an emulated start takes")
	return cmd
}

// Step is one command of the tour.
type Step struct {
	Title    string   // section title, printed when it changes
	Args     []string // the command line after "hfspaces"
	Note     string   // shown after the command, e.g. where a value comes from
	WantExit int      // the exit code the step should end with
	// Prepare, if set, runs before the command (to change a file of the
	// demo's folder, as a person would between two commands).
	Prepare func() error
}

func steps(secretsFile, appDir string) []Step {
	return []Step{
		{Title: "Who am I?", Args: []string{"whoami"}},
		{Title: "My Spaces", Args: []string{"list", "--author", "demo"}},
		{Title: "Runtime of a running Space", Args: []string{"runtime", "demo/gradio-app"}},
		{Title: "Runtime of a paused Space", Args: []string{"pause", "demo/gpu-app"}},
		{Args: []string{"runtime", "demo/gpu-app"}},
		{Title: "Variables: add with a description, update, delete", Args: []string{"variables", "ls", "demo/gradio-app"}},
		{Args: []string{"variables", "add", "demo/gradio-app", "-e", "TEMPERATURE=0.7", "--description", "sampling temperature"}},
		{Args: []string{"variables", "add", "demo/gradio-app", "-e", "TEMPERATURE=0.2"}},
		{Args: []string{"variables", "delete", "demo/gradio-app", "GREETING", "--yes"}},
		{Args: []string{"variables", "ls", "demo/gradio-app"}},
		{Title: "Secrets: add, update, list, delete (values are never shown)", Args: []string{"secrets", "add", "demo/gradio-app", "-s", "OPENAI_API_KEY", "--description", "OpenAI key"}, Note: "the value comes from $OPENAI_API_KEY (or a hidden prompt)"},
		{Args: []string{"secrets", "add", "demo/gradio-app", "--secrets-file", secretsFile}, Note: "a .env file holding OPENAI_API_KEY=…"},
		{Args: []string{"secrets", "ls", "demo/gradio-app"}},
		{Args: []string{"secrets", "delete", "demo/gradio-app", "HF_API_KEY", "--yes"}},
		{Title: "Hardware catalog", Args: []string{"hardware"}},
		{Title: "Request a GPU and wait until the Space runs on it", Args: []string{"settings", "demo/gradio-app", "--hardware", "t4-small", "--wait", "--yes"},
			Note: "on a terminal, paid hardware asks first, showing its price"},
		{Title: "Sleep time: after an hour idle, then never", Args: []string{"settings", "demo/gradio-app", "--sleep-time", "1h"}},
		{Args: []string{"settings", "demo/gradio-app", "--sleep-time", "never"}},
		{Title: "Back down to the free CPU", Args: []string{"settings", "demo/gradio-app", "--hardware", "cpu-basic", "--wait"}},
		{Title: "Volumes: mount a model and a dataset, list, remove", Args: []string{"volumes", "set", "demo/gradio-app", "-v", "model:demo/bert:/models:ro", "-v", "dataset:demo/data:/data"}},
		{Args: []string{"volumes", "ls", "demo/gradio-app"}},
		{Args: []string{"volumes", "delete", "demo/gradio-app", "--yes"}},
		{Title: "Persistent storage (deprecated upstream in favour of volumes): request, then delete", Args: []string{"storage", "request", "demo/gradio-app", "small"}},
		{Args: []string{"runtime", "demo/gradio-app"}},
		{Args: []string{"storage", "delete", "demo/gradio-app", "--yes"}},
		{Title: "Pause, restart, factory reboot", Args: []string{"pause", "demo/gradio-app"}},
		{Args: []string{"restart", "demo/gradio-app", "--wait"}},
		{Args: []string{"restart", "demo/gradio-app", "--factory-reboot", "--yes", "--wait"}},
		{Title: "Logs: run logs, and why a build failed", Args: []string{"logs", "demo/gradio-app", "--tail", "5"}},
		{Args: []string{"logs", "demo/broken-build", "--build"}},
		{Args: []string{"wait", "demo/broken-build"}, Note: "a Space that settled in an error stage exits 1", WantExit: cmdutil.ExitFailure},
		{Title: "Duplicate onto a GPU, with storage, a secret and a variable", Args: []string{"duplicate", "demo/gradio-app", "demo/gradio-gpu", "--private",
			"--hardware", "t4-small", "--storage", "small", "--sleep-time", "30m", "-s", "OPENAI_API_KEY", "-e", "MODEL_ID=demo/bigger-model", "--yes"}},
		{Args: []string{"wait", "demo/gradio-gpu"}},
		{Args: []string{"runtime", "demo/gradio-gpu"}},
		{Title: "Deploy a folder as CI would: the Space is created from README.md's sdk…", Args: []string{"deploy", "demo/my-app", appDir, "-m", "First deploy"},
			Note: "README.md says app_file: app.py, and there is none yet", WantExit: cmdutil.ExitFailure},
		{Title: "…the build failed; add app.py and deploy again", Args: []string{"deploy", "demo/my-app", appDir, "-m", "Add app.py"},
			Note: "only what changed is sent", Prepare: func() error {
				return os.WriteFile(filepath.Join(appDir, "app.py"), []byte(demoApp), 0o644)
			}},
		{Args: []string{"files", "ls", "demo/my-app"}, Note: "debug.log stayed home: .gitignore"},
		{Args: []string{"deploy", "demo/my-app", appDir}, Note: "nothing changed: no commit"},
		{Title: "Two errors, as you would meet them: a mistyped flavor…", Args: []string{"settings", "demo/gradio-app", "--hardware", "t4-smal"}, WantExit: cmdutil.ExitFailure},
		{Title: "…and a token the Hub does not accept", Args: []string{"whoami", "--token", "hf_not_a_real_token"}, WantExit: cmdutil.ExitAuth},
	}
}

// The folder the tour deploys, less its app.py (added between two
// deploys).
var demoFolder = map[string]string{
	"README.md":        "---\ntitle: My app\nsdk: gradio\napp_file: app.py\n---\n# My app\n",
	"requirements.txt": "numpy\n",
	".gitignore":       "*.log\n",
	"debug.log":        "local only\n",
}

const demoApp = "import gradio as gr\n\ngr.Interface(fn=lambda name: \"Hello \" + name, inputs=\"text\", outputs=\"text\").launch()\n"

// demoSecret is the fake value the tour's secrets have.
const demoSecret = "sk-demo-not-a-real-key"

// RunDemo runs the tour.
func RunDemo(ctx context.Context, opts *DemoOptions) error {
	started := opts.Now()
	ios := opts.IO
	cs := ios.ColorScheme()
	f := opts.Factory

	emu, err := emulator.New(emulator.Config{Seed: emulator.DemoSeed, BuildDuration: opts.Build, StartDuration: opts.Start})
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	defer emu.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	endpoint := "http://" + ln.Addr().String()

	dir, err := os.MkdirTemp("", "hfspaces-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	secretsFile := filepath.Join(dir, "secrets.env")
	if err := os.WriteFile(secretsFile, []byte("# rotated key\nOPENAI_API_KEY=\""+demoSecret+"-rotated\"\n"), 0o600); err != nil {
		return err
	}
	appDir := filepath.Join(dir, "my-app")
	if err := os.Mkdir(appDir, 0o755); err != nil {
		return err
	}
	for name, content := range demoFolder {
		if err := os.WriteFile(filepath.Join(appDir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}

	fmt.Fprintf(ios.Out, "%s\n", cs.Bold("hfspaces demo: every command against an emulated Hub on "+endpoint))
	fmt.Fprintf(ios.Out, "%s\n", cs.Gray("Seeded with user demo and its Spaces; builds take "+cmdutil.CompactDuration(opts.Build)+" here. Nothing leaves this machine."))
	fmt.Fprintf(ios.Out, "%s\n", cs.Gray("To try it yourself: `hfspaces emulator` in one terminal, then HF_ENDPOINT=… HF_TOKEN=hf_demo_write hfspaces …"))

	lookupEnv := func(key string) (string, bool) {
		if key == "OPENAI_API_KEY" {
			return demoSecret, true
		}
		return "", false
	}
	fleetFile, err := writeFleetFile(dir)
	if err != nil {
		return err
	}
	all := append(steps(secretsFile, appDir), fleetSteps(fleetFile)...)
	for i, st := range all {
		if err := ctx.Err(); err != nil {
			return err
		}
		if st.Title != "" {
			fmt.Fprintf(ios.Out, "\n%s %s\n", cs.Yellow("▸"), cs.Bold(st.Title))
		}
		args := st.Args
		if opts.Debug {
			args = append(args, "--debug")
		}
		shown := make([]string, len(args))
		for j, a := range args {
			if a == secretsFile || a == appDir || a == fleetFile {
				a = filepath.Base(a) // as if in the current directory, not the demo's temporary one
			}
			shown[j] = shellQuote(a)
		}
		line := "$ hfspaces " + strings.Join(shown, " ")
		if st.Note != "" {
			line += cs.Gray("   # " + st.Note)
		}
		fmt.Fprintln(ios.Out, cs.Cyan(line))
		if st.Prepare != nil {
			if err := st.Prepare(); err != nil {
				return err
			}
		}

		child := &cmdutil.Factory{
			IOStreams:      ios,
			Prompter:       f.Prompter,
			Globals:        &cmdutil.GlobalFlags{},
			Version:        f.Version,
			LookupEnv:      lookupEnv,
			Now:            f.Now,
			WaitInterval:   50 * time.Millisecond,
			LogIdleTimeout: 300 * time.Millisecond,
			Execute:        f.Execute,
		}
		child.Client = stepClient(child, endpoint)
		code := f.Execute(ctx, child, args)
		if opts.StepHook != nil {
			opts.StepHook(st, code)
		}
		if code == cmdutil.ExitCancel && ctx.Err() != nil {
			return ctx.Err()
		}
		if code != st.WantExit {
			return fmt.Errorf("demo step %d (`hfspaces %s`) exited %d, want %d", i+1, strings.Join(args, " "), code, st.WantExit)
		}
		if st.WantExit != 0 {
			fmt.Fprintln(ios.Out, cs.Gray(fmt.Sprintf("  (exit code %d, as expected)", code)))
		}
	}
	fmt.Fprintf(ios.Out, "\n%s %s\n", cs.SuccessIcon(), cs.Bold(fmt.Sprintf("Done: %d commands in %s.", len(all), opts.Now().Sub(started).Round(10*time.Millisecond))))
	fmt.Fprintln(ios.Out, "  Next: `hfspaces --help`, or point it at the real Hub with HF_TOKEN (or `hf auth login`).")
	return nil
}

// stepClient builds the step's client for the emulator: the demo user's
// token unless the step gives --token, and the step's other global flags.
func stepClient(child *cmdutil.Factory, endpoint string) func() (*hfhub.Client, error) {
	return func() (*hfhub.Client, error) {
		g := *child.Globals
		g.Endpoint = endpoint
		if g.Token == "" {
			g.Token = emulator.DemoWriteToken
		}
		return cmdutil.NewClient(&g, child.IOStreams.ErrOut, child.Version, nil)
	}
}

// shellQuote quotes an argument the way a person would type it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\"'\\$`*?[]{}()<>|&;#~!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
