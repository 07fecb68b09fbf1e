package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/cmdutil"
)

var ignoreFlagBuffers = cmpopts.IgnoreUnexported(cmdutil.SpaceConfigFlags{})

func TestNewCmdDeployParsing(t *testing.T) {
	t.Parallel()
	def := func(o DeployOptions) DeployOptions {
		if o.Dir == "" {
			o.Dir = "."
		}
		if o.Message == "" {
			o.Message = defaultMessage
		}
		if o.Timeout == 0 {
			o.Timeout = 15 * time.Minute
		}
		return o
	}
	clitest.RunParseCases(t, NewCmdDeploy, []clitest.ParseCase[DeployOptions]{
		{Name: "space only: the current folder", Args: []string{"deploy", "demo/app"}, Want: def(DeployOptions{Space: "demo/app"})},
		{Name: "everything", Args: []string{"deploy", "demo/app", "./site", "--sdk", "Static", "--protected", "-m", "Deploy 1a2b", "--delete",
			"--hardware", "cpu-upgrade", "--sleep-time", "2h", "-e", "A=1", "--env-file", "v.env", "-s", "K", "--secrets-file", "s.env",
			"--timeout", "3m", "--interval", "2s", "--json"},
			Want: def(DeployOptions{Space: "demo/app", Dir: "./site", SDK: "static", Visibility: "protected", Message: "Deploy 1a2b", Delete: true,
				Timeout: 3 * time.Minute, PollInterval: 2 * time.Second, JSON: true,
				Config: cmdutil.SpaceConfigFlags{Hardware: "cpu-upgrade", SleepTime: new(7200), EnvPairs: []string{"A=1"}, EnvFiles: []string{"v.env"},
					SecretPairs: []string{"K"}, SecretFiles: []string{"s.env"}}})},
		{Name: "dry run", Args: []string{"deploy", "demo/app", "--dry-run", "--delete"}, Want: def(DeployOptions{Space: "demo/app", DryRun: true, Delete: true})},
		{Name: "no wait", Args: []string{"deploy", "demo/app", "--no-wait", "--timeout", "0"}, Want: DeployOptions{Space: "demo/app", Dir: ".", Message: defaultMessage, NoWait: true}},
		{Name: "pull request does not wait", Args: []string{"deploy", "demo/app", "--create-pr"}, Want: def(DeployOptions{Space: "demo/app", CreatePR: true, NoWait: true})},
		{Name: "pull request with settings", Args: []string{"deploy", "demo/app", "--create-pr", "-e", "A=1"}, WantCode: 1, WantErr: "--create-pr proposes files only"},
		{Name: "unknown sdk", Args: []string{"deploy", "demo/app", "--sdk", "php"}, WantCode: 1, WantErr: `--sdk "php"`},
		{Name: "two visibilities", Args: []string{"deploy", "demo/app", "--public", "--private"}, WantCode: 1, WantErr: "choose one of"},
		{Name: "bad sleep time", Args: []string{"deploy", "demo/app", "--sleep-time", "soon"}, WantCode: 1, WantErr: "--sleep-time"},
		{Name: "negative timeout", Args: []string{"deploy", "demo/app", "--timeout", "-1s"}, WantCode: 1, WantErr: "--timeout"},
		{Name: "missing space", Args: []string{"deploy"}, WantCode: 1, WantErr: "missing the Space id"},
		{Name: "too many", Args: []string{"deploy", "demo/app", "a", "b"}, WantCode: 1, WantErr: "too many arguments"},
	}, ignoreFlagBuffers)
}

// app is a small gradio Space folder.
func app(extra map[string]string) map[string]string {
	files := map[string]string{
		"README.md":                       "---\ntitle: Test\nsdk: gradio\napp_file: app.py\n---\n# Test\n",
		"app.py":                          "import gradio as gr\ngr.Interface(lambda s: s, 'text', 'text').launch()\n",
		"requirements.txt":                "numpy\n",
		".gitignore":                      "*.log\n__pycache__/\n",
		"debug.log":                       "never deployed\n",
		"__pycache__/app.cpython-312.pyc": "x",
	}
	for k, v := range extra {
		if v == "" {
			delete(files, k)
			continue
		}
		files[k] = v
	}
	return files
}

