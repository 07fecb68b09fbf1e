package fleet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/hfhub-go/hfhub"
	"gopkg.in/yaml.v3"
)

// ExportOptions says which Spaces Export reads.
type ExportOptions struct {
	Options
	// Author exports every Space of a user or organization (with IDs, both).
	Author string
}

// Export reads Spaces from the Hub and returns them as a File: every
// attribute the file format has, secrets as ${KEY} references to
// environment variables named as the keys. Planning the exported file
// (with those variables set) shows nothing to change, except secrets set
// without an hfspaces marker unless Options.KeepUnmarkedSecrets.
func Export(ctx context.Context, c *hfhub.Client, ids []string, opts *ExportOptions) (*File, error) {
	var o ExportOptions
	if opts != nil {
		o = *opts
	}
	ids = append([]string(nil), ids...)
	if o.Author != "" {
		for info, err := range c.Spaces.List(ctx, &hfhub.ListOptions{Author: o.Author, Expand: []string{"sdk"}}) {
			if err != nil {
				return nil, err
			}
			ids = append(ids, info.ID)
		}
	}
	if len(ids) == 0 {
		return nil, errNoSpaces
	}
	for _, id := range ids {
		if err := hfhub.ValidateRepoID(id); err != nil {
			return nil, err
		}
	}
	sort.Strings(ids)
	states := make([]*State, len(ids))
	errs := make([]error, len(ids))
	forEach(ctx, len(ids), o.concurrency(), func(i int) {
		states[i], errs[i] = readState(ctx, c, ids[i], true, true)
	})
	f := &File{Version: 1}
	var all []error
	for i, st := range states {
		if errs[i] != nil {
			all = append(all, fmt.Errorf("%s: %w", ids[i], errs[i]))
			continue
		}
		if !st.Exists {
			all = append(all, fmt.Errorf("%s: %w", ids[i], hfhub.ErrNotFound))
			continue
		}
		f.Spaces = append(f.Spaces, spaceOf(st))
	}
	return f, errors.Join(all...)
}

// spaceOf is the desired state that matches a Space as it is.
func spaceOf(st *State) Space {
	s := Space{ID: st.ID, SDK: hfhub.SDK(st.SDK), Visibility: st.Visibility, Variables: map[string]string{}, Secrets: map[string]Secret{}}
	for k, v := range st.Variables {
		s.Variables[k] = v.Value
	}
	for k := range st.Secrets {
		s.Secrets[k] = Secret{Env: k}
	}
	if len(st.Volumes) > 0 {
		vols := append([]hfhub.Volume{}, st.Volumes...)
		s.Volumes = &vols
	}
	if st.static() {
		return s
	}
	s.Hardware = st.Hardware
	if st.SleepTime != nil {
		secs := *st.SleepTime
		s.SleepTime = &secs
	}
	dev, paused := st.DevMode, st.Stage == hfhub.StagePaused
	s.DevMode, s.Paused = &dev, &paused
	return s
}

type yamlFile struct {
	Version int                  `yaml:"version"`
	Spaces  map[string]yamlSpace `yaml:"spaces"`
}

type yamlSpace struct {
	SDK        string            `yaml:"sdk,omitempty"`
	Visibility string            `yaml:"visibility,omitempty"`
	Hardware   string            `yaml:"hardware,omitempty"`
	SleepTime  string            `yaml:"sleep_time,omitempty"`
	DevMode    *bool             `yaml:"dev_mode,omitempty"`
	Paused     *bool             `yaml:"paused,omitempty"`
	Variables  map[string]string `yaml:"variables,omitempty"`
	Secrets    map[string]string `yaml:"secrets,omitempty"`
	Volumes    *[]yamlVolume     `yaml:"volumes,omitempty"`
	Source     string            `yaml:"source,omitempty"`
}

type yamlVolume struct {
	Type      string `yaml:"type"`
	Source    string `yaml:"source"`
	MountPath string `yaml:"mount_path"`
	Revision  string `yaml:"revision,omitempty"`
	ReadOnly  *bool  `yaml:"read_only,omitempty"`
	Path      string `yaml:"path,omitempty"`
}

// Marshal writes f in the spaces.yaml format, secrets as references.
func Marshal(f *File) ([]byte, error) {
	out := yamlFile{Version: 1, Spaces: map[string]yamlSpace{}}
	for _, s := range f.Spaces {
		y := yamlSpace{SDK: string(s.SDK), Visibility: string(s.Visibility), Hardware: string(s.Hardware),
			DevMode: s.DevMode, Paused: s.Paused, Source: s.Source}
		if s.SleepTime != nil {
			y.SleepTime = FormatSleepTime(*s.SleepTime)
		}
		if len(s.Variables) > 0 {
			y.Variables = s.Variables
		}
		if len(s.Secrets) > 0 {
			y.Secrets = map[string]string{}
			for k, v := range s.Secrets {
				y.Secrets[k] = v.String()
			}
		}
		if s.Volumes != nil {
			vols := []yamlVolume{}
			for _, v := range *s.Volumes {
				vols = append(vols, yamlVolume{Type: v.Type, Source: v.Source, MountPath: v.MountPath, Revision: v.Revision, ReadOnly: v.ReadOnly, Path: v.Path})
			}
			y.Volumes = &vols
		}
		out.Spaces[s.ID] = y
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
