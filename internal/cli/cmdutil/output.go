package cmdutil

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/iostreams"
)

// WriteJSON prints v as indented JSON on standard output.
func WriteJSON(ios *iostreams.IOStreams, v any) error {
	enc := json.NewEncoder(ios.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// RuntimeJSON is the --json form of a Space's runtime. Unknown or unset
// values are null rather than absent, so scripts can rely on every key.
type RuntimeJSON struct {
	Stage             string       `json:"stage"`
	Hardware          *string      `json:"hardware"`
	RequestedHardware *string      `json:"requested_hardware"`
	SleepTime         *int         `json:"sleep_time"`
	Storage           *string      `json:"storage"`
	DevMode           bool         `json:"dev_mode"`
	SDK               *string      `json:"sdk"`
	ErrorMessage      *string      `json:"error_message"`
	Volumes           []VolumeJSON `json:"volumes"`
	Domains           []DomainJSON `json:"domains"`
}

// VolumeJSON is the --json form of a volume.
type VolumeJSON struct {
	Type      string  `json:"type"`
	Source    string  `json:"source"`
	MountPath string  `json:"mount_path"`
	Revision  *string `json:"revision"`
	ReadOnly  bool    `json:"read_only"`
	Path      *string `json:"path"`
}

// DomainJSON is the --json form of a Space's domain.
type DomainJSON struct {
	Domain string `json:"domain"`
	Stage  string `json:"stage"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// NewRuntimeJSON converts a runtime for --json.
func NewRuntimeJSON(rt *hfhub.SpaceRuntime) RuntimeJSON {
	if rt == nil {
		return RuntimeJSON{Volumes: []VolumeJSON{}, Domains: []DomainJSON{}}
	}
	out := RuntimeJSON{
		Stage:             string(rt.Stage),
		Hardware:          nullable(string(rt.Hardware)),
		RequestedHardware: nullable(string(rt.RequestedHardware)),
		SleepTime:         rt.SleepTime,
		Storage:           nullable(string(rt.Storage)),
		DevMode:           rt.DevMode,
		SDK:               nullable(rt.SDK),
		ErrorMessage:      nullable(rt.ErrorMessage),
		Volumes:           NewVolumesJSON(rt.Volumes),
		Domains:           []DomainJSON{},
	}
	for _, d := range rt.Domains {
		out.Domains = append(out.Domains, DomainJSON{Domain: d.Domain, Stage: d.Stage})
	}
	return out
}

// NewVolumesJSON converts volumes for --json; never nil.
func NewVolumesJSON(vols []hfhub.Volume) []VolumeJSON {
	out := make([]VolumeJSON, 0, len(vols))
	for _, v := range vols {
		out = append(out, VolumeJSON{Type: v.Type, Source: v.Source, MountPath: v.MountPath,
			Revision: nullable(v.Revision), ReadOnly: v.ReadOnly != nil && *v.ReadOnly, Path: nullable(v.Path)})
	}
	return out
}

// SleepTimeText describes a sleep time for a person.
func SleepTimeText(seconds *int) string {
	switch {
	case seconds == nil:
		return "default"
	case *seconds < 0:
		return "never"
	}
	return CompactDuration(time.Duration(*seconds) * time.Second)
}

// RuntimeSleepText describes a runtime's sleep time. The Hub leaves it
// null for its default, which depends on the hardware: free cpu-basic
// sleeps after 48 hours, upgraded hardware never sleeps, and a static
// Space does not sleep at all.
func RuntimeSleepText(rt *hfhub.SpaceRuntime) string {
	if rt.SleepTime != nil {
		return SleepTimeText(rt.SleepTime)
	}
	hw := rt.RequestedHardware
	if hw == "" {
		hw = rt.Hardware
	}
	switch hw {
	case "":
		return "none"
	case hfhub.HardwareCPUBasic:
		return "48h"
	}
	return "never"
}

// CompactDuration writes 1h30m, 48h, 5m, 90s… rather than 1h30m0s.
func CompactDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// StageText colours a stage: green running, yellow on the move, red
// failed, gray asleep or stopped.
func StageText(cs *iostreams.ColorScheme, stage hfhub.Stage) string {
	if stage == "" {
		return "unknown"
	}
	return StageColor(cs, stage)(string(stage))
}

// StageColor returns the colour of a stage, for a text that shows it
// (perhaps cut to fit a table).
func StageColor(cs *iostreams.ColorScheme, stage hfhub.Stage) func(string) string {
	switch {
	case stage == hfhub.StageRunning:
		return cs.Green
	case stage.Transitional():
		return cs.Yellow
	case stage.Failed():
		return cs.Red
	}
	return cs.Gray
}

// HardwareText shows the running flavor, and the requested one when a
// change is under way: "cpu-basic → t4-small". Like every helper here that
// shows what the Hub said, it sanitises (iostreams.Sanitize).
func HardwareText(rt *hfhub.SpaceRuntime) string {
	cur, req := iostreams.Sanitize(string(rt.Hardware)), iostreams.Sanitize(string(rt.RequestedHardware))
	switch {
	case cur == "" && req == "":
		return "none"
	case cur == "":
		return req + " (requested)"
	case req == "" || req == cur:
		return cur
	}
	return cur + " → " + req
}

// StorageText shows the storage tier or "none".
func StorageText(s hfhub.Storage) string {
	if s == "" {
		return "none"
	}
	return iostreams.Sanitize(string(s))
}

// VolumeText writes a volume as the -v flag takes it.
func VolumeText(v hfhub.Volume) string {
	var b strings.Builder
	b.WriteString(v.Type)
	b.WriteByte(':')
	b.WriteString(v.Source)
	if v.Revision != "" {
		b.WriteByte('@')
		b.WriteString(v.Revision)
	}
	if v.Path != "" {
		b.WriteByte('/')
		b.WriteString(strings.TrimPrefix(v.Path, "/"))
	}
	b.WriteByte(':')
	b.WriteString(v.MountPath)
	if v.ReadOnly != nil && *v.ReadOnly {
		b.WriteString(":ro")
	}
	return iostreams.Sanitize(b.String())
}

// TimeRFC3339 shows a time for a machine (piped output), or "" when unknown.
func TimeRFC3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// TimeText shows a time for a person, or "-" when unknown.
func TimeText(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return t.Format("2006-01-02 15:04")
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	case d < 60*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + " days ago"
	}
	return t.Format("2006-01-02")
}

// PriceText shows a catalog price per hour: "$0.60/hour", "free". The Hub
// prices per minute; HardwareInfo.HourlyMicroUSD turns the unit price into
// an hourly one, shown to the cent (to the micro-dollar below a cent). A
// unit this tool does not know is shown as the Hub gives it:
// "$3.00/fortnight". It works in whole micro-dollars, exact in the catalog
// (unitCostMicroUSD), so that a float such as 8.3 prints as $8.30, not
// $8.3 or $8.299999.
func PriceText(h hfhub.HardwareInfo) string {
	if hourly, ok := h.HourlyMicroUSD(); ok {
		if hourly <= 0 {
			return "free"
		}
		return "$" + dollarsText(hourly, true) + "/hour"
	}
	micro := h.UnitCostMicroUSD
	if micro == 0 {
		micro = int64(math.Round(h.UnitCostUSD * 1e6))
	}
	if micro <= 0 {
		return "free"
	}
	label := h.UnitLabel
	if label == "" {
		label = "hour"
	}
	return "$" + dollarsText(micro, false) + "/" + iostreams.Sanitize(label)
}

// dollarsText writes micro-dollars as dollars: to the cent when toCent and
// the amount is at least a cent; otherwise with every digit there is.
func dollarsText(micro int64, toCent bool) string {
	if toCent && micro >= 10_000 {
		cents := (micro + 5_000) / 10_000
		return fmt.Sprintf("%d.%02d", cents/100, cents%100)
	}
	dollars, rest := micro/1_000_000, micro%1_000_000
	if rest%10_000 == 0 {
		return fmt.Sprintf("%d.%02d", dollars, rest/10_000)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%06d", dollars, rest), "0")
}

// AcceleratorText describes an accelerator: "1x Nvidia T4 (16 GB)".
func AcceleratorText(a *hfhub.Accelerator) string {
	if a == nil || (a.Model == "" && a.Type == "") {
		return "-"
	}
	name := strings.TrimSpace(a.Manufacturer + " " + a.Model)
	if name == "" {
		name = a.Type
	}
	s := name
	if a.Quantity > 0 {
		s = fmt.Sprintf("%dx %s", a.Quantity, name)
	}
	if a.VRAM != "" {
		s += " (" + a.VRAM + ")"
	}
	return iostreams.Sanitize(s)
}
