import { dropout, seedHalves } from '../../lib/ops';
import { tensor, MmgError, backward } from '../../lib';
import { loadAddon } from '../../lib/native/load';
import { runOp } from '../../lib/ops/run';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { dropoutMaskRef } from '../reference/dropout';

describe('dropout', () => {
  const rng = new Rng(91);

  test('the mask matches the reference splitmix64 stream, float32 and float64, incl. seeds above 2^32', () => {
    for (const [n, p, seed] of [[1, 0.5, 1n], [1000, 0.1, 999n], [777, 0.9, 0xdeadbeefcafef00dn], [64, 0.3, 2n ** 40n + 5n]] as const) {
      for (const dtype of ['float32', 'float64'] as const) {
        tidy(() => {
          const x = rng.randn([n], dtype);
          const y = dropout(x, p, seed);
          const mask = dropoutMaskRef(n, p, seed);
          const want = x.toArray().map((v, i) => v * mask[i]);
          expectClose(y, want, dtype === 'float32' ? 1e-6 : 1e-15, `n=${n} p=${p}`);
          expect(y.toArray().map((v) => v === 0)).toEqual(mask.map((m) => m === 0));
        });
      }
    }
  });

  test('reproducible: the same seed gives the same mask, on any thread count; another seed differs', () => {
    tidy(() => {
      const x = tensor(new Float32Array(100000).fill(1), [1000, 100]);
      const addon = loadAddon();
      const before = addon.numThreads();
      const runs: number[][] = [];
      try {
        for (const t of [1, 2, 3]) {
          addon.setNumThreads(t);
          runs.push(dropout(x, 0.25, 42).toArray());
        }
      } finally {
        addon.setNumThreads(before);
      }
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
      expect(dropout(x, 0.25, 43).toArray()).not.toEqual(runs[0]);
      // The drop rate is p within a few standard deviations (n = 1e5: σ ≈ 0.0014).
      const dropped = runs[0].filter((v) => v === 0).length / 1e5;
      expect(Math.abs(dropped - 0.25)).toBeLessThan(0.01);
      // Survivors are scaled by 1/(1−p), so the mean is preserved.
      expect(runs[0].find((v) => v !== 0)).toBeCloseTo(1 / 0.75, 6);
    });
  });

  test('p = 0 and eval mode return the input itself (no allocation)', () => {
    tidy(() => {
      const x = rng.randn([3, 4]);
      expect(dropout(x, 0, 7)).toBe(x);
      expect(dropout(x, 0.5, 7, { training: false })).toBe(x);
    });
  });

  test('backward multiplies by the same mask; matches finite differences', () => {
    const x = rng.randn([6, 5], 'float64', true);
    const r = gradcheck((a) => dropout(a, 0.4, 1234), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.grad?.dispose();
    x.grad = null;
    tidy(() => backward(dropout(x, 0.4, 1234), tensor(new Float64Array(30).fill(1), [6, 5])));
    expect(x.grad!.toArray()).toEqual(dropoutMaskRef(30, 0.4, 1234n));
    x.dispose();
  });

  test('seeds split into uint32 halves', () => {
    expect(seedHalves(0)).toEqual([0, 0]);
    expect(seedHalves(2 ** 32 + 3)).toEqual([3, 1]);
    expect(seedHalves(0xffffffffffffffffn)).toEqual([0xffffffff, 0xffffffff]);
  });

  test('p outside [0, 1), bad seeds and integer inputs throw errors naming the op', () => {
    tidy(() => {
      const x = rng.randn([2, 2]);
      for (const p of [1, -0.1, 1.5, NaN]) expect(() => dropout(x, p, 1)).toThrow(/^dropout: expected a drop probability p in \[0, 1\)/);
      try {
        dropout(x, 1, 1);
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_ARG');
      }
      expect(() => dropout(x, 0.5, -1)).toThrow(/^dropout: expected a seed/);
      expect(() => dropout(x, 0.5, 1.5)).toThrow(/^dropout: expected a seed/);
      expect(() => dropout(x, 0.5, 2n ** 64n)).toThrow(/^dropout: expected a seed in \[0, 2\^64\)/);
      expect(() => dropout(tensor([1, 2], [2], { dtype: 'int32' }), 0.5, 1)).toThrow(/^dropout: expected X to be float32 or float64, got int32/);
      // The kernel checks its own attributes too (a caller of runOp bypasses the wrapper).
      expect(() => runOp('dropout', [x], [1.2, 0, 0])).toThrow(/^dropout: expected a drop probability p in \[0, 1\), got 1.2/);
      expect(() => runOp('dropout', [x], [0.5, 2 ** 32, 0])).toThrow(/^dropout: expected seed_lo to be an integer in \[0, 2\^32\)/);
    });
  });
});
