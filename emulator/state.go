package emulator

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Stages a Space's runtime can be in, as the Hub names them.
const (
	StageNoAppFile          = "NO_APP_FILE"
	StageConfigError        = "CONFIG_ERROR"
	StageBuilding           = "BUILDING"
	StageBuildError         = "BUILD_ERROR"
	StageRunning            = "RUNNING"
	StageRunningBuilding    = "RUNNING_BUILDING"
	StageRuntimeError       = "RUNTIME_ERROR"
	StageDeleting           = "DELETING"
	StageStopped            = "STOPPED"
	StagePaused             = "PAUSED"
	StageSleeping           = "SLEEPING"
	StageAppStarting        = "APP_STARTING"
	StageRunningAppStarting = "RUNNING_APP_STARTING"
)

// cpuBasicSleep is the fixed sleep time of free cpu-basic hardware: 48 h.
const cpuBasicSleep = 48 * 60 * 60

// account is a user or an organization.
type account struct {
	Name     string   `json:"name"`
	ID       string   `json:"id"`
	Org      bool     `json:"org,omitempty"`
	Fullname string   `json:"fullname"`
	Members  []string `json:"members,omitempty"` // organizations only
}

// token is an access token. Its value is the map key and is never logged.
type token struct {
	User      string    `json:"user"`
	Role      string    `json:"role"` // "read" or "write"
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

// envEntry is one variable or secret. Secret values are kept so that a
// real Space could use them, but no endpoint ever returns them.
type envEntry struct {
	Key         string    `json:"key"`
	Value       string    `json:"value"`
	Description *string   `json:"description,omitempty"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// LogLine is one line of a Space's build or run log.
type LogLine struct {
	Data      string    `json:"data"`
	Timestamp time.Time `json:"timestamp"`
}

// Volume is a volume mounted into a Space.
type Volume struct {
	Type      string  `json:"type"`
	Source    string  `json:"source"`
	MountPath string  `json:"mountPath"`
	Revision  *string `json:"revision,omitempty"`
	ReadOnly  *bool   `json:"readOnly,omitempty"`
	Path      *string `json:"path,omitempty"`
}

// spaceRecord is everything the emulator knows about a Space. It is what the
// data file stores, as JSON, one key per Space.
type spaceRecord struct {
	ObjectID     string            `json:"objectId"`
	ID           string            `json:"id"`
	Author       string            `json:"author"`
	SDK          string            `json:"sdk"`
	Private      bool              `json:"private"`
	Likes        int               `json:"likes"`
	CreatedAt    time.Time         `json:"createdAt"`
	LastModified time.Time         `json:"lastModified"`
	Sha          string            `json:"sha"`
	Files        map[string]string `json:"files"` // path → git blob id, at the head of main
	// Repo is the Space's git refs (git.go); Gated and Protected are
	// settings; CardData is the README's front matter at main, as JSON.
	Repo      *repoRecord     `json:"repo,omitempty"`
	Gated     string          `json:"gated,omitempty"` // "", "auto" or "manual"
	Protected bool            `json:"protected,omitempty"`
	CardData  json.RawMessage `json:"cardData,omitempty"`
	MovedFrom []string        `json:"movedFrom,omitempty"` // its former ids (moved.go)

	Variables []envEntry `json:"variables"`
	Secrets   []envEntry `json:"secrets"`

	Stage             string   `json:"stage"`
	HardwareRequested string   `json:"hardwareRequested,omitempty"`
	HardwareCurrent   string   `json:"hardwareCurrent,omitempty"`
	SleepTime         int      `json:"sleepTime,omitempty"` // seconds; 0 default, -1 never
	Storage           string   `json:"storage,omitempty"`
	Volumes           []Volume `json:"volumes,omitempty"`
	DevMode           bool     `json:"devMode,omitempty"`
	ErrorMessage      string   `json:"errorMessage,omitempty"`

	// The build in progress or last done: when it started, when each phase
	// ends, and how many of its log steps are already in BuildLog.
	BuildStart   time.Time `json:"buildStart"`
	BuildEnd     time.Time `json:"buildEnd"`
	StartEnd     time.Time `json:"startEnd"`
	BuildSteps   int       `json:"buildSteps,omitempty"`
	BuildPlan    []string  `json:"buildPlan,omitempty"` // the build's log steps (build.go)
	RunningSince time.Time `json:"runningSince"`
	// FailBuild, when not empty, makes every build fail with this reason.
	FailBuild string `json:"failBuild,omitempty"`

	BuildLog []LogLine `json:"buildLog,omitempty"`
	RunLog   []LogLine `json:"runLog,omitempty"`
	// BuildLogDropped and RunLogDropped count the oldest lines dropped from
	// the logs (see maxLogLines), so streams know where they are.
	BuildLogDropped int `json:"buildLogDropped,omitempty"`
	RunLogDropped   int `json:"runLogDropped,omitempty"`
	// BuildGen and RunGen count log replacements: an open stream of a log
	// that has been replaced ends.
	BuildGen int `json:"buildGen,omitempty"`
	RunGen   int `json:"runGen,omitempty"`
}

func (s *spaceRecord) static() bool { return s.SDK == "static" }

func (s *spaceRecord) namespace() string {
	ns, _, _ := strings.Cut(s.ID, "/")
	return ns
}

func (s *spaceRecord) name() string {
	_, name, _ := strings.Cut(s.ID, "/")
	return name
}

// subdomain is the Space's host name label: namespace-name, lower case,
// with '_' and '.' turned into '-'.
func (s *spaceRecord) subdomain() string {
	b := make([]byte, len(s.ID))
	for i := range len(s.ID) {
		switch c := s.ID[i]; {
		case c == '_' || c == '.' || c == '/':
			b[i] = '-'
		case 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		default:
			b[i] = c
		}
	}
	return string(b)
}

// sleepSeconds is the effective sleep time: cpu-basic is fixed at 48 h;
// other hardware never sleeps unless told to; 0 means never.
func (s *spaceRecord) sleepSeconds() int {
	if s.static() {
		return 0
	}
	if s.HardwareRequested == "" || s.HardwareRequested == "cpu-basic" {
		return cpuBasicSleep
	}
	if s.SleepTime > 0 {
		return s.SleepTime
	}
	return 0
}

func findEntry(list []envEntry, key string) int {
	for i, e := range list {
		if e.Key == key {
			return i
		}
	}
	return -1
}

func upsertEntry(list []envEntry, e envEntry) []envEntry {
	if i := findEntry(list, e.Key); i >= 0 {
		list[i] = e
		return list
	}
	return append(list, e)
}

func removeEntry(list []envEntry, key string) []envEntry {
	if i := findEntry(list, key); i >= 0 {
		return append(list[:i], list[i+1:]...)
	}
	return list
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// objectID returns a 24-hex id like the Hub's, its first 4 bytes the time.
func objectID(t time.Time) string {
	return fmt.Sprintf("%08x", uint32(t.Unix())) + randomHex(8)
}

// blobID is git's object id of a blob with this content.
func blobID(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// hubTime formats a time as the Hub does: UTC with milliseconds.
func hubTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
