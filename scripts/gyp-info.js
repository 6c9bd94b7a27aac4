#!/usr/bin/env node
// Helper for binding.gyp (gyp has no globbing and no feature probes of its own).
//   sources <dir>...   every .cc file in the dirs (sorted), minus files built by their own targets
//   eigen-include      the Eigen 3.4 include dir, or nothing when absent or MMGRAPH_NO_EIGEN=1
//   eigen-defines      MMG_HAVE_EIGEN (+ MMG_HAVE_EIGEN_AVX2, MMG_HAVE_EIGEN_AVX512 on x86-64), or nothing;
//                      also says on stderr, once per configure, which GEMM the build gets (the
//                      addon itself stays silent when loaded; `mmgraph info` repeats it)
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const [cmd, ...args] = process.argv.slice(2);

function eigenDir() {
  if (process.env.MMGRAPH_NO_EIGEN === '1') return '';
  const candidates = [process.env.EIGEN3_INCLUDE_DIR, '/usr/include/eigen3', '/usr/local/include/eigen3', '/opt/homebrew/include/eigen3'];
  for (const c of candidates) {
    if (c && fs.existsSync(path.join(c, 'Eigen', 'Core'))) return c;
  }
  return '';
}

const ownTargets = new Set(['gemm_eigen_avx2.cc', 'gemm_eigen_avx512.cc']);

if (cmd === 'sources') {
  const out = [];
  for (const d of args) {
    const dir = path.join(root, d);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.endsWith('.cc') && !ownTargets.has(f)) out.push(path.posix.join(d, f));
    }
  }
  console.log(out.join('\n'));
} else if (cmd === 'eigen-include') {
  console.log(eigenDir());
} else if (cmd === 'eigen-defines') {
  const d = eigenDir();
  if (d) console.log(process.arch === 'x64' ? 'MMG_HAVE_EIGEN\nMMG_HAVE_EIGEN_AVX2\nMMG_HAVE_EIGEN_AVX512' : 'MMG_HAVE_EIGEN');
  console.error(
    d
      ? `mmgraph: building the addon with Eigen 3.4 from ${d}${process.arch === 'x64' ? ' (AVX-512, AVX2 and baseline copies, picked at run time)' : ''}`
      : process.env.MMGRAPH_NO_EIGEN === '1'
        ? 'mmgraph: building the addon with the built-in GEMM (MMGRAPH_NO_EIGEN=1)'
        : 'mmgraph: Eigen 3.4 headers not found (Debian: apt-get install libeigen3-dev; or set EIGEN3_INCLUDE_DIR): building the addon with the built-in GEMM (AVX-512/AVX2 kernels; Eigen is faster on some shapes)',
  );
} else {
  console.error('usage: gyp-info.js sources <dir>... | eigen-include | eigen-defines');
  process.exit(2);
}
