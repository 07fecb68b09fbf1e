package hfhub

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
)

// HardwareOptions modifies RequestHardware.
type HardwareOptions struct {
	// SleepTime sets the sleep time in seconds along with the hardware
	// (-1: never sleep). Free cpu-basic hardware always sleeps after 48 h.
	SleepTime *int
}

func (o *HardwareOptions) valid() error {
	if o == nil || o.SleepTime == nil {
		return nil
	}
	return validateSleepTime(*o.SleepTime)
}

// RequestHardware asks for another hardware flavor. The runtime returned
// shows it as RequestedHardware at once; it becomes Hardware after the
// Space rebuilds. A well-formed flavor this library does not know is sent
// anyway: the Hub decides (ErrBadRequest with its message).
func (s *SpacesService) RequestHardware(ctx context.Context, repoID string, hw Hardware, opts *HardwareOptions) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	if err := hw.Validate(); err != nil {
		return nil, err
	}
	if err := opts.valid(); err != nil {
		return nil, err
	}
	body := struct {
		Flavor           Hardware `json:"flavor"`
		SleepTimeSeconds *int     `json:"sleepTimeSeconds,omitempty"`
	}{Flavor: hw}
	if opts != nil && opts.SleepTime != nil {
		st := *opts.SleepTime
		body.SleepTimeSeconds = &st
		if hw == HardwareCPUBasic {
			s.client.logger.WarnContext(ctx, "hfhub: the sleep time of free cpu-basic hardware is fixed at 48 hours; the requested sleep time may be ignored", "space", repoID)
		}
	}
	return s.runtimeCall(ctx, call{op: "RequestHardware", method: http.MethodPost, path: spacePath(repoID, "hardware"), body: body, retry: true})
}

// ListHardware returns the Hub's hardware catalog, with prices.
func (s *SpacesService) ListHardware(ctx context.Context) ([]HardwareInfo, error) {
	cl := call{op: "ListHardware", method: http.MethodGet, path: "/api/spaces/hardware", retry: true}
	data, _, err := s.client.exchange(ctx, cl)
	if err != nil {
		return nil, err
	}
	list, err := decodeCatalog(data)
	if err != nil {
		return nil, fmt.Errorf("hfhub: %s: decoding the answer: %w", cl.op, err)
	}
	return list, nil
}

// SetSleepTime sets how many seconds of inactivity put the Space to sleep;
// -1 means never. Free cpu-basic hardware always sleeps after 48 h.
func (s *SpacesService) SetSleepTime(ctx context.Context, repoID string, seconds int) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	if err := validateSleepTime(seconds); err != nil {
		return nil, err
	}
	body := struct {
		Seconds int `json:"seconds"`
	}{seconds}
	rt, err := s.runtimeCall(ctx, call{op: "SetSleepTime", method: http.MethodPost, path: spacePath(repoID, "sleeptime"), body: body, retry: true})
	if err == nil && rt.Hardware == HardwareCPUBasic {
		s.client.logger.WarnContext(ctx, "hfhub: the Space runs on free cpu-basic hardware, which sleeps after 48 hours of inactivity whatever the sleep time", "space", repoID)
	}
	return rt, err
}

// HourlyMicroUSD is the flavor's price for one hour, in millionths of a US
// dollar, computed from the catalog's unit price and its unit (the Hub
// prices per "minute"; "hour" and "second" are understood too). ok is false
// when the unit is one this package does not know, or the entry has no
// price: the caller should then show the unit price as the Hub gives it.
func (h *HardwareInfo) HourlyMicroUSD() (micro int64, ok bool) {
	unit := h.UnitCostMicroUSD
	if unit == 0 && h.UnitCostUSD > 0 {
		unit = int64(math.Round(h.UnitCostUSD * 1e6))
	}
	if unit < 0 {
		return 0, false
	}
	switch strings.ToLower(strings.TrimSpace(h.UnitLabel)) {
	case "minute":
		return unit * 60, true
	case "hour":
		return unit, true
	case "second":
		return unit * 3600, true
	}
	return 0, false
}
