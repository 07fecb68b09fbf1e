// Package fleet makes a file the source of truth for a fleet of Spaces:
// Parse reads the desired state (a spaces.yaml file), Plan compares it with
// what the Hub has, Apply makes the Hub match it, and Export writes the
// current state as such a file. hfspaces plan, apply and export are thin
// layers over this package.
//
// # Secrets
//
// The Hub never returns a secret's value, so a plan cannot compare values
// directly. When Apply writes a secret it stores in the secret's
// description a marker: a salted, slow hash of the value,
//
//	hfspaces:pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>
//
// (PBKDF2-HMAC-SHA256, a random 16-byte salt per write). Plan hashes the
// value from the environment with the marker's salt and iterations: equal
// means unchanged (no write, no restart), different means changed. A
// secret without a marker (set by other means) is "unknown" and rewritten,
// unless Options.KeepUnmarkedSecrets says to leave it. No value is ever
// stored, printed, logged or put in a plan: only keys. Anyone who can read
// the Space's secret descriptions can try to guess a value offline against
// the marker; the random salt stops precomputed tables and the iteration
// count makes each guess slow, but a short or common value can still be
// guessed. Use high-entropy secrets (API keys are).
package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hfhub-go/hfhub"
	"github.com/hfhub-go/hfhub/internal/cli/suggest"
	"gopkg.in/yaml.v3"
)

// File is a parsed spaces.yaml: the desired state of a fleet.
type File struct {
	// Name is where the file came from ("<stdin>" for standard input),
	// for messages.
	Name    string
	Version int
	// Spaces are in the order of the file, defaults applied.
	Spaces []Space
}

// Space is the desired state of one Space. A nil or empty field is one
// the file does not mention: Plan leaves it as it is.
type Space struct {
	ID         string
	SDK        hfhub.SDK
	Visibility hfhub.Visibility
	Hardware   hfhub.Hardware
	SleepTime  *int // seconds; -1 never sleeps
	DevMode    *bool
	Paused     *bool
	Variables  map[string]string // nil: not mentioned
	Secrets    map[string]Secret // nil: not mentioned
	Volumes    *[]hfhub.Volume   // nil: not mentioned; empty: no volumes
	// Source is a local folder deployed to the Space (as hfspaces deploy
	// does); relative paths in a file are relative to the file's folder.
	Source string
	// Line is where the Space is defined in its file (0 when built in Go).
	Line int
}

// Secret is a secret's desired value, read from the environment variable
// Env. Its value never leaves the package except towards the Hub: it is
// not printed by fmt, nor marshalled to JSON or YAML.
type Secret struct {
	Env string
	// value is behind a pointer: fmt prints a nested pointer as an
	// address, so even a struct that holds a Secret in an unexported
	// field (where fmt cannot call String) never prints the value.
	value *string
}

func (s Secret) get() string {
	if s.value == nil {
		return ""
	}
	return *s.value
}

// NewSecret returns a Secret whose value comes from a Go program rather
// than from the environment; env is what Export and messages show.
func NewSecret(env, value string) Secret { return Secret{Env: env, value: &value} }

// String shows the reference, never the value.
func (s Secret) String() string { return "${" + s.Env + "}" }

// GoString shows the reference, never the value.
func (s Secret) GoString() string { return s.String() }

// MarshalJSON writes the reference, never the value.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.String())), nil }

// MarshalYAML writes the reference, never the value.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// ParseOptions modifies Parse.
type ParseOptions struct {
	// LookupEnv resolves ${VAR} references of secrets; nil means no
	// variable is set (every secret is then an error).
	LookupEnv func(string) (string, bool)
	// BaseDir is the folder relative source paths start from; "" is the
	// file's folder for a named file, the working directory otherwise.
	BaseDir string
}

// ParseError is a problem at a place in the file.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ErrInvalidFile is wrapped by every error of Parse.
var ErrInvalidFile = errors.New("invalid fleet file")

func (e *ParseError) Unwrap() error { return ErrInvalidFile }

var (
	topKeys   = []string{"version", "defaults", "spaces"}
	spaceKeys = []string{"sdk", "visibility", "hardware", "sleep_time", "dev_mode", "paused", "variables", "secrets", "volumes", "source"}
	volKeys   = []string{"type", "source", "mount_path", "revision", "read_only", "path"}
)

// ReadFile reads a fleet file from r; name is used in messages and, unless
// opts.BaseDir is set, for the folder relative sources start from.
func ReadFile(r io.Reader, name string, opts *ParseOptions) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return Parse(data, name, opts)
}

