#!/usr/bin/env bash
# Measures `hfspaces deploy` (go) or the official Python client's upload_folder (py) on a folder
# of 2,000 × 10 kB text files + five 40 MB random binaries (224 MB), each against a fresh
# emulator with a data file, then again on the unchanged folder. See docs/PERFORMANCE.md.
#   go build -o /tmp/hfspaces ./cmd/hfspaces && docs/bench-deploy.sh go && docs/bench-deploy.sh py
set -euo pipefail
which=${1:?usage: bench-deploy.sh go|py}
work=${BENCH_DIR:-/tmp/hfspaces-bench}
bin=${HFSPACES:-/tmp/hfspaces}
mkdir -p "$work"
cd "$work"
if [ ! -d site ]; then
  python3 - <<'PY'
import os
os.makedirs("site", exist_ok=True)
os.chdir("site")
open("README.md", "w").write("---\nsdk: static\n---\n")
open("index.html", "w").write("<p>hi</p>\n")
for i in range(2000):
    d = f"small/d{i % 20}"
    os.makedirs(d, exist_ok=True)
    open(f"{d}/f{i}.txt", "w").write((f"line {i} " * 1250)[:10000])
for i in range(5):
    open(f"big{i}.bin", "wb").write(os.urandom(40 << 20))
PY
fi
cat > up.py <<'PY'
import sys, time, filelock
from huggingface_hub import HfApi
from huggingface_hub.utils import _fixes
_fixes.FileLock = lambda path, mode=None, **kw: filelock.FileLock(path, **kw)  # Debian's filelock
api = HfApi()
api.create_repo(sys.argv[2], repo_type="space", space_sdk="static", exist_ok=True)
t = time.time()
api.upload_folder(folder_path=sys.argv[1], repo_id=sys.argv[2], repo_type="space")
print(f"upload_folder alone: {time.time() - t:.2f} s")
PY
rm -rf "data-$which" && mkdir "data-$which"
"$bin" emulator --data "$work/data-$which/hub.db" --seed demo --build-seconds 0 --start-seconds 0 >"emu-$which.out" 2>&1 &
emu=$!
trap 'kill $emu' EXIT
for _ in $(seq 50); do grep -q HF_ENDPOINT "emu-$which.out" 2>/dev/null && break; sleep 0.1; done
export HF_ENDPOINT=$(head -1 "emu-$which.out" | sed 's/HF_ENDPOINT=//') HF_TOKEN=hf_demo_write
if [ "$which" = go ]; then
  /usr/bin/time -f "hfspaces deploy, new Space: %e s wall, %M KB peak RSS, %U s user" "$bin" deploy demo/perf site --no-wait >/dev/null 2>go.err; tail -1 go.err
  /usr/bin/time -f "hfspaces deploy, unchanged: %e s wall, %M KB peak RSS" "$bin" deploy demo/perf site --no-wait >/dev/null 2>go.err; tail -1 go.err
else
  peers=$(cd "$(dirname "$0")/../../shared/peers" 2>/dev/null && pwd || echo /work/shared/peers)
  export PYTHONPATH=$("$peers/setup-python-client.sh") HF_HUB_DISABLE_XET=1 HF_HUB_DISABLE_TELEMETRY=1 \
    HF_HUB_DISABLE_PROGRESS_BARS=1 PEER_HTTPX_COMPAT=1 HF_HOME="$work/hfhome"
  /usr/bin/time -f "python, new Space: %e s wall (whole process), %M KB peak RSS, %U s user" /usr/bin/python3 up.py site demo/perf 2>&1 | tail -2
  /usr/bin/time -f "python, unchanged: %e s wall (whole process)" /usr/bin/python3 up.py site demo/perf 2>&1 | tail -2
fi
