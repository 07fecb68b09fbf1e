package hfhub

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRepoNameLen is the longest repository name (and namespace) accepted:
// the official client's limit for a name (validate_repo_id); the Hub's
// user and organization names are shorter.
const MaxRepoNameLen = 96

// ValidateRepoID checks a repository id the way the official client does
// before sending anything: an optional "namespace/" prefix and a name, each
// of 1 to MaxRepoNameLen characters from [A-Za-z0-9_.-], starting and
// ending with a letter, digit or underscore, with no "--" or "..", not
// ending in ".git". A Space id always has a namespace: use it with
// SpacesService methods.
func ValidateRepoID(repoID string) error {
	if repoID == "" {
		return fmt.Errorf("%w: the repo id is empty (want \"namespace/name\")", ErrInvalidRepoID)
	}
	if len(repoID) > MaxRepoNameLen*2+1 {
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
		if err := checkIDPart(repoID, "namespace", ns, MaxRepoNameLen); err != nil {
			return err
		}
	}
	return checkIDPart(repoID, "name", name, MaxRepoNameLen)
}

func checkIDPart(repoID, what, part string, maxLen int) error {
	if part == "" {
		return fmt.Errorf("%w: %q has an empty %s", ErrInvalidRepoID, clip(repoID), what)
	}
	if len(part) > maxLen {
		return fmt.Errorf("%w: the %s in %s is %d characters long; at most %d", ErrInvalidRepoID, what, quote(repoID), len(part), maxLen)
	}
	for _, r := range part {
		if r >= utf8.RuneSelf || !isWordByte(byte(r)) && r != '-' && r != '.' {
			return fmt.Errorf("%w: %s contains %s; a %s may hold only ASCII letters, digits, '-', '_' and '.'", ErrInvalidRepoID, quote(repoID), describeRune(r), what)
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
		cut := 120
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// MaxEnvKeyLen is the longest variable or secret key the Hub accepts.
const MaxEnvKeyLen = 200

// ValidateEnvKey checks a variable or secret key as the Hub does: 1 to
// MaxEnvKeyLen ASCII letters, digits and underscores, not starting with a
// digit (^[A-Za-z_][A-Za-z0-9_]{0,199}$). testdata/env_keys.json holds the
// examples the library's, the CLI's and the emulator's tests check. The
// error wraps ErrInvalidKey and names the first character refused.
func ValidateEnvKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: the key is empty", ErrInvalidKey)
	}
	for i, r := range key {
		if r < utf8.RuneSelf && (isWordByte(byte(r)) && (i > 0 || !isDigit(byte(r)))) {
			continue
		}
		what := fmt.Sprintf("contains %s", describeRune(r))
		if i == 0 && r < utf8.RuneSelf && isDigit(byte(r)) {
			what = "starts with a digit"
		}
		return fmt.Errorf("%w: %s %s; a key holds only ASCII letters, digits and '_', and does not start with a digit (e.g. MODEL_ID)",
			ErrInvalidKey, keyText(key), what)
	}
	if n := len(key); n > MaxEnvKeyLen {
		return fmt.Errorf("%w: the key is %d characters long; the Hub accepts at most %d", ErrInvalidKey, n, MaxEnvKeyLen)
	}
	return nil
}

// keyText names a refused key in a message: quoted when it is short, as key
// names are; a long one may be a value given in its place (a secret), so
// only its length is said.
func keyText(key string) string {
	if utf8.RuneCountInString(key) <= 40 {
		return quote(key)
	}
	return fmt.Sprintf("a key of %d characters", utf8.RuneCountInString(key))
}

// ValidateKey is ValidateEnvKey.
//
// Deprecated: use ValidateEnvKey.
func ValidateKey(key string) error { return ValidateEnvKey(key) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// describeRune names a character for a message: quoted when printable, by
// name or code point otherwise. Non-ASCII letters show as themselves.
func describeRune(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case r == '\t':
		return "a tab"
	case r == '\n' || r == '\r':
		return "a line break"
	case r == utf8.RuneError:
		return "bytes that are not UTF-8"
	case unicode.IsPrint(r):
		return strconv.QuoteRune(r)
	}
	return fmt.Sprintf("the control character %U", r)
}

// quote quotes user input for a message, keeping it short; printable
// non-ASCII text shows as itself (strconv.Quote escapes only what is not
// printable, and invalid UTF-8).
func quote(s string) string {
	if len(s) > 120 {
		cut := 120
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
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

// MaxSleepTime is the longest sleep time sent, in seconds (2³¹−1, about
// 68 years). Neither the Hub's documentation nor the official client names
// a maximum; the Hub refuses 0 and anything below -1, and a value past a
// signed 32-bit count of seconds is no real sleep time.
const MaxSleepTime = 1<<31 - 1

// validateSleepTime checks a sleep time as the Hub does: -1 (never sleep)
// or a positive number of seconds, at most MaxSleepTime.
func validateSleepTime(seconds int) error {
	if seconds == 0 || seconds < -1 || seconds > MaxSleepTime {
		return fmt.Errorf("%w: %d seconds; want -1 (never sleep) or 1 to %d seconds", ErrInvalidSleepTime, seconds, MaxSleepTime)
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