// Parse reads a fleet file. Unknown keys, literal secret values, unset
// environment variables and malformed values are errors naming the file,
// the line and, for a misspelt key, the likely one.
func Parse(data []byte, name string, opts *ParseOptions) (*File, error) {
	var o ParseOptions
	if opts != nil {
		o = *opts
	}
	if o.LookupEnv == nil {
		o.LookupEnv = func(string) (string, bool) { return "", false }
	}
	if o.BaseDir == "" && name != "" && name != "-" && name != "<stdin>" {
		o.BaseDir = filepath.Dir(name)
	}
	p := &parser{name: name, opts: o}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, p.errf(nil, "the file is empty (want version: 1 and spaces:)")
		}
		return nil, p.yamlErr(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, p.errf(&extra, "more than one YAML document; want one")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root, "the file must be a mapping with version: 1 and spaces:")
	}
	f := &File{Name: name}
	var defaults Space
	var spacesNode *yaml.Node
	seenVersion := false
	err := p.mapping(root, "the file", topKeys, func(k, v *yaml.Node) error {
		switch k.Value {
		case "version":
			seenVersion = true
			n, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || n != 1 {
				return p.errf(v, "version %q is not supported; want 1", v.Value)
			}
			f.Version = n
		case "defaults":
			if err := p.space(v, "defaults", &defaults); err != nil {
				return err
			}
			if defaults.Source != "" {
				return p.errf(v, "defaults cannot set a source: every Space would deploy the same folder")
			}
		case "spaces":
			spacesNode = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !seenVersion {
		return nil, p.errf(root, "missing version: 1")
	}
	if spacesNode == nil || spacesNode.Kind == yaml.ScalarNode && spacesNode.Tag == "!!null" {
		return nil, p.errf(root, "missing spaces: (the Spaces of the fleet, by id)")
	}
	if spacesNode.Kind != yaml.MappingNode {
		return nil, p.errf(spacesNode, "spaces must be a mapping of Space ids (namespace/name) to their settings")
	}
	for i := 0; i+1 < len(spacesNode.Content); i += 2 {
		k, v := spacesNode.Content[i], spacesNode.Content[i+1]
		id := k.Value
		if err := hfhub.ValidateRepoID(id); err != nil || !strings.Contains(id, "/") {
			return nil, p.errf(k, "%q is not a Space id; want namespace/name", id)
		}
		for _, s := range f.Spaces {
			if strings.EqualFold(s.ID, id) {
				return nil, p.errf(k, "%s is listed twice (first at line %d)", id, s.Line)
			}
		}
		sp := Space{ID: id, Line: k.Line}
		if err := p.space(v, id, &sp); err != nil {
			return nil, err
		}
		f.Spaces = append(f.Spaces, withDefaults(sp, defaults))
	}
	return f, nil
}

// withDefaults fills what s leaves unset from d; maps are merged, s's
// keys winning.
func withDefaults(s, d Space) Space {
	if s.SDK == "" {
		s.SDK = d.SDK
	}
	if s.Visibility == "" {
		s.Visibility = d.Visibility
	}
	if s.Hardware == "" {
		s.Hardware = d.Hardware
	}
	if s.SleepTime == nil {
		s.SleepTime = d.SleepTime
	}
	if s.DevMode == nil {
		s.DevMode = d.DevMode
	}
	if s.Paused == nil {
		s.Paused = d.Paused
	}
	if s.Volumes == nil && d.Volumes != nil {
		v := slices.Clone(*d.Volumes)
		s.Volumes = &v
	}
	if d.Variables != nil {
		m := make(map[string]string, len(d.Variables)+len(s.Variables))
		for k, v := range d.Variables {
			m[k] = v
		}
		for k, v := range s.Variables {
			m[k] = v
		}
		s.Variables = m
	}
	if d.Secrets != nil {
		m := make(map[string]Secret, len(d.Secrets)+len(s.Secrets))
		for k, v := range d.Secrets {
			m[k] = v
		}
		for k, v := range s.Secrets {
			m[k] = v
		}
		s.Secrets = m
	}
	return s
}

type parser struct {
	name string
	opts ParseOptions
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &ParseError{File: p.name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// yamlErr turns a yaml.v3 syntax error ("yaml: line 3: …") into a
// ParseError with the line.
func (p *parser) yamlErr(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if l, err := strconv.Atoi(n); err == nil {
				line, msg = l, tail
			}
		}
	}
	return &ParseError{File: p.name, Line: line, Msg: "not valid YAML: " + msg}
}

// mapping calls fn for each key of n, refusing keys not in allowed (with
// a did-you-mean) and keys given twice.
func (p *parser) mapping(n *yaml.Node, where string, allowed []string, fn func(k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errf(n, "%s must be a mapping of keys to values", where)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, where)
			if s := suggest.Closest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += "; want one of " + strings.Join(allowed, ", ")
			}
			return p.errf(k, "%s", msg)
		}
		if l, dup := seen[k.Value]; dup {
			return p.errf(k, "%s in %s is given twice (first at line %d)", k.Value, where, l)
		}
		seen[k.Value] = k.Line
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) scalar(v *yaml.Node, what string) (string, error) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return "", p.errf(v, "%s must be a single value", what)
	}
	return v.Value, nil
}

