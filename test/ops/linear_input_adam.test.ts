/**
 * linear_input_adam: Adam on a linear layer's input X from dY and W, dX = dY·W never stored.
 * Checked against the plain reference (matmul then Adam, float64), bit for bit against the unfused
 * ops it replaces (matmul then adam) at several thread counts and shapes that hit every tile edge,
 * and end to end through linear's deferred gradient and the Adam optimizer.
 * Not differentiable (an optimizer update, like adam), so there is no gradcheck.
 */
import { Adam } from '../../lib/optim/adam';
import { backward, tensor, type Tensor } from '../../lib';
import { linear, sum, mul } from '../../lib/ops';
import { runOp, runOp1 } from '../../lib/ops/run';
import { tidy } from '../../lib/autograd/scope';
import { loadAddon } from '../../lib/native/load';
import type { DType } from '../../lib/tensor';
import { expectClose } from '../harness/compare';
import { expectMmgError, FLOAT_DTYPES } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { linearInputAdamRef } from '../reference/linear_input_adam';
import type { AdamRefState } from '../reference/adam';

// [lr, beta1, beta2, eps, weight_decay]
const HYPER: number[][] = [
  [1e-3, 0.9, 0.999, 1e-8, 0],
  [0.05, 0.3, 0.5, 1e-6, 0.01], // 1 − β1 ≥ 0.5: adam's other lerp formula
];

/** Deterministic values without the Rng's BigInt cost (for the large shapes). */
function fill(n: number, seed: number, scale = 1, positive = false): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    const u = x - Math.floor(x);
    out[i] = positive ? u * scale : (2 * u - 1) * scale;
  }
  return out;
}

interface State {
  p: Tensor;
  m: Tensor;
  v: Tensor;
  dy: Tensor;
  w: Tensor;
}

function state(n: number, k: number, o: number, dtype: DType, seed: number): State {
  return {
    p: tensor(fill(n * k, seed), [n, k], { dtype }),
    m: tensor(fill(n * k, seed + 1, 0.1), [n, k], { dtype }),
    v: tensor(fill(n * k, seed + 2, 0.01, true), [n, k], { dtype }),
    dy: tensor(fill(n * o, seed + 3), [n, o], { dtype }),
    w: tensor(fill(o * k, seed + 4), [o, k], { dtype }),
  };
}

const copy = (s: State): State => ({ p: s.p.to('cpu'), m: s.m.to('cpu'), v: s.v.to('cpu'), dy: s.dy, w: s.w });

function bytesEqual(a: Tensor, b: Tensor): boolean {
  const x = a.data() as Float32Array | Float64Array;
  const y = b.data() as Float32Array | Float64Array;
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
}

function fused(s: State, attrs: number[]): void {
  runOp('linear_input_adam', [s.p, s.dy, s.w, s.m, s.v], attrs);
}

function unfused(s: State, attrs: number[]): void {
  const g = runOp1('matmul', [s.dy, s.w], [0, 0]);
  runOp('adam', [s.p, g, s.m, s.v], attrs);
  g.dispose();
}

