#!/bin/bash
# A podsim sweep as a Slurm job array, then its merge (docs/sweeps.md "Slurm job array").
#
#   bash docs/cluster/slurm-sweep.sh          # from the repository root: submits both jobs
#
# Run outside a job, the script makes the log and output folders (Slurm opens --output before
# the job starts, so logs/ must exist at submission), submits itself as an array of
# PODSIM_SHARDS tasks and a merge job that waits for all of them (afterok). Inside a task it runs
# its shard. Sizing: the default grid has 2 × 2 × 4 = 16 points; 4 tasks get 4 points each, so
# each task asks for 4 CPUs (one sweep worker per point) — asking for more would leave CPUs idle.
#
# Override with environment variables (the test runs two tasks locally this way):
#   PODSIM_SCENARIO, PODSIM_TOPOLOGY, PODSIM_GRID (space-separated key=v1,v2 axes),
#   PODSIM_SHARDS (tasks), PODSIM_OUT (output folder), PODSIM (the podsim command).
#SBATCH --job-name=podsim-sweep
#SBATCH --array=1-4
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
#SBATCH --output=logs/sweep-%A_%a.log
set -euo pipefail

SCENARIO="${PODSIM_SCENARIO:-droidspeak-8b}"
TOPOLOGY="${PODSIM_TOPOLOGY:-topologies/octopus-96.yaml}"
GRID="${PODSIM_GRID:-hosts=48,96 hostPorts=4,8 rate=8,16,24,32}"
SHARDS="${PODSIM_SHARDS:-4}"
OUT="${PODSIM_OUT:-out}"
PODSIM="${PODSIM:-node bin/podsim.js}"

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  # Submission: folders first, then the array and the merge that waits for it.
  mkdir -p logs "$OUT"
  array=$(sbatch --parsable --array="1-${SHARDS}" "$0")
  sbatch --dependency="afterok:${array}" --job-name=podsim-merge \
    --output=logs/merge-%j.log \
    --wrap "${PODSIM} merge ${OUT}/shard-*.jsonl --csv > ${OUT}/sweep.csv"
  echo "submitted array ${array} (${SHARDS} tasks) and its merge into ${OUT}/sweep.csv"
  exit 0
fi

cd "${SLURM_SUBMIT_DIR:-.}"
mkdir -p "$OUT"
# shellcheck disable=SC2086 # GRID is a list of axes, split on purpose
${PODSIM} sweep "$SCENARIO" --topology "$TOPOLOGY" --grid $GRID \
  --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" -o "${OUT}/shard-${SLURM_ARRAY_TASK_ID}.jsonl"
