#!/usr/bin/env bash
# Spaces.Upload against the Python client's upload_folder, each run on a fresh emulator (its LFS
# store is content-addressed: a second upload of the same objects would send nothing).
#   testdata/uploadbench/bench.sh DIR RUNS
# Prints one line per run and client; see docs/PERFORMANCE.md.
set -eu
dir=$1; runs=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
go build -o "$work/hfspaces" "$root/cmd/hfspaces"
go build -o "$work/uploadbench" "$root/testdata/uploadbench"
pp=$(/work/shared/peers/setup-python-client.sh)
port=18191
start_emu() {
  rm -f "$work/hub.db"; rm -rf "$work/hub.db"*
  "$work/hfspaces" emulator --addr 127.0.0.1:$port --data "$work/hub.db" --build-seconds 0 --start-seconds 0 >"$work/emu.log" 2>&1 &
  emu=$!
  for _ in $(seq 50); do grep -q HF_ENDPOINT "$work/emu.log" 2>/dev/null && break; sleep 0.1; done
}
stop_emu() { kill "$emu"; wait "$emu" 2>/dev/null || true; }
for i in $(seq "$runs"); do
  echo "run $i, load $(cut -d' ' -f1-3 /proc/loadavg)"
  start_emu
  t="  process: wall %es, cpu user %Us sys %Ss, max RSS %M kB"
  /usr/bin/time -f "$t" "$work/uploadbench" -endpoint http://127.0.0.1:$port -space demo/bench-go -dir "$dir"
  /usr/bin/time -f "$t" "$work/uploadbench" -endpoint http://127.0.0.1:$port -space demo/bench-go -dir "$dir" 2>&1 | sed 's/^go upload/go re-upload (unchanged)/'
  stop_emu
  start_emu
  PYTHONPATH=$pp PEER_HTTPX_COMPAT=1 HF_HUB_DISABLE_TELEMETRY=1 HF_HOME="$work/hfhome" HF_HUB_DISABLE_XET=1 \
    /usr/bin/time -o "$work/py.time" -f "$t" /usr/bin/python3 "$root/testdata/uploadbench/upload_folder.py" http://127.0.0.1:$port hf_demo_write demo/bench-py "$dir" 2>/dev/null
  cat "$work/py.time"
  stop_emu
  "$work/uploadbench" -limit -dir "$dir"
done
rm -rf "$work"
