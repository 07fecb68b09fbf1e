// Package cassette reads the recorded Hub traffic (VCR YAML) that the
// library's replay tests and the emulator's conformance tests treat as the
// ground truth. It is test support: nothing in the shipped library uses it.
package cassette

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Cassette is one recorded test: its interactions in the order they happened.
type Cassette struct {
	Name         string // file name without the .yaml suffix
	Interactions []Interaction
}

// Interaction is one request and the answer the Hub gave.
type Interaction struct {
	Request  Request
	Response Response
}

// Request is a recorded request. Body is empty when none was sent.
type Request struct {
	Method  string
	URI     string
	Body    string
	HasBody bool
	Header  http.Header
}

// Response is a recorded answer.
type Response struct {
	Status int
	Body   string
	Header http.Header
}

type rawCassette struct {
	Interactions []struct {
		Request struct {
			Body    *string             `yaml:"body"`
			Headers map[string][]string `yaml:"headers"`
			Method  string              `yaml:"method"`
			URI     string              `yaml:"uri"`
		} `yaml:"request"`
		Response struct {
			Body struct {
				String string `yaml:"string"`
			} `yaml:"body"`
			Headers map[string][]string `yaml:"headers"`
			Status  struct {
				Code int `yaml:"code"`
			} `yaml:"status"`
		} `yaml:"response"`
	} `yaml:"interactions"`
}

// Load reads one cassette file.
func Load(path string) (*Cassette, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw rawCassette
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("cassette %s: %w", path, err)
	}
	c := &Cassette{Name: strings.TrimSuffix(filepath.Base(path), ".yaml")}
	for _, in := range raw.Interactions {
		var it Interaction
		it.Request.Method = in.Request.Method
		it.Request.URI = in.Request.URI
		if in.Request.Body != nil {
			it.Request.Body = *in.Request.Body
			it.Request.HasBody = true
		}
		it.Request.Header = header(in.Request.Headers)
		it.Response.Status = in.Response.Status.Code
		it.Response.Body = in.Response.Body.String
		it.Response.Header = header(in.Response.Headers)
		c.Interactions = append(c.Interactions, it)
	}
	return c, nil
}

func header(m map[string][]string) http.Header {
	h := make(http.Header, len(m))
	for k, vs := range m {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	return h
}

// Dir is the folder of the repository's copy of the recorded cassettes
// (testdata/hub-cassettes at the module root), found by walking up from the
// working directory to go.mod.
func Dir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "hub-cassettes"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cassette: go.mod not found above the working directory")
		}
		dir = parent
	}
}

// LoadAll reads every cassette in Dir, sorted by name.
func LoadAll() ([]*Cassette, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("cassette: no cassettes in %s", dir)
	}
	sort.Strings(paths)
	var out []*Cassette
	for _, p := range paths {
		c, err := Load(p)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
