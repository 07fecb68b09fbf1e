package hfhub

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
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
// for what this type does not model.
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
	Status string // "created" or "canceled"
	Raw    json.RawMessage
}

// Replicas is how many copies of the Space run. Requested is "auto" when
// the Hub scales it.
type Replicas struct {
	Requested string // a number, or "auto"
	Current   int
}

type wireRuntime struct {
	Stage    *string `json:"stage"`
	Hardware *struct {
		Current   *string `json:"current"`
		Requested *string `json:"requested"`
	} `json:"hardware"`
	Storage  json.RawMessage `json:"storage"`
	GC       *wireNumber     `json:"gcTimeout"`
	DevMode  *bool           `json:"devMode"`
	SDK      *string         `json:"sdk"`
	SDKVer   *string         `json:"sdkVersion"`
	RawLogs  *bool           `json:"rawLogs"`
	HotRel   json.RawMessage `json:"hotReloading"`
	ErrMsg   *string         `json:"errorMessage"`
	Volumes  []Volume        `json:"volumes"`
	Domains  []Domain        `json:"domains"`
	Replicas *struct {
		Requested json.RawMessage `json:"requested"`
		Current   *wireNumber     `json:"current"`
	} `json:"replicas"`
}

// wireNumber is an integer the Hub sends as a JSON number or a numeric
// string. Anything else leaves it unset: json.Number would fail the whole
// object on a non-numeric string, which UnmarshalTypeError leniency misses.
type wireNumber struct {
	n  int
	ok bool
}

func (w *wireNumber) UnmarshalJSON(data []byte) error {
	w.n, w.ok = lenientInt(data)
	return nil
}

// UnmarshalJSON decodes a runtime object leniently: a null, absent or
// oddly typed field is left at its zero value rather than failing. A null
// runtime leaves r unchanged, as encoding/json does for its own types.
func (r *SpaceRuntime) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	return r.decode(append(json.RawMessage(nil), data...))
}

// decodeOwned decodes a buffer nobody else holds, keeping it as Raw without
// a copy (the client's hot path).
func (r *SpaceRuntime) decodeOwned(data []byte) error { return r.decode(data) }

func (r *SpaceRuntime) decode(data json.RawMessage) error {
	var w wireRuntime
	if err := lenientUnmarshal(data, &w); err != nil {
		return err
	}
	*r = SpaceRuntime{Raw: data, Volumes: w.Volumes, Domains: w.Domains}
	r.Stage = Stage(deref(w.Stage))
	if w.Hardware != nil {
		r.Hardware = Hardware(deref(w.Hardware.Current))
		r.RequestedHardware = Hardware(deref(w.Hardware.Requested))
	}
	r.Storage = Storage(lenientString(w.Storage))
	if r.Storage == "" && len(w.Storage) > 0 && w.Storage[0] == '{' {
		var st struct {
			Current   json.RawMessage `json:"current"`
			Requested json.RawMessage `json:"requested"`
			Tier      json.RawMessage `json:"tier"`
		}
		if json.Unmarshal(w.Storage, &st) == nil {
			r.Storage = Storage(firstNonEmpty(lenientString(st.Current), lenientString(st.Tier), lenientString(st.Requested)))
		}
	}
	if w.GC != nil && w.GC.ok {
		n := w.GC.n
		r.SleepTime = &n
	}
	r.DevMode = w.DevMode != nil && *w.DevMode
	r.SDK = deref(w.SDK)
	r.SDKVersion = deref(w.SDKVer)
	r.RawLogs = w.RawLogs != nil && *w.RawLogs
	r.ErrorMessage = deref(w.ErrMsg)
	if len(w.HotRel) > 0 && w.HotRel[0] == '{' {
		var hr struct {
			Status json.RawMessage `json:"status"`
		}
		if json.Unmarshal(w.HotRel, &hr) == nil {
			r.HotReloading = &HotReloading{Status: lenientString(hr.Status), Raw: w.HotRel}
		}
	}
	if w.Replicas != nil {
		r.Replicas = &Replicas{Requested: lenientString(w.Replicas.Requested)}
		if w.Replicas.Current != nil {
			r.Replicas.Current = w.Replicas.Current.n
		}
	}
	return nil
}

