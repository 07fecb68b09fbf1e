package emulator

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// A build starts from the Space's files at the head of main: the README's
// front matter configures it (CONFIG_ERROR when it does not parse or names
// no known SDK), the SDK's app file must exist (NO_APP_FILE), and the
// build log shows the steps the files call for: the pip install of
// requirements.txt with its packages, or the instructions of the
// Dockerfile. A static Space has no build: it runs at once.

// frontMatter parses the YAML front matter of a README, keeping the order
// of its keys. ok is false when the README has none.
func frontMatter(readme []byte) (card obj, ok bool, err error) {
	text := strings.ReplaceAll(string(readme), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return nil, false, nil
	}
	rest := text[4:]
	var body string
	if strings.HasPrefix(rest, "---\n") || rest == "---" {
		body = ""
	} else {
		i := strings.Index(rest, "\n---\n")
		if i < 0 {
			if !strings.HasSuffix(rest, "\n---") {
				return nil, true, fmt.Errorf("the YAML front matter is not closed by a line '---'")
			}
			i = len(rest) - 4
		}
		body = rest[:i+1]
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(body), &doc); err != nil {
		return nil, true, fmt.Errorf("invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return obj{}, true, nil
	}
	v, err := yamlValue(doc.Content[0])
	if err != nil {
		return nil, true, err
	}
	m, isMap := v.(obj)
	if !isMap {
		return nil, true, fmt.Errorf("the YAML front matter must be a mapping of keys to values")
	}
	return m, true, nil
}

func yamlValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		o := obj{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			var k string
			if err := n.Content[i].Decode(&k); err != nil {
				return nil, fmt.Errorf("line %d: a key must be a string", n.Content[i].Line)
			}
			v, err := yamlValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			o = append(o, kv{k, v})
		}
		return o, nil
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			v, err := yamlValue(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.AliasNode:
		return yamlValue(n.Alias)
	default:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %v", n.Line, err)
		}
		return v, nil
	}
}

// lookup returns the value of key k in o, or nil.
func lookup(o obj, k string) any {
	for _, m := range o {
		if m.k == k {
			return m.v
		}
	}
	return nil
}

// spaceConfig checks a Space's README: it returns the SDK and app file it
// configures, or the CONFIG_ERROR message.
func spaceConfig(readme []byte, exists bool) (sdk, appFile, problem string) {
	if !exists {
		return "", "", "Missing configuration in README: a Space needs a README.md with YAML front matter naming its sdk"
	}
	card, ok, err := frontMatter(readme)
	if err != nil {
		return "", "", "Invalid configuration in README.md: " + err.Error()
	}
	if !ok {
		return "", "", "Missing configuration in README: README.md has no YAML front matter (a block between '---' lines) naming the Space's sdk"
	}
	sdk, _ = lookup(card, "sdk").(string)
	if !slices.Contains(sdks, sdk) {
		return "", "", fmt.Sprintf("Invalid configuration in README.md: sdk %s is not one of %s", describeYAML(lookup(card, "sdk")), strings.Join(sdks, ", "))
	}
	switch sdk {
	case "docker":
		appFile = "Dockerfile"
	case "static":
		appFile = "index.html"
	default:
		appFile = "app.py"
	}
	if v := lookup(card, "app_file"); v != nil && sdk != "docker" {
		s, isString := v.(string)
		if !isString || s == "" {
			return "", "", fmt.Sprintf("Invalid configuration in README.md: app_file must be a path, not %s", describeYAML(v))
		}
		appFile = strings.TrimPrefix(s, "./")
	}
	return sdk, appFile, ""
}

