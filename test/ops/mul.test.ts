import * as fc from 'fast-check';
import { mul } from '../../lib/ops';
import { backward, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, tolFor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { mulRef } from '../reference/mul';
import { colSumRef } from '../reference/add';

const CASES: Array<[number[], number[], boolean]> = [
  [[1, 1], [1, 1], false],
  [[1, 6], [6], true],
  [[0, 4], [4], true],
  [[17, 5], [17, 5], false],
  [[17, 5], [1, 5], true],
  [[400, 130], [130], true],
  [[400, 130], [400, 130], false],
];

describe('mul', () => {
  const rng = new Rng(31);

  test.each(CASES)('forward matches the reference: A %j, B %j (broadcast %s), float32 and float64', (as, bs, bc) => {
    for (const dtype of FLOAT_DTYPES)
      tidy(() => {
        const a = rng.randn(as, dtype);
        const b = rng.randn(bs, dtype);
        const c = mul(a, b);
        expect(c.shape).toEqual(as);
        expectClose(c, mulRef(a.toArray(), b.toArray(), as[as.length - 1], bc), tolFor(dtype));
      });
  });

  test.each(CASES.filter(([as]) => as[0] <= 17))('backward matches finite differences (float64): A %j, B %j', (as, bs) => {
    const a = rng.randn(as, 'float64', true);
    const b = rng.randn(bs, 'float64', true);
    const r = gradcheck((x, y) => mul(x, y), [a, b]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    a.dispose();
    b.dispose();
  });

  test('x·x differentiates to 2x (one tensor in both slots)', () => {
    const x = rng.randn([3, 4], 'float64', true);
    tidy(() => backward(mul(x, x), tensor(new Float64Array(12).fill(1), [3, 4], { dtype: 'float64' })));
    expectClose(x.grad!, x.toArray().map((v) => 2 * v), 1e-15);
    x.dispose();
  });

  test('the broadcast gradient is Σ_rows g ⊙ A over many rows (float32, double accumulation)', () => {
    const a = rng.randn([5000, 3], 'float32');
    const b = rng.randn([3], 'float32', true);
    const g = rng.randn([5000, 3], 'float32');
    tidy(() => backward(mul(a, b), g));
    const ga = g.toArray().map((v, i) => v * a.toArray()[i]);
    expectClose(b.grad!, colSumRef(ga, 3), 1e-6);
    [a, b, g].forEach((t) => t.dispose());
  });

  test('wrong shapes and dtypes throw MmgErrors that start with "mul: expected"', () => {
    tidy(() => {
      const a = tensor(new Float32Array(6), [2, 3]);
      expectMmgError(() => mul(a, tensor(new Float32Array(2), [2])), /^mul: expected B to have A's shape \[2, 3\] or be a row vector \[3\], got \[2\]/, 'MMG_E_SHAPE');
      expectMmgError(() => mul(a, tensor(new Float32Array(6), [3, 2])), /^mul: expected/, 'MMG_E_SHAPE');
      expectMmgError(() => mul(a, tensor(new Float64Array(6), [2, 3])), /^mul: expected A and B to share a dtype/, 'MMG_E_DTYPE');
      expect(mul(a, tensor(new Float32Array(3), [1, 3])).shape).toEqual([2, 3]);
    });
  });

  test('random shapes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.boolean(), (m, n, bc) =>
        tidy(() => {
          const a = rng.randn([m, n]);
          const b = rng.randn(bc ? [n] : [m, n]);
          expectClose(mul(a, b), mulRef(a.toArray(), b.toArray(), n, bc), 1e-15);
          return true;
        }),
      ),
      { numRuns: 40 },
    );
  });
});
