package fleet_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/emulator/emulatortest"
	"github.com/hfhub-go/hfhub/fleet"
)

// writeCounter is a slog handler for the emulator's request log that
// counts the requests that can change something.
type writeCounter struct {
	mu      sync.Mutex
	writes  []string
	limited int // 429 answers
}

func (w *writeCounter) Enabled(context.Context, slog.Level) bool { return true }
func (w *writeCounter) WithAttrs([]slog.Attr) slog.Handler       { return w }
func (w *writeCounter) WithGroup(string) slog.Handler            { return w }
func (w *writeCounter) Handle(_ context.Context, r slog.Record) error {
	var method, path string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "path":
			path = a.Value.String()
		case "status":
			if a.Value.Int64() == http.StatusTooManyRequests {
				w.mu.Lock()
				w.limited++
				w.mu.Unlock()
				method = "" // refused: not a write
			}
		}
		return true
	})
	// Preupload is a POST that changes nothing: it asks how files would
	// be uploaded (Upload's DryRun, which plans a source folder, sends it).
	if method != "" && method != http.MethodGet && method != http.MethodHead && !strings.Contains(path, "/preupload/") {
		w.mu.Lock()
		w.writes = append(w.writes, method+" "+path)
		w.mu.Unlock()
	}
	return nil
}

func (w *writeCounter) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.writes
	w.writes = nil
	return out
}

type env struct {
	srv    *emulatortest.Server
	client *hfhub.Client
	writes *writeCounter
}

func newEnv(t *testing.T, faults ...emulator.Fault) *env {
	t.Helper()
	wc := &writeCounter{}
	srv := emulatortest.NewServer(t, emulator.Config{Seed: emulator.DemoSeed, Logger: slog.New(wc), Faults: faults})
	c, err := hfhub.NewClient(hfhub.WithEndpoint(srv.URL), hfhub.WithToken(emulator.DemoWriteToken),
		hfhub.WithHTTPClient(srv.Client()), hfhub.WithRetry(hfhub.RetryPolicy{MaxRetries: 0}))
	if err != nil {
		t.Fatal(err)
	}
	return &env{srv: srv, client: c, writes: wc}
}

var testEnv = map[string]string{"OPENAI_API_KEY": "sk-test-value-123", "HF_API_KEY": "demo-secret-value"}

func lookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func mustParse(t *testing.T, src string, envm map[string]string) *fleet.File {
	t.Helper()
	f, err := fleet.Parse([]byte(src), "spaces.yaml", &fleet.ParseOptions{LookupEnv: lookup(envm)})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

var fast = &fleet.Options{SecretIterations: 1000}

const updateFile = `version: 1
defaults:
  dev_mode: false
spaces:
  demo/gradio-app:
    hardware: t4-small
    sleep_time: 1h
    variables:
      MODEL_ID: gpt2
    secrets:
      OPENAI_API_KEY: ${OPENAI_API_KEY}
    volumes:
      - {type: model, source: org/model, mount_path: /data}
  demo/gpu-app:
    hardware: t4-small
    paused: true
  demo/static-site:
`

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"misspelt key", "version: 1\nspaces:\n  demo/a:\n    hardwre: t4-small\n", `spaces.yaml:4: unknown key "hardwre" in demo/a; did you mean "hardware"?`},
		{"misspelt top key", "version: 1\nspacse: {}\n", `spaces.yaml:2: unknown key "spacse" in the file; did you mean "spaces"?`},
		{"volume key", "version: 1\nspaces:\n  demo/a:\n    volumes:\n      - {type: model, source: o/m, mountpath: /d}\n", `spaces.yaml:5: unknown key "mountpath" in demo/a: volumes[1]; did you mean "mount_path"?`},
		{"literal secret", "version: 1\nspaces:\n  demo/a:\n    secrets:\n      K: hunter2\n", "spaces.yaml:5: demo/a: secrets: K must be an environment reference such as ${K}; a literal value is not allowed in the file"},
		{"unset env", "version: 1\nspaces:\n  demo/a:\n    secrets:\n      K: ${NOPE}\n", "spaces.yaml:5: demo/a: secrets: K refers to ${NOPE}, which is not set in the environment"},
		{"sleep", "version: 1\nspaces:\n  demo/a:\n    sleep_time: soon\n", `spaces.yaml:4: demo/a: sleep_time: sleep time "soon": want a duration such as 1h or 90m, a number of seconds, or "never"`},
		{"version", "spaces: {}\n", "spaces.yaml:1: missing version: 1"},
		{"bad id", "version: 1\nspaces:\n  nonamespace: {}\n", `spaces.yaml:3: "nonamespace" is not a Space id; want namespace/name`},
		{"bool", "version: 1\nspaces:\n  demo/a:\n    paused: maybe\n", `spaces.yaml:4: demo/a: paused must be true or false, not "maybe"`},
		{"yaml", "version: 1\nspaces:\n  demo/a: [\n", "spaces.yaml:3: not valid YAML"},
		{"twice", "version: 1\nspaces:\n  demo/a: {}\n  demo/a: {}\n", "spaces.yaml:4: demo/a is listed twice (first at line 3)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fleet.Parse([]byte(tc.src), "spaces.yaml", &fleet.ParseOptions{LookupEnv: lookup(testEnv)})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant prefix %s", err, tc.want)
			}
			if !errors.Is(err, fleet.ErrInvalidFile) {
				t.Errorf("err does not wrap ErrInvalidFile")
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the literal secret is in the error: %v", err)
			}
		})
	}
}

