import * as fc from 'fast-check';
import { linear } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { linearRef } from '../reference/linear';

// [n, in, out]
const SIZES: number[][] = [[1, 1, 1], [1, 7, 3], [0, 4, 5], [13, 37, 29], [200, 64, 130], [5, 0, 3]];

describe('linear', () => {
  const rng = new Rng(111);

  test.each(SIZES)('forward matches the reference for n=%i in=%i out=%i, with and without bias, float32 and float64', (n, i, o) => {
    for (const dtype of FLOAT_DTYPES)
      for (const withBias of [true, false])
        tidy(() => {
          const x = rng.randn([n, i], dtype);
          const w = rng.randn([o, i], dtype);
          const b = withBias ? rng.randn([o], dtype) : null;
          const y = linear(x, w, b);
          expect(y.shape).toEqual([n, o]);
          expectClose(y, linearRef(x.toArray(), w.toArray(), b ? b.toArray() : null, n, i, o), dtype === 'float32' ? 1e-5 : 1e-12);
        });
  });

  test('backward matches finite differences (float64) for x, W and b, and without bias', () => {
    const x = rng.randn([4, 3], 'float64', true);
    const w = rng.randn([5, 3], 'float64', true);
    const b = rng.randn([5], 'float64', true);
    const r = gradcheck((a, c, d) => linear(a, c, d), [x, w, b]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    const r2 = gradcheck((a, c) => linear(a, c), [x, w]);
    expect(r2.ok ? 'ok' : r2).toBe('ok');
    [x, w, b].forEach((t) => t.dispose());
  });

  test('random sizes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), (n, i, o) =>
        tidy(() => {
          const x = rng.randn([n, i]);
          const w = rng.randn([o, i]);
          const b = rng.randn([o]);
          expectClose(linear(x, w, b), linearRef(x.toArray(), w.toArray(), b.toArray(), n, i, o), 1e-12);
          return true;
        }),
      ),
      { numRuns: 30 },
    );
  });

  test('wrong shapes throw MmgErrors that start with "linear: expected"', () => {
    tidy(() => {
      const x = rng.randn([2, 3]);
      expectMmgError(() => linear(x, rng.randn([4, 2])), /^linear: expected W \[out, 3\] for x \[2, 3\], got W \[4, 2\]/, 'MMG_E_SHAPE');
      expectMmgError(() => linear(x, rng.randn([4, 3]), rng.randn([3])), /^linear: expected b \[4\] for W \[4, 3\], got b \[3\]/, 'MMG_E_SHAPE');
      expectMmgError(() => linear(rng.randn([3]), rng.randn([4, 3])), /^linear: expected x to have 2 dimensions/, 'MMG_E_SHAPE');
      expectMmgError(() => linear(x, rng.randn([4, 3], 'float32')), /^linear: expected x and W to share a dtype/, 'MMG_E_DTYPE');
      expect(linear(x, rng.randn([4, 3])).shape).toEqual([2, 4]);
    });
  });
});
