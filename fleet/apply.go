package fleet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hfhub-go/hfhub"
)

// ApplyOptions modifies Apply.
type ApplyOptions struct {
	// Wait waits for every changed Space to settle (WaitOptions.Until:
	// the requested hardware in use, a paused Space paused). A Space that
	// settles in a failed stage counts as failed.
	Wait        bool
	WaitOptions hfhub.WaitOptions
	// WaitTimeout, when positive, bounds the waiting alone: the changes
	// are all sent first (each as long as it takes), then the changed
	// Spaces are waited for, a few at a time, until WaitTimeout has passed.
	// A Space still building then fails with ErrWaitTimeout.
	WaitTimeout time.Duration
	// OnDone, when set, is called with each Space's result, in the plan's
	// order, once every change (and wait) is done, from Apply's goroutine.
	OnDone func(SpaceResult)
}

// SpaceResult is what Apply did to one Space.
type SpaceResult struct {
	ID     string `json:"id"`
	Action Action `json:"action"`
	// Done lists the steps applied ("created", "hardware", "secrets.KEY", …).
	Done  []string `json:"done,omitempty"`
	Stage string   `json:"stage,omitempty"` // with Wait: the stage it settled in
	Error string   `json:"error,omitempty"`
	Err   error    `json:"-"`
}

// Result is what Apply did.
type Result struct {
	Spaces  []SpaceResult `json:"spaces"`
	Changed int           `json:"changed"`
	Failed  int           `json:"failed"`
}

// Apply carries out a plan, at most cs's Options.Concurrency Spaces at a
// time. A Space that fails does not stop the others; Result says which
// failed. Spaces the plan leaves alone get no request at all, so applying
// a fresh plan of an applied file sends no write.
func Apply(ctx context.Context, c *hfhub.Client, cs *Changeset, opts *ApplyOptions) *Result {
	var ao ApplyOptions
	if opts != nil {
		ao = *opts
	}
	res := &Result{Spaces: make([]SpaceResult, len(cs.Spaces))}
	// First every change, then (with Wait) the waits: a Space being waited
	// for holds no place that another Space's changes need.
	forEach(ctx, len(cs.Spaces), cs.opts.concurrency(), func(i int) {
		sc := cs.Spaces[i]
		r := SpaceResult{ID: sc.ID, Action: sc.Action}
		switch sc.Action {
		case ActionError:
			r.Err = sc.err
		case ActionCreate, ActionUpdate:
			if err := ctx.Err(); err != nil {
				r.Err = err
				break
			}
			r.Err = applySpace(ctx, c, sc, &cs.opts, &r)
		}
		res.Spaces[i] = r
	})
	if ao.Wait {
		wctx := ctx
		if ao.WaitTimeout > 0 {
			var cancel context.CancelFunc
			wctx, cancel = context.WithTimeout(ctx, ao.WaitTimeout)
			defer cancel()
		}
		forEach(ctx, len(cs.Spaces), cs.opts.concurrency(), func(i int) {
			r := &res.Spaces[i]
			if r.Err != nil || (r.Action != ActionCreate && r.Action != ActionUpdate) {
				return
			}
			r.Err = waitSpace(wctx, c, cs.Spaces[i], &ao, r)
			if r.Err != nil && ctx.Err() == nil && errors.Is(r.Err, context.DeadlineExceeded) {
				r.Err = fmt.Errorf("%w: %w", ErrWaitTimeout, r.Err)
			}
		})
	}
	for i := range res.Spaces {
		r := &res.Spaces[i]
		if r.Err != nil {
			r.Error = r.Err.Error()
		}
		if ao.OnDone != nil {
			ao.OnDone(*r)
		}
	}
	for _, r := range res.Spaces {
		if r.Err != nil {
			res.Failed++
		} else if r.Action == ActionCreate || r.Action == ActionUpdate {
			res.Changed++
		}
	}
	return res
}

