package hfhub_test

import (
	"errors"
	"testing"
	"testing/synctest"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/emulator"
)

// TestEmulator_DeleteStorageAnswerLost: the emulator applies DeleteStorage
// and cuts its answer (a reset fault); the retry gets the emulator's "no
// persistent storage" 400, and DeleteStorage succeeds since the first
// attempt did it. Restart under the same fault is sent once and reports an
// unknown outcome.
func TestEmulator_DeleteStorageAnswerLost(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Every second storage answer is cut: the request, not the delete.
		c, _ := emulatorClient(t, emulator.Config{Faults: []emulator.Fault{
			{Route: "storage", Fraction: 0.5, Reset: true},
			{Route: "restart", Reset: true},
		}})
		ctx := t.Context()
		if _, err := c.Spaces.RequestStorage(ctx, "demo/gradio-app", hfhub.StorageSmall); err != nil {
			t.Fatalf("RequestStorage: %v", err)
		}
		rt, err := c.Spaces.DeleteStorage(ctx, "demo/gradio-app")
		if err != nil {
			t.Fatalf("DeleteStorage = %v, want success: its first attempt was applied", err)
		}
		if rt.Storage != "" {
			t.Errorf("DeleteStorage runtime shows storage %q", rt.Storage)
		}
		if _, err := c.Spaces.DeleteStorage(ctx, "demo/gradio-app"); !errors.Is(err, hfhub.ErrBadRequest) {
			t.Errorf("second DeleteStorage = %v, want ErrBadRequest (nothing to delete)", err)
		}
		if _, err := c.Spaces.Restart(ctx, "demo/gradio-app", nil); !errors.Is(err, hfhub.ErrOutcomeUnknown) {
			t.Errorf("Restart with its answer cut = %v, want ErrOutcomeUnknown", err)
		}
	})
}
