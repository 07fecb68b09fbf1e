package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/plan"
)

func TestNewCmdExportParsing(t *testing.T) {
	t.Parallel()
	clitest.RunParseCases(t, NewCmdExport, []clitest.ParseCase[ExportOptions]{
		{Name: "spaces", Args: []string{"export", "demo/a", "demo/b"}, Want: ExportOptions{Spaces: []string{"demo/a", "demo/b"}, Concurrency: 8}},
		{Name: "author", Args: []string{"export", "--author", "demo"}, Want: ExportOptions{Spaces: []string{}, Author: "demo", Concurrency: 8}},
		{Name: "nothing", Args: []string{"export"}, WantCode: 1, WantErr: "name the Spaces to export, or pass --author"},
		{Name: "both", Args: []string{"export", "demo/a", "--author", "demo"}, WantCode: 1, WantErr: "not both"},
		{Name: "bad id", Args: []string{"export", "demo/a b"}, WantCode: 1, WantErr: "demo/a b"},
	})
}

// An export planned at once shows nothing to change.
func TestExportThenPlanIsEmpty(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{Env: map[string]string{"HF_API_KEY": "whatever"}})
	r := e.Run(NewCmdExport(e.Factory, nil), "export", "--author", "demo")
	if r.Code != 0 {
		t.Fatalf("export: %d %s", r.Code, r.ErrOut)
	}
	out := r.Out
	for _, want := range []string{"demo/gradio-app:", "HF_API_KEY: ${HF_API_KEY}", "GREETING: Hello", "demo/static-site:"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "demo-secret-value") {
		t.Fatalf("export holds a secret value")
	}
	p := filepath.Join(t.TempDir(), "spaces.yaml")
	if err := os.WriteFile(p, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	r = e.Run(plan.NewCmdPlan(e.Factory, nil), "plan", "-f", p, "--keep-unmarked-secrets")
	if r.Code != 0 {
		t.Fatalf("plan of the export: exit %d\n%s\n%s\nexport:\n%s", r.Code, r.Out, r.ErrOut, out)
	}
	if !strings.Contains(r.Out, "Plan: 0 to create, 0 to change, 4 unchanged.") {
		t.Errorf("plan:\n%s", r.Out)
	}
}

// TestExportJSONThenPlanIsEmpty: --json prints the same document as JSON,
// which plan reads as well.
func TestExportJSONThenPlanIsEmpty(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{Env: map[string]string{"HF_API_KEY": "whatever"}})
	r := e.Run(NewCmdExport(e.Factory, nil), "export", "demo/gradio-app", "--json")
	if r.Code != 0 {
		t.Fatalf("export --json: %d %s", r.Code, r.ErrOut)
	}
	var doc struct {
		Version int `json:"version"`
		Spaces  map[string]struct {
			Hardware string            `json:"hardware"`
			Secrets  map[string]string `json:"secrets"`
		} `json:"spaces"`
	}
	if err := json.Unmarshal([]byte(r.Out), &doc); err != nil {
		t.Fatalf("export --json is not JSON: %v\n%s", err, r.Out)
	}
	sp := doc.Spaces["demo/gradio-app"]
	if doc.Version != 1 || sp.Hardware != "cpu-basic" || sp.Secrets["HF_API_KEY"] != "${HF_API_KEY}" {
		t.Errorf("export --json = %s", r.Out)
	}
	p := filepath.Join(t.TempDir(), "spaces.json")
	if err := os.WriteFile(p, []byte(r.Out), 0o600); err != nil {
		t.Fatal(err)
	}
	r = e.Run(plan.NewCmdPlan(e.Factory, nil), "plan", "-f", p, "--keep-unmarked-secrets")
	if r.Code != 0 || !strings.Contains(r.Out, "Plan: 0 to create, 0 to change, 1 unchanged.") {
		t.Errorf("plan of the JSON export: exit %d\n%s\n%s", r.Code, r.Out, r.ErrOut)
	}
}

// TestExportPartial: a Space that cannot be read does not hide the others:
// they are printed, the error is said, and the exit code is 1.
func TestExportPartial(t *testing.T) {
	t.Parallel()
	e := clitest.New(t, clitest.Options{})
	r := e.Run(NewCmdExport(e.Factory, nil), "export", "demo/gradio-app", "demo/nope")
	if r.Code != 1 {
		t.Errorf("exit %d, want 1", r.Code)
	}
	if !strings.Contains(r.Out, "demo/gradio-app:") {
		t.Errorf("the readable Space is not exported:\n%s", r.Out)
	}
	if !strings.Contains(r.ErrOut, "demo/nope") {
		t.Errorf("the unreadable Space is not named:\n%s", r.ErrOut)
	}
}
