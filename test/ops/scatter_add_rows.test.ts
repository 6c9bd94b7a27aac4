import * as fc from 'fast-check';
import { scatterAddRows } from '../../lib/ops';
import { tensor, MmgError } from '../../lib';
import { loadAddon } from '../../lib/native/load';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { scatterAddRowsRef } from '../reference/scatter_add_rows';

describe('scatter_add_rows', () => {
  const rng = new Rng(51);

  test('forward matches the reference, float32 and float64, repeats, untouched rows, empty', () => {
    for (const [n, d, b] of [[1, 1, 1], [7, 3, 30], [50, 64, 2048], [4, 2, 0], [0, 3, 0]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        tidy(() => {
          const x = rng.randn([b, d], dtype);
          const ids = Array.from({ length: b }, () => rng.int(n));
          const y = scatterAddRows(x, tensor(ids, [b], { dtype: 'int32' }), n);
          expect(y.shape).toEqual([n, d]);
          expectClose(y, scatterAddRowsRef(x.toArray(), d, ids, n), dtype === 'float32' ? 1e-6 : 1e-14);
        });
      }
    }
  });

  test('sums in increasing source order: bit-identical to a sequential sum, on any thread count', () => {
    tidy(() => {
      const n = 3;
      const b = 5000;
      const x = rng.randn([b, 4], 'float32');
      const ids = Array.from({ length: b }, () => rng.int(n));
      const idx = tensor(ids, [b], { dtype: 'int64' });
      const seq = new Float32Array(n * 4);
      const xa = x.data() as Float32Array;
      for (let i = 0; i < b; i++) for (let j = 0; j < 4; j++) seq[ids[i] * 4 + j] = Math.fround(seq[ids[i] * 4 + j] + xa[i * 4 + j]);
      const addon = loadAddon();
      const before = addon.numThreads();
      try {
        for (const threads of [1, 2, 4]) {
          addon.setNumThreads(threads);
          expect(Array.from(scatterAddRows(x, idx, n).data() as Float32Array)).toEqual(Array.from(seq));
        }
      } finally {
        addon.setNumThreads(before);
      }
    });
  });

  test('backward is gather_rows; matches finite differences', () => {
    const x = rng.randn([6, 3], 'float64', true);
    const idx = tensor([1, 1, 0, 3, 1, 0], [6], { dtype: 'int32' });
    const r = gradcheck((a) => scatterAddRows(a, idx, 5), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
    idx.dispose();
  });

  test('random shapes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 60 }), (n, d, b) =>
        tidy(() => {
          const x = rng.randn([b, d]);
          const ids = Array.from({ length: b }, () => rng.int(n));
          expectClose(scatterAddRows(x, tensor(ids, [b], { dtype: 'int32' }), n), scatterAddRowsRef(x.toArray(), d, ids, n), 1e-14);
          return true;
        }),
      ),
      { numRuns: 40 },
    );
  });

  test('out-of-range indices are MMG_E_DATA; bad shapes, dtypes and n throw errors naming the op', () => {
    tidy(() => {
      const x = tensor(new Float64Array(6), [3, 2]);
      expect(() => scatterAddRows(x, tensor([0, 1, 4], [3], { dtype: 'int32' }), 4)).toThrow(/^scatter_add_rows: expected indices in \[0, 4\), got idx\[2\] = 4/);
      try {
        scatterAddRows(x, tensor([0, -2, 1], [3], { dtype: 'int64' }), 4);
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_DATA');
        expect((e as MmgError).message).toMatch(/idx\[1\] = -2/);
      }
      expect(() => scatterAddRows(x, tensor([0, 1], [2], { dtype: 'int32' }), 4)).toThrow(/^scatter_add_rows: expected idx with one entry per row of X \(3\), got \[2\]/);
      expect(() => scatterAddRows(x, tensor([0, 1, 1], [3], { dtype: 'int32' }), -1)).toThrow(/^scatter_add_rows: expected a row count n >= 0, got -1/);
      expect(() => scatterAddRows(tensor([0, 1, 2], [3, 1], { dtype: 'int32' }), tensor([0, 1, 1], [3], { dtype: 'int32' }), 2)).toThrow(
        /^scatter_add_rows: expected X to be float32 or float64, got int32/,
      );
      expect(scatterAddRows(x, tensor([0, 1, 1], [3], { dtype: 'int32' }), 2).shape).toEqual([2, 2]);
    });
  });
});