// deploy runs `hfspaces deploy` with dir in place of {{DIR}}.
func deploy(t *testing.T, e *clitest.Env, dir string, args ...string) clitest.Result {
	t.Helper()
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "{{DIR}}", dir)
	}
	return e.Run(NewCmdDeploy(e.Factory, nil), append([]string{"deploy"}, args...)...)
}

// remoteFiles lists a Space's files with their content.
func remoteFiles(t *testing.T, e *clitest.Env, id string) map[string]string {
	t.Helper()
	c, _ := e.Factory.Client()
	out := map[string]string{}
	for f, err := range c.Spaces.ListFiles(t.Context(), id, &hfhub.ListFilesOptions{Recursive: true}) {
		if err != nil {
			t.Fatalf("ListFiles(%s): %v", id, err)
		}
		if f.Type != "file" {
			continue
		}
		body, _, err := c.Spaces.Download(t.Context(), id, f.Path, nil)
		if err != nil {
			t.Fatalf("Download(%s): %v", f.Path, err)
		}
		b, _ := io.ReadAll(body)
		body.Close()
		out[f.Path] = string(b)
	}
	return out
}

func wantCode(t *testing.T, r clitest.Result, code int) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, code, r.Out, r.ErrOut)
	}
}

func wantLines(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, got)
		}
	}
}

