package emulator

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDemoSeed checks the demo seed through the API against what issue 3
// and the README promise.
func TestDemoSeed(t *testing.T) {
	t.Parallel()
	h := newHub(t, Config{Seed: DemoSeed})

	type who struct{ Name, Role, Orgs string }
	var whos []who
	for _, tok := range []string{DemoWriteToken, DemoReadToken, OtherWriteToken} {
		v := h.do("GET", "/api/whoami-v2", tok, nil).json(t)
		var orgs []string
		for _, o := range field(v, "orgs").([]any) {
			orgs = append(orgs, field(o, "name").(string))
		}
		whos = append(whos, who{field(v, "name").(string), field(v, "auth", "accessToken", "role").(string), strings.Join(orgs, ",")})
	}
	if diff := cmp.Diff([]who{{"demo", "write", "demo-org"}, {"demo", "read", "demo-org"}, {"other", "write", ""}}, whos); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}

	type space struct {
		ID, SDK, Stage     string
		Private            bool
		Requested, Current any
		Variables, Secrets string
		BuildLog           bool // not empty
	}
	read := func(id, token string) space {
		t.Helper()
		info := h.do("GET", "/api/spaces/"+id, token, nil)
		mustStatus(t, info, 200)
		v := info.json(t)
		s := space{
			ID: id, SDK: field(v, "sdk").(string), Stage: field(v, "runtime", "stage").(string),
			Private:   field(v, "private").(bool),
			Requested: field(v, "runtime", "hardware", "requested"), Current: field(v, "runtime", "hardware", "current"),
			Variables: strings.Join(sortedKeys(h.do("GET", "/api/spaces/"+id+"/variables", token, nil).json(t).(map[string]any)), ","),
			Secrets:   strings.Join(sortedKeys(h.do("GET", "/api/spaces/"+id+"/secrets", token, nil).json(t).(map[string]any)), ","),
			BuildLog:  len(h.do("GET", "/api/spaces/"+id+"/logs/build", token, nil).body) > 0,
		}
		return s
	}
	got := []space{
		read("demo/gradio-app", DemoWriteToken),
		read("demo/static-site", DemoWriteToken),
		read("demo/gpu-app", DemoWriteToken),
		read("demo/broken-build", DemoWriteToken),
		read("demo-org/team-space", DemoWriteToken),
		read("other/private-space", OtherWriteToken),
	}
	want := []space{
		{"demo/gradio-app", "gradio", StageRunning, false, "cpu-basic", "cpu-basic", "GREETING,MODEL_ID", "HF_API_KEY", true},
		{"demo/static-site", "static", StageRunning, false, nil, nil, "", "", false},
		{"demo/gpu-app", "gradio", StageRunning, true, "t4-small", "t4-small", "", "", true},
		{"demo/broken-build", "gradio", StageBuildError, false, "cpu-basic", nil, "", "", true},
		{"demo-org/team-space", "streamlit", StageRunning, false, "cpu-basic", "cpu-basic", "", "", true},
		{"other/private-space", "gradio", StageRunning, true, "cpu-basic", "cpu-basic", "", "", true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Spaces (-want +got):\n%s", diff)
	}
	if got := h.do("GET", "/api/spaces/demo/gpu-app/runtime", DemoWriteToken, nil).json(t); field(got, "gcTimeout") != nil {
		t.Errorf("gpu-app sleeps: gcTimeout %v", field(got, "gcTimeout"))
	}
	// gradio-app has run logs (its run log stays open: read it with a
	// stream that is cut after the first event).
	if err := h.e.SetFaults([]Fault{{Route: "logs", CutAfterEvents: 1}}); err != nil {
		t.Fatal(err)
	}
	resp, err := h.client.Get(h.base + "/api/spaces/demo/gradio-app/logs/run")
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 64)
	n, _ := resp.Body.Read(first)
	resp.Body.Close()
	if !strings.HasPrefix(string(first[:n]), "data: {") {
		t.Errorf("gradio-app run log starts with %q", first[:n])
	}
	// Private Spaces are invisible to who may not see them.
	mustStatus(t, h.do("GET", "/api/spaces/other/private-space", DemoWriteToken, nil), 404)
	mustStatus(t, h.do("GET", "/api/spaces/demo/gpu-app", OtherWriteToken, nil), 404)
	// The list holds exactly the six Spaces.
	ids := map[string]bool{}
	for _, tok := range []string{DemoWriteToken, OtherWriteToken} {
		for _, s := range h.do("GET", "/api/spaces", tok, nil).json(t).([]any) {
			ids[field(s, "id").(string)] = true
		}
	}
	var wantIDs []string
	for _, s := range want {
		wantIDs = append(wantIDs, s.ID)
	}
	sort.Strings(wantIDs)
	if diff := cmp.Diff(wantIDs, sortedKeys(ids)); diff != "" {
		t.Errorf("Spaces listed to demo and other (-want +got):\n%s", diff)
	}
}
