package hfhub

import (
	"context"
	"fmt"
	"net/http"
)

// RequestStorage asks for persistent storage of a tier (small, medium or
// large). The Hub marks this deprecated in favour of volumes but still serves it.
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
	return s.runtimeCall(ctx, call{op: "RequestStorage", method: http.MethodPost, path: spacePath(repoID, "storage"), body: body, retry: true})
}

// DeleteStorage removes the Space's persistent storage and its data. The
// Hub answers 400 (ErrBadRequest) when the Space has none.
func (s *SpacesService) DeleteStorage(ctx context.Context, repoID string) (*SpaceRuntime, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	return s.runtimeCall(ctx, call{op: "DeleteStorage", method: http.MethodDelete, path: spacePath(repoID, "storage"), retry: true})
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
// (ErrBadRequest) when the Space has none.
func (s *SpacesService) DeleteVolumes(ctx context.Context, repoID string) error {
	if err := validateSpaceID(repoID); err != nil {
		return err
	}
	return s.client.do(ctx, call{op: "DeleteVolumes", method: http.MethodDelete, path: spacePath(repoID, "volumes"), retry: true}, nil)
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
