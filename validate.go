package hfhub

import (
	"fmt"
	"strings"
)

// ValidateRepoID checks a repository id the way the official client does
// before sending anything: an optional "namespace/" prefix and a name of 1
// to 96 characters from [A-Za-z0-9_.-], each part starting and ending with a
// letter, digit or underscore, with no "--" or "..", not ending in ".git".
// A Space id always has a namespace: use it with SpacesService methods.
func ValidateRepoID(repoID string) error {
	if repoID == "" {
		return fmt.Errorf("%w: the repo id is empty (want \"namespace/name\")", ErrInvalidRepoID)
	}
	if len(repoID) > 96*2+1 {
		return fmt.Errorf("%w: %q is too long", ErrInvalidRepoID, clip(repoID))
	}
	if strings.Count(repoID, "/") > 1 {
		return fmt.Errorf("%w: %q has more than one \"/\" (want \"namespace/name\")", ErrInvalidRepoID, clip(repoID))
	}
	if strings.Contains(repoID, "--") || strings.Contains(repoID, "..") {
		return fmt.Errorf("%w: %q must not contain \"--\" or \"..\"", ErrInvalidRepoID, clip(repoID))
	}
	if strings.HasSuffix(repoID, ".git") {
		return fmt.Errorf("%w: %q must not end with \".git\"", ErrInvalidRepoID, clip(repoID))
	}
	ns, name, hasNS := strings.Cut(repoID, "/")
	if !hasNS {
		name, ns = ns, ""
	}
	if hasNS {
		if err := checkIDPart(repoID, "namespace", ns, 0); err != nil {
			return err
		}
	}
	return checkIDPart(repoID, "name", name, 96)
}

func checkIDPart(repoID, what, part string, maxLen int) error {
	if part == "" {
		return fmt.Errorf("%w: %q has an empty %s", ErrInvalidRepoID, clip(repoID), what)
	}
	if maxLen > 0 && len(part) > maxLen {
		return fmt.Errorf("%w: the %s in %q is longer than %d characters", ErrInvalidRepoID, what, clip(repoID), maxLen)
	}
	for i := 0; i < len(part); i++ {
		c := part[i]
		if !isWordByte(c) && c != '-' && c != '.' {
			return fmt.Errorf("%w: %q contains %q; a %s may hold only letters, digits, '-', '_' and '.'", ErrInvalidRepoID, clip(repoID), rune(c), what)
		}
	}
	if !isWordByte(part[0]) || !isWordByte(part[len(part)-1]) {
		return fmt.Errorf("%w: the %s in %q must start and end with a letter, digit or '_'", ErrInvalidRepoID, what, clip(repoID))
	}
	return nil
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// validateSpaceID checks a Space id, which must name its namespace.
func validateSpaceID(repoID string) error {
	if err := ValidateRepoID(repoID); err != nil {
		return err
	}
	if !strings.Contains(repoID, "/") {
		return fmt.Errorf("%w: %q has no namespace (want \"namespace/name\", e.g. \"%s/%s\")", ErrInvalidRepoID, repoID, "your-name", repoID)
	}
	return nil
}

// clip keeps user input in messages short and printable.
func clip(s string) string {
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// ValidateKey checks a secret or variable key: not empty, no white space,
// control characters or '='.
func ValidateKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: the key is empty", ErrInvalidKey)
	}
	for _, r := range key {
		if r <= ' ' || r == 0x7f || r == '=' {
			return fmt.Errorf("%w: %q contains %q; keys may not hold white space, control characters or '='", ErrInvalidKey, clip(key), r)
		}
	}
	return nil
}

// Validate checks a flavor's form: lowercase letters, digits and dashes. A
// well-formed flavor this library does not know is accepted: the Hub decides.
func (h Hardware) Validate() error {
	if h == "" {
		return fmt.Errorf("%w: the flavor is empty (e.g. %q)", ErrInvalidHardware, HardwareCPUBasic)
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%w: %q; a flavor holds only lowercase letters, digits and dashes (e.g. %q)", ErrInvalidHardware, clip(string(h)), HardwareT4Small)
		}
	}
	return nil
}

// Validate checks a storage tier: small, medium or large.
func (s Storage) Validate() error {
	switch s {
	case StorageSmall, StorageMedium, StorageLarge:
		return nil
	}
	return fmt.Errorf("%w: %q; want small, medium or large", ErrInvalidStorage, clip(string(s)))
}

func validateSleepTime(seconds int) error {
	if seconds < -1 {
		return fmt.Errorf("%w: %d seconds; want -1 (never sleep) or a number of seconds ≥ 0", ErrInvalidSleepTime, seconds)
	}
	return nil
}

// Validate checks a volume before it is sent.
func (v Volume) Validate() error {
	switch {
	case v.Type == "":
		return fmt.Errorf("%w: no type (want model, dataset, space or bucket)", ErrInvalidVolume)
	case strings.ContainsAny(v.Type, " \t\r\n/:"):
		return fmt.Errorf("%w: type %q", ErrInvalidVolume, clip(v.Type))
	case strings.TrimSpace(v.Source) == "":
		return fmt.Errorf("%w: %s volume without a source", ErrInvalidVolume, v.Type)
	case !strings.HasPrefix(v.MountPath, "/"):
		return fmt.Errorf("%w: mount path %q of %s must be absolute (start with \"/\")", ErrInvalidVolume, clip(v.MountPath), clip(v.Source))
	}
	return nil
}