// TestDeployCreatesOnATerminal: a missing Space is created with the SDK of
// README.md; ignored files stay home; the build log streams by; exit 0.
func TestDeployCreatesOnATerminal(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	e.SetTTY(true)
	dir := writeTree(t, app(nil))
	r := deploy(t, e, dir, "demo/new-app", "{{DIR}}", "-m", "First deploy")
	wantCode(t, r, 0)
	wantLines(t, "stdout", r.Out,
		"✓ Created public Space demo/new-app (gradio, from README.md)\n",
		"✓ Committed: 4 files uploaded",
		"Build log of demo/new-app:\n",
		"pip install",
		"✓ demo/new-app is RUNNING on cpu-basic\n",
		e.Server.URL+"/spaces/demo/new-app\n")
	files := remoteFiles(t, e, "demo/new-app")
	for _, p := range []string{"README.md", "app.py", "requirements.txt", ".gitignore", ".gitattributes"} {
		if _, ok := files[p]; !ok {
			t.Errorf("%s missing from the Space: %v", p, slices.Collect(mapKeys(files)))
		}
	}
	for _, p := range []string{"debug.log", "__pycache__/app.cpython-312.pyc"} {
		if _, ok := files[p]; ok {
			t.Errorf("ignored %s was deployed", p)
		}
	}
	if files["app.py"] != app(nil)["app.py"] {
		t.Errorf("app.py = %q", files["app.py"])
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestDeployPiped: standard output holds one line; the steps go to
// standard error for the CI log; a second deploy of the same folder sends
// no commit and says so.
func TestDeployPiped(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	dir := writeTree(t, app(nil))
	r := deploy(t, e, dir, "demo/ci-app", dir)
	wantCode(t, r, 0)
	fields := strings.Split(strings.TrimSuffix(r.Out, "\n"), "\t")
	if len(fields) != 4 || fields[0] != "demo/ci-app" || fields[1] != "RUNNING" || len(fields[2]) != 40 || fields[3] != e.Server.URL+"/spaces/demo/ci-app" {
		t.Errorf("stdout = %q, want SPACE\\tSTAGE\\tCOMMIT\\tURL", r.Out)
	}
	wantLines(t, "stderr", r.ErrOut, "Created public Space demo/ci-app (gradio, from README.md)\n", "Committed: 4 files uploaded", "demo/ci-app: RUNNING\n")
	if strings.Contains(r.ErrOut, "pip install") {
		t.Errorf("the build log was streamed off a terminal:\n%s", r.ErrOut)
	}
	first := fields[2]

	// Without a namespace: the token's account's.
	r = deploy(t, e, dir, "ci-app", dir)
	wantCode(t, r, 0)
	wantLines(t, "stderr", r.ErrOut, "No changes: demo/ci-app already has these files")

	r = deploy(t, e, dir, "demo/ci-app", dir)
	wantCode(t, r, 0)
	wantLines(t, "stderr", r.ErrOut, "No changes: demo/ci-app already has these files (commit "+first[:7]+"); nothing was sent\n")
	if got := strings.Split(r.Out, "\t"); len(got) < 3 || got[2] != first {
		t.Errorf("unchanged deploy: stdout %q, want the commit %s", r.Out, first)
	}
}

// TestDeployJSON: the summary of --json, then again unchanged.
func TestDeployJSON(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	dir := writeTree(t, app(nil))
	r := deploy(t, e, dir, "demo/json-app", dir, "--json")
	wantCode(t, r, 0)
	var got resultJSON
	clitest.DecodeJSON(t, r.Out, &got)
	slices.Sort(got.Uploaded)
	if got.Space != "demo/json-app" || got.URL != e.Server.URL+"/spaces/demo/json-app" || got.Commit == nil || !got.Created || !got.Committed ||
		got.Stage == nil || *got.Stage != "RUNNING" || got.DryRun {
		t.Errorf("json = %+v", got)
	}
	if want := []string{".gitignore", "README.md", "app.py", "requirements.txt"}; !containsAll(got.Uploaded, want) {
		t.Errorf("uploaded = %v, want %v", got.Uploaded, want)
	}
	r = deploy(t, e, dir, "demo/json-app", dir, "--json")
	wantCode(t, r, 0)
	clitest.WantJSONFields(t, r.Out, map[string]any{"created": false, "committed": false, "uploaded": []any{}, "deleted": []any{}, "stage": "RUNNING"})
}

func containsAll(got, want []string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}

// TestDeployBrokenThenFixed: a build that fails exits 1 after the end of
// its build log; the next deploy fixes it. --delete removes what is gone.
func TestDeployBrokenThenFixed(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	broken := map[string]string{"README.md": "---\nsdk: gradio\napp_file: main.py\n---\n", "helper.py": "x = 1\n"}
	dir := writeTree(t, broken)
	r := deploy(t, e, dir, "demo/fixme", dir)
	wantCode(t, r, 1)
	wantLines(t, "stderr", r.ErrOut, "demo/fixme: NO_APP_FILE\n", "error: demo/fixme settled in NO_APP_FILE, not RUNNING",
		"The Space has no app file: add main.py (README.md's app_file) and deploy again.\n")

	fixed := writeTree(t, map[string]string{"README.md": broken["README.md"], "main.py": "print('hi')\n"})
	r = deploy(t, e, fixed, "demo/fixme", fixed, "--delete", "--json")
	wantCode(t, r, 0)
	clitest.WantJSONFields(t, r.Out, map[string]any{"stage": "RUNNING", "uploaded": []any{"main.py"}, "deleted": []any{"helper.py"}, "created": false})
	files := remoteFiles(t, e, "demo/fixme")
	if _, ok := files["helper.py"]; ok {
		t.Error("--delete left helper.py")
	}
	if _, ok := files[".gitattributes"]; !ok {
		t.Error("--delete removed .gitattributes")
	}
}

// TestDeployDryRun: nothing is created, committed or configured.
func TestDeployDryRun(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	e.SetTTY(true)
	dir := writeTree(t, app(nil))
	r := deploy(t, e, dir, "demo/dry", dir, "--dry-run", "-e", "A=1", "--hardware", "t4-small")
	wantCode(t, r, 0)
	wantLines(t, "stdout", r.Out, "~ Would create public Space demo/dry (gradio, from README.md)\n", "  with hardware t4-small, 1 variable (A)\n",
		"~ Would commit: 4 files uploaded\n", "  + app.py\n")
	c, _ := e.Factory.Client()
	if _, err := c.Spaces.GetInfo(t.Context(), "demo/dry"); !errors.Is(err, hfhub.ErrNotFound) {
		t.Errorf("a dry run created the Space: %v", err)
	}

	// On an existing Space: the changes, and the settings it would set.
	before := remoteFiles(t, e, "demo/gradio-app")
	r = deploy(t, e, dir, "demo/gradio-app", dir, "--dry-run", "--delete", "-e", "A=1", "--json")
	wantCode(t, r, 0)
	var got resultJSON
	clitest.DecodeJSON(t, r.Out, &got)
	if !got.DryRun || got.Committed || got.Commit != nil || got.Created || len(got.Uploaded) == 0 {
		t.Errorf("json = %+v", got)
	}
	if after := remoteFiles(t, e, "demo/gradio-app"); len(after) != len(before) {
		t.Errorf("a dry run changed the files: %d → %d", len(before), len(after))
	}
	vars, err := c.Spaces.GetVariables(t.Context(), "demo/gradio-app")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := vars["A"]; ok {
		t.Error("a dry run set a variable")
	}
}

// TestDeployConfiguresAnExistingSpace: variables, secrets and hardware go
// with the deploy; values never reach the output.
func TestDeployConfiguresAnExistingSpace(t *testing.T) {
	t.Parallel()
	const secret = "deploy-secret-value"
	e := clitest.New(t, clitest.Options{Env: map[string]string{"API_KEY": secret}})
	e.SetTTY(true)
	dir := writeTree(t, app(nil))
	r := deploy(t, e, dir, "demo/gradio-app", dir, "-e", "MODEL_ID=demo/other", "-s", "API_KEY", "--sleep-time", "1h", "--private")
	wantCode(t, r, 0)
	wantLines(t, "stdout", r.Out, "✓ Set sleep time 1h, 1 variable (MODEL_ID), 1 secret (API_KEY)\n")
	wantLines(t, "stderr", r.ErrOut, "--private applies only to a Space deploy creates")
	if strings.Contains(r.Out+r.ErrOut, secret) {
		t.Error("the output leaks the secret value")
	}
	if v, ok := e.Server.Emulator.SecretValue("demo/gradio-app", "API_KEY"); !ok || v != secret {
		t.Errorf("secret = %q, %v", v, ok)
	}
	c, _ := e.Factory.Client()
	vars, _ := c.Spaces.GetVariables(t.Context(), "demo/gradio-app")
	if vars["MODEL_ID"].Value != "demo/other" {
		t.Errorf("MODEL_ID = %q", vars["MODEL_ID"].Value)
	}
}

// TestDeploySecretsFileStaysHome: a --secrets-file inside the deployed
// folder (deploy me/app . --secrets-file .env) sets its secrets and is
// never uploaded, not even when no .gitignore names it.
func TestDeploySecretsFileStaysHome(t *testing.T) {
	t.Parallel()
	const secret = "deploy-secret-in-a-file"
	e := clitest.New(t, clitest.Options{})
	dir := writeTree(t, app(map[string]string{"conf/.env": "API_KEY=" + secret + "\n"}))
	r := deploy(t, e, dir, "demo/env-app", dir, "--secrets-file", filepath.Join(dir, "conf", ".env"))
	wantCode(t, r, 0)
	wantLines(t, "stderr", r.ErrOut, "not uploading conf/.env: it is a --secrets-file")
	files, err := e.Server.Emulator.Files("demo/env-app", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == "conf/.env" {
			t.Errorf("the secrets file was uploaded: %v", files)
		}
	}
	if v, ok := e.Server.Emulator.SecretValue("demo/env-app", "API_KEY"); !ok || v != secret {
		t.Errorf("secret = %q, %v", v, ok)
	}
	if strings.Contains(r.Out+r.ErrOut, secret) {
		t.Error("the output leaks the secret value")
	}
}

// TestDeployRefusals: what is wrong locally is said before anything is
// sent.
func TestDeployRefusals(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	noSDK := writeTree(t, map[string]string{"app.py": "x"})
	r := deploy(t, e, noSDK, "demo/nosdk", noSDK)
	wantCode(t, r, 1)
	wantLines(t, "stderr", r.ErrOut, "error: demo/nosdk does not exist, and no SDK to create it with: pass --sdk")
	badSDK := writeTree(t, map[string]string{"README.md": "---\nsdk: php\n---\n"})
	r = deploy(t, e, badSDK, "demo/nosdk", badSDK)
	wantCode(t, r, 1)
	wantLines(t, "stderr", r.ErrOut, `README.md names the SDK "php"`)
	r = deploy(t, e, noSDK, "demo/nosdk", noSDK+"/missing")
	wantCode(t, r, 1)
	wantLines(t, "stderr", r.ErrOut, "cannot deploy "+noSDK+"/missing: no such file or directory")
	r = deploy(t, e, noSDK, "demo/nosdk", noSDK+"/app.py")
	wantCode(t, r, 1)
	wantLines(t, "stderr", r.ErrOut, "not a folder")
	// --delete with nothing to deploy would empty the Space.
	ignored := writeTree(t, map[string]string{".gitignore": "*\n", "a.log": "x"})
	r = deploy(t, e, ignored, "demo/gradio-app", ignored, "--delete")
	wantCode(t, r, 1)
	wantLines(t, "stderr", r.ErrOut, "has no files to deploy (after .gitignore): with --delete that would delete every file of demo/gradio-app; refusing")
	r = deploy(t, e, noSDK, "demo/nosdk", noSDK, "--create-pr")
	wantCode(t, r, 1)
	wantLines(t, "stderr", r.ErrOut, "--create-pr needs a Space")
	c, _ := e.Factory.Client()
	if _, err := c.Spaces.GetInfo(t.Context(), "demo/nosdk"); !errors.Is(err, hfhub.ErrNotFound) {
		t.Errorf("a refused deploy created the Space: %v", err)
	}
}

// TestDeployPullRequest: --create-pr leaves main alone.
func TestDeployPullRequest(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	e.SetTTY(true)
	before := remoteFiles(t, e, "demo/gradio-app")
	dir := writeTree(t, map[string]string{"app.py": "print('proposed')\n"})
	r := deploy(t, e, dir, "demo/gradio-app", dir, "--create-pr", "-m", "Propose")
	wantCode(t, r, 0)
	wantLines(t, "stdout", r.Out, "✓ Opened a pull request (1 file uploaded", "/spaces/demo/gradio-app/discussions/")
	if after := remoteFiles(t, e, "demo/gradio-app"); after["app.py"] != before["app.py"] {
		t.Error("--create-pr changed main")
	}
}

// TestDeployNoWait returns after the commit, with the stage at that time.
func TestDeployNoWait(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Frozen())
	dir := writeTree(t, app(nil))
	r := deploy(t, e, dir, "demo/gradio-app", dir, "--no-wait", "--json")
	wantCode(t, r, 0)
	var got resultJSON
	clitest.DecodeJSON(t, r.Out, &got)
	// The app that ran before keeps running while the new one builds.
	if !got.Committed || got.Stage == nil || !hfhub.Stage(*got.Stage).Transitional() {
		t.Errorf("json = %+v, want a commit and a build under way", got)
	}
}

// TestDeployTimeout: a build still running at --timeout is exit 8.
func TestDeployTimeout(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Frozen())
	dir := writeTree(t, app(nil))
	r := deploy(t, e, dir, "demo/gradio-app", dir, "--timeout", "1ms")
	wantCode(t, r, 8)
	wantLines(t, "stderr", r.ErrOut, "error: timed out after 1ms: demo/gradio-app is still")
}

