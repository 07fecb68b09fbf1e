package cmdutil

import (
	"context"
	"fmt"
	"strings"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// DeleteKeysOptions configures DeleteKeys.
type DeleteKeysOptions struct {
	IO       *iostreams.IOStreams
	Prompter Prompter
	Yes      bool
	Kind     string // "secret" or "variable"
	Space    string
	Keys     []string
	Client   func() (*hfhub.Client, error)
	Delete   func(ctx context.Context, client *hfhub.Client, space, key string) error
}

// DeleteKeys asks once (on a terminal; off one it needs --yes) before it
// even builds the client, then deletes each key in order, saying so for
// each, and stops at the first failure, naming its key. It returns the
// client for what the command prints next.
func DeleteKeys(ctx context.Context, o DeleteKeysOptions) (*hfhub.Client, error) {
	what := fmt.Sprintf("delete the %s %s from %s", o.Kind, strings.Join(o.Keys, ", "), o.Space)
	if len(o.Keys) > 1 {
		what = fmt.Sprintf("delete %d %ss (%s) from %s", len(o.Keys), o.Kind, strings.Join(o.Keys, ", "), o.Space)
	}
	if err := ConfirmDestructive(ctx, o.IO, o.Prompter, o.Yes, what); err != nil {
		return nil, err
	}
	client, err := o.Client()
	if err != nil {
		return nil, err
	}
	for _, k := range o.Keys {
		if err := o.Delete(ctx, client, o.Space, k); err != nil {
			return nil, fmt.Errorf("deleting %s %s: %w", o.Kind, k, err)
		}
		Success(o.IO, "Deleted %s %s from %s", o.Kind, o.IO.ColorScheme().Bold(k), o.Space)
	}
	return client, nil
}
