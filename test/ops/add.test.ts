import * as fc from 'fast-check';
import { add, sub } from '../../lib/ops';
import { backward, tensor, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, tolFor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { addRef, colSumRef } from '../reference/add';

// [A shape, B shape, broadcast]
const CASES: Array<[number[], number[], boolean]> = [
  [[1, 1], [1, 1], false],
  [[1, 6], [6], true],
  [[0, 4], [4], true],
  [[0, 4], [0, 4], false],
  [[17, 5], [17, 5], false],
  [[17, 5], [5], true],
  [[17, 5], [1, 5], true],
  [[400, 130], [130], true],
  [[5], [5], false],
];

function suite(name: 'add' | 'sub', f: (a: Tensor, b: Tensor) => Tensor, alpha: number): void {
  const rng = new Rng(name === 'add' ? 21 : 22);

  test.each(CASES)('forward matches the reference: A %j, B %j (broadcast %s), float32 and float64', (as, bs, bc) => {
    for (const dtype of FLOAT_DTYPES)
      tidy(() => {
        const a = rng.randn(as, dtype);
        const b = rng.randn(bs, dtype);
        const c = f(a, b);
        expect(c.shape).toEqual(as);
        expectClose(c, addRef(a.toArray(), b.toArray(), as[as.length - 1], bc, alpha), tolFor(dtype), `${name} ${as}+${bs}`);
      });
  });

  test.each(CASES.filter(([as]) => as[0] <= 17))('backward matches finite differences (float64): A %j, B %j', (as, bs) => {
    const a = rng.randn(as, 'float64', true);
    const b = rng.randn(bs, 'float64', true);
    const r = gradcheck((x, y) => f(x, y), [a, b]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    a.dispose();
    b.dispose();
  });

  test('the gradient of a broadcast B is the column sum of g (large, float32, exact order-independent check)', () => {
    const a = rng.randn([3000, 7], 'float32', true);
    const b = rng.randn([7], 'float32', true);
    const g = rng.randn([3000, 7], 'float32');
    tidy(() => backward(f(a, b), g));
    expectClose(b.grad!, colSumRef(g.toArray(), 7).map((v) => alpha * v), 1e-6);
    expectClose(a.grad!, g.toArray(), 0);
    [a, b, g].forEach((t) => t.dispose());
  });

  test('a wrong B shape or dtype throws an MmgError naming the op; the process survives', () => {
    const re = (rest: string) => new RegExp(`^${name}: expected ${rest}`);
    tidy(() => {
      const a = tensor(new Float32Array(6), [2, 3]);
      expectMmgError(() => f(a, tensor(new Float32Array(2), [2])), re("B to have A's shape \\[2, 3\\] or be a row vector \\[3\\], got \\[2\\]"), 'MMG_E_SHAPE');
      expectMmgError(() => f(a, tensor(new Float32Array(6), [3, 2])), re("B to have A's shape"), 'MMG_E_SHAPE');
      expectMmgError(() => f(a, tensor(new Float32Array(6), [6])), re(''), 'MMG_E_SHAPE');
      expectMmgError(() => f(a, tensor(new Float64Array(6), [2, 3])), re('A and B to share a dtype'), 'MMG_E_DTYPE');
      expectMmgError(() => f(tensor([1, 2], [2], { dtype: 'int32' }), tensor([1, 2], [2], { dtype: 'int32' })), re('A to be float32 or float64'), 'MMG_E_DTYPE');
      expect(f(a, tensor(new Float32Array(3), [3])).shape).toEqual([2, 3]);
    });
  });

  test('random broadcast shapes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), (m, n, bc) =>
        tidy(() => {
          const a = rng.randn([m, n]);
          const b = rng.randn(bc ? [n] : [m, n]);
          expectClose(f(a, b), addRef(a.toArray(), b.toArray(), n, bc, alpha), 1e-15);
          return true;
        }),
      ),
      { numRuns: 40 },
    );
  });
}

describe('add', () => {
  suite('add', (a, b) => add(a, b), 1);

  test('alpha scales B and its gradient', () => {
    const a = tensor([1, 2, 3, 4], [2, 2], { dtype: 'float64', requiresGrad: true });
    const b = tensor([10, 20], [2], { dtype: 'float64', requiresGrad: true });
    tidy(() => {
      const c = add(a, b, 0.5);
      expect(c.toArray()).toEqual([6, 12, 8, 14]);
      backward(c, tensor([1, 1, 1, 1], [2, 2], { dtype: 'float64' }));
    });
    expect(b.grad!.toArray()).toEqual([1, 1]);
    a.dispose();
    b.dispose();
  });
});

describe('sub', () => {
  suite('sub', sub, -1);
});