// lenientUnmarshal decodes JSON into a wire struct, skipping values of an
// unexpected type (encoding/json fills every other field and reports only
// the first mismatch, which is ignored here); malformed JSON is an error.
func lenientUnmarshal(data []byte, v any) error {
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return errors.New("want a JSON object")
	}
	err := json.Unmarshal(data, v)
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return nil
	}
	return err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// MarshalJSON writes the raw object the Hub sent when there is one, so a
// runtime round-trips unchanged.
func (r SpaceRuntime) MarshalJSON() ([]byte, error) {
	if len(r.Raw) > 0 {
		return r.Raw, nil
	}
	type hardware struct {
		Current   *Hardware `json:"current"`
		Requested *Hardware `json:"requested"`
	}
	out := struct {
		Stage        Stage    `json:"stage"`
		Hardware     hardware `json:"hardware"`
		Storage      *Storage `json:"storage"`
		GCTimeout    *int     `json:"gcTimeout,omitempty"`
		DevMode      bool     `json:"devMode"`
		SDK          string   `json:"sdk,omitempty"`
		SDKVersion   string   `json:"sdkVersion,omitempty"`
		ErrorMessage string   `json:"errorMessage,omitempty"`
		Volumes      []Volume `json:"volumes,omitempty"`
		Domains      []Domain `json:"domains,omitempty"`
	}{Stage: r.Stage, GCTimeout: r.SleepTime, DevMode: r.DevMode, SDK: r.SDK, SDKVersion: r.SDKVersion,
		ErrorMessage: r.ErrorMessage, Volumes: r.Volumes, Domains: r.Domains}
	if r.Hardware != "" {
		out.Hardware.Current = &r.Hardware
	}
	if r.RequestedHardware != "" {
		out.Hardware.Requested = &r.RequestedHardware
	}
	if r.Storage != "" {
		out.Storage = &r.Storage
	}
	return json.Marshal(out)
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
	Key         string
	Value       string
	Description string
	UpdatedAt   time.Time
}

// SpaceSecret is a Space's secret. The Hub never returns a secret's value.
type SpaceSecret struct {
	Key         string
	Description string
	UpdatedAt   time.Time
}

type wireEnvEntry struct {
	Value       json.RawMessage `json:"value"`
	Description json.RawMessage `json:"description"`
	UpdatedAt   json.RawMessage `json:"updatedAt"`
}

// Accelerator describes a hardware flavor's GPU or other accelerator.
type Accelerator struct {
	Type         string `json:"type"`
	Model        string `json:"model"`
	Quantity     int    `json:"quantity"`
	VRAM         string `json:"vram"`
	Manufacturer string `json:"manufacturer"`
}

