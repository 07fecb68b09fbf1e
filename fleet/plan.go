package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hfhub-go/hfhub"
)

// Options configures Plan, Apply and Export.
type Options struct {
	// Concurrency is how many Spaces are read or changed at once
	// (default 8). Rate-limited answers (429) are waited out, not failed.
	Concurrency int
	// Prune deletes the variables and secrets a Space has that the file
	// does not list (for the Spaces that list variables or secrets), and
	// the files of a Space that its source folder does not have (never
	// .gitattributes).
	Prune bool
	// KeepUnmarkedSecrets leaves a secret alone when the Hub has it
	// without an hfspaces marker (set by other means): its value cannot
	// be compared. By default such a secret is rewritten.
	KeepUnmarkedSecrets bool
	// SecretIterations is the PBKDF2 iteration count of the markers Apply
	// writes (default DefaultSecretIterations; at most 2,000,000, which a
	// later Plan still accepts).
	SecretIterations int
	// SourceFilter, when set, returns the UploadOptions.Filter for a
	// source folder (hfspaces gives the .gitignore rules deploy uses).
	SourceFilter func(dir string) (func(relPath string, isDir bool) bool, error)
}

func (o *Options) concurrency() int {
	if o == nil || o.Concurrency <= 0 {
		return 8
	}
	return o.Concurrency
}

func (o *Options) iterations() int {
	if o == nil || o.SecretIterations <= 0 {
		return DefaultSecretIterations
	}
	return o.SecretIterations
}

// Action is what a plan does to a Space.
type Action string

// The actions of a plan.
const (
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	ActionNone   Action = "none"
	ActionError  Action = "error" // the Space could not be read
)

// Changeset is a plan: what Apply would do to each Space of a file, and
// what the fleet costs before and after.
type Changeset struct {
	Spaces []*SpaceChanges `json:"spaces"`
	Cost   Cost            `json:"cost"`
	// Counts of Spaces by action.
	Create    int `json:"create"`
	Update    int `json:"update"`
	Unchanged int `json:"unchanged"`
	Errors    int `json:"errors"`

	opts Options
}

// Pending reports whether applying would change anything.
func (c *Changeset) Pending() bool { return c.Create+c.Update > 0 }

