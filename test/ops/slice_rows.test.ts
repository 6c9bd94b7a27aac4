import * as fc from 'fast-check';
import { sliceRows } from '../../lib/ops';
import { tensor, MmgError, backward } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { Rng } from '../harness/rng';
import { sliceRowsRef } from '../reference/slice_rows';

describe('slice_rows', () => {
  const rng = new Rng(71);

  test('forward matches the reference: whole, empty, first and last rows, float32/float64/int32', () => {
    for (const [n, d, s, e] of [[5, 3, 0, 5], [5, 3, 2, 2], [5, 3, 0, 1], [5, 3, 4, 5], [100, 64, 60, 100], [0, 2, 0, 0]]) {
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        tidy(() => {
          const x = dtype === 'int32' ? tensor(Array.from({ length: n * d }, (_, i) => i), [n, d], { dtype }) : rng.randn([n, d], dtype);
          const y = sliceRows(x, s, e);
          expect(y.shape).toEqual([e - s, d]);
          expect(y.toArray()).toEqual(sliceRowsRef(x.toArray(), d, s, e));
        });
      }
    }
  });

  test('the slice is a copy, not a view', () => {
    tidy(() => {
      const x = tensor([1, 2, 3, 4], [2, 2], { dtype: 'float64' });
      const y = sliceRows(x, 1, 2);
      (x.data() as Float64Array)[2] = 99;
      expect(y.toArray()).toEqual([3, 4]);
    });
  });

  test('backward pads with zeros (concat_rows); matches finite differences', () => {
    const x = rng.randn([6, 2], 'float64', true);
    for (const [s, e] of [[0, 6], [0, 2], [3, 6], [2, 4], [3, 3]]) {
      const r = gradcheck((a) => sliceRows(a, s, e), [x]);
      expect(r.ok ? 'ok' : r).toBe('ok');
    }
    x.grad?.dispose();
    x.grad = null;
    tidy(() => backward(sliceRows(x, 2, 4), tensor([1, 2, 3, 4], [2, 2], { dtype: 'float64' })));
    expect(x.grad!.toArray()).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
    x.dispose();
  });

  test('random ranges (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.nat(), fc.nat(), (n, d, a, b) =>
        tidy(() => {
          const s = n ? a % (n + 1) : 0;
          const e = s + (n - s ? b % (n - s + 1) : 0);
          const x = rng.randn([n, d]);
          expect(sliceRows(x, s, e).toArray()).toEqual(sliceRowsRef(x.toArray(), d, s, e));
          return true;
        }),
      ),
      { numRuns: 40 },
    );
  });

  test('bad ranges and ranks throw errors naming the op', () => {
    tidy(() => {
      const x = tensor(new Float32Array(6), [3, 2]);
      for (const [s, e] of [[-1, 2], [2, 1], [0, 4]])
        expect(() => sliceRows(x, s, e)).toThrow(new RegExp(`^slice_rows: expected 0 <= start <= end <= 3, got start ${s}, end ${e}`));
      expect(() => sliceRows(x, 0.5, 1)).toThrow(/^slice_rows: expected an integer attribute/);
      expect(() => sliceRows(tensor([1, 2], [2]), 0, 1)).toThrow(/^slice_rows: expected X to have 2 dimensions/);
      try {
        sliceRows(x, 2, 1);
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_ARG');
      }
    });
  });
});
