#!/usr/bin/env node
// `npm run build:cuda`: configures and builds the CUDA backend (CMakeLists.txt) into build-cuda/.
//
// Plain cmake rather than cmake-js: cmake-js exists to compile against Node's headers and link a
// .node addon, and libmmgraph_cuda.so does neither (it speaks the C ABI in native/core/abi.h and
// is opened with dlopen), so it would be a dependency that adds nothing.
//
// Environment: MMGRAPH_CUDA_ARCHS ("80;90" by default), MMGRAPH_CUDA_LIBS (where cuBLAS,
// cuSPARSE and cuFFT are: a `pip install --target` dir or include/+lib/), CUDACXX (nvcc),
// MMGRAPH_JOBS (parallel compiles). Extra arguments are passed to the configure step.
//
// Next to the library it writes libmmgraph_cuda.json (the manifest lib/cuda_runtime.ts reads):
// the CUDA version, the architectures, the run-time libraries it needs (from ldd, dependencies
// first) and the oldest driver that runs it, so a prebuilt copy can say what a machine lacks.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const build = path.join(root, 'build-cuda');

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

function run(cmd, args) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.error) {
    console.error(`build-cuda: could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) {
    console.error(`build-cuda: ${cmd} ${args[0]} failed (exit ${r.status})`);
    process.exit(r.status || 1);
  }
}

if (!which('cmake')) {
  console.error('build-cuda: cmake (>= 3.24) is required: https://cmake.org/download/ or `pip install cmake`');
  process.exit(1);
}
// CMake finds nvcc on PATH; name the real compiler when the toolkit is in its usual place, so the
// toolkit root is found even when PATH has only a wrapper script.
let nvcc = process.env.CUDACXX || '';
if (!nvcc && fs.existsSync('/usr/local/cuda/bin/nvcc')) nvcc = '/usr/local/cuda/bin/nvcc';
if (!nvcc) nvcc = which('nvcc');
if (!nvcc) {
  console.error('build-cuda: nvcc not found. Install the CUDA toolkit (12.x or 13.x) or set CUDACXX to nvcc.');
  process.exit(1);
}

const configure = ['-S', root, '-B', build, '-DCMAKE_BUILD_TYPE=Release', `-DCMAKE_CUDA_COMPILER=${nvcc}`];
if (process.env.MMGRAPH_CUDA_ARCHS) configure.push(`-DMMGRAPH_CUDA_ARCHS=${process.env.MMGRAPH_CUDA_ARCHS}`);
if (process.env.MMGRAPH_CUDA_LIBS) configure.push(`-DMMGRAPH_CUDA_LIBS=${path.resolve(process.env.MMGRAPH_CUDA_LIBS)}`);
configure.push(...process.argv.slice(2));
run('cmake', configure);
const jobs = process.env.MMGRAPH_JOBS || String(Math.max(1, Math.min(os.cpus().length, 8)));
run('cmake', ['--build', build, '--parallel', jobs]);
const lib = path.join(build, 'libmmgraph_cuda.so');
writeManifest(lib);
console.log(`build-cuda: ${lib}`);

function writeManifest(file) {
  const v = /release (\d+)\.(\d+)/.exec(spawnSync(nvcc, ['--version'], { encoding: 'utf8' }).stdout || '');
  const ldd = spawnSync('ldd', [file], { encoding: 'utf8' });
  if (!v || ldd.status !== 0) {
    console.warn('build-cuda: no manifest written (nvcc --version or ldd failed); the loader assumes the CUDA 13 libraries');
    return;
  }
  // Dependencies before their users, so each preloaded library finds the ones it links.
  const rank = ['cudart', 'nvrtc', 'nvJitLink', 'cublasLt', 'cublas', 'cusparse', 'cufft'];
  const needed = [...ldd.stdout.matchAll(/^\s*(lib([A-Za-z]+)\.so\.\d+)\s+=>/gm)]
    .filter((x) => rank.includes(x[2]))
    .sort((a, b) => rank.indexOf(a[2]) - rank.indexOf(b[2]))
    .map((x) => x[1]);
  const missing = needed.length === 0 || !needed.some((n) => n.startsWith('libcudart'));
  if (missing) {
    console.warn('build-cuda: ldd lists no CUDA runtime; no manifest written');
    return;
  }
  // NVIDIA's minimum Linux driver per CUDA major version (CUDA toolkit release notes, table 3).
  const minDriver = { 12: '525.60.13', 13: '580.65.06' }[v[1]] || 'unknown';
  const archs = (process.env.MMGRAPH_CUDA_ARCHS || '80;90').split(';').map(Number);
  const manifest = { cuda: `${v[1]}.${v[2]}`, archs, needed, minDriver };
  fs.writeFileSync(file.replace(/\.so$/, '.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`build-cuda: manifest ${JSON.stringify(manifest)}`);
}
