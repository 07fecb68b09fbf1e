package demo

import (
	"os"
	"path/filepath"

	"github.com/hfhub-go/hfhub/internal/cli/plan"
)

// demoFleet is the fleet file of the tour: one Space to change, one to
// create, and one the tour paused earlier, to keep paused.
const demoFleet = `version: 1
spaces:
  demo/gradio-app:
    hardware: cpu-upgrade
    sleep_time: 2h
    variables:
      MODEL_ID: demo/tiny-model
    secrets:
      OPENAI_API_KEY: ${OPENAI_API_KEY}
  demo/fleet-site:
    sdk: static
    visibility: private
    variables:
      THEME: dark
  demo/gpu-app:
    paused: true
`

// writeFleetFile writes the tour's spaces.yaml into dir.
func writeFleetFile(dir string) (string, error) {
	p := filepath.Join(dir, "spaces.yaml")
	return p, os.WriteFile(p, []byte(demoFleet), 0o600)
}

// fleetSteps is the declarative part of the tour: plan (changes pending:
// exit 2), apply, plan again (nothing to change: exit 0).
func fleetSteps(fleetFile string) []Step {
	return []Step{
		{Title: "A fleet from a file: plan, apply, plan again", Args: []string{"plan", "-f", fleetFile},
			Note: "spaces.yaml: change one Space, create one, keep one paused; exit 2: changes pending", WantExit: plan.ExitPending},
		{Args: []string{"apply", "-f", fleetFile, "--yes", "--wait"}},
		{Args: []string{"plan", "-f", fleetFile}, Note: "nothing to change: exit 0"},
	}
}
