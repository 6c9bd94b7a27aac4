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
console.log(`build-cuda: ${path.join(build, 'libmmgraph_cuda.so')}`);