describe('linear_input_adam', () => {
  const rng = new Rng(4242);
  const addon = loadAddon();

  test('several steps match the reference (matmul then Adam in float64), float32 and float64', () => {
    for (const dtype of FLOAT_DTYPES)
      for (const hyper of HYPER)
        for (const [n, k, o] of [[1, 1, 1], [7, 5, 3], [33, 50, 9]])
          tidy(() => {
            const p = rng.randn([n, k], dtype);
            const m = tensor(new Array(n * k).fill(0), [n, k], { dtype });
            const v = tensor(new Array(n * k).fill(0), [n, k], { dtype });
            let ref: AdamRefState = { p: p.toArray(), m: new Array(n * k).fill(0), v: new Array(n * k).fill(0) };
            for (let t = 1; t <= 3; t++) {
              const dy = rng.randn([n, o], dtype);
              const w = rng.randn([o, k], dtype);
              runOp('linear_input_adam', [p, dy, w, m, v], [...hyper, t]);
              ref = linearInputAdamRef(ref, dy.toArray(), [n, o], w.toArray(), [o, k], t, ...(hyper as [number, number, number, number, number]));
            }
            const tol = dtype === 'float32' ? 1e-5 : 1e-12;
            expectClose(p, ref.p, tol, `p [${n}, ${k}, ${o}] ${dtype}`);
            expectClose(m, ref.m, tol, `m [${n}, ${k}, ${o}] ${dtype}`);
            expectClose(v, ref.v, tol, `v [${n}, ${k}, ${o}] ${dtype}`);
          });
  });

  // [n, k, o]: tiny (one tile), one row (GEMV in the matmul), the column split (few rows, many
  // columns), row splits with odd chunk ends, columns just off multiples of 48, o above Eigen's
  // depth block (several partial sums per element), and an empty inner dimension.
  const SHAPES: number[][] = [[3, 4, 2], [1, 700, 64], [40, 3000, 17], [301, 1001, 64], [1000, 47, 130], [257, 385, 33], [129, 96, 700], [50, 30, 0], [1, 1, 1]];

  test('equals matmul then adam bit for bit (p, m and v), float32 and float64, at 1, 2 and 3 threads', () => {
    const saved = addon.numThreads();
    try {
      for (const threads of [1, 2, 3]) {
        addon.setNumThreads(threads);
        for (const dtype of FLOAT_DTYPES)
          for (const [n, k, o] of SHAPES)
            tidy(() => {
              const a = state(n, k, o, dtype, n + k + o);
              const b = copy(a);
              for (let t = 1; t <= 2; t++) {
                const attrs = [...HYPER[t - 1], t];
                fused(a, attrs);
                unfused(b, attrs);
              }
              const same = ['p', 'm', 'v'].map((x) => bytesEqual(a[x as 'p'], b[x as 'p']) ? '' : x).join('');
              expect(`${dtype} [${n}, ${k}, ${o}] at ${threads} threads: ${same || 'identical'}`).toBe(`${dtype} [${n}, ${k}, ${o}] at ${threads} threads: identical`);
            });
      }
    } finally {
      addon.setNumThreads(saved);
    }
  });

  test('NaN and infinity propagate as through matmul then adam', () => {
    for (const dtype of FLOAT_DTYPES)
      tidy(() => {
        const a = state(20, 60, 5, dtype, 9);
        const dy = a.dy.data();
        dy[7] = NaN;
        const w = a.w.data();
        w[3] = Infinity;
        const b = copy(a);
        fused(a, [1e-3, 0.9, 0.999, 1e-8, 0.1, 1]);
        unfused(b, [1e-3, 0.9, 0.999, 1e-8, 0.1, 1]);
        expect(a.p.toArray().some(Number.isNaN)).toBe(true);
        for (const x of ['p', 'm', 'v'] as const) expect(bytesEqual(a[x], b[x])).toBe(true);
      });
  });

  test('empty tables are a no-op', () => {
    tidy(() => {
      for (const [n, k, o] of [[0, 5, 3], [4, 0, 3]]) {
        const s = state(n, k, o, 'float32', 1);
        fused(s, [1e-3, 0.9, 0.999, 1e-8, 0, 1]);
        expect(s.p.shape).toEqual([n, k]);
      }
    });
  });

  test('bad shapes, dtypes, aliasing and attributes throw errors naming the op', () => {
    tidy(() => {
      const s = state(4, 6, 3, 'float32', 2);
      const ok = [1e-3, 0.9, 0.999, 1e-8, 0, 1];
      const run = (inputs: Array<Tensor | null>, attrs = ok) => () => runOp('linear_input_adam', inputs, attrs);
      const f64 = (t: Tensor) => tensor(t.toArray(), t.shape, { dtype: 'float64' });
      expectMmgError(run([s.p, s.dy, s.w, s.m]), /^linear_input_adam: expected/, 'MMG_E_ARG');
      expectMmgError(run([s.p, s.dy, f64(s.w), s.m, s.v]), /^linear_input_adam: expected param and w to share a dtype, got float32 and float64/, 'MMG_E_DTYPE');
      expectMmgError(run([tensor([1, 2], [2], { dtype: 'int32' }), s.dy, s.w, s.m, s.v]), /^linear_input_adam: expected param/, 'MMG_E_DTYPE');
      expectMmgError(run([s.p, tensor(fill(12, 1), [4, 3, 1], { dtype: 'float32' }), s.w, s.m, s.v]), /^linear_input_adam: expected dy to have 2 dimensions, got shape \[4, 3, 1\]/, 'MMG_E_SHAPE');
      expectMmgError(run([s.p, tensor(fill(15, 1), [5, 3], { dtype: 'float32' }), s.w, s.m, s.v]), /^linear_input_adam: expected dy \[4, out\] for param \[4, 6\], got dy \[5, 3\]/, 'MMG_E_SHAPE');
      expectMmgError(run([s.p, s.dy, tensor(fill(12, 1), [2, 6], { dtype: 'float32' }), s.m, s.v]), /^linear_input_adam: expected w \[3, 6\] for dy \[4, 3\] and param \[4, 6\], got w \[2, 6\]/, 'MMG_E_SHAPE');
      expectMmgError(run([s.p, s.dy, tensor(fill(15, 1), [3, 5], { dtype: 'float32' }), s.m, s.v]), /^linear_input_adam: expected w \[3, 6\]/, 'MMG_E_SHAPE');
      expectMmgError(run([s.p, s.dy, s.w, tensor(fill(24, 1), [6, 4], { dtype: 'float32' }), s.v]), /^linear_input_adam: expected param and m to have the same shape, got \[4, 6\] and \[6, 4\]/, 'MMG_E_SHAPE');
      expectMmgError(run([s.p, s.dy, s.w, s.m, s.m]), /^linear_input_adam: expected m and v to be distinct tensors, got the same memory twice/, 'MMG_E_ARG');
      expectMmgError(run([s.p, s.dy, s.w, s.p, s.v]), /^linear_input_adam: expected param and m to be distinct tensors/, 'MMG_E_ARG');
      const sq = state(4, 4, 4, 'float32', 3);
      expectMmgError(run([sq.p, sq.dy, sq.p, sq.m, sq.v]), /^linear_input_adam: expected param and w to be distinct tensors/, 'MMG_E_ARG');
      expectMmgError(run([s.p, s.dy, s.w, s.m, s.v], [1e-3, 0.9, 0.999, 1e-8, 0, 0]), /^linear_input_adam: expected step >= 1 \(1-based\), got 0/, 'MMG_E_ARG');
      expectMmgError(run([s.p, s.dy, s.w, s.m, s.v], [1e-3, 1, 0.999, 1e-8, 0, 1]), /^linear_input_adam: expected beta1 in \[0, 1\), got 1/, 'MMG_E_ARG');
      expectMmgError(run([s.p, s.dy, s.w, s.m, s.v], [-1, 0.9, 0.999, 1e-8, 0, 1]), /^linear_input_adam: expected a learning rate >= 0, got -1/, 'MMG_E_ARG');
      expectMmgError(run([s.p, s.dy, s.w, s.m, s.v], [1e-3, 0.9, 0.999, 1e-8, 0]), /^linear_input_adam: expected/, 'MMG_E_ARG');
      // Nothing was written by a refused call.
      expect(bytesEqual(s.p, tensor(fill(24, 2), [4, 6], { dtype: 'float32' }))).toBe(true);
    });
  });
});

