package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/dotenv"
)

// EnvSpec says where the KEY=VALUE pairs of a command come from.
type EnvSpec struct {
	Kind  string   // "secret" or "variable", for messages
	Flag  string   // "-s" or "-e", for messages
	Pairs []string // KEY=VALUE, or KEY alone
	Files []string // .env files

	// LookupEnv resolves a KEY given alone.
	LookupEnv func(string) (string, bool)
	// Stdin is read for a file named "-".
	Stdin io.Reader
	// Ask, if not nil, asks for the value of a KEY given alone that the
	// environment does not have (a hidden prompt on a terminal).
	Ask func(key string) (string, error)
}

// Collect reads the files in order, then the pairs; a later value for a
// key replaces an earlier one, keeping the key's first position. Errors name
// keys and files but never a value.
//
// A secret given without '=' may be a value typed where KEY=VALUE was
// meant (-s hunter2): unless the environment has a variable by that name,
// it is named in an error or a prompt only when it is written as
// environment variables are (capitals, digits and underscores); otherwise
// the error says which -s it was, not what it holds.
func (s EnvSpec) Collect() ([]hfhub.EnvVar, error) {
	var out []hfhub.EnvVar
	index := map[string]int{}
	set := func(key, value string) {
		if i, ok := index[key]; ok {
			out[i].Value = value
			return
		}
		index[key] = len(out)
		out = append(out, hfhub.EnvVar{Key: key, Value: value})
	}
	for _, name := range s.Files {
		var (
			entries []dotenv.Entry
			err     error
		)
		if name == "-" && s.Stdin != nil {
			entries, err = dotenv.Parse(s.Stdin, "standard input")
		} else {
			entries, err = dotenv.ReadFile(name)
		}
		if err != nil {
			var pe *dotenv.ParseError
			if errors.As(err, &pe) {
				// "app.env:3: expected KEY=VALUE": the file is wrong, not the
				// command line, so no pointer to --help.
				return nil, err
			}
			var pathErr *fs.PathError
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("the %s file %s does not exist", s.Kind, name)
			}
			if errors.As(err, &pathErr) {
				err = pathErr.Err // "permission denied", without repeating the name
			}
			// %v: the file's error (a syscall.Errno) must not pass for a
			// network error further up.
			return nil, fmt.Errorf("could not read the %s file %s: %v", s.Kind, name, err)
		}
		for _, e := range entries {
			set(e.Key, e.Value)
		}
	}
	for i, pair := range s.Pairs {
		key, value, hasValue := strings.Cut(pair, "=")
		key = strings.TrimSpace(key)
		hidden := !hasValue && s.Kind == "secret" // perhaps a value, not a key
		if !dotenv.ValidKey(key) {
			switch {
			case key == "" && hasValue:
				return nil, FlagErrorf("%s: missing %s name before '='", s.Flag, s.Kind)
			case hidden:
				return nil, FlagErrorf("%s: the %s %s is not KEY=VALUE (not shown: it may be a secret value); give KEY=VALUE, or a KEY alone to read $KEY", s.Flag, ordinal(i+1), s.Flag)
			}
			return nil, FlagErrorf("%s: invalid %s name %q: use letters, digits and underscores, not starting with a digit", s.Flag, s.Kind, key)
		}
		if !hasValue {
			v, ok := "", false
			if s.LookupEnv != nil {
				v, ok = s.LookupEnv(key)
			}
			if !ok && hidden && !conventionalEnvName(key) {
				return nil, FlagErrorf("%s: the %s %s has no '=' and names no environment variable (not shown: it may be a secret value); give KEY=VALUE, or export KEY and give KEY alone", s.Flag, ordinal(i+1), s.Flag)
			}
			if !ok && s.Ask != nil {
				var err error
				if v, err = s.Ask(key); err != nil {
					return nil, err
				}
				ok = true
			}
			if !ok {
				return nil, FlagErrorf("%s %s: no value given and %s is not set in the environment; use %s %s=VALUE, export %s, or a file", s.Flag, key, key, s.Flag, key, key)
			}
			value = v
		}
		set(key, value)
	}
	return out, nil
}

// conventionalEnvName: capitals, digits and underscores, as environment
// variables are written (API_KEY), which a secret value rarely is.
func conventionalEnvName(key string) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c == '_' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return key != ""
}

// ordinal writes 1st, 2nd, 3rd, 4th… 11th, 12th, 13th, 21st.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// ParseVolume reads a -v flag. Two spellings are accepted:
//
//	TYPE:SOURCE[@REVISION][/PATH]:/MOUNT[:ro|:rw]      model:demo/bert:/models:ro
//	hf://TYPEs/SOURCE[@REVISION][/PATH]:/MOUNT[:ro|:rw] hf://datasets/demo/data:/data
//
// TYPE is model, dataset, space or bucket (plurals accepted); SOURCE is a
// repository or bucket id "namespace/name".
func ParseVolume(spec string) (hfhub.Volume, error) {
	bad := func(reason string) (hfhub.Volume, error) {
		return hfhub.Volume{}, FlagErrorf("-v %q: %s (want TYPE:SOURCE:/MOUNT[:ro], e.g. model:demo/bert:/models:ro)", spec, reason)
	}
	var typ, rest string
	if r, ok := strings.CutPrefix(spec, "hf://"); ok {
		t, r2, ok := strings.Cut(r, "/")
		if !ok {
			return bad("missing the source after the type")
		}
		typ, rest = t, r2
	} else {
		t, r2, ok := strings.Cut(spec, ":")
		if !ok {
			return bad("missing ':' after the type")
		}
		typ, rest = t, r2
	}
	typ = strings.ToLower(strings.TrimSpace(typ))
	switch typ {
	case "models", "datasets", "spaces", "buckets":
		typ = strings.TrimSuffix(typ, "s")
	}
	if typ == "" {
		return bad("missing the type")
	}
	i := strings.Index(rest, ":/")
	if i < 0 {
		return bad("missing ':/MOUNT'")
	}
	source, mount := rest[:i], rest[i+1:]
	var ro *bool
	if m, ok := strings.CutSuffix(mount, ":ro"); ok {
		mount, ro = m, new(true)
	} else if m, ok := strings.CutSuffix(mount, ":rw"); ok {
		mount, ro = m, new(false)
	}
	if strings.Contains(mount, ":") {
		return bad("unexpected ':' in the mount path (only :ro or :rw may follow it)")
	}
	if source == "" {
		return bad("missing the source")
	}
	v := hfhub.Volume{Type: typ, MountPath: mount, ReadOnly: ro}
	// namespace/name[@revision][/path…]
	parts := strings.SplitN(source, "/", 3)
	if len(parts) == 3 {
		v.Path = parts[2]
		source = parts[0] + "/" + parts[1]
	}
	if s, rev, ok := strings.Cut(source, "@"); ok {
		if rev == "" {
			return bad("empty revision after '@'")
		}
		source, v.Revision = s, rev
	}
	v.Source = source
	return v, nil
}

// ParseSleepTime reads --sleep-time: seconds, a duration such as 30m or 2h,
// or "never" (-1).
func ParseSleepTime(s string) (int, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "never", "-1":
		return -1, nil
	case "":
		return 0, FlagErrorf("--sleep-time: empty value (want seconds, a duration like 30m, or never)")
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 {
			return 0, FlagErrorf("--sleep-time %s: must be positive seconds, or never", s)
		}
		return n, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second || d%time.Second != 0 {
		return 0, FlagErrorf("--sleep-time %q: want seconds (3600), a duration (1h, 30m) or never", s)
	}
	return int(d / time.Second), nil
}
