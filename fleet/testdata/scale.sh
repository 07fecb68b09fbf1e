#!/usr/bin/env bash
# Scale benchmark of hfspaces plan/apply (issue 11): N Spaces (default 1,000)
# against `hfspaces emulator --rate-limit 500/60`. Each Space is created by
# the first apply with a hardware flavor, a variable and a secret.
#
#   fleet/testdata/scale.sh            # from the repository root
#   N=100 LIMIT=100/10 fleet/testdata/scale.sh
#
# Prints, per step, the exit code, wall and CPU time, peak RSS, the writes
# the emulator received (POST, PUT, DELETE but preupload, which changes
# nothing), how many 429 answers it gave (each one waited out by the
# client), and the plan's summary. Needs GNU time (/usr/bin/time).
set -uo pipefail
N=${N:-1000}
LIMIT=${LIMIT:-500/60}
PORT=${PORT:-18411}
work=$(mktemp -d)
go build -o "$work/hfspaces" ./cmd/hfspaces || exit 1
"$work/hfspaces" emulator --addr 127.0.0.1:$PORT --data "$work/hub.db" --rate-limit "$LIMIT" \
	--build-seconds 0 --start-seconds 0 --verbose >"$work/emulator.log" 2>&1 &
emu=$!
trap 'kill $emu 2>/dev/null; wait $emu 2>/dev/null; rm -rf "$work"' EXIT
sleep 1

{
	echo "version: 1"
	echo "defaults:"
	echo "  sdk: gradio"
	echo "  hardware: cpu-upgrade"
	echo "  sleep_time: 1h"
	echo "spaces:"
	for i in $(seq -w 0 $((N - 1))); do
		printf '  demo/fleet-%s:\n    variables:\n      INDEX: "%s"\n    secrets:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n' "$i" "$i"
	done
} >"$work/spaces.yaml"

export HF_ENDPOINT=http://127.0.0.1:$PORT HF_TOKEN=hf_demo_write OPENAI_API_KEY=sk-bench-not-a-real-key
writes() { grep -E 'method=(POST|PUT|DELETE|PATCH)' "$work/emulator.log" | grep -v 'status=429' | grep -vc '/preupload/'; }
step() {
	local before after wbefore wafter
	before=$(grep -c 'status=429' "$work/emulator.log")
	wbefore=$(writes)
	/usr/bin/time -f "%e %M %U" -o "$work/time.txt" "$work/hfspaces" "$@" >"$work/out.txt" 2>"$work/err.txt"
	local code=$?
	after=$(grep -c 'status=429' "$work/emulator.log")
	wafter=$(writes)
	read -r secs kib cpu < <(tail -n 1 "$work/time.txt")
	printf '%-28s exit %d  %6.1f s (CPU %5.1f s)  peak RSS %5.1f MiB  writes %5d  429s waited out %3d\n' \
		"hfspaces $1 $(echo "${@:4}")" "$code" "$secs" "$cpu" "$(echo "$kib/1024" | bc -l)" $((wafter - wbefore)) $((after - before))
	grep -E '^(Plan:|Cost per|Nothing)|Applied:' "$work/out.txt" | sed 's/^/    /'
	echo "    failed Spaces: $(grep -cE '^X ' "$work/err.txt")"
}
f="$work/spaces.yaml"
step plan -f "$f"
step apply -f "$f" --yes
step plan -f "$f"
step apply -f "$f" --yes
