package emulator

import (
	"os"
	"os/exec"
	"testing"
)

// TestOfficialJavaScriptClient runs the official JavaScript client against
// the emulator. It needs node and a folder where @huggingface/hub is
// installed, named by HFHUB_JS_CLIENT_DIR:
//
//	mkdir /tmp/js && cd /tmp/js && npm install @huggingface/hub@2.17.5
//	HFHUB_JS_CLIENT_DIR=/tmp/js go test -run OfficialJavaScript ./emulator
func TestOfficialJavaScriptClient(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("HFHUB_JS_CLIENT_DIR")
	if dir == "" {
		t.Skip("HFHUB_JS_CLIENT_DIR is not set")
	}
	// jsclient.mjs: the Spaces API; jsclient_repos.mjs: repositories.
	for _, name := range []string{"jsclient.mjs", "jsclient_repos.mjs"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			script, err := os.ReadFile("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			srv := NewTestServer(t, Config{Seed: DemoSeed})
			cmd := exec.CommandContext(t.Context(), "node", "--input-type=module", "-e", string(script))
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "HF_ENDPOINT="+srv.URL)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the JavaScript client failed: %v\n%s", err, out)
			}
		})
	}
}
