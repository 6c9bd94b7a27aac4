#!/usr/bin/env bash
# The first thing to run on a machine with a GPU (issue 11), in under 10 minutes: driver and device
# report, backends(), the GPU parity suite, compute-sanitizer over the hand-written kernels' small
# parity cases, and one SMORE and one GUME epoch on synthetic Baby against the CPU
# (scripts/gpu-smoke.js). Without a usable GPU it prints why and exits 0.
# Usage: scripts/gpu-smoke.sh   (after npm run build:cuda; MMGRAPH_CUDA_LIB may point elsewhere)
# GPU_SMOKE_KEEP_GOING=1 runs every step even after one fails (the exit status still says so);
# GPU_SMOKE_SANITIZER_S (default 120) bounds each compute-sanitizer tool's run, and
# GPU_SMOKE_SANITIZERS (default "memcheck racecheck synccheck") chooses the tools.
# Tools run through node from node_modules/.bin, so a machine with node but no npm works too.
set -uo pipefail
cd "$(dirname "$0")/.."
keep_going=${GPU_SMOKE_KEEP_GOING:-0}
failures=0
step_failed() {
  echo "gpu-smoke: FAILED: $1"
  failures=$((failures + 1))
  [ "$keep_going" = 1 ] || exit 1
}
bin() { node "node_modules/.bin/$1" "${@:2}"; }

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-smoke: skipped: nvidia-smi not found (no NVIDIA driver on this machine)"
  exit 0
fi
if ! nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu-smoke: skipped: nvidia-smi sees no usable GPU"
  exit 0
fi
echo "== driver and devices"
nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap --format=csv

if [ -f node_modules/typescript/bin/tsc ]; then bin tsc -p tsconfig.json || step_failed "tsc"; fi
echo "== backends()"
reason=$(node -e "
const { backends } = require('./dist/lib/backends');
const b = backends();
console.error(JSON.stringify(b, null, 1));
const c = b.find((x) => x.name === 'cuda');
process.stdout.write(c && c.available ? '' : (c ? c.code + ': ' + c.reason : 'cuda not listed'));
")
if [ -n "$reason" ]; then
  echo "gpu-smoke: skipped: the CUDA backend cannot run here ($reason)"
  exit 0
fi

echo "== GPU parity suite"
timeout 240 node node_modules/.bin/jest --selectProjects gpu || step_failed "GPU parity suite"

echo "== compute-sanitizer over the parity cases (racecheck, synccheck, memcheck)"
if command -v compute-sanitizer >/dev/null 2>&1; then
  for tool in ${GPU_SMOKE_SANITIZERS:-memcheck racecheck synccheck}; do
    timeout "${GPU_SMOKE_SANITIZER_S:-120}" compute-sanitizer --tool "$tool" --error-exitcode 1 --target-processes all \
      node node_modules/.bin/jest --selectProjects gpu --testPathPattern test/gpu/parity -t 'float32\] on cuda matches cpu' ||
      step_failed "compute-sanitizer $tool"
  done
else
  echo "compute-sanitizer not found (it ships with the CUDA toolkit): sanitizer pass skipped"
fi

echo "== SMORE and GUME epochs on synthetic Baby, cuda vs cpu"
MMGRAPH_CUDA_SYNC=0 timeout 300 node scripts/gpu-smoke.js || step_failed "training epochs"
if [ "$failures" -gt 0 ]; then
  echo "gpu-smoke: $failures step(s) failed"
  exit 1
fi
echo "gpu-smoke: all checks passed"
