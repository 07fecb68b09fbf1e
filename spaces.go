package hfhub

import (
	"encoding/json"
	"time"
)

// Stage is where a Space is in its life cycle. Values the Hub adds later
// decode and round-trip unchanged.
type Stage string

// The stages the Hub reports.
const (
	StageNoAppFile          Stage = "NO_APP_FILE"
	StageConfigError        Stage = "CONFIG_ERROR"
	StageBuilding           Stage = "BUILDING"
	StageBuildError         Stage = "BUILD_ERROR"
	StageRunning            Stage = "RUNNING"
	StageRunningBuilding    Stage = "RUNNING_BUILDING"
	StageRuntimeError       Stage = "RUNTIME_ERROR"
	StageDeleting           Stage = "DELETING"
	StageStopped            Stage = "STOPPED"
	StagePaused             Stage = "PAUSED"
	StageSleeping           Stage = "SLEEPING"
	StageAppStarting        Stage = "APP_STARTING"
	StageRunningAppStarting Stage = "RUNNING_APP_STARTING"
)

// Transitional reports whether the Space is still moving towards another
// stage (building or starting).
func (s Stage) Transitional() bool {
	switch s {
	case StageBuilding, StageRunningBuilding, StageAppStarting, StageRunningAppStarting:
		return true
	}
	return false
}

// Failed reports whether the stage is an error the Space will not leave by itself.
func (s Stage) Failed() bool {
	switch s {
	case StageBuildError, StageRuntimeError, StageConfigError, StageNoAppFile:
		return true
	}
	return false
}

// Hardware is a hardware flavor such as "t4-small". The Hub's catalog
// (SpacesService.ListHardware) is the authority; flavors not listed here
// work as well.
type Hardware string

// Hardware flavors the official clients know.
const (
	HardwareCPUBasic       Hardware = "cpu-basic"
	HardwareCPUUpgrade     Hardware = "cpu-upgrade"
	HardwareCPUPerformance Hardware = "cpu-performance"
	HardwareCPUXL          Hardware = "cpu-xl"
	HardwareSPRx8          Hardware = "sprx8"
	HardwareZeroA10G       Hardware = "zero-a10g"
	HardwareInf2x6         Hardware = "inf2x6"
	HardwareT4Small        Hardware = "t4-small"
	HardwareT4Medium       Hardware = "t4-medium"
	HardwareL4x1           Hardware = "l4x1"
	HardwareL4x4           Hardware = "l4x4"
	HardwareL40Sx1         Hardware = "l40sx1"
	HardwareL40Sx4         Hardware = "l40sx4"
	HardwareL40Sx8         Hardware = "l40sx8"
	HardwareA10GSmall      Hardware = "a10g-small"
	HardwareA10GLarge      Hardware = "a10g-large"
	HardwareA10GLargex2    Hardware = "a10g-largex2"
	HardwareA10GLargex4    Hardware = "a10g-largex4"
	HardwareA100Large      Hardware = "a100-large"
	HardwareA100x4         Hardware = "a100x4"
	HardwareA100x8         Hardware = "a100x8"
	HardwareH100           Hardware = "h100"
	HardwareH100x8         Hardware = "h100x8"
)

var knownHardware = []Hardware{
	HardwareCPUBasic, HardwareCPUUpgrade, HardwareCPUPerformance, HardwareCPUXL, HardwareSPRx8,
	HardwareZeroA10G, HardwareInf2x6, HardwareT4Small, HardwareT4Medium, HardwareL4x1, HardwareL4x4,
	HardwareL40Sx1, HardwareL40Sx4, HardwareL40Sx8, HardwareA10GSmall, HardwareA10GLarge,
	HardwareA10GLargex2, HardwareA10GLargex4, HardwareA100Large, HardwareA100x4, HardwareA100x8,
	HardwareH100, HardwareH100x8,
}

// KnownHardware lists the flavors this library knows by name. The Hub may
// offer more; its catalog is the authority.
func KnownHardware() []Hardware {
	return append([]Hardware(nil), knownHardware...)
}

// Known reports whether the flavor is one this library knows by name.
func (h Hardware) Known() bool {
	for _, k := range knownHardware {
		if h == k {
			return true
		}
	}
	return false
}

// Storage is a persistent storage tier.
type Storage string

// The persistent storage tiers.
const (
	StorageSmall  Storage = "small"
	StorageMedium Storage = "medium"
	StorageLarge  Storage = "large"
)

