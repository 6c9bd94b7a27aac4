#!/usr/bin/env node
// `npm run release`: builds what the npm package ships prebuilt and packs mmgraph-<version>.tgz.
//
//   prebuilds/linux-x64/mmgraph.napi.glibc.node   the CPU addon, built with Eigen (its AVX-512, AVX2
//                                                 and baseline copies are all linked in and picked at
//                                                 run time), N-API 8: one file for every Node >= 18
//   prebuilds/linux-x64/libmmgraph_cuda.so        the CUDA backend (sm_80, sm_90 SASS + sm_90 PTX),
//   prebuilds/linux-x64/libmmgraph_cuda.json      and its manifest (CUDA version, needed libraries,
//                                                 minimum driver), found by lib/backends.ts itself
//
// The addon is built (incrementally) in build/ from a fresh configure, so a build/ left configured
// without Eigen is rebuilt with it. The CUDA backend is not built here: it takes the library
// `npm run build:cuda` (or scripts/ci-cuda.sh, in CI) already made, so it is never compiled twice.
// Refuses to pack an addon without Eigen or a CUDA backend missing an architecture.
//
// Options (environment): MMGRAPH_CUDA_LIB (the backend to ship; default build-cuda/),
// MMGRAPH_RELEASE_NO_CUDA=1 (ship the CPU addon only), MMGRAPH_RELEASE_OUT (where the .tgz goes;
// default the package root), JOBS (parallel compiles).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const tuple = `${process.platform}-${process.arch}`;
const prebuilds = path.join(root, 'prebuilds', tuple);
const started = Date.now();

function fail(msg) {
  console.error(`release: ${msg}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

// What the addon reports about itself in a fresh process (MMGRAPH_MAX_SIMD applies at load).
function addonInfo(file, env = {}) {
  const r = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(file)}).buildInfo))`], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) fail(`${file} does not load: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

// ---- the CPU addon, with Eigen ----
const env = { ...process.env };
delete env.MMGRAPH_NO_EIGEN;
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const jobs = process.env.JOBS || String(os.cpus().length);
run(process.execPath, [gyp, 'configure'], { env });
run(process.execPath, [gyp, 'build', '-j', jobs], { env });
const built = path.join(root, 'build', 'Release', 'mmgraph.node');
const info = addonInfo(built);
if (info.gemm !== 'eigen') fail(`the addon was built without Eigen (${JSON.stringify(info)}): install Eigen 3.4 headers (apt-get install libeigen3-dev)`);
if (process.arch === 'x64') {
  // All three Eigen copies must be linked in: look for their (namespaced) symbols before stripping,
  // and, on this CPU, check that the run-time choice follows the cap.
  const nm = spawnSync('nm', ['-C', built], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (nm.status === 0) {
    for (const ns of ['eigen_avx512::gemm', 'eigen_avx2::gemm', 'eigen_base::gemm'])
      if (!nm.stdout.includes(`mmg::${ns}`)) fail(`the addon lacks mmg::${ns} (its SIMD dispatch is incomplete)`);
  } else console.warn('release: nm not found; the Eigen copies were not checked by symbol');
  const levels = ['baseline', 'avx2', 'avx512'];
  const best = levels.indexOf(info.gemmSimd);
  for (const cap of levels.slice(0, best + 1)) {
    const got = addonInfo(built, { MMGRAPH_MAX_SIMD: cap }).gemmSimd;
    if (got !== cap) fail(`MMGRAPH_MAX_SIMD=${cap} runs the ${got} GEMM: the ${cap} copy is missing`);
  }
  console.log(`release: addon dispatch checked (this CPU: ${info.gemmSimd}; ${levels.slice(0, best + 1).join(', ')} selectable)`);
}
fs.rmSync(prebuilds, { recursive: true, force: true });
fs.mkdirSync(prebuilds, { recursive: true });
// The napi tag makes node-gyp-build take it for any Node version (N-API 8 is in every Node >= 18);
// glibc keeps musl systems (Alpine) on the source build instead of a binary that cannot load.
const addonOut = path.join(prebuilds, 'mmgraph.napi.glibc.node');
fs.copyFileSync(built, addonOut);
run('strip', ['--strip-unneeded', addonOut]);
if (addonInfo(addonOut).gemm !== 'eigen') fail('the stripped prebuild does not load as the Eigen build');
// One file for every Node version: apart from the C/C++ runtime (versioned symbols), the addon may
// import only N-API functions, never V8's or Node's own. Also say which glibc/libstdc++ it needs
// (older systems fail to load it, and node-gyp-build's install then builds from source).
const dyn = spawnSync('nm', ['-D', '--undefined-only', addonOut], { encoding: 'utf8' });
if (dyn.status === 0) {
  const foreign = dyn.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([kind, sym]) => kind === 'U' && sym && !sym.includes('@') && !sym.startsWith('napi_'))
    .map(([, sym]) => sym);
  if (foreign.length) fail(`the addon imports non-N-API symbols, so it is tied to one Node version: ${foreign.slice(0, 5).join(', ')}`);
  const newest = (re) => [...dyn.stdout.matchAll(re)].map((m) => m[1]).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop();
  console.log(`release: addon imports only N-API (+ libc/libstdc++); needs glibc >= ${newest(/@GLIBC_([0-9.]+)/g)}, libstdc++ GLIBCXX >= ${newest(/@GLIBCXX_([0-9.]+)/g)}`);
}

// ---- the CUDA backend, as built ----
if (process.env.MMGRAPH_RELEASE_NO_CUDA === '1') {
  console.warn('release: MMGRAPH_RELEASE_NO_CUDA=1: the package ships without the CUDA backend');
} else if (process.platform === 'linux') {
  const lib = path.resolve(process.env.MMGRAPH_CUDA_LIB || path.join(root, 'build-cuda', 'libmmgraph_cuda.so'));
  if (!fs.existsSync(lib)) fail(`${lib} does not exist: build it first with \`npm run build:cuda\` (or set MMGRAPH_RELEASE_NO_CUDA=1)`);
  const manifestFile = lib.replace(/\.so$/, '.json');
  if (!fs.existsSync(manifestFile)) fail(`${manifestFile} is missing: rebuild with \`npm run build:cuda\`, which writes it`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  for (const a of [80, 90]) if (!manifest.archs.includes(a)) fail(`${lib} was built for sm_${manifest.archs.join(', sm_')}, not sm_${a}`);
  // The compile flags prove SASS and PTX for each arch (cuobjdump, when installed, reads the binary).
  const flags = path.join(path.dirname(lib), 'CMakeFiles', 'mmgraph_cuda.dir', 'flags.make');
  const cuobjdump = spawnSync('sh', ['-c', 'command -v cuobjdump || ls /usr/local/cuda/bin/cuobjdump'], { encoding: 'utf8' }).stdout.trim();
  if (cuobjdump) {
    const elf = spawnSync(cuobjdump, ['--list-elf', lib], { encoding: 'utf8' }).stdout;
    const ptx = spawnSync(cuobjdump, ['--list-ptx', lib], { encoding: 'utf8' }).stdout;
    for (const a of [80, 90]) if (!elf.includes(`sm_${a}`)) fail(`${lib} has no sm_${a} code`);
    if (!/sm_90|compute_90/.test(ptx)) fail(`${lib} has no sm_90 PTX for newer GPUs`);
  } else if (fs.existsSync(flags)) {
    const f = fs.readFileSync(flags, 'utf8');
    for (const a of [80, 90]) if (!f.includes(`code=[compute_${a},sm_${a}]`)) fail(`${lib} was not compiled to SASS + PTX for sm_${a}`);
  } else console.warn('release: neither cuobjdump nor the build flags are available: the CUDA architectures were not checked');
  const shipped = path.join(prebuilds, 'libmmgraph_cuda.so');
  fs.copyFileSync(lib, shipped);
  // The build's run path names this machine's library dirs; the shipped copy finds cuBLAS & co.
  // through lib/cuda_runtime.ts (or the system's search), so it carries none. CMake's own ELF
  // editor does it: it exists wherever the library was built, patchelf may not.
  const script = path.join(os.tmpdir(), `mmgraph-rpath-${process.pid}.cmake`);
  fs.writeFileSync(script, `file(RPATH_REMOVE FILE "${shipped}")\n`);
  run('cmake', ['-P', script]);
  fs.rmSync(script);
  run('strip', ['--strip-unneeded', shipped]);
  fs.copyFileSync(manifestFile, path.join(prebuilds, 'libmmgraph_cuda.json'));
  console.log(`release: CUDA backend ${lib} (CUDA ${manifest.cuda}, sm_${manifest.archs.join(', sm_')}; needs ${manifest.needed.join(', ')})`);
}

