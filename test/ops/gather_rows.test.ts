import * as fc from 'fast-check';
import { gatherRows } from '../../lib/ops';
import { tensor, MmgError, backward } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { gatherRowsRef } from '../reference/gather_rows';

describe('gather_rows', () => {
  const rng = new Rng(41);

  test('forward matches the reference for float32, float64 and integer tables, int32 and int64 indices, repeats and empty', () => {
    for (const [n, d, b] of [[1, 1, 1], [5, 3, 12], [100, 64, 2048], [4, 2, 0], [3, 0, 4]]) {
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        for (const idxType of ['int32', 'int64'] as const) {
          tidy(() => {
            const x = dtype === 'int32' ? tensor(Array.from({ length: n * d }, (_, i) => i * 7 - 3), [n, d], { dtype }) : rng.randn([n, d], dtype);
            const ids = Array.from({ length: b }, () => rng.int(n));
            const y = gatherRows(x, tensor(ids, [b], { dtype: idxType }));
            expect(y.shape).toEqual([b, d]);
            expect(y.dtype).toBe(dtype);
            expect(y.toArray()).toEqual(gatherRowsRef(x.toArray(), d, ids));
          });
        }
      }
    }
  });

  test('backward is scatter_add_rows: repeated indices accumulate; matches finite differences', () => {
    const x = rng.randn([5, 3], 'float64', true);
    const idx = tensor([4, 0, 4, 4, 2, 0], [6], { dtype: 'int32' });
    const r = gradcheck((a) => gatherRows(a, idx), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.grad?.dispose();
    x.grad = null;
    tidy(() => backward(gatherRows(x, idx), tensor(new Float64Array(18).fill(1), [6, 3])));
    expect(x.grad!.toArray()).toEqual([2, 2, 2, 0, 0, 0, 1, 1, 1, 0, 0, 0, 3, 3, 3]);
    x.dispose();
    idx.dispose();
  });

  test('random shapes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 }), (n, d, b) =>
        tidy(() => {
          const x = rng.randn([n, d]);
          const ids = Array.from({ length: b }, () => rng.int(n));
          expectClose(gatherRows(x, tensor(ids, [b], { dtype: 'int32' })), gatherRowsRef(x.toArray(), d, ids), 0);
          return true;
        }),
      ),
      { numRuns: 40 },
    );
  });

  test('an out-of-range index is MMG_E_DATA naming its position and value; bad shapes and dtypes throw', () => {
    tidy(() => {
      const x = tensor(new Float32Array(6), [3, 2]);
      expect(() => gatherRows(x, tensor([0, 3], [2], { dtype: 'int32' }))).toThrow(/^gather_rows: expected indices in \[0, 3\), got idx\[1\] = 3/);
      expect(() => gatherRows(x, tensor([-1], [1], { dtype: 'int64' }))).toThrow(/^gather_rows: expected indices in \[0, 3\), got idx\[0\] = -1/);
      try {
        gatherRows(x, tensor([7], [1], { dtype: 'int32' }));
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_DATA');
      }
      expect(() => gatherRows(x, tensor([0], [1]))).toThrow(/^gather_rows: expected idx to be int32 or int64, got float32/);
      expect(() => gatherRows(x, tensor([0, 1], [1, 2], { dtype: 'int32' }))).toThrow(/^gather_rows: expected idx to have 1 dimensions/);
      expect(() => gatherRows(tensor([1, 2], [2]), tensor([0], [1], { dtype: 'int32' }))).toThrow(/^gather_rows: expected X to have 2 dimensions/);
      expect(gatherRows(x, tensor([2], [1], { dtype: 'int32' })).shape).toEqual([1, 2]);
    });
  });
});
