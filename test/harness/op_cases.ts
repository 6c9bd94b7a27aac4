/**
 * Shared cases for elementwise and row-wise op tests: the shapes every op must handle (one row,
 * zero rows, odd sizes, sizes that span several parallel chunks), an error-assertion helper, and a
 * standard suite for one-input elementwise ops (forward vs a scalar reference, gradcheck, errors).
 */
import { MmgError, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { tensor, type DType } from '../../lib/tensor';
import { expectClose } from './compare';
import { gradcheck } from './gradcheck';
import { Rng } from './rng';

export const FLOAT_DTYPES: readonly DType[] = ['float32', 'float64'];
/** One row, zero rows, a scalar-like row, odd sizes, and one size spanning several 32k chunks. */
export const SHAPES: readonly number[][] = [[1, 1], [1, 9], [0, 4], [17, 5], [3], [300, 230]];
export const tolFor = (dtype: DType, f32 = 2e-6, f64 = 1e-13): number => (dtype === 'float32' ? f32 : f64);

/** Asserts fn throws an MmgError with `code` whose message matches `re`. */
export function expectMmgError(fn: () => unknown, re: RegExp, code?: string): void {
  let err: unknown = null;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MmgError);
  expect((err as MmgError).message).toMatch(re);
  if (code) expect((err as MmgError).code).toBe(code);
}

/** Random values, optionally mapped (e.g. to a positive domain), as a tensor. */
export function randTensor(rng: Rng, shape: number[], dtype: DType, map?: (v: number) => number, requiresGrad = false): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = rng.normals(n).map((x) => (map ? map(x) : x));
  return tensor(v, shape, { dtype, requiresGrad });
}

export interface UnarySuite {
  op: string;
  fn: (x: Tensor) => Tensor;
  ref: (x: number) => number;
  /** Maps a standard normal sample into the op's domain (log needs x > 0). */
  domain?: (v: number) => number;
  /** The backward kernel and whether it takes x or y first; absent when the backward reuses another kernel. */
  backward?: { kernel: string; attrs?: number[] };
  f32Tol?: number;
}

/** The standard tests of a one-input elementwise op, to be called inside its describe block. */
export function unarySuite(s: UnarySuite): void {
  const rng = new Rng(s.op.length * 101 + 3);

  test('forward matches the reference in float32 and float64: one row, empty, 1-D and multi-chunk shapes', () => {
    for (const shape of SHAPES)
      for (const dtype of FLOAT_DTYPES)
        tidy(() => {
          const x = randTensor(rng, shape, dtype, s.domain);
          const y = s.fn(x);
          expect(y.shape).toEqual(shape);
          expect(y.dtype).toBe(dtype);
          expectClose(y, x.toArray().map(s.ref), tolFor(dtype, s.f32Tol), `${s.op} ${dtype} [${shape}]`);
        });
  });

  test('a scalar input works', () => {
    tidy(() => {
      const x = tensor([s.domain ? s.domain(0.3) : 0.3], [], { dtype: 'float64' });
      expect(s.fn(x).shape).toEqual([]);
      expect(s.fn(x).item()).toBeCloseTo(s.ref(x.item()), 12);
    });
  });

  test('backward matches finite differences (float64)', () => {
    const x = randTensor(rng, [4, 3], 'float64', s.domain, true);
    const r = gradcheck((a) => s.fn(a), [x]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    x.dispose();
  });

  test(`integer input and mismatched backward shapes throw errors that start with "${s.op}"`, () => {
    tidy(() => {
      expectMmgError(() => s.fn(tensor([1, 2], [2], { dtype: 'int32' })), new RegExp(`^${s.op}: expected x to be float32 or float64, got int32`), 'MMG_E_DTYPE');
      if (s.backward) {
        const a = tensor(new Float64Array(6).fill(0.5), [2, 3]);
        const g = tensor(new Float64Array(6), [3, 2]);
        expectMmgError(() => runOp1(s.backward!.kernel, [a, g], s.backward!.attrs ?? []), new RegExp(`^${s.backward.kernel}: expected`), 'MMG_E_SHAPE');
      }
      // The process survives and the op still works.
      expect(s.fn(tensor([0.5], [1])).shape).toEqual([1]);
    });
  });
}