describe('deferred linear-input gradients (ParamStore.features tables) and Adam', () => {
  const rng = new Rng(99);

  // A small model whose "feature table" x goes through one linear layer, as SMORE's do.
  function model(dtype: DType, defer: boolean) {
    const r = new Rng(5);
    const x = r.randn([30, 50], dtype, true);
    x.deferGrad = defer;
    const w = r.randn([8, 50], dtype, true);
    const b = r.randn([8], dtype, true);
    const c = r.randn([30, 8], dtype);
    const loss = () => sum(mul(linear(x, w, b), c));
    return { x, w, b, c, loss, params: [x, w, b] };
  }

  test('Adam steps through the fused op and lands on the unfused path bit for bit', () => {
    for (const dtype of FLOAT_DTYPES) {
      const a = model(dtype, true);
      const b = model(dtype, false);
      const oa = new Adam(a.params, { lr: 0.01, weightDecay: 0.001 });
      const ob = new Adam(b.params, { lr: 0.01, weightDecay: 0.001 });
      for (let step = 0; step < 3; step++) {
        tidy(() => backward(a.loss()));
        tidy(() => backward(b.loss()));
        expect(a.x.grad?.deferredValue?.op).toBe('linear_input');
        expect(b.x.grad?.deferredValue ?? null).toBeNull();
        oa.step();
        ob.step();
        oa.zeroGrad();
        ob.zeroGrad();
      }
      a.params.forEach((p, i) => expect(bytesEqual(p, b.params[i])).toBe(true));
      oa.dispose();
      ob.dispose();
      for (const t of [...a.params, ...b.params, a.c, b.c]) t.dispose();
    }
  });

  test('reading .grad computes it (the undeferred values); zeroGrad frees it without computing', () => {
    const a = model('float64', true);
    const b = model('float64', false);
    tidy(() => backward(a.loss()));
    tidy(() => backward(b.loss()));
    const g = a.x.grad!;
    expect(g.deferredValue).not.toBeNull();
    expect(g.disposed).toBe(false);
    expect(g.shape).toEqual([30, 50]);
    expect(g.toArray()).toEqual(b.x.grad!.toArray());
    expect(g.deferredValue).toBeNull();
    // The optimizer then takes the ordinary path on the formed gradient.
    const oa = new Adam(a.params, { lr: 0.01 });
    const ob = new Adam(b.params, { lr: 0.01 });
    oa.step();
    ob.step();
    expect(a.x.toArray()).toEqual(b.x.toArray());
    oa.zeroGrad();
    tidy(() => backward(a.loss()));
    const parts = a.x.grad!.deferredValue!.parts;
    oa.zeroGrad();
    expect(parts.every((t) => t.disposed)).toBe(true);
    oa.dispose();
    ob.dispose();
    for (const t of [...a.params, ...b.params, a.c, b.c]) t.dispose();
  });

  test('a table used twice accumulates the formed gradients', () => {
    const run = (defer: boolean) => {
      const r = new Rng(8);
      const x = r.randn([6, 5], 'float64', true);
      x.deferGrad = defer;
      const w1 = r.randn([3, 5], 'float64', true);
      const w2 = r.randn([4, 5], 'float64', true);
      tidy(() => backward(sum(mul(linear(x, w1), linear(x, w1)))));
      tidy(() => backward(sum(linear(x, w2))));
      const out = x.grad!.toArray();
      for (const t of [x, w1, w2]) t.dispose();
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });

  test('W changed in place after backward (by the same optimizer step) does not change the gradient', () => {
    const run = (defer: boolean) => {
      const r = new Rng(8);
      const x = r.randn([6, 5], 'float64', true);
      x.deferGrad = defer;
      const w = r.randn([4, 5], 'float64', true);
      tidy(() => backward(sum(linear(x, w))));
      expect(x.grad!.deferredValue !== null).toBe(defer);
      const zero = () => tensor(new Array(20).fill(0), [4, 5], { dtype: 'float64' });
      tidy(() => runOp('adam', [w, tensor(rng.normals(20), [4, 5], { dtype: 'float64' }), zero(), zero()], [0.5, 0.9, 0.999, 1e-8, 0, 1]));
      const out = x.grad!.toArray();
      for (const t of [x, w]) t.dispose();
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });
});