func TestParseSleepTimeAndDefaults(t *testing.T) {
	// What the Hub refuses is refused in the file, before anything is sent.
	for _, bad := range []string{"0", "0s", "-5", "3000000000", "1000000h", "1.5s"} {
		if got, err := fleet.ParseSleepTime(bad); err == nil {
			t.Errorf("ParseSleepTime(%q) = %d, nil; want an error", bad, got)
		}
	}
	for in, want := range map[string]int{"1h": 3600, "3600": 3600, "never": -1, "90m": 5400, "1s": 1} {
		got, err := fleet.ParseSleepTime(in)
		if err != nil || got != want {
			t.Errorf("ParseSleepTime(%q) = %d, %v; want %d", in, got, err, want)
		}
		if back, _ := fleet.ParseSleepTime(fleet.FormatSleepTime(want)); back != want {
			t.Errorf("FormatSleepTime(%d) does not read back", want)
		}
	}
	f := mustParse(t, "version: 1\ndefaults:\n  hardware: cpu-upgrade\n  variables: {A: a, B: b}\nspaces:\n  demo/x:\n    variables: {B: x}\n  demo/y:\n    hardware: t4-small\n", nil)
	if f.Spaces[0].Hardware != "cpu-upgrade" || f.Spaces[1].Hardware != "t4-small" {
		t.Errorf("hardware defaults: %v, %v", f.Spaces[0].Hardware, f.Spaces[1].Hardware)
	}
	if v := f.Spaces[0].Variables; v["A"] != "a" || v["B"] != "x" {
		t.Errorf("variables merge: %v", v)
	}
}

func TestSecretNeverFormatted(t *testing.T) {
	f := mustParse(t, updateFile, testEnv)
	s := f.Spaces[0].Secrets["OPENAI_API_KEY"]
	b, _ := json.Marshal(f)
	e := newEnv(t)
	cs, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := json.Marshal(cs)
	// A plan holds the desired state in unexported fields, where fmt
	// cannot call Secret's String method.
	for _, out := range []string{s.String(), string(b), fmtAll(f), fmtAll(f.Spaces[0]), string(pb), fmtAll(cs), fmtAll(*cs.Spaces[0])} {
		if strings.Contains(out, testEnv["OPENAI_API_KEY"]) {
			t.Fatalf("secret value in %q", out)
		}
	}
}

func fmtAll(v any) string {
	return fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
}

func changesOf(cs *fleet.Changeset, id string) []string {
	for _, sc := range cs.Spaces {
		if sc.ID == id {
			var out []string
			for _, c := range sc.Changes {
				out = append(out, c.Attribute+" "+c.Kind+" "+c.Old+"→"+c.New)
			}
			return out
		}
	}
	return nil
}

