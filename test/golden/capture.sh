#!/usr/bin/env bash
# Captures the outputs of the CLI on every bundled scenario and topology into a folder, so a
# refactor can be checked to leave them byte-identical:
#   bash test/golden/capture.sh /tmp/before   # on the old tree
#   bash test/golden/capture.sh /tmp/after    # on the new tree
#   diff -r /tmp/before /tmp/after
# Wall-clock figures are stripped (the only non-deterministic part of the output).
set -uo pipefail
out=${1:?usage: capture.sh OUTDIR}
cd "$(dirname "$0")/../.."
mkdir -p "$out"
out=$(cd "$out" && pwd)
p() { node bin/podsim.js "$@"; }
cat > "$out/flows.json" <<'J'
[{"id":"f1","src":"d0","dst":"h0.gpu0","bytes":1e9,"startNs":0},{"id":"f2","src":"d4","dst":"h0.gpu0","bytes":5e8,"startNs":1000},{"id":"f3","src":"d0","dst":"h0.gpu1","bytes":2e9,"startNs":0}]
J
strip() { sed -E "s#$out#OUT#g" | sed -E 's/[0-9.]+ (s|ms) wall time/WALL/g; s/"wall[A-Za-z]*": *[0-9.e+-]+/"wall":X/g'; }
run() { local name=$1; shift; p "$@" 2>&1 | strip > "$out/$name.txt"; echo "exit $?" >> "$out/$name.txt"; }
run whatif-json whatif --json
run whatif-text whatif
run whatif-fail whatif --topologies octopus-96 --fail device:d0,device:d1 --json
run whatif-report whatif --topologies switched-96 rdma-96x3 --report "$out/report"
for s in droidspeak-8b droidspeak-70b; do
  for t in octopus-96 switched-96 rdma-96x3 octopus-bibd-25; do
    run "run-$s-$t" run $s --topology $t --json
  done
done
for pol in fabric-aware exact-only full-prefill; do
  run "run-policy-$pol" run droidspeak-8b --topology octopus-96 --policy $pol --json
done
run run-records run droidspeak-8b --topology rdma-96x3 --records "$out/records.csv"
run run-records-jsonl run droidspeak-8b --topology octopus-bibd-25 --seed 7 --records "$out/records.jsonl"
for t in octopus-96 switched-96 rdma-96x3 prototype-3 hybrid-4x13 octopus-bibd-25 rdma-32x1; do
  run "inspect-$t" topology inspect $t --json
  run "rpc-$t" rpc $t --json
done
run compare topology compare prototype-3 prototype-3-switched prototype-3-rdma
run rpc-pair rpc prototype-3 --from h0 --to h1 --json
run rpc-fail rpc octopus-96 --from h0 --to h95 --fail device:d0,link:h0--d16 --json
run fetch1 fetch octopus-96 --host h0 --size 1.43GB --json
run fetch2 fetch rdma-96x3 --host h0 --size 1.43GB --placement host:h40:gpu --json
run flows flows octopus-96 --flows "$out/flows.json" --json
run calibrate calibrate --json
run explain explain droidspeak-8b --topology octopus-96 --request '{"variant": "evolcode", "tokens": 10933, "host": "h0"}' --json
for g in "octopus-bibd --host-ports 4 --device-ports 4" "octopus-islands --hosts 96 --host-ports 8 --device-ports 4" "octopus-sparse --hosts 100 --host-ports 8 --device-ports 4 --seed 7" "hybrid --pods 4 --pod-generator octopus-bibd --host-ports 4 --device-ports 4"; do
  run "gen-${g%% *}" topology generate $g
done
run export-dot topology export octopus-bibd-25 --format dot
run sweep sweep --topology octopus-96 --grid hostPorts=4,8 rate=8,16 -o "$out/sweep.jsonl"
run merge merge "$out/sweep.jsonl" --json
run capacity capacity droidspeak-8b --json
echo "captured into $out"