// SpaceChanges is the plan for one Space. It holds no secret value.
type SpaceChanges struct {
	ID      string   `json:"id"`
	Action  Action   `json:"action"`
	Changes []Change `json:"changes,omitempty"`
	// Upload and Delete are the files the source folder would add or
	// change, and remove.
	Upload   []string `json:"upload,omitempty"`
	Delete   []string `json:"delete,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Error    string   `json:"error,omitempty"`

	err     error
	desired Space
	state   *State
	ops     ops
}

// Err is why the Space could not be planned (Action is ActionError).
func (s *SpaceChanges) Err() error { return s.err }

// Change is one attribute that would change. Secrets show no value.
type Change struct {
	Attribute string `json:"attribute"` // "hardware", "variables.KEY", "secrets.KEY", …
	Kind      string `json:"kind"`      // "add", "change" or "delete"
	Old       string `json:"old,omitempty"`
	New       string `json:"new,omitempty"`
	Note      string `json:"note,omitempty"`
}

// ops is what Apply sends for a Space.
type ops struct {
	create     bool
	visibility hfhub.Visibility
	hardware   hfhub.Hardware
	sleep      *int
	volumes    *[]hfhub.Volume
	setVars    []string
	delVars    []string
	setSecrets []string
	delSecrets []string
	source     bool
	devMode    *bool
	pause      bool
	resume     bool
}

// Cost is the fleet's price per hour and per month from the Hub's
// hardware catalog, before and after the plan. It is an upper bound: a
// Space counts as awake all month unless it is asleep or paused.
type Cost struct {
	HourlyBeforeMicroUSD  int64 `json:"hourly_before_micro_usd"`
	HourlyAfterMicroUSD   int64 `json:"hourly_after_micro_usd"`
	MonthlyBeforeMicroUSD int64 `json:"monthly_before_micro_usd"`
	MonthlyAfterMicroUSD  int64 `json:"monthly_after_micro_usd"`
	HoursPerMonth         int   `json:"hours_per_month"`
	// Unpriced are flavors the catalog gives no hourly price for; they
	// count as free.
	Unpriced []string `json:"unpriced,omitempty"`
	// Error is why there is no cost (the catalog could not be read).
	Error string `json:"error,omitempty"`
}

// HoursPerMonth is the month the cost counts: 730 hours (365 × 24 / 12).
const HoursPerMonth = 730

// State is a Space as the Hub has it.
type State struct {
	ID         string
	Exists     bool
	SDK        string
	Visibility hfhub.Visibility
	// VisibilityExact is false when the Hub said only "not private":
	// public or protected, the Space info does not tell which.
	VisibilityExact bool
	Stage           hfhub.Stage
	Hardware        hfhub.Hardware // requested, else current
	SleepTime       *int
	DevMode         bool
	Volumes         []hfhub.Volume
	Variables       map[string]hfhub.SpaceVariable // nil: not read
	Secrets         map[string]hfhub.SpaceSecret   // nil: not read
}

func (s *State) static() bool { return s.SDK == string(hfhub.SDKStatic) }

// readState reads a Space: info with runtime, and variables and secrets
// when asked.
func readState(ctx context.Context, c *hfhub.Client, id string, vars, secrets bool) (*State, error) {
	var info *hfhub.SpaceInfo
	err := patient(ctx, func() (err error) { info, err = c.Spaces.GetInfo(ctx, id); return err })
	if errors.Is(err, hfhub.ErrNotFound) {
		return &State{ID: id}, nil
	}
	if err != nil {
		return nil, err
	}
	st := &State{ID: id, Exists: true, SDK: info.SDK, Visibility: hfhub.VisibilityPublic}
	if info.Private {
		st.Visibility = hfhub.VisibilityPrivate
	}
	var raw struct {
		Visibility string `json:"visibility"`
	}
	st.VisibilityExact = info.Private
	if json.Unmarshal(info.Raw, &raw) == nil && raw.Visibility != "" {
		st.Visibility, st.VisibilityExact = hfhub.Visibility(raw.Visibility), true
	}
	if rt := info.Runtime; rt != nil {
		st.Stage = rt.Stage
		st.Hardware = rt.RequestedHardware
		if st.Hardware == "" {
			st.Hardware = rt.Hardware
		}
		st.SleepTime = rt.SleepTime
		if st.SleepTime == nil && st.Hardware != "" && st.Hardware != hfhub.HardwareCPUBasic {
			// The Hub answers null for a paid Space that never sleeps.
			never := -1
			st.SleepTime = &never
		}
		st.DevMode = rt.DevMode
		st.Volumes = rt.Volumes
	}
	if vars {
		if err := patient(ctx, func() (err error) { st.Variables, err = c.Spaces.GetVariables(ctx, id); return err }); err != nil {
			return nil, err
		}
	}
	if secrets {
		if err := patient(ctx, func() (err error) { st.Secrets, err = c.Spaces.GetSecrets(ctx, id); return err }); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// patient runs fn again while the Hub answers 429 (after the client's own
// retries), waiting what it asks: a rate-limited request was not
// processed, so sending it again is safe even for a write.
func patient(ctx context.Context, fn func() error) error {
	for tries := 0; ; tries++ {
		err := fn()
		if err == nil || !errors.Is(err, hfhub.ErrRateLimited) || tries >= 30 {
			return err
		}
		wait := 5 * time.Second
		var apiErr *hfhub.APIError
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			wait = apiErr.RetryAfter
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// forEach runs fn for i in [0, n) with at most limit at once.
func forEach(ctx context.Context, n, limit int, fn func(i int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			// The remaining ones still run, to report ctx's error each.
			sem <- struct{}{}
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// Plan reads every Space of f from the Hub, at most opts.Concurrency at a
// time, and returns what Apply would change, with the fleet's cost before
// and after. It sends no write. A Space that cannot be read is in the plan
// with ActionError; the error returned is for what stops the whole plan.
func Plan(ctx context.Context, c *hfhub.Client, f *File, opts *Options) (*Changeset, error) {
	if c == nil || f == nil {
		return nil, errors.New("fleet: Plan needs a client and a file")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.SecretIterations < 0 || o.SecretIterations > maxIterations {
		return nil, fmt.Errorf("fleet: SecretIterations %d: want 1 to %d (0: the default)", o.SecretIterations, maxIterations)
	}
	cs := &Changeset{Spaces: make([]*SpaceChanges, len(f.Spaces)), opts: o}
	var catalog []hfhub.HardwareInfo
	var catalogErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		catalogErr = patient(ctx, func() (err error) { catalog, err = c.Spaces.ListHardware(ctx); return err })
	})
	forEach(ctx, len(f.Spaces), o.concurrency(), func(i int) {
		cs.Spaces[i] = planSpace(ctx, c, f.Spaces[i], &o)
	})
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, sc := range cs.Spaces {
		switch sc.Action {
		case ActionCreate:
			cs.Create++
		case ActionUpdate:
			cs.Update++
		case ActionNone:
			cs.Unchanged++
		case ActionError:
			cs.Errors++
		}
	}
	cs.Cost = fleetCost(cs, catalog, catalogErr)
	return cs, nil
}

func planSpace(ctx context.Context, c *hfhub.Client, d Space, o *Options) *SpaceChanges {
	sc := &SpaceChanges{ID: d.ID, desired: d}
	fail := func(err error) *SpaceChanges {
		sc.Action, sc.err, sc.Error = ActionError, err, err.Error()
		sc.Changes, sc.Upload, sc.Delete = nil, nil, nil
		return sc
	}
	needVars := d.Variables != nil
	needSecrets := d.Secrets != nil
	st, err := readState(ctx, c, d.ID, needVars, needSecrets)
	if err != nil {
		return fail(err)
	}
	sc.state = st
	if !st.Exists {
		return planCreate(sc, d, o)
	}
	ch := func(attr, kind, old, new, note string) {
		sc.Changes = append(sc.Changes, Change{Attribute: attr, Kind: kind, Old: old, New: new, Note: note})
	}
	if d.SDK != "" && string(d.SDK) != st.SDK {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("sdk is %s, not %s: the SDK is chosen when a Space is created and is not changed", orNone(st.SDK), d.SDK))
	}
	switch {
	case d.Visibility == hfhub.VisibilityProtected && !st.VisibilityExact:
		// Comparing would rewrite it on every apply.
		sc.Warnings = append(sc.Warnings, "visibility is not compared: the Hub says only that the Space is not private (public or protected)")
	case d.Visibility != "" && d.Visibility != st.Visibility:
		ch("visibility", "change", string(st.Visibility), string(d.Visibility), "")
		sc.ops.visibility = d.Visibility
	}
	hwAfter := st.Hardware
	if d.Hardware != "" {
		if st.static() {
			sc.Warnings = append(sc.Warnings, "hardware is ignored: a static Space runs on no hardware of its own")
		} else if d.Hardware != st.Hardware {
			ch("hardware", "change", orNone(string(st.Hardware)), string(d.Hardware), "")
			sc.ops.hardware = d.Hardware
			hwAfter = d.Hardware
		}
	}
	if d.SleepTime != nil {
		switch {
		case st.static():
			sc.Warnings = append(sc.Warnings, "sleep_time is ignored: a static Space does not sleep")
		case hwAfter == hfhub.HardwareCPUBasic || hwAfter == "":
			if *d.SleepTime != 48*3600 {
				sc.Warnings = append(sc.Warnings, "sleep_time is ignored: free cpu-basic hardware always sleeps after 48h")
			}
		case st.SleepTime == nil || *st.SleepTime != *d.SleepTime:
			ch("sleep_time", "change", sleepText(st.SleepTime), FormatSleepTime(*d.SleepTime), "")
			sc.ops.sleep = d.SleepTime
		}
	}
	if d.Volumes != nil && !sameVolumes(st.Volumes, *d.Volumes) {
		ch("volumes", "change", volumesText(st.Volumes), volumesText(*d.Volumes), "")
		sc.ops.volumes = d.Volumes
	}
	if d.Variables != nil {
		for _, k := range sortedKeys(d.Variables) {
			cur, ok := st.Variables[k]
			switch {
			case !ok:
				ch("variables."+k, "add", "", d.Variables[k], "")
			case cur.Value != d.Variables[k]:
				ch("variables."+k, "change", cur.Value, d.Variables[k], "")
			default:
				continue
			}
			sc.ops.setVars = append(sc.ops.setVars, k)
		}
		if o.Prune {
			for _, k := range sortedKeys(st.Variables) {
				if _, ok := d.Variables[k]; !ok {
					ch("variables."+k, "delete", st.Variables[k].Value, "", "")
					sc.ops.delVars = append(sc.ops.delVars, k)
				}
			}
		}
	}
	if d.Secrets != nil {
		for _, k := range sortedKeys(d.Secrets) {
			cur, ok := st.Secrets[k]
			if !ok {
				ch("secrets."+k, "add", "", "", "")
				sc.ops.setSecrets = append(sc.ops.setSecrets, k)
				continue
			}
			switch checkMarker(cur.Description, d.Secrets[k].get()) {
			case secretSame:
				continue
			case secretChanged:
				ch("secrets."+k, "change", "", "", "value changed")
			case secretUnmarked:
				if o.KeepUnmarkedSecrets {
					continue
				}
				ch("secrets."+k, "change", "", "", "value unknown, no hfspaces marker: rewritten")
			}
			sc.ops.setSecrets = append(sc.ops.setSecrets, k)
		}
		if o.Prune {
			for _, k := range sortedKeys(st.Secrets) {
				if _, ok := d.Secrets[k]; !ok {
					ch("secrets."+k, "delete", "", "", "")
					sc.ops.delSecrets = append(sc.ops.delSecrets, k)
				}
			}
		}
	}
	if d.Source != "" {
		info, err := patientUpload(ctx, c, d.ID, d.Source, true, o)
		if err != nil {
			return fail(fmt.Errorf("source %s: %w", d.Source, err))
		}
		sc.Upload, sc.Delete = info.Uploaded, info.Deleted
		if len(sc.Upload)+len(sc.Delete) > 0 {
			sc.ops.source = true
			ch("files", "change", "", "", fmt.Sprintf("%d to upload, %d to delete", len(sc.Upload), len(sc.Delete)))
		}
	}
	if d.DevMode != nil && *d.DevMode != st.DevMode {
		if st.static() {
			sc.Warnings = append(sc.Warnings, "dev_mode is ignored: a static Space has no dev mode")
		} else {
			ch("dev_mode", "change", strconv.FormatBool(st.DevMode), strconv.FormatBool(*d.DevMode), "")
			sc.ops.devMode = d.DevMode
		}
	}
	if d.Paused != nil {
		paused := st.Stage == hfhub.StagePaused
		switch {
		case *d.Paused && !paused && st.static():
			sc.Warnings = append(sc.Warnings, "paused is ignored: a static Space cannot be paused")
		case *d.Paused && !paused:
			ch("paused", "change", "false", "true", "")
			sc.ops.pause = true
		case !*d.Paused && paused:
			ch("paused", "change", "true", "false", "restarts the Space")
			sc.ops.resume = true
		}
	}
	sc.Action = ActionNone
	if len(sc.Changes) > 0 {
		sc.Action = ActionUpdate
	}
	return sc
}

func planCreate(sc *SpaceChanges, d Space, o *Options) *SpaceChanges {
	sc.Action = ActionCreate
	sc.ops.create = true
	if d.SDK == "" {
		sc.Action, sc.err = ActionError, errors.New("the Space does not exist, and the file gives no sdk to create it with")
		sc.Error = sc.err.Error()
		return sc
	}
	add := func(attr, val string) {
		sc.Changes = append(sc.Changes, Change{Attribute: attr, Kind: "add", New: val})
	}
	add("sdk", string(d.SDK))
	vis := d.Visibility
	if vis == "" {
		vis = hfhub.VisibilityPublic
	}
	add("visibility", string(vis))
	static := d.SDK == hfhub.SDKStatic
	if static {
		// Nothing of these applies to a static Space: warn, send nothing.
		if d.Hardware != "" || d.SleepTime != nil || d.DevMode != nil && *d.DevMode || d.Paused != nil && *d.Paused {
			sc.Warnings = append(sc.Warnings, "hardware, sleep_time, dev_mode and paused are ignored: a static Space runs on no hardware of its own")
		}
		sc.desired.Hardware, sc.desired.SleepTime, sc.desired.DevMode, sc.desired.Paused = "", nil, nil, nil
		d = sc.desired
	}
	if d.Hardware != "" {
		add("hardware", string(d.Hardware))
	}
	if d.SleepTime != nil && (d.Hardware == "" || d.Hardware == hfhub.HardwareCPUBasic) {
		if *d.SleepTime != 48*3600 {
			sc.Warnings = append(sc.Warnings, "sleep_time is ignored: free cpu-basic hardware always sleeps after 48h")
		}
		sc.desired.SleepTime = nil
		d = sc.desired
	}
	if d.SleepTime != nil {
		add("sleep_time", FormatSleepTime(*d.SleepTime))
	}
	if d.Volumes != nil && len(*d.Volumes) > 0 {
		add("volumes", volumesText(*d.Volumes))
	}
	for _, k := range sortedKeys(d.Variables) {
		add("variables."+k, d.Variables[k])
		sc.ops.setVars = append(sc.ops.setVars, k)
	}
	for _, k := range sortedKeys(d.Secrets) {
		add("secrets."+k, "")
		sc.ops.setSecrets = append(sc.ops.setSecrets, k)
	}
	if d.Source != "" {
		files, err := localFiles(d.Source, o)
		if err != nil {
			sc.Action, sc.err = ActionError, fmt.Errorf("source %s: %w", d.Source, err)
			sc.Error, sc.Changes = sc.err.Error(), nil
			return sc
		}
		sc.Upload = files
		sc.ops.source = true
		add("files", fmt.Sprintf("%d to upload", len(files)))
	}
	if d.DevMode != nil && *d.DevMode {
		add("dev_mode", "true")
		sc.ops.devMode = d.DevMode
	}
	if d.Paused != nil && *d.Paused {
		add("paused", "true")
		sc.ops.pause = true
	}
	return sc
}

// localFiles lists a folder as Upload would send it to a new Space.
func localFiles(dir string, o *Options) ([]string, error) {
	filter, err := sourceFilter(dir, o)
	if err != nil {
		return nil, err
	}
	var files []string
	err = filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if e.IsDir() {
			if e.Name() == ".git" || filter != nil && !filter(rel, true) {
				return filepath.SkipDir
			}
			return nil
		}
		if filter == nil || filter(rel, false) {
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}

func sourceFilter(dir string, o *Options) (func(string, bool) bool, error) {
	if o.SourceFilter == nil {
		return nil, nil
	}
	return o.SourceFilter(dir)
}

func patientUpload(ctx context.Context, c *hfhub.Client, id, dir string, dryRun bool, o *Options) (*hfhub.CommitInfo, error) {
	filter, err := sourceFilter(dir, o)
	if err != nil {
		return nil, err
	}
	var info *hfhub.CommitInfo
	err = patient(ctx, func() (err error) {
		info, err = c.Spaces.Upload(ctx, id, dir, &hfhub.UploadOptions{
			Filter: filter, Delete: o.Prune, DryRun: dryRun, Message: "hfspaces apply: deploy " + filepath.Base(dir),
		})
		return err
	})
	return info, err
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func sleepText(s *int) string {
	if s == nil {
		return "(default)"
	}
	return FormatSleepTime(*s)
}

func normVolumes(v []hfhub.Volume) []hfhub.Volume {
	out := slices.Clone(v)
	for i := range out {
		if out[i].ReadOnly != nil && *out[i].ReadOnly {
			t := true
			out[i].ReadOnly = &t
		} else {
			out[i].ReadOnly = nil
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MountPath < out[j].MountPath })
	return out
}

func sameVolumes(a, b []hfhub.Volume) bool {
	na, nb := normVolumes(a), normVolumes(b)
	if len(na) != len(nb) {
		return false
	}
	for i := range na {
		x, y := na[i], nb[i]
		if x.Type != y.Type || x.Source != y.Source || x.MountPath != y.MountPath || x.Revision != y.Revision ||
			x.Path != y.Path || (x.ReadOnly == nil) != (y.ReadOnly == nil) {
			return false
		}
	}
	return true
}

func volumesText(v []hfhub.Volume) string {
	if len(v) == 0 {
		return "(none)"
	}
	parts := make([]string, 0, len(v))
	for _, x := range normVolumes(v) {
		s := x.Type + ":" + x.Source
		if x.Revision != "" {
			s += "@" + x.Revision
		}
		if x.Path != "" {
			s += "/" + strings.TrimPrefix(x.Path, "/")
		}
		s += "→" + x.MountPath
		if x.ReadOnly != nil {
			s += " (ro)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// fleetCost prices the fleet before and after the plan.
func fleetCost(cs *Changeset, catalog []hfhub.HardwareInfo, catalogErr error) Cost {
	cost := Cost{HoursPerMonth: HoursPerMonth}
	if catalogErr != nil {
		cost.Error = "the hardware catalog could not be read: " + catalogErr.Error()
		return cost
	}
	prices := map[hfhub.Hardware]int64{}
	for i := range catalog {
		if p, ok := catalog[i].HourlyMicroUSD(); ok {
			prices[catalog[i].Name] = p
		}
	}
	unpriced := map[string]bool{}
	price := func(hw hfhub.Hardware) int64 {
		if hw == "" {
			return 0
		}
		p, ok := prices[hw]
		if !ok {
			unpriced[string(hw)] = true
		}
		return p
	}
	for _, sc := range cs.Spaces {
		if sc.Action == ActionError || sc.state == nil {
			continue
		}
		st, d := sc.state, sc.desired
		if st.Exists && !st.static() && st.Stage != hfhub.StagePaused && st.Stage != hfhub.StageSleeping {
			cost.HourlyBeforeMicroUSD += price(st.Hardware)
		}
		static := d.SDK == hfhub.SDKStatic
		if st.Exists {
			static = st.static()
		}
		pausedAfter := st.Stage == hfhub.StagePaused
		if d.Paused != nil {
			pausedAfter = *d.Paused
		}
		asleepAfter := st.Stage == hfhub.StageSleeping && sc.Action == ActionNone
		if static || pausedAfter || asleepAfter {
			continue
		}
		hw := st.Hardware
		if sc.ops.hardware != "" {
			hw = sc.ops.hardware
		}
		if !st.Exists {
			hw = d.Hardware
			if hw == "" {
				hw = hfhub.HardwareCPUBasic
			}
		}
		cost.HourlyAfterMicroUSD += price(hw)
	}
	cost.MonthlyBeforeMicroUSD = cost.HourlyBeforeMicroUSD * HoursPerMonth
	cost.MonthlyAfterMicroUSD = cost.HourlyAfterMicroUSD * HoursPerMonth
	cost.Unpriced = sortedKeys(unpriced)
	return cost
}
