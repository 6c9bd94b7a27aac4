// The training half of scripts/gpu-smoke.sh (needs `npx tsc -p tsconfig.json` first): one SMORE
// and one GUME epoch on synthetic Baby on cuda against the CPU, per-step time and round trips,
// memory flat over 50 steps and back near 0 after emptyCache(), and a bad gather index that must
// raise an MmgError after which the next op still works. Exits 0 when every check holds.
'use strict';
const path = require('path');
const lib = path.join(__dirname, '..', 'dist', 'lib');
const { train } = require(path.join(lib, 'train', 'trainer'));
const { syntheticDataset } = require(path.join(lib, 'data', 'synthetic'));
const { backends, deviceCounters, memoryStats, emptyCache, synchronize } = require(path.join(lib, 'backends'));
const { tensor } = require(path.join(lib, 'tensor'));
const { gatherRows } = require(path.join(lib, 'ops', 'gather_rows'));
require(path.join(lib, 'models'));

const cuda = backends().find((b) => b.name === 'cuda');
if (!cuda || !cuda.available) {
  console.log(`gpu-smoke: skipped: no usable CUDA backend (${cuda ? `${cuda.code}: ${cuda.reason}` : 'not listed'})`);
  process.exit(0);
}
let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed++;
};

const ds = syntheticDataset('baby');
for (const model of ['smore', 'gume']) {
  const opts = { epochs: 1, batchSize: 2048, topk: [10, 20], seed: 3 };
  const cpu = train(ds, model, {}, { ...opts, device: 'cpu' });
  const steps = [];
  let last = Date.now();
  const mem = [];
  const gpu = train(ds, model, {}, {
    ...opts, device: 'cuda',
    onProgress: (p) => {
      synchronize();
      const now = Date.now();
      steps.push({ ms: now - last, ...deviceCounters(true) });
      last = now;
      if (p.step <= 50) mem.push(memoryStats().cudaInUse);
    },
  });
  const s = steps.slice(1);
  const ms = s.reduce((a, x) => a + x.ms, 0) / Math.max(1, s.length);
  const syncs = Math.max(...s.map((x) => x.syncs));
  console.log(`${model}: ${s.length} steps, ${ms.toFixed(1)} ms/step on cuda (cpu epoch ${cpu.history[0].trainSec}s), ` +
    `${syncs} host-visible syncs/step (copies and explicit syncs; in-op waits are counted on cuda-emu)`);
  console.log(`${model}: evaluation (valid split, ranked on the training device): cpu ${cpu.history[0].evalSec}s, cuda ${gpu.history[0].evalSec}s`);
  const vc = cpu.history[0].valid, vg = gpu.history[0].valid;
  if (vc && vg) {
    const key = Object.keys(vc.unrounded).find((k) => k.startsWith('recall@')) || Object.keys(vc.unrounded)[0];
    check(Math.abs(vc.unrounded[key] - vg.unrounded[key]) <= 1e-3, `${model}: valid ${key} cpu ${vc.unrounded[key]} vs cuda ${vg.unrounded[key]}`);
  }
  const lc = cpu.history[0].loss.total, lg = gpu.history[0].loss.total;
  check(Math.abs(lc - lg) <= 1e-3 * Math.max(1, Math.abs(lc)), `${model}: epoch loss cpu ${lc} vs cuda ${lg}`);
  const m10 = mem[Math.min(10, mem.length - 1)], mEnd = mem[mem.length - 1];
  check(mEnd <= m10 * 1.05 + (1 << 20), `${model}: device memory flat over ${mem.length} steps (${m10} -> ${mEnd} bytes)`);
  cpu.model.dispose();
  gpu.model.dispose();
  emptyCache();
  const after = memoryStats();
  check(after.cudaInUse + after.cudaCached < (64 << 20), `${model}: after emptyCache ${after.cudaInUse} in use, ${after.cudaCached} cached`);
}

const x = tensor([1, 2, 3, 4], [2, 2], { device: 'cuda' });
const bad = tensor(Int32Array.from([0, 7]), [2], { dtype: 'int32', device: 'cuda' });
let err = null;
try {
  gatherRows(x, bad).dispose();
} catch (e) {
  err = e;
}
check(err !== null && err.code === 'MMG_E_DATA', `bad gather index raises MMG_E_DATA (${err ? err.message : 'no error'})`);
const good = gatherRows(x, tensor(Int32Array.from([1]), [1], { dtype: 'int32', device: 'cuda' }));
check(JSON.stringify(good.toArray()) === '[3,4]', 'the next op still works');
process.exit(failed ? 1 : 0);