func TestPlanReadsOnlyAndShowsChanges(t *testing.T) {
	e := newEnv(t)
	f := mustParse(t, updateFile, testEnv)
	cs, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	if w := e.writes.take(); len(w) > 0 {
		t.Fatalf("plan sent writes: %v", w)
	}
	got := strings.Join(changesOf(cs, "demo/gradio-app"), "\n")
	want := strings.Join([]string{
		"hardware change cpu-basic→t4-small",
		"sleep_time change 48h→1h",
		"volumes change (none)→model:org/model→/data",
		"variables.MODEL_ID change demo/tiny-model→gpt2",
		"secrets.OPENAI_API_KEY add →",
	}, "\n")
	if got != want {
		t.Errorf("gradio-app changes:\n%s\nwant\n%s", got, want)
	}
	if got := changesOf(cs, "demo/gpu-app"); len(got) != 1 || got[0] != "paused change false→true" {
		t.Errorf("gpu-app changes: %v", got)
	}
	if cs.Update != 2 || cs.Unchanged != 1 || !cs.Pending() {
		t.Errorf("counts: update %d unchanged %d", cs.Update, cs.Unchanged)
	}
	// gpu-app (t4-small) paused after; gradio-app moves to t4-small.
	if cs.Cost.HourlyAfterMicroUSD <= 0 || cs.Cost.HourlyBeforeMicroUSD <= 0 || cs.Cost.MonthlyAfterMicroUSD != cs.Cost.HourlyAfterMicroUSD*730 {
		t.Errorf("cost: %+v", cs.Cost)
	}
}

func TestApplyTwiceSecondSendsNoWrite(t *testing.T) {
	e := newEnv(t)
	f := mustParse(t, updateFile, testEnv)
	cs, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	res := fleet.Apply(t.Context(), e.client, cs, &fleet.ApplyOptions{Wait: true})
	if res.Failed != 0 || res.Changed != 2 {
		t.Fatalf("first apply: %+v", res)
	}
	if w := e.writes.take(); len(w) == 0 {
		t.Fatal("the first apply sent no write")
	}
	if v, _ := e.srv.Emulator.SecretValue("demo/gradio-app", "OPENAI_API_KEY"); v != testEnv["OPENAI_API_KEY"] {
		t.Errorf("secret on the Hub = %q", v)
	}
	if got := e.srv.Emulator.Stage("demo/gpu-app"); got != "PAUSED" {
		t.Errorf("gpu-app stage %s", got)
	}
	cs2, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	if cs2.Pending() {
		t.Errorf("second plan has changes: %+v", cs2.Spaces)
	}
	res2 := fleet.Apply(t.Context(), e.client, cs2, nil)
	if res2.Failed != 0 || res2.Changed != 0 {
		t.Errorf("second apply: %+v", res2)
	}
	if w := e.writes.take(); len(w) != 0 {
		t.Fatalf("the second apply sent writes: %v", w)
	}

	// A changed secret value is detected, without a value in the plan.
	env2 := map[string]string{"OPENAI_API_KEY": "sk-rotated-456"}
	cs3, err := fleet.Plan(t.Context(), e.client, mustParse(t, updateFile, env2), fast)
	if err != nil {
		t.Fatal(err)
	}
	if got := changesOf(cs3, "demo/gradio-app"); len(got) != 1 || got[0] != "secrets.OPENAI_API_KEY change →" {
		t.Errorf("rotated secret: %v", got)
	}
	b, _ := json.Marshal(cs3)
	if strings.Contains(string(b), "sk-rotated") || strings.Contains(string(b), "sk-test") {
		t.Errorf("a secret value is in the plan JSON: %s", b)
	}
}

