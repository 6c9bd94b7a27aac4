import { add, sub } from '../../lib/ops';
import { tensor, MmgError } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { addRef } from '../reference/add';

describe('add', () => {
  const rng = new Rng(2);

  test('forward matches the reference: same shape, row broadcast, alpha, one row, empty', () => {
    const cases: Array<[number[], number[], number]> = [
      [[5, 7], [5, 7], 1],
      [[3, 4], [4], 2.5],
      [[3, 4], [1, 4], -1],
      [[1, 9], [1, 9], 0.5],
      [[2, 3, 5], [5], 1],
      [[0, 3], [0, 3], 1],
      [[300, 130], [300, 130], -0.25],
    ];
    for (const [as, bs, alpha] of cases) {
      for (const dtype of ['float32', 'float64'] as const) {
        tidy(() => {
          const a = rng.randn(as, dtype);
          const b = rng.randn(bs, dtype);
          const c = add(a, b, alpha);
          expect(c.shape).toEqual(as);
          expectClose(c, addRef(a.toArray(), as, b.toArray(), alpha), dtype === 'float32' ? 1e-6 : 1e-15, `add ${as} + ${bs}`);
        });
      }
    }
    tidy(() => expect(sub(tensor([3, 4]), tensor([1, 1])).toArray()).toEqual([2, 3]));
  });

  test('backward matches finite differences in float64 (same shape and row broadcast)', () => {
    for (const bShape of [[3, 4], [4], [1, 4]]) {
      const a = rng.randn([3, 4], 'float64', true);
      const b = rng.randn(bShape, 'float64', true);
      for (const alpha of [1, -0.5]) {
        const r = gradcheck((x, y) => add(x, y, alpha), [a, b]);
        expect(r.ok ? 'ok' : r).toBe('ok');
      }
      a.dispose();
      b.dispose();
    }
  });

  test('bad shapes and dtypes throw errors naming the op', () => {
    tidy(() => {
      const a = tensor(new Float32Array(6), [2, 3]);
      expect(() => add(a, tensor(new Float32Array(8), [2, 4]))).toThrow(/^add: expected B to have A's shape \[2, 3\] or be a row vector \[3\], got \[2, 4\]/);
      expect(() => add(a, tensor(new Float64Array(6), [2, 3]))).toThrow(/add: expected A and B to share a dtype, got float32 and float64/);
      try {
        add(a, tensor(new Float32Array(2), [2]));
      } catch (e) {
        expect(e).toBeInstanceOf(MmgError);
        expect((e as MmgError).code).toBe('MMG_E_SHAPE');
      }
      expect(add(a, a).shape).toEqual([2, 3]);
    });
  });
});
