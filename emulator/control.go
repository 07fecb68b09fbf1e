package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The methods below let a test or a seed shape the emulator's state
// directly, without going through the API. They are safe for concurrent use.

// AddUser adds a user account. Adding an existing user is an error.
func (e *Emulator) AddUser(name string) error {
	return e.addAccount(&account{Name: name})
}

// AddOrg adds an organization with these members.
func (e *Emulator) AddOrg(name string, members ...string) error {
	return e.addAccount(&account{Name: name, Org: true, Members: members})
}

func displayName(name string) string {
	return strings.ToUpper(name[:1]) + name[1:]
}

func (e *Emulator) addAccount(a *account) error {
	if !repoName.MatchString(a.Name) {
		return fmt.Errorf("emulator: invalid account name %q", a.Name)
	}
	a.Fullname = displayName(a.Name)
	e.mu.Lock()
	if _, ok := e.accounts[a.Name]; ok {
		e.mu.Unlock()
		return fmt.Errorf("emulator: account %q exists", a.Name)
	}
	a.ID = objectID(e.clock.Now())
	saved := e.queueAccount(a)
	e.accounts[a.Name] = a
	e.mu.Unlock()
	return saved.wait()
}

// AddToken gives user a token with role "read" or "write".
func (e *Emulator) AddToken(value, user, role string) error {
	if role != "read" && role != "write" {
		return fmt.Errorf("emulator: token role must be read or write, not %q", role)
	}
	if value == "" {
		return fmt.Errorf("emulator: empty token")
	}
	e.mu.Lock()
	if a := e.accounts[user]; a == nil || a.Org {
		e.mu.Unlock()
		return fmt.Errorf("emulator: no user %q", user)
	}
	t := &token{User: user, Role: role, Name: user + "-" + role, CreatedAt: e.clock.Now()}
	saved := e.queueToken(value, t)
	e.tokens[value] = t
	e.publishTokens()
	e.mu.Unlock()
	return saved.wait()
}

// SpaceSpec describes a Space for AddSpace.
type SpaceSpec struct {
	ID        string // namespace/name; the namespace must be an account
	SDK       string // gradio (default), streamlit, docker or static
	Private   bool
	Hardware  string // requested flavor; default cpu-basic
	SleepTime int    // seconds; 0 default, -1 never
	// Stage is where the Space starts: "" or RUNNING (built and running),
	// BUILDING (a build starting now, taking Config.BuildDuration),
	// BUILD_ERROR (its build failed), PAUSED, SLEEPING or NO_APP_FILE.
	Stage string
	// FailBuild, when set, makes every build of the Space fail with this
	// reason; Stage BUILD_ERROR without it uses a stock reason.
	FailBuild string
	Variables map[string]string
	Secrets   map[string]string
	Likes     int
}

