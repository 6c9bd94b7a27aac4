/**
 * The shape-specialized float32 products of native/core/gemm_special.h, reached through the matmul
 * op (gemm's default path routes to them): the narrow C = Aᵀ·B (few rows of C, deep k: a weight
 * gradient over a feature table) and the shallow C = A·B (k ≤ 128, wide C: the table's gradient,
 * also linear_input_adam's). Checked against the plain reference at sizes off every tile and block
 * edge, and bit for bit across one and two threads and the AVX2 and AVX-512 copies (child
 * processes: the thread count and the SIMD cap are read once per process).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { matmul } from '../../lib/ops';
import { tidy } from '../../lib/autograd/scope';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { matmulRef } from '../reference/matmul';

const root = path.resolve(__dirname, '..', '..');

describe('shape-specialized float32 GEMM kernels', () => {
  const rng = new Rng(77);

  function check(ta: boolean, m: number, n: number, k: number, tol: number): void {
    tidy(() => {
      const aShape = ta ? [k, m] : [m, k];
      const a = rng.randn(aShape, 'float32');
      const b = rng.randn([k, n], 'float32');
      const c = matmul(a, b, { transA: ta });
      expect(c.shape).toEqual([m, n]);
      expectClose(c, matmulRef(a.toArray(), aShape, b.toArray(), [k, n], ta, false).data, tol, `matmul transA=${ta} [${m}, ${n}], k ${k}`);
    });
  }

  // [m, n, k]: one row; rows not a multiple of the 8 (4) row tile and past 64; columns off the 48
  // (24) panel and the 768-column block, and a column split that leaves a thread a partial panel;
  // k off the 128 k block; the largest m taken (128).
  test('narrow Aᵀ·B (m ≤ 128, k ≥ 256) matches the reference', () => {
    for (const [m, n, k] of [[1, 256, 256], [7, 257, 300], [64, 300, 1000], [65, 600, 513], [128, 300, 700], [13, 1601, 256], [9, 260, 2049]])
      check(true, m, n, k, 2e-5);
  });

  // [m, n, k]: k = 1, 3 and the largest taken (128); columns off the 32 (16) panel; rows off the
  // 12 (6) row tile, so a short last tile; a 4,096-wide C.
  test('shallow A·B (k ≤ 128) matches the reference', () => {
    for (const [m, n, k] of [[32, 64, 1], [33, 65, 3], [100, 4096, 64], [301, 1001, 64], [50, 100, 128], [257, 385, 33], [45, 130, 127], [7050, 70, 16]])
      check(false, m, n, k, 1e-5);
  });

  test('bit for bit across 1 and 2 threads and the AVX2 and AVX-512 copies (matmul and linear_input_adam)', () => {
    const script = `
      const { tensor } = require(${JSON.stringify(path.join(root, 'dist/lib'))});
      const { runOp, runOp1 } = require(${JSON.stringify(path.join(root, 'dist/lib/ops/run'))});
      const { Rng } = require(${JSON.stringify(path.join(root, 'dist/test/harness/rng'))});
      const rng = new Rng(9);
      const h = require('crypto').createHash('sha256');
      const put = (t) => { const d = Float32Array.from(t.toArray()); h.update(Buffer.from(d.buffer)); };
      put(runOp1('matmul', [rng.randn([1500, 65], 'float32'), rng.randn([1500, 1111], 'float32')], [1, 0]));
      put(runOp1('matmul', [rng.randn([311, 64], 'float32'), rng.randn([64, 1043], 'float32')], [0, 0]));
      const p = rng.randn([311, 1043], 'float32'), m = rng.randn([311, 1043], 'float32');
      const v = tensor(Float32Array.from(rng.randn([311, 1043], 'float32').toArray(), (x) => x * x), [311, 1043]);
      runOp('linear_input_adam', [p, rng.randn([311, 64], 'float32'), rng.randn([64, 1043], 'float32'), m, v], [1e-3, 0.9, 0.999, 1e-8, 0.01, 2]);
      put(p); put(m); put(v);
      process.stdout.write(h.digest('hex'));`;
    const run = (env: Record<string, string>) => {
      const e: NodeJS.ProcessEnv = { ...process.env, MMGRAPH_QUIET: '1', ...env };
      if (!('MMGRAPH_MAX_SIMD' in env)) delete e.MMGRAPH_MAX_SIMD;
      const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: e });
      expect(res.stderr).toBe('');
      return res.stdout;
    };
    const base = run({ MMGRAPH_NUM_THREADS: '2' });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(run({ MMGRAPH_NUM_THREADS: '1' })).toBe(base);
    expect(run({ MMGRAPH_NUM_THREADS: '2', MMGRAPH_MAX_SIMD: 'avx2' })).toBe(base);
  });
});