// ---- pack ----
// `npm pack` runs `prepare` (tsc); a clean dist/lib keeps files of deleted sources out of the package.
fs.rmSync(path.join(root, 'dist', 'lib'), { recursive: true, force: true });
const out = path.resolve(process.env.MMGRAPH_RELEASE_OUT || root);
fs.mkdirSync(out, { recursive: true });
const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (packed.status !== 0) fail('npm pack failed');
const [result] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
const tgz = path.join(out, result.filename);
const files = result.files.map((f) => f.path).sort();

// Nothing a user does not need: no tests, benches, build trees or CI scripts.
const unwanted = files.filter((f) => /^(test|bench|build|build-cuda|build-noeigen|\.ci|\.cuda-libs|dist\/(test|bench))\//.test(f) || /\.(o|a|log)$/.test(f));
if (unwanted.length) fail(`the package would ship ${unwanted.join(', ')}`);
for (const need of [`prebuilds/${tuple}/mmgraph.napi.glibc.node`, 'dist/lib/index.js', 'dist/lib/cli/main.js', 'binding.gyp', 'scripts/gyp-info.js'])
  if (!files.includes(need)) fail(`the package lacks ${need}`);
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
console.log(`release: ${files.length} files`);
for (const f of result.files.sort((a, b) => (a.path < b.path ? -1 : 1))) if (f.path.startsWith('prebuilds/')) console.log(`  ${f.path} ${mb(f.size)}`);
console.log(`release: ${tgz}: ${mb(fs.statSync(tgz).size)} packed, ${mb(result.unpackedSize)} unpacked, in ${Math.round((Date.now() - started) / 1000)} s`);
