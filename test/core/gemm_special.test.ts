/**
 * The shape-specialized float32 products of native/core/gemm_special.h, reached through the matmul
 * op (gemm's default path routes to them): the narrow C = Aᵀ·B (few rows of C, deep k: a weight
 * gradient over a feature table, or a 64-wide layer's 64 × 64 one) and the shallow C = A·B (k ≤ 128,
 * wide C: the table's gradient, also linear_input_adam's; with B transposed and each chain started
 * from the bias, linear's x·Wᵀ + b). Checked against the plain reference at sizes off every tile and block
 * edge, and bit for bit across one and two threads and the AVX2 and AVX-512 copies (child
 * processes: the thread count and the SIMD cap are read once per process). The routes' contract
 * (gemm_special.h: each element one chain of float32 fused multiply-adds over k in ascending
 * order, from 0 or from C's old value, here linear's bias) is checked bit for bit against that
 * chain evaluated in plain JS, on shapes the routes take.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { linear, matmul } from '../../lib/ops';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { linearRef } from '../reference/linear';
import { matmulRef } from '../reference/matmul';

const root = path.resolve(__dirname, '..', '..');

// float32 fma(a, b, c), correctly rounded, from doubles: a·b is exact in a double; s = a·b + c
// rounded to a double, with its exact error e (two-sum). Rounding s to float32 is right unless s is
// exactly halfway between two float32 values and e ≠ 0, where e decides.
const f32 = new Float32Array(1), i32 = new Int32Array(f32.buffer);
function step32(x: number, up: boolean): number {
  f32[0] = x;
  if (x === 0) i32[0] = up ? 1 : -2147483647;
  else i32[0] += (x > 0) === up ? 1 : -1;
  return f32[0];
}
function fma32(a: number, b: number, c: number): number {
  const p = a * b, s = p + c;
  const bv = s - p, e = p - (s - bv) + (c - bv);
  const r = Math.fround(s);
  if (e === 0 || r === s) return r;
  const other = step32(r, s > r);
  if (s !== (r + other) / 2) return r;
  return e > 0 === other > r ? other : r;
}
// C [m, n] as gemm_special.h's chains: C[i][j] = fma(a[i][k-1], b[k-1][j], … fma(a[i][0], b[0][j], c0(i, j))).
function chainRef(m: number, n: number, k: number, a: (i: number, q: number) => number, b: (q: number, j: number) => number,
  c0: ArrayLike<number> | ((i: number, j: number) => number) | null): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = c0 === null ? 0 : typeof c0 === 'function' ? c0(i, j) : c0[j];
      for (let q = 0; q < k; q++) s = fma32(a(i, q), b(q, j), s);
      out[i * n + j] = s;
    }
  return out;
}
function expectBits(got: ArrayLike<number>, want: Float32Array, what: string): void {
  const g = Float32Array.from(got);
  let bad = 0, first = -1;
  for (let i = 0; i < want.length; i++) if (!Object.is(g[i], want[i])) { bad++; if (first < 0) first = i; }
  if (bad > 0) throw new Error(`${what}: ${bad} of ${want.length} elements differ from the fma chain (first at ${first}: ${g[first]} vs ${want[first]})`);
}

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

  // linear's y = x·Wᵀ + b (W [out, in]; chains from b, as gemm's beta = 1 on a pre-filled y would
  // start them): the shallow kernel with B packed transposed takes 64 ≤ out ≤ 128 from 1,024 rows. [n, in, out]: rows off the
  // 12 (6) row tile; in = 1, 63, 64, 100, 128; out off the 32 (16) panel (65, 100) and the largest
  // (128); the route's edges (1,023 rows, out = 63 and 129: Eigen) against the reference only.
  test('linear x·Wᵀ + b on the shallow kernel: each element the fma chain from b', () => {
    const rows: [number, number, number, boolean][] = [
      [1024, 64, 64, true], [1031, 1, 64, true], [1031, 63, 65, true], [1030, 100, 100, true], [1037, 128, 128, true],
      [1023, 64, 64, false], [1031, 64, 63, false], [1031, 64, 129, false],
    ];
    for (const [n, i, o, exact] of rows)
      for (const withBias of [true, false])
        tidy(() => {
          const x = rng.randn([n, i], 'float32'), w = rng.randn([o, i], 'float32'), b = withBias ? rng.randn([o], 'float32') : null;
          const y = linear(x, w, b);
          expect(y.shape).toEqual([n, o]);
          const xa = x.toArray(), wa = w.toArray(), ba = b ? b.toArray() : null;
          const what = `linear [${n}, ${i}]·[${o}, ${i}]ᵀ${withBias ? ' + b' : ''}`;
          expectClose(y, linearRef(xa, wa, ba, n, i, o), 1e-5, what);
          if (exact) expectBits(y.toArray(), chainRef(n, o, i, (r, q) => xa[r * i + q], (q, c) => wa[c * i + q], ba), what);
        });
  });

  // gemm's beta = 1 (C += A·op(B), through gemm_bench's C0) on the shallow kernel: each chain from
  // C's old value, B as is and transposed. [m, n, k, tb]
  test('shallow A·op(B) accumulated onto C: each element the fma chain from C', () => {
    for (const [m, n, k, tb] of [[1031, 64, 64, 1], [1030, 100, 63, 1], [301, 65, 100, 0], [45, 128, 128, 0]])
      tidy(() => {
        const a = rng.randn([m, k], 'float32'), b = rng.randn(tb ? [n, k] : [k, n], 'float32'), c0 = rng.randn([m, n], 'float32');
        const c = runOp1('gemm_bench', [a, b, c0], [0, 0, tb]);
        const aa = a.toArray(), ba = b.toArray(), ca = c0.toArray(), what = `gemm_bench C0 + A·B${tb ? 'ᵀ' : ''} [${m}, ${n}], k ${k}`;
        const prod = matmulRef(aa, [m, k], ba, tb ? [n, k] : [k, n], false, tb === 1).data;
        expectClose(c, Array.from(prod, (v, i) => v + ca[i]), 1e-5, what);
        expectBits(c.toArray(), chainRef(m, n, k, (i, q) => aa[i * k + q], tb ? (q, j) => ba[j * k + q] : (q, j) => ba[q * n + j], (i, j) => ca[i * n + j]), what);
      });
  });

  // The 64-wide layer's weight gradient dW = gᵀX (C 56–64 wide, m ≥ 32 rows of C, k ≥ 256): the
  // narrow kernel's 64-column tile (4 rows; AVX2: the wide tile), split by row tiles. [m, n, k]:
  // rows off the tile (33, 65, 127) and the bounds (32, 128); n = 56, 63, 64; k off the 128 block.
  // Edges that stay on Eigen (m = 31, n = 55, 65) against the reference only.
  test('narrow Aᵀ·B for a 64-column C: each element the fma chain from 0', () => {
    const shapes: [number, number, number, boolean][] = [
      [64, 64, 4555, true], [32, 64, 256, true], [33, 63, 300, true], [65, 56, 1000, true], [127, 64, 513, true], [128, 64, 700, true],
      [31, 64, 1000, false], [64, 55, 1000, false], [64, 65, 1000, false],
    ];
    for (const [m, n, k, exact] of shapes)
      tidy(() => {
        const a = rng.randn([k, m], 'float32'), b = rng.randn([k, n], 'float32');
        const c = matmul(a, b, { transA: true });
        const aa = a.toArray(), ba = b.toArray(), what = `matmul transA [${m}, ${n}], k ${k}`;
        expectClose(c, matmulRef(aa, [k, m], ba, [k, n], true, false).data, 2e-5, what);
        if (exact) expectBits(c.toArray(), chainRef(m, n, k, (i, q) => aa[q * m + i], (q, j) => ba[q * n + j], null), what);
      });
  });

  test('bit for bit across 1 and 2 threads and the AVX2 and AVX-512 copies (matmul, linear and linear_input_adam)', () => {
    const script = `
      const { tensor } = require(${JSON.stringify(path.join(root, 'dist/lib'))});
      const { runOp, runOp1 } = require(${JSON.stringify(path.join(root, 'dist/lib/ops/run'))});
      const { Rng } = require(${JSON.stringify(path.join(root, 'dist/test/harness/rng'))});
      const rng = new Rng(9);
      const h = require('crypto').createHash('sha256');
      const put = (t) => { const d = Float32Array.from(t.toArray()); h.update(Buffer.from(d.buffer)); };
      put(runOp1('matmul', [rng.randn([1500, 65], 'float32'), rng.randn([1500, 1111], 'float32')], [1, 0]));
      put(runOp1('matmul', [rng.randn([311, 64], 'float32'), rng.randn([64, 1043], 'float32')], [0, 0]));
      put(runOp1('matmul', [rng.randn([3001, 65], 'float32'), rng.randn([3001, 64], 'float32')], [1, 0]));
      put(runOp1('linear', [rng.randn([4099, 64], 'float32'), rng.randn([64, 64], 'float32'), rng.randn([64], 'float32')]));
      put(runOp1('linear', [rng.randn([1501, 100], 'float32'), rng.randn([100, 100], 'float32'), null]));
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