// SpaceRuntime is a Space's runtime state as the Hub reports it. Fields the
// Hub leaves out or sets to null are zero values; Raw keeps the whole object
// as the Hub sent it, for what this type does not model. As JSON it is the
// Hub's runtime object, written from the fields (not from Raw).
type SpaceRuntime struct {
	Stage             Stage
	Hardware          Hardware // hardware currently running; empty while first building or for a static Space
	RequestedHardware Hardware // hardware asked for; it becomes Hardware after a rebuild
	SleepTime         *int     // seconds of inactivity before sleeping (gcTimeout); nil: the default; -1: never
	Storage           Storage
	DevMode           bool
	SDK               string
	SDKVersion        string
	RawLogs           bool
	HotReloading      *HotReloading // the last hot reload, when there was one
	ErrorMessage      string
	Volumes           []Volume
	Domains           []Domain
	Replicas          *Replicas
	Raw               json.RawMessage
}

// Domain is a host name a Space answers on.
type Domain struct {
	Domain string `json:"domain"`
	Stage  string `json:"stage"` // READY or PENDING
}

// HotReloading is the state of a Space's last hot reload.
type HotReloading struct {
	Status string          `json:"status"` // "created" or "canceled"
	Raw    json.RawMessage `json:"-"`      // the object as the Hub sent it
}

// Replicas is how many copies of the Space run. Requested is "auto" when
// the Hub scales it.
type Replicas struct {
	Requested string // a number, or "auto"
	Current   int
}

// Volume is a Hub repository or bucket mounted into a Space.
type Volume struct {
	Type      string `json:"type"`               // "model", "dataset", "space" or "bucket"
	Source    string `json:"source"`             // repo id or bucket name
	MountPath string `json:"mountPath"`          // absolute path inside the Space
	Revision  string `json:"revision,omitempty"` // branch, tag or commit
	ReadOnly  *bool  `json:"readOnly,omitempty"`
	Path      string `json:"path,omitempty"` // a folder inside the source
}

// EnvVar is a secret or variable set while duplicating a Space.
type EnvVar struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	Description string `json:"description,omitempty"`
}

// SpaceVariable is a Space's public environment variable.
type SpaceVariable struct {
	Key         string    `json:"key"`
	Value       string    `json:"value"`
	Description string    `json:"description,omitempty"`
	UpdatedAt   time.Time `json:"updatedAt,omitzero"`
}

// SpaceSecret is a Space's secret. The Hub never returns a secret's value.
type SpaceSecret struct {
	Key         string    `json:"key"`
	Description string    `json:"description,omitempty"`
	UpdatedAt   time.Time `json:"updatedAt,omitzero"`
}

// Accelerator describes a hardware flavor's GPU or other accelerator.
type Accelerator struct {
	Type         string `json:"type"`
	Model        string `json:"model"`
	Quantity     int    `json:"quantity"`
	VRAM         string `json:"vram"`
	Manufacturer string `json:"manufacturer"`
}

// HardwareInfo is one entry of the Hub's hardware catalog.
type HardwareInfo struct {
	Name             Hardware     `json:"name"`
	PrettyName       string       `json:"prettyName"`
	CPU              string       `json:"cpu"`
	RAM              string       `json:"ram"`
	EphemeralStorage string       `json:"ephemeralStorage,omitempty"`
	Accelerator      *Accelerator `json:"accelerator,omitempty"`
	UnitCostMicroUSD int64        `json:"unitCostMicroUSD"`
	UnitCostUSD      float64      `json:"unitCostUSD"`
	UnitLabel        string       `json:"unitLabel"`
}

// RepoURL is where a repository lives on the Hub.
type RepoURL struct {
	URL      string `json:"url"`      // e.g. https://huggingface.co/spaces/ns/name
	Endpoint string `json:"endpoint"` // e.g. https://huggingface.co
	RepoType string `json:"repoType"` // "space"
	RepoID   string `json:"repoId"`   // ns/name
}

// SpaceInfo is a Space's metadata, with its runtime. Raw keeps the object as
// the Hub sent it; as JSON a SpaceInfo is the Hub's space object, written
// from the fields.
type SpaceInfo struct {
	ID           string
	Author       string
	SHA          string
	SDK          string
	Private      bool
	Disabled     bool
	Likes        int
	LastModified time.Time
	CreatedAt    time.Time
	Subdomain    string
	Host         string
	Tags         []string
	Runtime      *SpaceRuntime
	Raw          json.RawMessage
}

// User is the account behind the token (WhoAmI). Raw keeps the answer as
// the Hub sent it; as JSON a User is the whoami-v2 object, written from the
// fields.
type User struct {
	Type      string // "user" (or "org" for an org token)
	Name      string
	FullName  string
	Orgs      []Org
	TokenName string // the token's display name
	TokenRole string // "read", "write" or "fineGrained"
	Raw       json.RawMessage
}

// Org is an organization the user belongs to.
type Org struct {
	Name string `json:"name"`
}
