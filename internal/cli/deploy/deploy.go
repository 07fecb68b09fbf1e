// Package deploy implements `hfspaces deploy`: a folder to a Space in one
// commit, creating the Space when it is missing, then waiting for its build.
package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// DeployOptions holds what `deploy` needs.
type DeployOptions struct {
	IO        *iostreams.IOStreams
	Client    func() (*hfhub.Client, error)
	Prompter  cmdutil.Prompter
	Yes       bool
	LookupEnv func(string) (string, bool)
	JSON      bool

	Space      string
	Dir        string
	SDK        hfhub.SDK        // "": from README.md's front matter
	Visibility hfhub.Visibility // for a Space deploy creates
	Config     cmdutil.SpaceConfigFlags
	Message    string
	Delete     bool
	NoWait     bool
	DryRun     bool
	CreatePR   bool

	Timeout      time.Duration
	PollInterval time.Duration
	// LogIdleTimeout bounds the reading of the build log's end after a
	// failed build; 0 is the library's default.
	LogIdleTimeout time.Duration
}

// defaultMessage is the commit message without -m.
const defaultMessage = "Deploy with hfspaces"

// NewCmdDeploy builds `hfspaces deploy`.
func NewCmdDeploy(f *cmdutil.Factory, runF func(*DeployOptions) error) *cobra.Command {
	opts := &DeployOptions{IO: f.IOStreams, Client: f.Client, Prompter: f.Prompter, LookupEnv: f.LookupEnv}
	var (
		sdk string
		vis cmdutil.VisibilityFlags
	)
	cmd := &cobra.Command{
		Use:   "deploy SPACE [DIR] [flags]",
		Short: "Ship a folder to a Space in one commit and wait until it runs",
		Long: "Deploy the folder DIR (default: the current one) to a Space, as a CI job does (a\n" +
			"SPACE without a namespace goes to yours):\n\n" +
			"  1. create the Space if it is missing: its SDK comes from --sdk, else from the\n" +
			"     `sdk:` of README.md's front matter;\n" +
			"  2. apply --hardware, --sleep-time, variables (-e, --env-file) and secrets\n" +
			"     (-s, --secrets-file);\n" +
			"  3. upload what changed, in one commit (-m); --delete also removes the files\n" +
			"     gone from DIR. Files ignored by .gitignore (any in DIR) and .git/ stay\n" +
			"     home. An unchanged folder sends no commit;\n" +
			"  4. wait for the build: on a terminal the build log streams by. It exits 0\n" +
			"     when the Space runs, 1 when it settles in an error stage (after the end\n" +
			"     of the build log), 8 after --timeout.\n\n" +
			"--dry-run says what would be created, uploaded, deleted and changed, and changes\n" +
			"nothing. --create-pr opens a pull request instead of changing the Space.\n" +
			"--json prints {space, url, commit, created, uploaded, deleted, skipped, stage}.",
		Example: "  $ hfspaces deploy demo/my-app\n" +
			"  $ hfspaces deploy demo/my-app ./app --sdk gradio --private -m \"Deploy $GITHUB_SHA\"\n" +
			"  $ hfspaces deploy demo/my-app --delete -s OPENAI_API_KEY --hardware t4-small\n" +
			"  $ hfspaces deploy demo/my-app --dry-run",
		Args: cmdutil.RangeArgs(1, 2, cmdutil.SpaceArgMissing),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Space = args[0]
			opts.Dir = "."
			if len(args) > 1 {
				opts.Dir = args[1]
			}
			if opts.Dir == "" {
				return cmdutil.FlagErrorf("empty folder name")
			}
			opts.JSON = f.Globals.JSON
			opts.Yes = f.Globals.Yes
			var err error
			opts.SDK = ""
			if cmd.Flags().Changed("sdk") {
				if opts.SDK, err = cmdutil.ParseSDK(sdk); err != nil {
					return err
				}
			}
			if opts.Visibility, err = vis.Visibility(); err != nil {
				return err
			}
			if err := opts.Config.Parse(cmd.Flags()); err != nil {
				return err
			}
			if opts.Timeout < 0 {
				return cmdutil.FlagErrorf("--timeout must not be negative")
			}
			if opts.CreatePR {
				if opts.Config.Hardware != "" || opts.Config.SleepTime != nil || len(opts.Config.SecretPairs)+len(opts.Config.SecretFiles)+len(opts.Config.EnvPairs)+len(opts.Config.EnvFiles) > 0 {
					return cmdutil.FlagErrorf("--create-pr proposes files only: --hardware, --sleep-time, secrets and variables would change the Space itself")
				}
				opts.NoWait = true // a pull request builds nothing
			}
			if runF != nil {
				return runF(opts)
			}
			return deployRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&sdk, "sdk", "", "SDK of a Space deploy creates: gradio, docker, static or streamlit (default: README.md's sdk:)")
	vis.Bind(cmd, "a Space deploy creates")
	opts.Config.Bind(cmd)
	fl.StringVarP(&opts.Message, "message", "m", defaultMessage, "the commit message")
	fl.BoolVar(&opts.Delete, "delete", false, "also delete the Space's files that are not in DIR (never .gitattributes)")
	fl.BoolVar(&opts.NoWait, "no-wait", false, "return after the commit, without waiting for the build")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "say what would change, and change nothing")
	fl.BoolVar(&opts.CreatePR, "create-pr", false, "open a pull request with the changes instead of committing to main")
	fl.DurationVar(&opts.Timeout, "timeout", 15*time.Minute, "give up waiting for the build after this long (exit 8); 0 waits forever")
	fl.DurationVar(&opts.PollInterval, "interval", f.WaitInterval, "how often to check the build at first (default 1s)")
	opts.LogIdleTimeout = f.LogIdleTimeout
	cmd.RegisterFlagCompletionFunc("sdk", cmdutil.CompleteSDK)
	// DIR is a folder: let the shell complete it.
	cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 1 {
			return nil, cobra.ShellCompDirectiveFilterDirs
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return cmd
}