// TestDeployBuildError: a failed build exits 1 after the end of its build
// log: printed on standard error when piped, streamed on a terminal.
func TestDeployBuildError(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		t.Run(map[bool]string{false: "piped", true: "terminal"}[tty], func(t *testing.T) {
			t.Parallel()
			e := clitest.New(t, clitest.Options{})
			e.SetTTY(tty)
			if err := e.Server.Emulator.SetBuildFailure("demo/gradio-app", "pip could not resolve numpy==0.0"); err != nil {
				t.Fatal(err)
			}
			dir := writeTree(t, app(nil))
			r := deploy(t, e, dir, "demo/gradio-app", dir)
			wantCode(t, r, 1)
			wantLines(t, "stderr", r.ErrOut, "error: demo/gradio-app settled in BUILD_ERROR, not RUNNING", "hfspaces logs demo/gradio-app --build")
			if tty {
				wantLines(t, "stdout", r.Out, "Build log of demo/gradio-app:\n", "│ ", "── BUILD_ERROR\n")
				if strings.Contains(r.ErrOut, "End of the build log") {
					t.Errorf("the streamed log is printed again:\n%s", r.ErrOut)
				}
				return
			}
			wantLines(t, "stderr", r.ErrOut, "demo/gradio-app: BUILD_ERROR\n", "End of the build log of demo/gradio-app:\n  ")
		})
	}
}

