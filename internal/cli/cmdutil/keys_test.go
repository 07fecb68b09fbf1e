package cmdutil

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// TestDeleteKeysRefusesBeforeConnecting: off a terminal without --yes
// nothing is built and nothing is deleted, and the refusal says why.
func TestDeleteKeysRefusesBeforeConnecting(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	_, err := DeleteKeys(t.Context(), DeleteKeysOptions{
		IO: ios, Kind: "secret", Space: "demo/app", Keys: []string{"A", "B"},
		Client: func() (*hfhub.Client, error) {
			t.Error("client built before confirmation")
			return nil, errors.New("no")
		},
		Delete: func(context.Context, *hfhub.Client, string, string) error {
			t.Error("deleted without confirmation")
			return nil
		},
	})
	if err == nil || !strings.Contains(err.Error(), "--yes") || !strings.Contains(err.Error(), "delete 2 secrets (A, B) from demo/app") {
		t.Errorf("DeleteKeys without --yes = %v, want a refusal naming what and --yes", err)
	}
}

// TestDeleteKeysStopsAtFirstFailure deletes in order, reports each, and
// names the key that failed.
func TestDeleteKeysStopsAtFirstFailure(t *testing.T) {
	t.Parallel()
	ios, _, out, _ := iostreams.Test()
	ios.SetStdoutTTY(true) // "✓ Deleted …" lines are for a person at a terminal
	client, err := hfhub.NewClient(hfhub.WithEndpoint("http://127.0.0.1:1"), hfhub.WithNoToken())
	if err != nil {
		t.Fatal(err)
	}
	var deleted []string
	_, err = DeleteKeys(t.Context(), DeleteKeysOptions{
		IO: ios, Yes: true, Kind: "variable", Space: "demo/app", Keys: []string{"A", "B", "C"},
		Client: func() (*hfhub.Client, error) { return client, nil },
		Delete: func(_ context.Context, _ *hfhub.Client, space, key string) error {
			if space != "demo/app" {
				t.Errorf("space %q", space)
			}
			if key == "B" {
				return hfhub.ErrForbidden
			}
			deleted = append(deleted, key)
			return nil
		},
	})
	if !errors.Is(err, hfhub.ErrForbidden) || !strings.Contains(err.Error(), "deleting variable B") {
		t.Errorf("err = %v, want the failure of B", err)
	}
	if diff := cmp.Diff([]string{"A"}, deleted); diff != "" {
		t.Errorf("deleted (-want +got):\n%s", diff)
	}
	if got := out.String(); !strings.Contains(got, "Deleted variable A from demo/app") || strings.Contains(got, "variable B") || strings.Contains(got, "variable C") {
		t.Errorf("progress = %q, want A reported and nothing after the failure", got)
	}
}
