package deploy

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hfhub-go/hfhub/emulator"
	"github.com/hfhub-go/hfhub/internal/cli/clitest"
	"github.com/hfhub-go/hfhub/internal/cli/files"
)

// crossClientScript downloads every file `hfspaces deploy` sent and
// compares it with the local folder, then uploads a folder of its own.
const crossClientScript = `
import os, pathlib
import filelock
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.utils import _fixes
# Debian's filelock is older than the client's and has no mode (as in
# emulator/testdata/pyclient_repos.py).
_fixes.FileLock = lambda path, mode=None, **kw: filelock.FileLock(path, **kw)
api = HfApi()
repo, local = os.environ["SPACE"], pathlib.Path(os.environ["LOCAL_DIR"])
# .gitignore says *.log and __pycache__/
want = sorted(str(p.relative_to(local)) for p in local.rglob("*") if p.is_file() and not p.name.endswith(".log") and "__pycache__" not in p.parts)
remote = set(api.list_repo_files(repo, repo_type="space"))
missing = set(want) - remote
assert not missing, f"deployed files missing for the Python client: {missing}"
for name in want:
    got = pathlib.Path(hf_hub_download(repo, name, repo_type="space")).read_bytes()
    assert got == (local / name).read_bytes(), f"{name}: the Python client downloads other bytes"
assert "debug.log" not in remote and not any("__pycache__" in f for f in remote), "an ignored file was deployed"
api.upload_folder(folder_path=os.environ["PY_DIR"], path_in_repo="py", repo_id=repo, repo_type="space", commit_message="from Python")
print("python client: deploy's", len(want), "files downloaded byte for byte; py/ uploaded")
`

// TestDeployOfficialPythonClient: what `hfspaces deploy` uploads (an LFS
// file among them), the official Python client downloads byte for byte;
// what the Python client uploads, `hfspaces files get` reads byte for
// byte, and a deploy of the unchanged folder then sends nothing.
// HFHUB_PY_CLIENT_PATH as in emulator/pyclient_test.go.
func TestDeployOfficialPythonClient(t *testing.T) {
	pp := os.Getenv("HFHUB_PY_CLIENT_PATH")
	if pp == "" {
		t.Skip("HFHUB_PY_CLIENT_PATH is not set (see emulator/pyclient_test.go)")
	}
	t.Parallel()
	e := clitest.New(t, clitest.Options{Config: &emulator.Config{Seed: emulator.DemoSeed}})
	weights := make([]byte, 3<<20)
	rand.Read(weights)
	dir := writeTree(t, app(map[string]string{"model/weights.bin": string(weights), "static/logo.svg": "<svg/>"}))
	r := deploy(t, e, dir, "demo/xclient", dir, "--no-wait")
	wantCode(t, r, 0)

	pyData := make([]byte, 200<<10)
	rand.Read(pyData)
	pyDir := writeTree(t, map[string]string{"data.bin": string(pyData), "notes.txt": "from python\n"})
	script := filepath.Join(t.TempDir(), "check.py")
	if err := os.WriteFile(script, []byte(crossClientScript), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), "/usr/bin/python3", script)
	cmd.Dir = t.TempDir()
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = append(os.Environ(), "PYTHONPATH="+pp, "PEER_HTTPX_COMPAT=1", "HF_HUB_DISABLE_TELEMETRY=1", "HF_HUB_DISABLE_PROGRESS_BARS=1",
		"HF_HUB_DISABLE_XET=1", "HF_HOME="+t.TempDir(), "HF_ENDPOINT="+e.Server.URL, "HF_TOKEN="+emulator.DemoWriteToken,
		"SPACE=demo/xclient", "LOCAL_DIR="+dir, "PY_DIR="+pyDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the Python client failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)

	for name, want := range map[string][]byte{"py/data.bin": pyData, "py/notes.txt": []byte("from python\n")} {
		r := e.Run(files.NewCmdGet(e.Factory, nil), "get", "demo/xclient", name)
		wantCode(t, r, 0)
		if !bytes.Equal([]byte(r.Out), want) {
			t.Errorf("%s: hfspaces files get reads %d bytes, not the %d the Python client uploaded", name, len(r.Out), len(want))
		}
	}
	r = deploy(t, e, dir, "demo/xclient", dir, "--no-wait", "--json")
	wantCode(t, r, 0)
	clitest.WantJSONFields(t, r.Out, map[string]any{"committed": false})
}