// AddSpace adds a Space in the state spec describes.
func (e *Emulator) AddSpace(spec SpaceSpec) error {
	if err := checkRepoID(spec.ID); err != nil {
		return fmt.Errorf("emulator: %v", err)
	}
	if spec.SDK == "" {
		spec.SDK = "gradio"
	}
	if !slices.Contains(sdks, spec.SDK) {
		return fmt.Errorf("emulator: unknown SDK %q", spec.SDK)
	}
	if spec.Hardware != "" && !knownFlavor(spec.Hardware) {
		return fmt.Errorf("emulator: unknown hardware flavor %q", spec.Hardware)
	}
	if spec.SleepTime != 0 {
		if err := checkSleep(spec.SleepTime); err != nil {
			return fmt.Errorf("emulator: %v", err)
		}
	}
	now := e.clock.Now()
	e.mu.Lock()
	locked := true
	defer func() {
		if locked {
			e.mu.Unlock()
		}
	}()
	if _, ok := e.spaces[spec.ID]; ok {
		return fmt.Errorf("emulator: Space %s exists", spec.ID)
	}
	ns, _, _ := strings.Cut(spec.ID, "/")
	if e.accounts[ns] == nil {
		return fmt.Errorf("emulator: no account %q", ns)
	}
	rec := newSpace(spec.ID, spec.SDK, spec.Private, now)
	rec.Likes = spec.Likes
	rec.SleepTime = spec.SleepTime
	rec.FailBuild = spec.FailBuild
	if spec.Hardware != "" && !rec.static() {
		rec.HardwareRequested = spec.Hardware
	}
	for _, k := range sortedKeys(spec.Variables) {
		rec.Variables = append(rec.Variables, envEntry{Key: k, Value: spec.Variables[k], UpdatedAt: now})
	}
	for _, k := range sortedKeys(spec.Secrets) {
		rec.Secrets = append(rec.Secrets, envEntry{Key: k, Value: spec.Secrets[k], UpdatedAt: now})
	}
	var appFiles map[string][]byte
	if !rec.static() && spec.Stage != StageNoAppFile {
		appFiles = seedAppFiles(rec.SDK)
	}
	if err := e.initRepo(&rec, appFiles, now); err != nil {
		return err
	}
	switch spec.Stage {
	case StageBuilding:
		e.startBuild(&rec, now, e.cfg.BuildDuration, e.cfg.StartDuration)
	case StageBuildError:
		if rec.FailBuild == "" {
			rec.FailBuild = "Could not find a version that satisfies the requirement torch==9.9.9 (from versions: 2.5.1, 2.6.0)"
		}
		e.startBuild(&rec, now, 0, 0)
	case "", StageRunning, StagePaused, StageSleeping, StageNoAppFile:
		e.startBuild(&rec, now, 0, 0)
	default:
		return fmt.Errorf("emulator: AddSpace cannot start in stage %q", spec.Stage)
	}
	e.settle(&rec, now)
	if spec.Stage == StagePaused || spec.Stage == StageSleeping {
		rec.Stage = spec.Stage
		rec.HardwareCurrent = ""
	}
	_, saved := e.addSpace(rec)
	locked = false
	e.mu.Unlock()
	return saved.wait()
}

// lockedSpace runs fn on a Space with e.mu held and saves it afterwards.
func (e *Emulator) lockedSpace(repoID string, fn func(s *space, now time.Time)) error {
	now := e.clock.Now()
	e.mu.Lock()
	s := e.spaces[repoID]
	if s == nil {
		e.mu.Unlock()
		return fmt.Errorf("emulator: no Space %s", repoID)
	}
	e.settle(&s.rec, now)
	fn(s, now)
	saved := e.queueSave(s)
	e.notify(s)
	e.mu.Unlock()
	return saved.wait()
}

// SetBuildFailure makes every later build of the Space fail (BUILD_ERROR)
// with reason in its build log; "" lets builds succeed again. A build in
// progress fails when it ends.
func (e *Emulator) SetBuildFailure(repoID, reason string) error {
	return e.lockedSpace(repoID, func(s *space, now time.Time) { s.rec.FailBuild = reason })
}

// AppendLog adds a line to a Space's build log (build true) or run log,
// stamped with the clock's time; open streams receive it at once. A
// missing final newline is added. Unknown Spaces are ignored.
func (e *Emulator) AppendLog(repoID string, build bool, text string) {
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	e.lockedSpace(repoID, func(s *space, now time.Time) {
		e.appendLog(&s.rec, build, LogLine{Data: text, Timestamp: now})
	})
}

// SecretValue returns the stored value of a Space's secret, for tests that
// check a client sent it. No endpoint ever returns it.
func (e *Emulator) SecretValue(repoID, key string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.spaces[repoID]
	if s == nil {
		return "", false
	}
	if i := findEntry(s.rec.Secrets, key); i >= 0 {
		return s.rec.Secrets[i].Value, true
	}
	return "", false
}

// Stage returns a Space's stage now, or "" if there is no such Space.
func (e *Emulator) Stage(repoID string) string {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.spaces[repoID]
	if s == nil {
		return ""
	}
	if e.settle(&s.rec, now) {
		e.notify(s)
	}
	return s.rec.Stage
}

// TokenInfo reports the user and role ("read" or "write") of a token.
func (e *Emulator) TokenInfo(value string) (user, role string, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.tokens[value]
	if t == nil {
		return "", "", false
	}
	return t.User, t.Role, true
}
