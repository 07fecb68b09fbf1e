package emulator

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The official Python client (huggingface_hub, from ../shared/peers) runs
// against the emulator when HFHUB_PY_CLIENT_PATH names its PYTHONPATH, as
// .ci/run sets it:
//
//	export HFHUB_PY_CLIENT_PATH=$(../shared/peers/setup-python-client.sh)
//	go test -run OfficialPythonClient ./emulator
//
// Each check is a Python script in testdata/ that raises (exit non-zero)
// when the client sees something it would not see against the Hub.

// runPythonClient serves an emulator configured by cfg and runs the Python
// script at path with HF_ENDPOINT pointing at it and HF_TOKEN set to the demo
// write token. It returns the script's combined output; the test fails if the
// script fails. It skips the test when HFHUB_PY_CLIENT_PATH is not set.
func runPythonClient(t *testing.T, cfg Config, path string, env ...string) string {
	t.Helper()
	pp := os.Getenv("HFHUB_PY_CLIENT_PATH")
	if pp == "" {
		t.Skip("HFHUB_PY_CLIENT_PATH is not set (see pyclient_test.go)")
	}
	script, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewTestServer(t, cfg)
	ctx := t.Context()
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", script)
	cmd.Dir = t.TempDir()
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = append(os.Environ(),
		"PYTHONPATH="+pp,
		"PEER_HTTPX_COMPAT=1",
		"HF_HUB_DISABLE_TELEMETRY=1",
		"HF_HUB_DISABLE_PROGRESS_BARS=1",
		"HF_HOME="+t.TempDir(),
		"HF_ENDPOINT="+srv.URL,
		"HF_TOKEN="+DemoWriteToken,
	)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the Python client failed (%s): %v\n%s", path, err, out)
	}
	return string(out)
}

// TestOfficialPythonClient runs testdata/pyclient_spaces.py: the Spaces
// runtime API as the official client uses it.
func TestOfficialPythonClient(t *testing.T) {
	t.Parallel()
	out := runPythonClient(t, Config{Seed: DemoSeed, ListPageSize: 2}, "testdata/pyclient_spaces.py")
	t.Logf("%s", out)
}

// TestOfficialPythonClientRepos runs testdata/pyclient_repos.py: a Space's
// repository (create, upload_folder through LFS, list, download, pull
// requests, settings, delete) as the official client uses it. Without
// hf_xet, or with HF_HUB_DISABLE_XET, the client uploads through LFS.
func TestOfficialPythonClientRepos(t *testing.T) {
	t.Parallel()
	out := runPythonClient(t, Config{Seed: DemoSeed}, "testdata/pyclient_repos.py", "HF_HUB_DISABLE_XET=1")
	t.Logf("%s", out)
}
