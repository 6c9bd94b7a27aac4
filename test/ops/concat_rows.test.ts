import { concatRows } from '../../lib/ops';
import { tensor, MmgError } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { Rng } from '../harness/rng';
import { concatRowsRef } from '../reference/concat_rows';

describe('concat_rows', () => {
  const rng = new Rng(61);

  test('forward matches the reference: float32, float64, int32, one piece, empty pieces, many pieces', () => {
    const cases: number[][] = [[1], [3, 4], [0, 2, 0, 5], [60, 40], [0], Array.from({ length: 30 }, (_, i) => i % 4)];
    for (const rows of cases) {
      for (const d of [1, 64]) {
        for (const dtype of ['float32', 'float64', 'int32'] as const) {
          tidy(() => {
            const parts = rows.map((r) => (dtype === 'int32' ? tensor(Array.from({ length: r * d }, (_, i) => i), [r, d], { dtype }) : rng.randn([r, d], dtype)));
            const y = concatRows(parts);
            expect(y.shape).toEqual([rows.reduce((a, b) => a + b, 0), d]);
            expect(y.toArray()).toEqual(concatRowsRef(parts.map((p) => p.toArray())));
          });
        }
      }
    }
  });

  test('large inputs copy in parallel chunks that straddle pieces', () => {
    tidy(() => {
      const parts = [rng.randn([3000, 64]), rng.randn([1, 64]), rng.randn([5000, 64])];
      expect(concatRows(parts).toArray()).toEqual(concatRowsRef(parts.map((p) => p.toArray())));
    });
  });

  test('backward is slice_rows per input; matches finite differences, incl. an input used twice', () => {
    const a = rng.randn([2, 3], 'float64', true);
    const b = rng.randn([4, 3], 'float64', true);
    const r = gradcheck((x, y) => concatRows([x, y, x]), [a, b]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    a.dispose();
    b.dispose();
  });

  test('mismatched columns, dtypes and ranks throw errors naming the op and the input', () => {
    tidy(() => {
      const a = tensor(new Float32Array(6), [2, 3]);
      expect(() => concatRows([a, tensor(new Float32Array(4), [2, 2])])).toThrow(
        /^concat_rows: expected every input to have 3 columns like input #0, got \[2, 2\] for input #1/,
      );
      expect(() => concatRows([a, tensor(new Float64Array(3), [1, 3])])).toThrow(/^concat_rows: expected input #0 and input #1 to share a dtype, got float32 and float64/);
      expect(() => concatRows([a, tensor(new Float32Array(3), [3])])).toThrow(/^concat_rows: expected input #1 to have 2 dimensions/);
      expect(() => concatRows([])).toThrow(MmgError);
      try {
        concatRows([a, tensor(new Float32Array(4), [2, 2])]);
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_SHAPE');
      }
    });
  });
});