// resultJSON is the --json form of a deploy.
type resultJSON struct {
	Space          string   `json:"space"`
	URL            string   `json:"url"`
	Commit         *string  `json:"commit"`
	Committed      bool     `json:"committed"`
	PullRequestURL *string  `json:"pull_request_url"`
	Created        bool     `json:"created"`
	Uploaded       []string `json:"uploaded"`
	Deleted        []string `json:"deleted"`
	Skipped        []string `json:"skipped"`
	Stage          *string  `json:"stage"`
	DryRun         bool     `json:"dry_run"`
}

func deployRun(ctx context.Context, opts *DeployOptions) error {
	// Everything local is checked before anything is sent (or asked).
	if err := hfhub.ValidateRepoID(opts.Space); err != nil {
		return err
	}
	if st, err := os.Stat(opts.Dir); err != nil {
		return fmt.Errorf("cannot deploy %s: %w", opts.Dir, unwrapPath(err))
	} else if !st.IsDir() {
		return fmt.Errorf("cannot deploy %s: not a folder", opts.Dir)
	}
	secrets, vars, err := opts.Config.Collect(ctx, opts.IO, opts.Prompter, opts.LookupEnv)
	if err != nil {
		return err
	}
	rules, err := loadIgnoreRules(opts.Dir)
	if err != nil {
		return fmt.Errorf("reading the .gitignore files of %s: %w", opts.Dir, err)
	}
	if kept, err := rules.keepSecretsHome(opts.Dir, opts.Config.SecretFiles); err != nil {
		return err
	} else if len(kept) > 0 {
		cmdutil.Warn(opts.IO, "not uploading %s: it is a --secrets-file", strings.Join(kept, ", "))
	}
	if opts.Delete {
		// A wrong DIR in a CI job must not empty the Space.
		if found, err := hasFiles(opts.Dir, rules); err != nil {
			return err
		} else if !found {
			return fmt.Errorf("%s has no files to deploy (after .gitignore): with --delete that would delete every file of %s; refusing", opts.Dir, opts.Space)
		}
	}
	client, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Space, err = cmdutil.QualifySpaceID(ctx, client, opts.Space); err != nil {
		return err
	}
	r := &reporter{io: opts.IO, cs: opts.IO.ColorScheme(), dry: opts.DryRun, tty: opts.IO.IsStdoutTTY() && !opts.JSON}
	res := resultJSON{Space: opts.Space, URL: strings.TrimRight(client.Endpoint(), "/") + "/spaces/" + opts.Space,
		DryRun: opts.DryRun, Uploaded: []string{}, Deleted: []string{}, Skipped: []string{}}

	// 1. The Space.
	configured := false // settings changed on an existing Space
	opts.IO.StartProgressIndicator("Looking up " + opts.Space)
	_, err = client.Spaces.GetInfo(ctx, opts.Space)
	opts.IO.StopProgressIndicator()
	exists := err == nil
	if err != nil && !errors.Is(err, hfhub.ErrNotFound) {
		return err
	}
	if opts.Config.Hardware != "" && !opts.DryRun {
		// Asked before anything is created or sent (piped: no question).
		if err := cmdutil.ConfirmPaidHardware(ctx, opts.IO, opts.Prompter, client, opts.Yes, opts.Config.Hardware, opts.Space); err != nil {
			return err
		}
	}
	if !exists {
		if opts.CreatePR {
			return fmt.Errorf("%s does not exist: --create-pr needs a Space to propose changes to (deploy without it creates the Space)", opts.Space)
		}
		sdk, from, err := resolveSDK(opts.SDK, opts.Dir)
		if err != nil {
			return fmt.Errorf("%s does not exist, and %w", opts.Space, err)
		}
		vis := opts.Visibility
		if vis == "" {
			vis = hfhub.VisibilityPublic
		}
		if opts.DryRun {
			r.say("Would create %s Space %s (%s%s)", vis, r.cs.Bold(opts.Space), sdk, from)
		} else {
			opts.IO.StartProgressIndicator("Creating " + opts.Space)
			repo, err := client.Spaces.Create(ctx, opts.Space, &hfhub.CreateOptions{
				SDK: sdk, Visibility: opts.Visibility, Hardware: opts.Config.Hardware, SleepTime: opts.Config.SleepTime,
				Secrets: cmdutil.EnvMap(secrets), Variables: cmdutil.EnvMap(vars), ExistOK: true,
			})
			opts.IO.StopProgressIndicator()
			if err != nil {
				if opts.Config.Hardware != "" {
					err = cmdutil.HardwareError(ctx, client, opts.Config.Hardware, err)
				}
				return fmt.Errorf("creating %s: %w", opts.Space, err)
			}
			res.URL = repo.URL
			r.say("Created %s Space %s (%s%s)", vis, r.cs.Bold(opts.Space), sdk, from)
		}
		res.Created = true
		if changes := configText(opts.Config, secrets, vars); changes != "" {
			r.say("  with %s", changes)
		}
	} else {
		if opts.Visibility != "" {
			cmdutil.Warn(opts.IO, "%s exists: --%s applies only to a Space deploy creates; change it with `hfspaces settings %s --visibility %s`.", opts.Space, opts.Visibility, opts.Space, opts.Visibility)
		}
		if configured, err = applyConfig(ctx, client, opts, r, secrets, vars); err != nil {
			return err
		}
	}

	// 2. The files.
	var info *hfhub.CommitInfo
	if !exists && opts.DryRun {
		// Nothing to compare with: every file would be uploaded.
		files, err := localFiles(opts.Dir, rules)
		if err != nil {
			return err
		}
		info = &hfhub.CommitInfo{Uploaded: files}
	} else {
		prog := newProgress(opts.IO, opts.Space)
		info, err = client.Spaces.Upload(ctx, opts.Space, opts.Dir, &hfhub.UploadOptions{
			Filter: rules.Keep, Delete: opts.Delete, Message: opts.Message, CreatePR: opts.CreatePR,
			DryRun: opts.DryRun, Progress: prog.update,
		})
		prog.stop()
		if err != nil {
			return describeUploadError(opts, err)
		}
	}
	res.Uploaded = nonNil(info.Uploaded)
	res.Deleted = nonNil(info.Deleted)
	res.Skipped = nonNil(info.Skipped)
	res.Committed = info.Committed
	if info.OID != "" && !opts.DryRun {
		res.Commit = &info.OID
	}
	if info.PullRequestURL != "" {
		res.PullRequestURL = &info.PullRequestURL
	}
	r.files(opts, info)

	// 3. The build.
	var settled *hfhub.SpaceRuntime
	var waitErr error
	switch {
	case opts.DryRun && !exists:
	case opts.NoWait || opts.DryRun:
		if rt, err := client.Spaces.GetRuntime(ctx, opts.Space); err == nil {
			settled = rt
		}
	default:
		settled, waitErr = waitForBuild(ctx, opts, client, r, res.Created || info.Committed || configured)
	}
	if settled != nil && settled.Stage != "" {
		s := string(settled.Stage)
		res.Stage = &s
	}
	if opts.JSON {
		if err := cmdutil.WriteJSON(opts.IO, res); err != nil && waitErr == nil {
			waitErr = err
		}
	} else if !opts.IO.IsStdoutTTY() && !opts.DryRun {
		// Piped: one line a script can read.
		stage, commit := "-", "-"
		if res.Stage != nil {
			stage = *res.Stage
		}
		if res.Commit != nil {
			commit = *res.Commit
		}
		fmt.Fprintf(opts.IO.Out, "%s\t%s\t%s\t%s\n", opts.Space, stage, commit, res.URL)
	}
	if waitErr != nil {
		return waitErr
	}
	if settled != nil && !opts.NoWait && !opts.DryRun && !opts.JSON {
		on := ""
		if hw := cmdutil.HardwareText(settled); hw != "none" { // a static Space runs on no hardware
			on = " on " + hw
		}
		cmdutil.Success(opts.IO, "%s is %s%s", opts.Space, cmdutil.StageText(r.cs, settled.Stage), on)
		if r.tty {
			fmt.Fprintf(opts.IO.Out, "  %s\n", r.cs.Cyan(res.URL))
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// describeUploadError adds what to do next to a failed upload.
func describeUploadError(opts *DeployOptions, err error) error {
	if errors.Is(err, hfhub.ErrOutcomeUnknown) {
		return cmdutil.WithHint(err, fmt.Sprintf("The commit may or may not have landed; run the same deploy again: an unchanged folder sends nothing. Check with `hfspaces files ls %s`.", opts.Space))
	}
	return err
}

// resolveSDK is the SDK of a new Space: --sdk, else the sdk: of README.md's
// front matter. from says where it came from, for the report.
func resolveSDK(flag hfhub.SDK, dir string) (sdk hfhub.SDK, from string, err error) {
	if flag != "" {
		return flag, "", nil
	}
	fm, err := readFrontMatter(filepath.Join(dir, "README.md"))
	if err != nil {
		return "", "", err
	}
	if fm == nil || fm.SDK == "" {
		return "", "", errors.New("no SDK to create it with: pass --sdk (gradio, docker, static or streamlit), or put `sdk: gradio` in the front matter of README.md")
	}
	sdk = hfhub.SDK(strings.ToLower(strings.TrimSpace(fm.SDK)))
	if err := sdk.Validate(); err != nil {
		return "", "", fmt.Errorf("README.md names the SDK %q: want one of %s", fm.SDK, strings.Join(cmdutil.SDKNames, ", "))
	}
	return sdk, ", from README.md", nil
}

// frontMatter is what deploy reads of a Space's README.md.
type frontMatter struct {
	SDK     string `yaml:"sdk"`
	AppFile string `yaml:"app_file"`
}

// readFrontMatter reads the YAML block between the "---" lines that open
// README.md; nil when there is no README.md or no front matter.
func readFrontMatter(path string) (*frontMatter, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, unwrapPath(err))
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return nil, nil
	}
	end := strings.Index(rest, "\n---")
	if end < 0 {
		if !strings.HasPrefix(rest, "---") {
			return nil, fmt.Errorf("%s: the front matter opened by --- is never closed", filepath.Base(path))
		}
		end = -1
	}
	block := ""
	if end >= 0 {
		block = rest[:end]
	}
	var fm frontMatter
	if err := yaml.Unmarshal([]byte(block), &fm); err != nil {
		return nil, fmt.Errorf("%s: the front matter is not valid YAML: %w", filepath.Base(path), err)
	}
	return &fm, nil
}

// localFiles lists what an upload of dir would send, in the filter's terms:
// for a dry run against a Space that does not exist yet.
func localFiles(dir string, rules *ignoreRules) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !rules.Keep(rel, d.IsDir()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

// errFound stops a walk at the first file.
var errFound = errors.New("found")

// hasFiles reports whether dir holds a file an upload would send.
func hasFiles(dir string, rules *ignoreRules) (bool, error) {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		if !rules.Keep(filepath.ToSlash(rel), d.IsDir()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			return errFound
		}
		return nil
	})
	if err == errFound {
		return true, nil
	}
	return false, err
}

