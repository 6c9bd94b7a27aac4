import * as fc from 'fast-check';
import { matmul } from '../../lib/ops';
import { tensor, MmgError } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { matmulRef } from '../reference/matmul';

const FLAGS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

describe('matmul', () => {
  const rng = new Rng(1);

  test.each(FLAGS)('forward matches the reference (transA=%s, transB=%s), float32 and float64, incl. 1-row and blocked sizes', (ta, tb) => {
    for (const [m, k, n] of [[1, 1, 1], [1, 7, 3], [5, 1, 4], [13, 37, 29], [200, 300, 70], [7, 0, 3]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        tidy(() => {
          const aShape = ta ? [k, m] : [m, k];
          const bShape = tb ? [n, k] : [k, n];
          const a = rng.randn(aShape, dtype);
          const b = rng.randn(bShape, dtype);
          const c = matmul(a, b, { transA: ta, transB: tb });
          expect(c.shape).toEqual([m, n]);
          const ref = matmulRef(a.toArray(), aShape, b.toArray(), bShape, ta, tb);
          expectClose(c, ref.data, dtype === 'float32' ? 1e-5 : 1e-12, `matmul ${m}x${k}x${n}`);
        });
      }
    }
  });

  test.each(FLAGS)('backward matches finite differences in float64 (transA=%s, transB=%s)', (ta, tb) => {
    const a = rng.randn(ta ? [4, 3] : [3, 4], 'float64', true);
    const b = rng.randn(tb ? [5, 4] : [4, 5], 'float64', true);
    const r = gradcheck((x, y) => matmul(x, y, { transA: ta, transB: tb }), [a, b]);
    expect(r.worst && r.ok ? 'ok' : r).toBe('ok');
    a.dispose();
    b.dispose();
  });

  test('random shapes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (m, k, n) =>
        tidy(() => {
          const a = rng.randn([m, k]);
          const b = rng.randn([k, n]);
          const ref = matmulRef(a.toArray(), [m, k], b.toArray(), [k, n]);
          expectClose(matmul(a, b), ref.data, 1e-12);
          return true;
        }),
      ),
      { numRuns: 40 },
    );
  });

  test('wrong shapes and dtypes throw errors naming the op, and the process survives', () => {
    tidy(() => {
      const a = tensor(new Float32Array(6), [2, 3]);
      const b = tensor(new Float32Array(8), [4, 2]);
      expect(() => matmul(a, b)).toThrow(MmgError);
      expect(() => matmul(a, b)).toThrow(/^matmul: expected inner dimensions to agree/);
      try {
        matmul(a, b);
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_SHAPE');
      }
      const d = tensor(new Float64Array(6), [3, 2]);
      expect(() => matmul(a, d)).toThrow(/matmul: expected A and B to share a dtype, got float32 and float64/);
      const v = tensor(new Float32Array(3), [3]);
      expect(() => matmul(v, a)).toThrow(/matmul: expected A to have 2 dimensions, got shape \[3\]/);
      const disposed = tensor(new Float32Array(6), [3, 2]);
      disposed.dispose();
      expect(() => matmul(a, disposed)).toThrow(/disposed/);
      expect(matmul(a, tensor(new Float32Array(6), [3, 2])).shape).toEqual([2, 2]);
    });
  });
});