func (p *parser) boolean(v *yaml.Node, what string) (*bool, error) {
	var b bool
	if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil || v.Tag != "!!bool" {
		return nil, p.errf(v, "%s must be true or false, not %q", what, v.Value)
	}
	return &b, nil
}

func (p *parser) space(n *yaml.Node, where string, s *Space) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // "demo/app:" with nothing: the Space as it is
	}
	return p.mapping(n, where, spaceKeys, func(k, v *yaml.Node) error {
		what := where + ": " + k.Value
		switch k.Value {
		case "sdk":
			val, err := p.scalar(v, what)
			if err != nil {
				return err
			}
			switch sdk := hfhub.SDK(val); sdk {
			case hfhub.SDKGradio, hfhub.SDKDocker, hfhub.SDKStatic, hfhub.SDKStreamlit:
				s.SDK = sdk
			default:
				return p.errf(v, "%s: unknown SDK %q; want gradio, docker, static or streamlit", what, val)
			}
		case "visibility":
			val, err := p.scalar(v, what)
			if err != nil {
				return err
			}
			switch vis := hfhub.Visibility(val); vis {
			case hfhub.VisibilityPublic, hfhub.VisibilityPrivate, hfhub.VisibilityProtected:
				s.Visibility = vis
			default:
				return p.errf(v, "%s: unknown visibility %q; want public, private or protected", what, val)
			}
		case "hardware":
			val, err := p.scalar(v, what)
			if err != nil {
				return err
			}
			hw := hfhub.Hardware(val)
			if err := hw.Validate(); err != nil {
				return p.errf(v, "%s: %v", what, err)
			}
			if !hw.Known() {
				names := make([]string, 0, len(hfhub.KnownHardware()))
				for _, h := range hfhub.KnownHardware() {
					names = append(names, string(h))
				}
				if sug := suggest.Closest(val, names); sug != "" {
					return p.errf(v, "%s: unknown hardware %q; did you mean %q?", what, val, sug)
				}
			}
			s.Hardware = hw
		case "sleep_time":
			val, err := p.scalar(v, what)
			if err != nil {
				return err
			}
			secs, err := ParseSleepTime(val)
			if err != nil {
				return p.errf(v, "%s: %v", what, err)
			}
			s.SleepTime = &secs
		case "dev_mode":
			b, err := p.boolean(v, what)
			if err != nil {
				return err
			}
			s.DevMode = b
		case "paused":
			b, err := p.boolean(v, what)
			if err != nil {
				return err
			}
			s.Paused = b
		case "variables":
			m, err := p.env(v, what, false)
			if err != nil {
				return err
			}
			s.Variables = map[string]string{}
			for key, e := range m {
				s.Variables[key] = e.get()
			}
		case "secrets":
			m, err := p.env(v, what, true)
			if err != nil {
				return err
			}
			s.Secrets = m
		case "volumes":
			vols, err := p.volumes(v, what)
			if err != nil {
				return err
			}
			s.Volumes = &vols
		case "source":
			val, err := p.scalar(v, what)
			if err != nil {
				return err
			}
			if val == "" {
				return p.errf(v, "%s is empty; want a folder", what)
			}
			if !filepath.IsAbs(val) && p.opts.BaseDir != "" {
				val = filepath.Join(p.opts.BaseDir, val)
			}
			s.Source = filepath.Clean(val)
		}
		return nil
	})
}