// UnmarshalJSON accepts a quantity given as a number or a string. Anything
// but an object decodes to the zero value.
func (a *Accelerator) UnmarshalJSON(data []byte) error {
	var w struct {
		Type, Model, VRAM, Manufacturer json.RawMessage
		Quantity                        json.RawMessage
	}
	if !isObject(data) || json.Unmarshal(data, &w) != nil {
		*a = Accelerator{}
		return nil
	}
	*a = Accelerator{Type: lenientString(w.Type), Model: lenientString(w.Model), VRAM: lenientString(w.VRAM),
		Manufacturer: lenientString(w.Manufacturer)}
	a.Quantity, _ = lenientInt(w.Quantity)
	return nil
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

// UnmarshalJSON decodes a catalog entry leniently: an accelerator that is
// not an object is nil, a price that is not a finite number is zero.
func (h *HardwareInfo) UnmarshalJSON(data []byte) error {
	var w struct {
		Name, PrettyName, CPU, RAM, EphemeralStorage, UnitLabel json.RawMessage
		Accelerator                                             json.RawMessage
		UnitCostMicroUSD, UnitCostUSD                           json.RawMessage
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*h = HardwareInfo{Name: Hardware(lenientString(w.Name)), PrettyName: lenientString(w.PrettyName),
		CPU: lenientString(w.CPU), RAM: lenientString(w.RAM), EphemeralStorage: lenientString(w.EphemeralStorage),
		UnitLabel: lenientString(w.UnitLabel)}
	if isObject(w.Accelerator) {
		h.Accelerator = new(Accelerator)
		_ = h.Accelerator.UnmarshalJSON(w.Accelerator)
	}
	if n, ok := lenientFloat(w.UnitCostMicroUSD); ok && n >= -(1<<63) && n < 1<<63 {
		h.UnitCostMicroUSD = int64(n)
	}
	h.UnitCostUSD, _ = lenientFloat(w.UnitCostUSD)
	return nil
}

// RepoURL is where a repository lives on the Hub.
type RepoURL struct {
	URL      string // e.g. https://huggingface.co/spaces/ns/name
	Endpoint string // e.g. https://huggingface.co
	RepoType string // "space"
	RepoID   string // ns/name
}

// SpaceInfo is a Space's metadata, with its runtime.
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

// UnmarshalJSON decodes a space object leniently and keeps it whole in Raw.
func (s *SpaceInfo) UnmarshalJSON(data []byte) error {
	var w struct {
		ID           json.RawMessage `json:"id"`
		Author       json.RawMessage `json:"author"`
		SHA          json.RawMessage `json:"sha"`
		SDK          json.RawMessage `json:"sdk"`
		Private      json.RawMessage `json:"private"`
		Disabled     json.RawMessage `json:"disabled"`
		Likes        json.RawMessage `json:"likes"`
		LastModified json.RawMessage `json:"lastModified"`
		CreatedAt    json.RawMessage `json:"createdAt"`
		Subdomain    json.RawMessage `json:"subdomain"`
		Host         json.RawMessage `json:"host"`
		Tags         json.RawMessage `json:"tags"`
		Runtime      json.RawMessage `json:"runtime"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*s = SpaceInfo{Raw: append(json.RawMessage(nil), data...),
		ID: lenientString(w.ID), Author: lenientString(w.Author), SHA: lenientString(w.SHA), SDK: lenientString(w.SDK),
		Private: lenientBool(w.Private), Disabled: lenientBool(w.Disabled), Subdomain: lenientString(w.Subdomain),
		Host: lenientString(w.Host), LastModified: lenientTime(w.LastModified), CreatedAt: lenientTime(w.CreatedAt)}
	s.Likes, _ = lenientInt(w.Likes)
	if len(w.Tags) > 0 {
		var tags []string
		if json.Unmarshal(w.Tags, &tags) == nil {
			s.Tags = tags
		}
	}
	if len(w.Runtime) > 0 && w.Runtime[0] == '{' {
		var rt SpaceRuntime
		if rt.UnmarshalJSON(w.Runtime) == nil {
			s.Runtime = &rt
		}
	}
	return nil
}

// User is the account behind the token (WhoAmI).
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
	Name string
}

// UnmarshalJSON decodes the whoami-v2 answer leniently: an organization or
// auth value of an unexpected shape is left out rather than failing.
func (u *User) UnmarshalJSON(data []byte) error {
	var w struct {
		Type     json.RawMessage   `json:"type"`
		Name     json.RawMessage   `json:"name"`
		FullName json.RawMessage   `json:"fullname"`
		Orgs     []json.RawMessage `json:"orgs"`
		Auth     struct {
			AccessToken struct {
				DisplayName json.RawMessage `json:"displayName"`
				Role        json.RawMessage `json:"role"`
			} `json:"accessToken"`
		} `json:"auth"`
	}
	if err := lenientUnmarshal(data, &w); err != nil {
		return err
	}
	*u = User{Type: lenientString(w.Type), Name: lenientString(w.Name), FullName: lenientString(w.FullName),
		TokenName: lenientString(w.Auth.AccessToken.DisplayName), TokenRole: lenientString(w.Auth.AccessToken.Role),
		Raw: append(json.RawMessage(nil), data...)}
	for _, raw := range w.Orgs {
		var o struct {
			Name json.RawMessage `json:"name"`
		}
		if !isObject(raw) || json.Unmarshal(raw, &o) != nil {
			continue
		}
		if name := lenientString(o.Name); name != "" {
			u.Orgs = append(u.Orgs, Org{Name: name})
		}
	}
	return nil
}

// lenient decoders: a missing, null or mistyped value is the zero value.

func lenientString(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] != '"' {
		if len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) {
			return string(raw)
		}
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func lenientInt(raw json.RawMessage) (int, bool) {
	f, ok := lenientFloat(raw)
	if !ok || f > 1<<53 || f < -(1<<53) {
		return 0, false
	}
	return int(f), true
}

func lenientFloat(raw json.RawMessage) (float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return 0, false
	}
	s := string(raw)
	if raw[0] == '"' {
		s = lenientString(raw)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// isObject reports whether raw JSON is an object.
func isObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

// isNull reports whether raw JSON is the null literal.
func isNull(raw []byte) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func lenientBool(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("true"))
}

func lenientTime(raw json.RawMessage) time.Time {
	s := lenientString(raw)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