func describeYAML(v any) string {
	if v == nil {
		return "missing"
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	b, _ := marshal(v)
	return string(b)
}

// planBuild decides a build of the Space's main: the stage it stops at
// (CONFIG_ERROR or NO_APP_FILE, with the message) or "" and the steps of
// its build log. e.mu must be held.
func (e *Emulator) planBuild(s *spaceRecord) (stage, msg string, steps []string) {
	t, err := e.mainTree(s)
	if err != nil {
		return StageConfigError, "Could not read the repository: " + err.Error(), nil
	}
	read := func(p string) ([]byte, bool) {
		f := t.file(p)
		if f == nil {
			return nil, false
		}
		if f.Size > maxBody {
			return nil, true
		}
		b, err := e.readEntry(f)
		if err != nil {
			return nil, true
		}
		return b, true
	}
	readme, ok := read("README.md")
	_, appFile, problem := spaceConfig(readme, ok)
	if problem != "" {
		return StageConfigError, problem, nil
	}
	if t.file(appFile) == nil {
		return StageNoAppFile, "", nil
	}
	switch s.SDK {
	case "static":
		return "", "", nil
	case "docker":
		df, _ := read("Dockerfile")
		return "", "", dockerSteps(df)
	}
	req, hasReq := read("requirements.txt")
	steps = []string{
		"--> FROM docker.io/library/python:3.10@sha256:d2b4b4e5a4ba9e3d5fc3ac9c1a2c3e7d0f1b2a3c4d5e6f708192a3b4c5d6e7f8\n",
		"DONE 0.0s\n",
		"--> RUN apt-get update && apt-get install -y git git-lfs ffmpeg libsm6 libxext6 cmake rsync libgl1-mesa-glx\n",
		"DONE 4.1s\n",
	}
	if hasReq {
		steps = append(steps, "--> RUN --mount=target=/tmp/requirements.txt,source=requirements.txt pip install --no-cache-dir -r /tmp/requirements.txt\n")
		n := 0
		for line := range strings.SplitSeq(string(req), "\n") {
			line = strings.TrimSpace(line)
			if i := strings.Index(line, "#"); i >= 0 {
				line = strings.TrimSpace(line[:i])
			}
			if line == "" || strings.HasPrefix(line, "-") {
				continue
			}
			if n++; n > 50 {
				break
			}
			steps = append(steps, "Collecting "+line+"\n")
		}
		steps = append(steps, "DONE 9.8s\n")
	}
	version := "5.20.0"
	if s.SDK == "streamlit" {
		version = "1.43.0"
	}
	steps = append(steps,
		fmt.Sprintf("--> RUN pip install --no-cache-dir %s==%s\n", s.SDK, version),
		"DONE 6.2s\n",
		"--> COPY --link --chown=1000 ./ /home/user/app\n",
		"DONE 0.1s\n",
	)
	return "", "", steps
}

// dockerSteps are the build log lines of a Dockerfile's instructions.
func dockerSteps(df []byte) []string {
	var steps []string
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		steps = append(steps, "--> "+line+"\n", fmt.Sprintf("DONE %.1fs\n", float64(len(steps)%7)/2))
	}
	for line := range bytes.SplitSeq(df, []byte("\n")) {
		l := strings.TrimSpace(string(line))
		if strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\") + " ")
			continue
		}
		cur.WriteString(l)
		flush()
	}
	flush()
	return steps
}

// steps are the build log lines of the Space's build; failStep is how
// many of them a failing build writes before its error.
func (s *spaceRecord) steps() []string {
	if len(s.BuildPlan) > 0 {
		return s.BuildPlan
	}
	return buildSteps
}

// A failing build stops at the pip install of requirements.txt, or
// before the last step of a Dockerfile.
func (s *spaceRecord) failStep() int {
	if len(s.BuildPlan) == 0 {
		return 6 // buildSteps' pip install
	}
	steps := s.BuildPlan
	for i, l := range steps {
		if strings.Contains(l, "-r /tmp/requirements.txt") {
			j := i + 1
			for j < len(steps) && strings.HasPrefix(steps[j], "Collecting ") {
				j++
			}
			return j
		}
	}
	if n := len(steps); n >= 2 {
		return n - 2
	}
	return 0
}

// seedAppFiles are the app files of a Space made by AddSpace.
func seedAppFiles(sdk string) map[string][]byte {
	switch sdk {
	case "docker":
		return map[string][]byte{"Dockerfile": []byte("FROM python:3.10\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\", \"--port\", \"7860\"]\n"),
			"requirements.txt": []byte("fastapi\nuvicorn\n")}
	case "streamlit":
		return map[string][]byte{"app.py": []byte("import streamlit as st\n\nst.write(\"Hello\")\n"), "requirements.txt": []byte("streamlit\n")}
	case "static":
		return nil
	default:
		return map[string][]byte{
			"app.py":           []byte("import gradio as gr\n\ngr.Interface(fn=lambda name: \"Hello \" + name, inputs=\"text\", outputs=\"text\").launch()\n"),
			"requirements.txt": []byte("gradio\n"),
		}
	}
}
