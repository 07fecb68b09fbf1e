package fleet_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/fleet"
)

// Plan a file, apply it, and plan again. The emulator stands in for the
// Hub; real code builds its client with hfhub.NewClient() alone.
func Example() {
	emu, err := emulator.New(emulator.Config{Seed: emulator.DemoSeed})
	if err != nil {
		log.Fatal(err)
	}
	defer emu.Close()
	client, err := hfhub.NewClient(hfhub.WithEndpoint("http://hub.example"), hfhub.WithToken(emulator.DemoWriteToken),
		hfhub.WithHTTPClient(&http.Client{Transport: emu.Transport()}))
	if err != nil {
		log.Fatal(err)
	}

	file, err := fleet.Parse([]byte(`
version: 1
spaces:
  demo/gradio-app:
    hardware: cpu-upgrade
    variables:
      MODEL_ID: gpt2
`), "spaces.yaml", nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	plan, err := fleet.Plan(ctx, client, file, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range plan.Spaces[0].Changes {
		fmt.Printf("%s: %s → %s\n", c.Attribute, c.Old, c.New)
	}
	res := fleet.Apply(ctx, client, plan, nil)
	fmt.Println("changed:", res.Changed, "failed:", res.Failed)
	plan, _ = fleet.Plan(ctx, client, file, nil)
	fmt.Println("pending:", plan.Pending())
	// Output:
	// hardware: cpu-basic → cpu-upgrade
	// variables.MODEL_ID: demo/tiny-model → gpt2
	// changed: 1 failed: 0
	// pending: false
}
