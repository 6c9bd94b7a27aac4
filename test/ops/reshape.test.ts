import { reshape, mul } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { reshapeShapeRef } from '../reference/reshape';

const CASES: Array<[number[], number[]]> = [
  [[1, 6], [6]],
  [[2, 3], [3, 2]],
  [[2, 3], [-1]],
  [[4, 6], [2, -1, 3]],
  [[0, 4], [4, 0]],
  [[0, 4], [-1, 2]],
  [[1], []],
  [[], [1, 1]],
  [[300, 230], [230, -1]],
];

describe('reshape', () => {
  const rng = new Rng(121);

  test.each(CASES)('%j → %j keeps the row-major values (float32, float64, int32, int64)', (from, to) => {
    for (const dtype of [...FLOAT_DTYPES, 'int32', 'int64'] as const)
      tidy(() => {
        const n = from.reduce((a, b) => a * b, 1);
        const x = tensor(Array.from({ length: n }, (_, i) => i - 3), from, { dtype });
        const y = reshape(x, to);
        expect(y.shape).toEqual(reshapeShapeRef(n, to));
        expect(y.dtype).toBe(dtype);
        expect(y.toArray()).toEqual(x.toArray());
      });
  });

  test('the result is a copy: writing to it leaves x unchanged', () => {
    tidy(() => {
      const x = tensor([1, 2, 3, 4], [2, 2]);
      const y = reshape(x, [4]);
      (y.data() as Float32Array)[0] = 99;
      expect(x.toArray()).toEqual([1, 2, 3, 4]);
    });
  });

  test('backward reshapes g back (gradcheck, float64)', () => {
    const x = rng.randn([4, 3], 'float64', true);
    const w = rng.randn([2, 6], 'float64');
    const r = gradcheck((a) => mul(reshape(a, [2, -1]), w), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    [x, w].forEach((t) => t.dispose());
  });

  test('incompatible shapes throw MmgErrors that start with "reshape: expected"', () => {
    tidy(() => {
      const x = rng.randn([2, 3]);
      expectMmgError(() => reshape(x, [4, 2]), /^reshape: expected a shape with 6 elements \(x is \[2, 3\]\), got \[4, 2\]/, 'MMG_E_SHAPE');
      expectMmgError(() => reshape(x, [4, -1]), /^reshape: expected a shape whose -1 fits 6 elements, got \[4, -1\]/, 'MMG_E_SHAPE');
      expectMmgError(() => reshape(x, [-1, -1]), /^reshape: expected at most one -1/, 'MMG_E_ARG');
      expectMmgError(() => reshape(x, [1.5, 4]), /^reshape: expected an integer/, 'MMG_E_ARG');
      expectMmgError(() => reshape(x, [1, 1, 1, 2, 3]), /^reshape: expected at most 4 dimensions, got 5/, 'MMG_E_ARG');
      expect(reshape(x, [3, 2]).shape).toEqual([3, 2]);
    });
  });
});