func TestExportThenPlanIsEmpty(t *testing.T) {
	e := newEnv(t)
	ids := []string{"demo/gradio-app", "demo/static-site", "demo/gpu-app", "demo/broken-build", "demo-org/team-space"}
	f, err := fleet.Export(t.Context(), e.client, ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := fleet.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "demo-secret-value") {
		t.Fatalf("export holds a secret value:\n%s", data)
	}
	if !strings.Contains(string(data), "HF_API_KEY: ${HF_API_KEY}") {
		t.Errorf("export lacks the secret reference:\n%s", data)
	}
	back := mustParse(t, string(data), testEnv)
	// The seed's secret has no marker: unknown, so rewritten unless kept.
	cs, err := fleet.Plan(t.Context(), e.client, back, &fleet.Options{KeepUnmarkedSecrets: true, SecretIterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if cs.Pending() || cs.Errors != 0 {
		for _, sc := range cs.Spaces {
			t.Logf("%s %s %v %s", sc.ID, sc.Action, sc.Changes, sc.Error)
		}
		t.Fatalf("plan of an export has changes:\n%s", data)
	}
	cs, _ = fleet.Plan(t.Context(), e.client, back, fast)
	if got := changesOf(cs, "demo/gradio-app"); len(got) != 1 || got[0] != "secrets.HF_API_KEY change →" {
		t.Errorf("an unmarked secret: %v", got)
	}
	// By author.
	fa, err := fleet.Export(t.Context(), e.client, nil, &fleet.ExportOptions{Author: "demo"})
	if err != nil || len(fa.Spaces) != 4 {
		t.Errorf("export --author demo: %d Spaces, %v", len(fa.Spaces), err)
	}
}

func TestApplyCarriesOnWhenOneSpaceFails(t *testing.T) {
	e := newEnv(t, emulator.Fault{Route: "hardware", Status: 500})
	f := mustParse(t, updateFile, testEnv)
	cs, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	res := fleet.Apply(t.Context(), e.client, cs, nil)
	if res.Failed != 1 || res.Changed != 1 {
		t.Fatalf("apply: %+v", res)
	}
	for _, r := range res.Spaces {
		switch r.ID {
		case "demo/gradio-app":
			if r.Err == nil || !strings.HasPrefix(r.Error, "hardware: ") {
				t.Errorf("gradio-app: %+v", r)
			}
		case "demo/gpu-app":
			if r.Err != nil {
				t.Errorf("gpu-app failed: %v", r.Err)
			}
		}
	}
	if got := e.srv.Emulator.Stage("demo/gpu-app"); got != "PAUSED" {
		t.Errorf("gpu-app stage %s", got)
	}
}

func TestPlanReportsAnUnreadableSpace(t *testing.T) {
	e := newEnv(t, emulator.Fault{Route: "info", Status: 503, Fraction: 0.5})
	f := mustParse(t, "version: 1\nspaces:\n  demo/gradio-app: {}\n  demo/gpu-app: {}\n", nil)
	cs, err := fleet.Plan(t.Context(), e.client, f, &fleet.Options{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if cs.Errors != 1 || cs.Unchanged != 1 {
		t.Fatalf("errors %d unchanged %d", cs.Errors, cs.Unchanged)
	}
}

func writeFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCreateWithSourceThenNothingToChange(t *testing.T) {
	e := newEnv(t)
	dir := writeFolder(t, map[string]string{
		"README.md":        "---\ntitle: New\nsdk: gradio\napp_file: app.py\n---\n",
		"app.py":           "import gradio as gr\n",
		"requirements.txt": "gradio\n",
	})
	src := "version: 1\nspaces:\n  demo/new-app:\n    sdk: gradio\n    visibility: private\n    hardware: cpu-upgrade\n    sleep_time: 2h\n" +
		"    variables: {THEME: dark}\n    secrets:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n    source: " + dir + "\n"
	f := mustParse(t, src, testEnv)
	cs, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	sc := cs.Spaces[0]
	if sc.Action != fleet.ActionCreate || strings.Join(sc.Upload, ",") != "README.md,app.py,requirements.txt" {
		t.Fatalf("plan: %s %v %s", sc.Action, sc.Upload, sc.Error)
	}
	if w := e.writes.take(); len(w) > 0 {
		t.Fatalf("plan sent writes: %v", w)
	}
	res := fleet.Apply(t.Context(), e.client, cs, &fleet.ApplyOptions{Wait: true})
	if res.Failed != 0 {
		t.Fatalf("apply: %+v", res.Spaces)
	}
	if got := strings.Join(res.Spaces[0].Done, ","); got != "created,secrets.OPENAI_API_KEY,files" {
		t.Errorf("done: %s", got)
	}
	if v, _ := e.srv.Emulator.SecretValue("demo/new-app", "OPENAI_API_KEY"); v != testEnv["OPENAI_API_KEY"] {
		t.Errorf("secret: %q", v)
	}
	e.writes.take()
	cs2, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	if cs2.Pending() || cs2.Errors > 0 {
		t.Fatalf("plan after create: %+v %v %v", cs2.Spaces[0].Changes, cs2.Spaces[0].Upload, cs2.Spaces[0].Error)
	}
	fleet.Apply(t.Context(), e.client, cs2, nil)
	if w := e.writes.take(); len(w) > 0 {
		t.Fatalf("second apply sent writes: %v", w)
	}

	// A changed file is planned and deployed; --prune deletes a file the
	// folder no longer has.
	os.WriteFile(filepath.Join(dir, "app.py"), []byte("import gradio as gr  # v2\n"), 0o644)
	os.Remove(filepath.Join(dir, "requirements.txt"))
	cs3, _ := fleet.Plan(t.Context(), e.client, f, &fleet.Options{Prune: true, SecretIterations: 1000})
	if sc := cs3.Spaces[0]; strings.Join(sc.Upload, ",") != "app.py" || strings.Join(sc.Delete, ",") != "requirements.txt" {
		t.Fatalf("plan of a changed folder: upload %v delete %v %s", sc.Upload, sc.Delete, sc.Error)
	}
	if res := fleet.Apply(t.Context(), e.client, cs3, nil); res.Failed != 0 {
		t.Fatalf("apply: %+v", res.Spaces)
	}
	if cs4, _ := fleet.Plan(t.Context(), e.client, f, &fleet.Options{Prune: true, SecretIterations: 1000}); cs4.Pending() {
		t.Fatalf("plan after deploy: %+v", cs4.Spaces[0])
	}
}

func TestVisibilityChange(t *testing.T) {
	e := newEnv(t)
	f := mustParse(t, "version: 1\nspaces:\n  demo/gradio-app:\n    visibility: private\n", nil)
	cs, _ := fleet.Plan(t.Context(), e.client, f, fast)
	if got := changesOf(cs, "demo/gradio-app"); len(got) != 1 || got[0] != "visibility change public→private" {
		t.Fatalf("plan: %v", got)
	}
	if res := fleet.Apply(t.Context(), e.client, cs, nil); res.Failed != 0 {
		t.Fatalf("apply: %+v", res.Spaces)
	}
	if cs, _ := fleet.Plan(t.Context(), e.client, f, fast); cs.Pending() {
		t.Fatalf("plan after apply: %v", changesOf(cs, "demo/gradio-app"))
	}
}

// The Space info says only "private": false for a public or a protected
// Space; a file asking for protected must not be rewritten on every apply.
func TestProtectedIsNotComparedWhenTheHubDoesNotSay(t *testing.T) {
	e := newEnv(t)
	f := mustParse(t, "version: 1\nspaces:\n  demo/gradio-app:\n    visibility: protected\n", nil)
	cs, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Pending() || len(cs.Spaces[0].Warnings) != 1 {
		t.Fatalf("plan: %+v", cs.Spaces[0])
	}
}

// Rate-limited answers are waited out, not failed, even by a client that
// does not retry itself (the rate limit is 3 requests a second; the plan
// sends 11, the apply as many writes again).
func TestRateLimitIsWaitedOut(t *testing.T) {
	wc := &writeCounter{}
	srv := emulatortest.NewServer(t, emulator.Config{Seed: emulator.DemoSeed, Logger: slog.New(wc), RateLimit: emulator.RateLimit{Requests: 3, Window: time.Second}})
	c, err := hfhub.NewClient(hfhub.WithEndpoint(srv.URL), hfhub.WithToken(emulator.DemoWriteToken),
		hfhub.WithHTTPClient(srv.Client()), hfhub.WithRetry(hfhub.RetryPolicy{MaxRetries: 0}))
	if err != nil {
		t.Fatal(err)
	}
	f := mustParse(t, "version: 1\nspaces:\n  demo/gradio-app:\n    variables: {A: a, B: b}\n  demo/gpu-app:\n    variables: {A: a}\n  demo-org/team-space:\n    variables: {A: a}\n", nil)
	cs, err := fleet.Plan(t.Context(), c, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Errors != 0 || cs.Update != 3 || cs.Cost.Error != "" {
		t.Fatalf("plan under a rate limit: %d errors, %d updates, cost %q", cs.Errors, cs.Update, cs.Cost.Error)
	}
	if res := fleet.Apply(t.Context(), c, cs, nil); res.Failed != 0 {
		t.Fatalf("apply under a rate limit: %+v", res.Spaces)
	}
	if wc.limited == 0 {
		t.Error("the emulator answered no 429: the test tested nothing")
	}
}

func TestPruneDeletesWhatTheFileDoesNotList(t *testing.T) {
	e := newEnv(t)
	f := mustParse(t, "version: 1\nspaces:\n  demo/gradio-app:\n    variables:\n      MODEL_ID: demo/tiny-model\n    secrets:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n", testEnv)
	cs, _ := fleet.Plan(t.Context(), e.client, f, fast)
	if got := changesOf(cs, "demo/gradio-app"); len(got) != 1 {
		t.Fatalf("without --prune: %v", got)
	}
	prune := &fleet.Options{Prune: true, SecretIterations: 1000}
	cs, _ = fleet.Plan(t.Context(), e.client, f, prune)
	want := "variables.GREETING delete Hello→,secrets.OPENAI_API_KEY add →,secrets.HF_API_KEY delete →"
	if got := strings.Join(changesOf(cs, "demo/gradio-app"), ","); got != want {
		t.Fatalf("with --prune:\n%s\nwant\n%s", got, want)
	}
	if res := fleet.Apply(t.Context(), e.client, cs, nil); res.Failed != 0 {
		t.Fatal(res.Spaces[0].Err)
	}
	if _, ok := e.srv.Emulator.SecretValue("demo/gradio-app", "HF_API_KEY"); ok {
		t.Error("HF_API_KEY is still there")
	}
	if cs, _ := fleet.Plan(t.Context(), e.client, f, prune); cs.Pending() {
		t.Errorf("after apply: %v", changesOf(cs, "demo/gradio-app"))
	}
}

// TestSleepNeverSettles: a paid Space that never sleeps reads back as
// "never" (the Hub answers a null sleep time), so after one apply the plan
// is empty and a second apply sends nothing.
func TestSleepNeverSettles(t *testing.T) {
	e := newEnv(t)
	f := mustParse(t, "version: 1\nspaces:\n  demo/gradio-app:\n    hardware: t4-small\n    sleep_time: never\n", nil)
	cs, err := fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	if res := fleet.Apply(t.Context(), e.client, cs, nil); res.Failed != 0 {
		t.Fatalf("apply: %+v", res.Spaces)
	}
	cs, err = fleet.Plan(t.Context(), e.client, f, fast)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Pending() {
		t.Errorf("after apply, still pending: %v", changesOf(cs, "demo/gradio-app"))
	}
}

// TestApplyWaitTimeoutBoundsOnlyTheWait: with one Space at a time and builds
// that outlast the wait, every Space's change is still sent (a wait holds no
// place another Space's changes need), and each then fails with
// ErrWaitTimeout, not with an unsent change.
func TestApplyWaitTimeoutBoundsOnlyTheWait(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Config{Seed: emulator.DemoSeed, BuildDuration: time.Hour})
	c, err := hfhub.NewClient(hfhub.WithEndpoint(srv.URL), hfhub.WithToken(emulator.DemoWriteToken), hfhub.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	f := mustParse(t, "version: 1\nspaces:\n  demo/gradio-app:\n    hardware: cpu-upgrade\n  demo-org/team-space:\n    hardware: cpu-upgrade\n", nil)
	cs, err := fleet.Plan(t.Context(), c, f, &fleet.Options{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	res := fleet.Apply(t.Context(), c, cs, &fleet.ApplyOptions{Wait: true, WaitTimeout: 300 * time.Millisecond,
		WaitOptions: hfhub.WaitOptions{PollInterval: 50 * time.Millisecond}})
	for _, r := range res.Spaces {
		if !errors.Is(r.Err, fleet.ErrWaitTimeout) {
			t.Errorf("%s: %v; want ErrWaitTimeout", r.ID, r.Err)
		}
		rt, err := c.Spaces.GetRuntime(t.Context(), r.ID)
		if err != nil || rt.RequestedHardware != "cpu-upgrade" {
			t.Errorf("%s: the hardware request was not sent (%v, %v)", r.ID, rt, err)
		}
	}
}

// TestPlanRefusesIterationsOverTheCap: markers a later Plan would refuse to
// check are never written.
func TestPlanRefusesIterationsOverTheCap(t *testing.T) {
	e := newEnv(t)
	f := mustParse(t, "version: 1\nspaces:\n  demo/gradio-app:\n    hardware: cpu-basic\n", nil)
	for _, n := range []int{-1, 2_000_001} {
		if _, err := fleet.Plan(t.Context(), e.client, f, &fleet.Options{SecretIterations: n}); err == nil {
			t.Errorf("Plan with SecretIterations %d: no error", n)
		}
	}
}
