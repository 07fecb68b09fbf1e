package hfhub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// RequestStorage asks for persistent storage of a tier (small, medium or
// large). The Hub marks this deprecated in favour of volumes but still
// serves it. A retry that the Hub refuses (400) after an earlier attempt
// may have been applied is a success when the Space's runtime shows the
// tier asked for: the earlier attempt did it.
func (s *SpacesService) RequestStorage(ctx context.Context, repoID string, tier Storage) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	if err := tier.Validate(); err != nil {
		return nil, err
	}
	body := struct {
		Tier Storage `json:"tier"`
	}{tier}
	rt, err := s.runtimeCall(ctx, call{op: "RequestStorage", method: http.MethodPost, path: spacePath(repoID, "storage"), body: body, retry: true, checkRefusedRetry: true})
	return s.doneEarlier(ctx, repoID, rt, err, func(rt *SpaceRuntime) bool { return rt.Storage == tier })
}

// DeleteStorage removes the Space's persistent storage and its data. The
// Hub answers 400 (ErrBadRequest) when the Space has none; when that
// answers a retry, after an earlier attempt may have been applied (its
// answer was lost), and the runtime shows no storage, the earlier attempt
// did it: DeleteStorage succeeds with that runtime.
func (s *SpacesService) DeleteStorage(ctx context.Context, repoID string) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	rt, err := s.runtimeCall(ctx, call{op: "DeleteStorage", method: http.MethodDelete, path: spacePath(repoID, "storage"), retry: true, checkRefusedRetry: true})
	return s.doneEarlier(ctx, repoID, rt, err, func(rt *SpaceRuntime) bool { return rt.Storage == "" })
}

// doneEarlier turns the failure of a retried call into its success when an
// earlier attempt may have been applied, the retry was refused with 400
// (what a repeated request gets once the change is made: "nothing to
// delete"), and the runtime, read afresh, shows the change made (done).
// Any other outcome is returned as it was.
func (s *SpacesService) doneEarlier(ctx context.Context, repoID string, rt *SpaceRuntime, err error, done func(*SpaceRuntime) bool) (*SpaceRuntime, error) {
	var apiErr *APIError
	if err == nil || !errors.As(err, &apiErr) || !apiErr.earlierMayHaveApplied || apiErr.StatusCode != http.StatusBadRequest {
		return rt, err
	}
	now, rerr := s.GetRuntime(ctx, repoID)
	if rerr != nil || !done(now) {
		return nil, err
	}
	s.client.logger.DebugContext(ctx, "hfhub: a retry was refused, but an earlier attempt had made the change", "op", apiErr.Op, "space", repoID, "refusal", apiErr.Message)
	return now, nil
}

// SetVolumes replaces the volumes mounted into the Space.
func (s *SpacesService) SetVolumes(ctx context.Context, repoID string, volumes []Volume) error {
	if err := validateSpaceID(repoID); err != nil {
		return err
	}
	if err := validateVolumes(volumes); err != nil {
		return err
	}
	if volumes == nil {
		volumes = []Volume{}
	}
	body := struct {
		Volumes []Volume `json:"volumes"`
	}{volumes}
	return s.client.do(ctx, call{op: "SetVolumes", method: http.MethodPut, path: spacePath(repoID, "volumes"), body: body, retry: true}, nil)
}

// DeleteVolumes removes every volume from the Space. The Hub answers 400
// (ErrBadRequest) when the Space has none; when that answers a retry, after
// an earlier attempt may have been applied, and the runtime shows no
// volume, the earlier attempt did it: DeleteVolumes succeeds.
func (s *SpacesService) DeleteVolumes(ctx context.Context, repoID string) error {
	if err := validateSpaceID(repoID); err != nil {
		return err
	}
	err := s.client.do(ctx, call{op: "DeleteVolumes", method: http.MethodDelete, path: spacePath(repoID, "volumes"), retry: true, checkRefusedRetry: true}, nil)
	_, err = s.doneEarlier(ctx, repoID, nil, err, func(rt *SpaceRuntime) bool { return len(rt.Volumes) == 0 })
	return err
}

func validateVolumes(volumes []Volume) error {
	seen := make(map[string]bool, len(volumes))
	for i, v := range volumes {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("volume %d: %w", i+1, err)
		}
		if seen[v.MountPath] {
			return fmt.Errorf("%w: two volumes mount at %q", ErrInvalidVolume, clip(v.MountPath))
		}
		seen[v.MountPath] = true
	}
	return nil
}