func applySpace(ctx context.Context, c *hfhub.Client, sc *SpaceChanges, o *Options, r *SpaceResult) error {
	d, p, id := sc.desired, sc.ops, sc.ID
	step := func(name string, fn func() error) error {
		if err := patient(ctx, fn); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r.Done = append(r.Done, name)
		return nil
	}
	if p.create {
		co := &hfhub.CreateOptions{SDK: d.SDK, Visibility: d.Visibility, Hardware: d.Hardware, SleepTime: d.SleepTime}
		if d.Volumes != nil && len(*d.Volumes) > 0 {
			co.Volumes = *d.Volumes
		}
		if len(d.Variables) > 0 {
			co.Variables = d.Variables
		}
		// Secrets are added one by one below, each with its marker: the
		// create call takes no descriptions.
		err := step("created", func() error { _, err := c.Spaces.Create(ctx, id, co); return err })
		if err != nil {
			return err
		}
		p.setVars = nil
	}
	if p.visibility != "" {
		if err := step("visibility", func() error {
			return c.Spaces.UpdateSettings(ctx, id, &hfhub.SettingsOptions{Visibility: p.visibility})
		}); err != nil {
			return err
		}
	}
	switch {
	case p.hardware != "":
		var ho *hfhub.HardwareOptions
		if p.sleep != nil {
			ho = &hfhub.HardwareOptions{SleepTime: p.sleep}
		}
		if err := step("hardware", func() error { _, err := c.Spaces.RequestHardware(ctx, id, p.hardware, ho); return err }); err != nil {
			return err
		}
		if p.sleep != nil {
			r.Done = append(r.Done, "sleep_time")
		}
	case p.sleep != nil:
		if err := step("sleep_time", func() error { _, err := c.Spaces.SetSleepTime(ctx, id, *p.sleep); return err }); err != nil {
			return err
		}
	}
	if p.volumes != nil {
		err := step("volumes", func() error {
			if len(*p.volumes) == 0 {
				return c.Spaces.DeleteVolumes(ctx, id)
			}
			return c.Spaces.SetVolumes(ctx, id, *p.volumes)
		})
		if err != nil {
			return err
		}
	}
	for _, k := range p.setVars {
		if err := step("variables."+k, func() error { _, err := c.Spaces.AddVariable(ctx, id, k, d.Variables[k], nil); return err }); err != nil {
			return err
		}
	}
	for _, k := range p.delVars {
		if err := step("variables."+k+" deleted", func() error { return c.Spaces.DeleteVariable(ctx, id, k) }); err != nil {
			return err
		}
	}
	for _, k := range p.setSecrets {
		s := d.Secrets[k]
		marker, err := secretMarker(s.get(), o.iterations())
		if err != nil {
			return fmt.Errorf("secrets.%s: %w", k, err)
		}
		if err := step("secrets."+k, func() error {
			return c.Spaces.AddSecret(ctx, id, k, s.get(), &hfhub.SecretOptions{Description: marker})
		}); err != nil {
			return err
		}
	}
	for _, k := range p.delSecrets {
		if err := step("secrets."+k+" deleted", func() error { return c.Spaces.DeleteSecret(ctx, id, k) }); err != nil {
			return err
		}
	}
	if p.source {
		if err := step("files", func() error {
			_, err := patientUpload(ctx, c, id, d.Source, false, o)
			return err
		}); err != nil {
			return err
		}
	}
	if p.devMode != nil {
		if err := step("dev_mode", func() error {
			var err error
			if *p.devMode {
				_, err = c.Spaces.EnableDevMode(ctx, id)
			} else {
				_, err = c.Spaces.DisableDevMode(ctx, id)
			}
			return err
		}); err != nil {
			return err
		}
	}
	if p.pause {
		if err := step("paused", func() error { _, err := c.Spaces.Pause(ctx, id); return err }); err != nil {
			return err
		}
	}
	if p.resume {
		// Restart is never retried by the client; a 429 was not processed,
		// which patient relies on.
		if err := step("restarted", func() error { _, err := c.Spaces.Restart(ctx, id, nil); return err }); err != nil {
			return err
		}
	}
	return nil
}

// waitSpace waits for a changed Space to settle in the state the plan
// asked for.
func waitSpace(ctx context.Context, c *hfhub.Client, sc *SpaceChanges, ao *ApplyOptions, r *SpaceResult) error {
	wo := ao.WaitOptions
	d := sc.desired
	wo.Until = func(rt *hfhub.SpaceRuntime) bool {
		if d.Paused != nil && *d.Paused {
			return rt.Stage == hfhub.StagePaused
		}
		if d.Hardware != "" && rt.Hardware != "" && rt.RequestedHardware != "" {
			return rt.Hardware == rt.RequestedHardware
		}
		return true
	}
	rt, err := c.Spaces.Wait(ctx, sc.ID, &wo)
	if rt != nil {
		r.Stage = string(rt.Stage)
	}
	if err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	if rt.Stage.Failed() {
		return fmt.Errorf("settled in %s", rt.Stage)
	}
	return nil
}

var errNoSpaces = errors.New("fleet: no Spaces to export")

// ErrWaitTimeout marks a Space that was changed but had not settled when
// ApplyOptions.WaitTimeout ran out.
var ErrWaitTimeout = errors.New("still building or starting when the wait timed out")
