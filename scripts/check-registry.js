#!/usr/bin/env node
// Fails (exit 1, naming what is missing) when a CPU kernel lacks its CUDA twin or its test.
// For every kernel the addon registers on the CPU (addon.kernelNames(0)), with stem = the
// native/ops/<stem>.cc file that registers it (else the name without "_backward"):
//   - cuda/ops/<stem>.cu registers it for MMG_CUDA          (unless listed in cuda/HOST_ONLY.md)
//   - it is registered on cuda-emu (addon.kernelNames(2))    (unless listed in cuda/HOST_ONLY.md)
//   - test/ops/<stem>.test.ts exists, or a test elsewhere under test/ declares "@covers <stem>"
// When build-cuda/ holds a built library newer than every .cu file, the ops it really registers
// (build-cuda/mmgraph_cuda_ops) are checked too. MMGRAPH_ADDON picks the addon, as in lib/.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const rel = (...p) => path.join(root, ...p);

function loadAddon() {
  if (process.env.MMGRAPH_ADDON) return require(path.resolve(process.env.MMGRAPH_ADDON));
  return require('node-gyp-build')(root);
}

// kernel name -> stem, from the MMG_REGISTER_KERNEL lines of native/ops/*.cc
function cpuStems() {
  const map = new Map();
  const dir = rel('native', 'ops');
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!f.endsWith('.cc')) continue;
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/MMG_REGISTER_KERNEL\(\s*"([^"]+)"\s*,\s*MMG_CPU/g)) map.set(m[1], f.slice(0, -3));
  }
  return map;
}

// cuda/HOST_ONLY.md: "- `kernel` — reason" lines under "## Host only" (exempt) and under
// "## Not ported yet" (reported on every run as PENDING, not failures, so CI stays usable while
// the CUDA port catches up; each line there is a debt, not a decision).
function allowlists() {
  const p = rel('cuda', 'HOST_ONLY.md');
  const out = { host: new Map(), pending: new Map() };
  if (!fs.existsSync(p)) return out;
  let section = null;
  for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
    if (/^##\s+Host only/i.test(line)) section = out.host;
    else if (/^##\s+Not ported yet/i.test(line)) section = out.pending;
    else if (/^#/.test(line)) section = null;
    const m = line.match(/^\s*[-*]\s+`([a-z0-9_]+)`\s*[—–:-]+\s*(.+)$/);
    if (m && section) section.set(m[1], m[2].trim());
  }
  return out;
}

function cudaRegistrations(stem) {
  const p = rel('cuda', 'ops', `${stem}.cu`);
  if (!fs.existsSync(p)) return null;
  const src = fs.readFileSync(p, 'utf8');
  return new Set([...src.matchAll(/MMG_CUDA_OP\(\s*"([^"]+)"/g)].map((m) => m[1]));
}

// The ops the built CUDA library registers, or null when there is no up-to-date build.
function builtCudaOps() {
  const lib = rel('build-cuda', 'libmmgraph_cuda.so');
  const tool = rel('build-cuda', 'mmgraph_cuda_ops');
  if (!fs.existsSync(lib) || !fs.existsSync(tool)) return { ops: null, why: 'not built' };
  const libTime = fs.statSync(lib).mtimeMs;
  // The .cu files and everything they include from native/ (the per-op headers and core/hd/).
  const cuFiles = [rel('cuda'), rel('cuda', 'ops'), rel('native', 'ops'), rel('native', 'core', 'hd')].flatMap((d) =>
    fs.readdirSync(d).filter((f) => /\.(cu|cuh|h)$/.test(f)).map((f) => path.join(d, f)),
  );
  const stale = cuFiles.filter((f) => fs.statSync(f).mtimeMs > libTime);
  if (stale.length) return { ops: null, why: `stale (${path.relative(root, stale[0])} is newer; run npm run build:cuda)` };
  const r = spawnSync(tool, [lib], { encoding: 'utf8' });
  if (r.status !== 0) return { ops: null, why: `could not list its ops: ${(r.stderr || '').trim()}` };
  return { ops: new Set(r.stdout.split('\n').filter(Boolean)), why: '' };
}

const addon = loadAddon();
const cpu = addon.kernelNames(0);
const emu = new Set(addon.kernelNames(2));
const stems = cpuStems();
const { host: allow, pending } = allowlists();
const built = builtCudaOps();
// Ops tested where their subject lives (test/graph, test/sparse...) declare it: "@covers knn_graph".
const coveredElsewhere = new Set();
(function scan(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) scan(p);
    else if (e.name.endsWith('.test.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/@covers\s+([a-z0-9_ ,]+)/g)) m[1].split(/[ ,]+/).filter(Boolean).forEach((x) => coveredElsewhere.add(x));
  }
})(rel('test'));
const problems = [];

for (const k of cpu) {
  const stem = stems.get(k) ?? k.replace(/_backward$/, '');
  if (!fs.existsSync(rel('test', 'ops', `${stem}.test.ts`)) && !coveredElsewhere.has(stem))
    problems.push(`${k}: no test/ops/${stem}.test.ts (or a test file under test/ saying "@covers ${stem}")`);
  if (allow.has(k)) continue;
  const regs = cudaRegistrations(stem);
  if (pending.has(k)) {
    if (regs && regs.has(k) && emu.has(k)) problems.push(`${k}: ported now: remove it from "Not ported yet" in cuda/HOST_ONLY.md`);
    continue;
  }
  if (!regs) problems.push(`${k}: no cuda/ops/${stem}.cu (or list it in cuda/HOST_ONLY.md with a reason)`);
  else if (!regs.has(k)) problems.push(`${k}: cuda/ops/${stem}.cu does not register it (MMG_CUDA_OP("${k}", ...))`);
  if (!emu.has(k)) problems.push(`${k}: not registered on cuda-emu (native/emu/${stem}.cc)`);
  if (built.ops && !built.ops.has(k)) problems.push(`${k}: build-cuda/libmmgraph_cuda.so does not register it`);
}
for (const k of [...allow.keys(), ...pending.keys()])
  if (!cpu.includes(k)) problems.push(`cuda/HOST_ONLY.md lists ${k}, which is not a CPU kernel`);

const covered = cpu.filter((k) => !allow.has(k) && !pending.has(k)).length;
console.log(
  `check-registry: ${cpu.length} CPU kernels: ${covered} with CUDA + cuda-emu twins, ${allow.size} host-only, ` +
    `${pending.size} not ported yet; built CUDA library: ${built.ops ? `${built.ops.size} ops` : built.why}`,
);
if (pending.size) console.log(`check-registry: PENDING CUDA ports (cuda/HOST_ONLY.md): ${[...pending.keys()].join(', ')}`);
if (problems.length) {
  console.error(`check-registry: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
