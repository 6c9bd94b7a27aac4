import { randLike } from '../../lib/ops';
import { tensor, zeros } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { FLOAT_DTYPES, SHAPES, expectMmgError } from '../harness/op_cases';
import { randLikeRef } from '../reference/rand_like';
import * as fc from 'fast-check';

describe('rand_like', () => {
  test('matches the counter-based reference bit for bit in float32 and float64 (one row, empty, multi-chunk shapes)', () => {
    for (const shape of SHAPES)
      for (const dtype of FLOAT_DTYPES)
        tidy(() => {
          const seed = 0x123456789abcn;
          const u = randLike(zeros(shape, { dtype }), seed);
          expect(u.shape).toEqual(shape);
          expect(u.dtype).toBe(dtype);
          expect(u.requiresGrad).toBe(false);
          const n = shape.reduce((a, b) => a * b, 1);
          // Check the whole tensor for small shapes, and the first and last few thousand elements of the big one.
          const got = u.toArray();
          const want = randLikeRef(Math.min(n, 3000), seed, dtype as 'float32' | 'float64');
          expect(got.slice(0, want.length)).toEqual(want);
          if (n > 3000) {
            const tail = randLikeRef(n, seed, dtype as 'float32' | 'float64').slice(n - 50);
            expect(got.slice(n - 50)).toEqual(tail);
          }
        });
  });

  test('values lie in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12; x values are not read', () => {
    tidy(() => {
      for (const dtype of FLOAT_DTYPES) {
        const u = randLike(tensor(new Float64Array(200000).fill(NaN), [400, 500], { dtype }), 7).toArray();
        expect(u.reduce((a, b) => Math.min(a, b), Infinity)).toBeGreaterThanOrEqual(0);
        expect(u.reduce((a, b) => Math.max(a, b), -Infinity)).toBeLessThan(1);
        const m = u.reduce((a, b) => a + b, 0) / u.length;
        const v = u.reduce((a, b) => a + (b - m) ** 2, 0) / u.length;
        expect(Math.abs(m - 0.5)).toBeLessThan(0.005);
        expect(Math.abs(v - 1 / 12)).toBeLessThan(0.002);
      }
    });
  });

  test('property: the same seed gives the same values, different seeds different ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 1000 }), (seed, delta) =>
        tidy(() => {
          const x = zeros([3, 7], { dtype: 'float64' });
          const a = randLike(x, seed).toArray();
          return JSON.stringify(a) === JSON.stringify(randLike(x, seed).toArray()) && JSON.stringify(a) !== JSON.stringify(randLike(x, seed + delta).toArray());
        }),
      ),
      { numRuns: 30 },
    );
  });

  test('errors name the op and what it expected; the process survives', () => {
    tidy(() => {
      expectMmgError(() => randLike(tensor([1, 2], [2], { dtype: 'int32' }), 1), /^rand_like: expected X to be float32 or float64, got int32/, 'MMG_E_DTYPE');
      expectMmgError(() => runOp1('rand_like', [zeros([2])], [-1, 0]), /^rand_like: expected seed_lo to be an integer in \[0, 2\^32\), got -1/, 'MMG_E_ARG');
      expectMmgError(() => randLike(zeros([2]), -3), /expected a seed that is a non-negative safe integer/, 'MMG_E_ARG');
      expect(randLike(zeros([2]), 1).shape).toEqual([2]);
    });
  });
});