// staleFirstRuntime answers the first runtime read with the stage given,
// as the Hub may for a moment after a commit, before it starts the build.
func staleFirstRuntime(stage string, reads *atomic.Int32) func(e *clitest.Env, base http.RoundTripper) http.RoundTripper {
	return func(e *clitest.Env, base http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := base.RoundTrip(r)
			if err != nil || !strings.HasSuffix(r.URL.Path, "/runtime") || reads.Add(1) != 1 {
				return resp, err
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var rt map[string]any
			if err := json.Unmarshal(body, &rt); err != nil {
				return nil, err
			}
			rt["stage"] = stage
			body, _ = json.Marshal(rt)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Del("Content-Length")
			return resp, nil
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestDeployStaleStage: a first runtime that still shows the stage from
// before the commit is read again before it counts, RUNNING or failed.
func TestDeployStaleStage(t *testing.T) {
	t.Parallel()
	for _, stage := range []string{"BUILD_ERROR", "RUNNING"} {
		t.Run(stage, func(t *testing.T) {
			t.Parallel()
			var reads atomic.Int32
			e := clitest.New(t, clitest.Options{Transport: staleFirstRuntime(stage, &reads)})
			dir := writeTree(t, app(nil))
			r := deploy(t, e, dir, "demo/gradio-app", dir, "--interval", "10ms")
			wantCode(t, r, 0)
			if n := reads.Load(); n < 2 {
				t.Errorf("the runtime was read %d times, want a second read after a settled first one", n)
			}
		})
	}
}

// TestDeployInterruptedWhileWaiting: Ctrl-C during the wait for the build
// stops at once with exit code 2; the commit is in place.
func TestDeployInterruptedWhileWaiting(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cancelOnRuntime := func(e *clitest.Env, base http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.HasSuffix(r.URL.Path, "/runtime") {
				cancel()
			}
			return base.RoundTrip(r)
		})
	}
	o := clitest.Frozen()
	o.Transport = cancelOnRuntime
	e := clitest.New(t, o)
	dir := writeTree(t, app(nil))
	cmd := NewCmdDeploy(e.Factory, nil)
	cmd.SetArgs([]string{"demo/gradio-app", dir})
	cmd.SetOut(e.IO.Out)
	cmd.SetErr(e.IO.ErrOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.ExecuteContext(ctx)
	if !errors.Is(err, context.Canceled) || cmdutil.ExitCode(err) != cmdutil.ExitCancel {
		t.Fatalf("err = %v (exit %d), want context.Canceled (exit 2)", err, cmdutil.ExitCode(err))
	}
	if got := remoteFiles(t, e, "demo/gradio-app")["requirements.txt"]; got != "numpy\n" {
		t.Errorf("requirements.txt = %q: the commit is not in place", got)
	}
}

// TestDeployPaidHardwareAsksFirst: on a terminal, paid hardware is asked
// about before anything is created or uploaded; a no changes nothing.
func TestDeployPaidHardwareAsksFirst(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	e.SetTTY(true)
	dir := writeTree(t, app(nil))
	r := deploy(t, e, dir, "demo/paid-app", dir, "--hardware", "t4-small")
	wantCode(t, r, 2)
	if st := e.Server.Emulator.Stage("demo/paid-app"); st != "" {
		t.Errorf("the Space was created after a no (stage %s)", st)
	}
}