// env reads variables (values as written) or secrets (${VAR} references,
// resolved from the environment).
func (p *parser) env(n *yaml.Node, where string, secret bool) (map[string]Secret, error) {
	out := map[string]Secret{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return out, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, "%s must be a mapping of keys to values", where)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := hfhub.ValidateKey(k.Value); err != nil {
			return nil, p.errf(k, "%s: %v", where, err)
		}
		if _, dup := out[k.Value]; dup {
			return nil, p.errf(k, "%s: %s is given twice", where, k.Value)
		}
		if v.Kind != yaml.ScalarNode {
			return nil, p.errf(v, "%s: %s must be a single value", where, k.Value)
		}
		if !secret {
			if v.Tag == "!!null" {
				return nil, p.errf(v, "%s: %s has no value (write \"\" for an empty one)", where, k.Value)
			}
			out[k.Value] = NewSecret("", v.Value)
			continue
		}
		ref, ok := envRef(v.Value)
		if !ok {
			// Never echo the literal: it may be the secret itself.
			return nil, p.errf(v, "%s: %s must be an environment reference such as ${%s}; a literal value is not allowed in the file", where, k.Value, k.Value)
		}
		val, set := p.opts.LookupEnv(ref)
		if !set {
			return nil, p.errf(v, "%s: %s refers to ${%s}, which is not set in the environment", where, k.Value, ref)
		}
		out[k.Value] = NewSecret(ref, val)
	}
	return out, nil
}

// envRef reads "${NAME}".
func envRef(s string) (string, bool) {
	s = strings.TrimSpace(s)
	name, ok := strings.CutPrefix(s, "${")
	if !ok {
		return "", false
	}
	name, ok = strings.CutSuffix(name, "}")
	if !ok || name == "" {
		return "", false
	}
	for i, c := range name {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return name, true
}

func (p *parser) volumes(n *yaml.Node, where string) ([]hfhub.Volume, error) {
	vols := []hfhub.Volume{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return vols, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errf(n, "%s must be a list of volumes ({type, source, mount_path})", where)
	}
	for i, item := range n.Content {
		var v hfhub.Volume
		w := fmt.Sprintf("%s[%d]", where, i+1)
		err := p.mapping(item, w, volKeys, func(k, val *yaml.Node) error {
			if k.Value == "read_only" {
				b, err := p.boolean(val, w+": read_only")
				v.ReadOnly = b
				return err
			}
			s, err := p.scalar(val, w+": "+k.Value)
			if err != nil {
				return err
			}
			switch k.Value {
			case "type":
				v.Type = s
			case "source":
				v.Source = s
			case "mount_path":
				v.MountPath = s
			case "revision":
				v.Revision = s
			case "path":
				v.Path = s
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if err := v.Validate(); err != nil {
			return nil, p.errf(item, "%s: %v", w, err)
		}
		for _, o := range vols {
			if o.MountPath == v.MountPath {
				return nil, p.errf(item, "%s: two volumes mount at %s", w, v.MountPath)
			}
		}
		vols = append(vols, v)
	}
	return vols, nil
}

// ParseSleepTime reads a sleep time: a Go duration ("1h", "90m"), a
// number of seconds ("3600") or "never" (-1).
func ParseSleepTime(s string) (int, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "never") {
		return -1, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		return checkSleepTime(s, n)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("sleep time %q: want a duration such as 1h or 90m, a number of seconds, or \"never\"", s)
	}
	if d < 0 || d%time.Second != 0 {
		return 0, fmt.Errorf("sleep time %q: want a whole, positive number of seconds", s)
	}
	return checkSleepTime(s, int(min(d/time.Second, hfhub.MaxSleepTime+1)))
}

// checkSleepTime refuses in the file what the Hub refuses (0, more than
// hfhub.MaxSleepTime), so apply never fails half-way on it.
func checkSleepTime(s string, n int) (int, error) {
	if n < 1 || n > hfhub.MaxSleepTime {
		return 0, fmt.Errorf("sleep time %q: want 1 second to %d seconds, or \"never\"", s, hfhub.MaxSleepTime)
	}
	return n, nil
}

// FormatSleepTime writes seconds as ParseSleepTime reads them: "never",
// "48h", "90m" or "75s".
func FormatSleepTime(secs int) string {
	switch {
	case secs < 0:
		return "never"
	case secs == 0:
		return "0"
	case secs%3600 == 0:
		return strconv.Itoa(secs/3600) + "h"
	case secs%60 == 0:
		return strconv.Itoa(secs/60) + "m"
	}
	return strconv.Itoa(secs) + "s"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