// applyConfig sets hardware, sleep time, variables and secrets on an
// existing Space (a new one gets them as it is created).
func applyConfig(ctx context.Context, client *hfhub.Client, opts *DeployOptions, r *reporter, secrets, vars []hfhub.EnvVar) (changed bool, err error) {
	text := configText(opts.Config, secrets, vars)
	if text == "" {
		return false, nil
	}
	if opts.DryRun {
		r.say("Would set %s", text)
		return false, nil
	}
	opts.IO.StartProgressIndicator("Configuring " + opts.Space)
	defer opts.IO.StopProgressIndicator()
	switch {
	case opts.Config.Hardware != "":
		_, err = client.Spaces.RequestHardware(ctx, opts.Space, opts.Config.Hardware, &hfhub.HardwareOptions{SleepTime: opts.Config.SleepTime})
		if err != nil {
			return false, cmdutil.HardwareError(ctx, client, opts.Config.Hardware, err)
		}
	case opts.Config.SleepTime != nil:
		if _, err = client.Spaces.SetSleepTime(ctx, opts.Space, *opts.Config.SleepTime); err != nil {
			return false, err
		}
	}
	for _, v := range vars {
		if _, err := client.Spaces.AddVariable(ctx, opts.Space, v.Key, v.Value, nil); err != nil {
			return false, fmt.Errorf("setting variable %s: %w", v.Key, err)
		}
	}
	for _, s := range secrets {
		if err := client.Spaces.AddSecret(ctx, opts.Space, s.Key, s.Value, nil); err != nil {
			return false, fmt.Errorf("setting secret %s: %w", s.Key, err)
		}
	}
	opts.IO.StopProgressIndicator()
	r.say("Set %s", text)
	return true, nil
}

