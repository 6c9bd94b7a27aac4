/**
 * MMGRAPH_MAX_SIMD caps the run-time SIMD choice (native/core/cpu_dispatch.h). Each case runs in a
 * child process because the cap is read once per process.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
// Prints the level in use and the largest error of the default GEMM path against the naive loop.
const probe = `
const { loadAddon } = require(${JSON.stringify(path.join(root, 'dist', 'lib', 'native', 'load.js'))});
const { tensor } = require(${JSON.stringify(path.join(root, 'dist', 'lib', 'tensor.js'))});
const { runOp1 } = require(${JSON.stringify(path.join(root, 'dist', 'lib', 'ops', 'run.js'))});
const r = (n) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37));
const a = tensor(r(300 * 200), [300, 200]), b = tensor(r(200 * 90), [200, 90]);
const got = runOp1('gemm_bench', [a, b], [0, 0, 0]).toArray(), ref = runOp1('gemm_bench', [a, b], [3, 0, 0]).toArray();
let err = 0; for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i] - ref[i]));
console.log(JSON.stringify({ simd: loadAddon().buildInfo.gemmSimd, features: loadAddon().buildInfo.cpuFeatures, err }));
`;

function run(cap: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, MMGRAPH_QUIET: '1' };
  delete env.MMGRAPH_MAX_SIMD;
  if (cap !== undefined) env.MMGRAPH_MAX_SIMD = cap;
  const res = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env });
  expect(res.status).toBe(0);
  return { ...(JSON.parse(res.stdout) as { simd: string; features: string; err: number }), stderr: res.stderr };
}

describe('MMGRAPH_MAX_SIMD', () => {
  test('baseline and avx2 cap the GEMM level, and the capped paths still compute the product', () => {
    const base = run('baseline');
    expect(base.simd).toBe('baseline');
    expect(base.err).toBeLessThan(1e-3);
    const avx2 = run('avx2');
    expect(avx2.simd).toBe(/\bavx2\b/.test(avx2.features) && /\bfma\b/.test(avx2.features) ? 'avx2' : 'baseline');
    expect(avx2.err).toBeLessThan(1e-3);
    expect(avx2.stderr).toBe('');
  });

  test('an unknown value is ignored with a warning naming it', () => {
    const bad = run('fast-please');
    expect(bad.simd).toBe(run(undefined).simd);
    expect(bad.stderr).toMatch(/MMGRAPH_MAX_SIMD="fast-please" is not one of baseline, sse2, avx2, avx512: ignored/);
  });
});