// configText lists the settings a deploy applies: "hardware t4-small,
// sleep time 1h, 1 variable (MODEL), 2 secrets (A, B)"; "" for none.
func configText(c cmdutil.SpaceConfigFlags, secrets, vars []hfhub.EnvVar) string {
	var parts []string
	if c.Hardware != "" {
		parts = append(parts, "hardware "+string(c.Hardware))
	}
	if c.SleepTime != nil {
		parts = append(parts, "sleep time "+cmdutil.SleepTimeText(c.SleepTime))
	}
	keys := func(list []hfhub.EnvVar, noun string) {
		if len(list) == 0 {
			return
		}
		names := make([]string, len(list))
		for i, v := range list {
			names[i] = v.Key
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", cmdutil.Plural(len(list), noun), strings.Join(names, ", ")))
	}
	keys(vars, "variable")
	keys(secrets, "secret")
	return strings.Join(parts, ", ")
}

// reporter says what a deploy does: "✓ …" lines on standard output when it
// is a terminal; plain lines on standard error otherwise, for the log of a
// CI job (standard output then holds only the result).
type reporter struct {
	io  *iostreams.IOStreams
	cs  *iostreams.ColorScheme
	dry bool
	tty bool // a person reads standard output (not with --json)
	mu  sync.Mutex
}

func (r *reporter) say(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	if !r.tty {
		fmt.Fprintln(r.io.ErrOut, strings.TrimSpace(stripANSI(msg)))
		return
	}
	switch {
	case strings.HasPrefix(msg, "  "):
		fmt.Fprintln(r.io.Out, msg)
	case r.dry:
		fmt.Fprintf(r.io.Out, "%s %s\n", r.cs.Yellow("~"), msg)
	default:
		fmt.Fprintf(r.io.Out, "%s %s\n", r.cs.SuccessIcon(), msg)
	}
}

// line writes a line as is (a build log line, a list item).
func (r *reporter) line(w io.Writer, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(w, s)
}

// files reports the outcome of the upload.
func (r *reporter) files(opts *DeployOptions, info *hfhub.CommitInfo) {
	short := info.OID
	if len(short) > 7 {
		short = short[:7]
	}
	changed := len(info.Uploaded) + len(info.Deleted)
	switch {
	case opts.DryRun:
		if changed == 0 {
			r.say("No changes: %s already has these files; nothing would be committed", opts.Space)
		} else {
			r.say("Would commit: %s", countsText(info))
		}
		// The lists, for a person to review.
		if !opts.JSON {
			w := r.io.ErrOut
			if r.tty {
				w = r.io.Out
			}
			for _, p := range info.Uploaded {
				r.line(w, "  "+r.cs.Green("+")+" "+p)
			}
			for _, p := range info.Deleted {
				r.line(w, "  "+r.cs.Red("-")+" "+p)
			}
		}
	case !info.Committed:
		r.say("No changes: %s already has these files (commit %s); nothing was sent", opts.Space, short)
	case info.PullRequestURL != "":
		r.say("Opened a pull request (%s): %s", countsText(info), info.PullRequestURL)
	default:
		r.say("Committed: %s (commit %s)", countsText(info), short)
	}
}

// countsText: "3 files uploaded, 1 deleted, 12 unchanged".
func countsText(info *hfhub.CommitInfo) string {
	parts := []string{cmdutil.Plural(len(info.Uploaded), "file") + " uploaded"}
	if len(info.Deleted) > 0 {
		parts = append(parts, fmt.Sprintf("%d deleted", len(info.Deleted)))
	}
	if len(info.Skipped) > 0 {
		parts = append(parts, fmt.Sprintf("%d unchanged", len(info.Skipped)))
	}
	return strings.Join(parts, ", ")
}

// stripANSI removes the colour codes of a message meant for a terminal.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
