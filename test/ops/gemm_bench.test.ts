/**
 * gemm_bench runs one GEMM implementation by choice; the benchmark compares them, so they must
 * agree: Eigen (when built), the built-in packed kernel (both SIMD clones pick one here) and the
 * naive loop, on shapes that exercise partial register tiles and several K blocks.
 */
import { tensor, MmgError, loadAddon } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { matmulRef } from '../reference/matmul';

describe('gemm_bench', () => {
  const rng = new Rng(21);
  test.each([
    [7, 300, 13, false, false],
    [37, 257, 70, true, false],
    [64, 513, 17, false, true],
    [5, 3, 3, true, true],
    // Full register tiles of every SIMD level (AVX-512 12x32, AVX2 6x16 float) read from A in place,
    // their edges, and three K blocks accumulated into C.
    [30, 600, 70, false, false],
    [30, 600, 70, false, true],
  ])('impl 0..4 agree with the reference (m=%i k=%i n=%i transA=%s transB=%s)', (m, k, n, ta, tb) => {
    for (const dtype of ['float32', 'float64'] as const)
      tidy(() => {
        const aShape = ta ? [k, m] : [m, k];
        const bShape = tb ? [n, k] : [k, n];
        const a = rng.randn(aShape, dtype);
        const b = rng.randn(bShape, dtype);
        const ref = matmulRef(a.toArray(), aShape, b.toArray(), bShape, ta, tb).data;
        for (const impl of [0, 1, 2, 3, 4]) {
          const c = runOp1('gemm_bench', [a, b], [impl, ta ? 1 : 0, tb ? 1 : 0]);
          expect(c.shape).toEqual([m, n]);
          expectClose(c, ref, dtype === 'float32' ? 2e-5 : 1e-12, `impl ${impl} (${loadAddon().buildInfo.gemm} build)`);
        }
      });
  });

  test('with C0 every implementation adds the product to it (beta = 1), and a C0 of another shape is refused', () => {
    for (const [m, k, n, tb] of [[37, 70, 65, 1], [1100, 64, 64, 1], [40, 64, 100, 0]])
      for (const dtype of ['float32', 'float64'] as const)
        tidy(() => {
          const a = rng.randn([m, k], dtype), b = rng.randn(tb ? [n, k] : [k, n], dtype), c0 = rng.randn([m, n], dtype);
          const ca = c0.toArray();
          const ref = Array.from(matmulRef(a.toArray(), [m, k], b.toArray(), tb ? [n, k] : [k, n], false, tb === 1).data, (v, i) => v + ca[i]);
          for (const impl of [0, 1, 2, 4]) expectClose(runOp1('gemm_bench', [a, b, c0], [impl, 0, tb]), ref, dtype === 'float32' ? 2e-5 : 1e-12, `impl ${impl}`);
          expect(c0.toArray()).toEqual(ca);
        });
    tidy(() => {
      const a = tensor(new Float32Array(6), [2, 3]), b = tensor(new Float32Array(12), [3, 4]), c0 = tensor(new Float32Array(8), [4, 2]);
      expect(() => runOp1('gemm_bench', [a, b, c0], [0])).toThrow(/^gemm_bench: expected C0 \[2, 4\], got C0 \[4, 2\]/);
    });
  });

  test('an unknown implementation is refused', () => {
    tidy(() => {
      const a = tensor(new Float32Array(4), [2, 2]);
      expect(() => runOp1('gemm_bench', [a, a], [7])).toThrow(MmgError);
      expect(() => runOp1('gemm_bench', [a, a], [7])).toThrow(/^gemm_bench: expected impl in \{0 auto, 1 eigen, 2 builtin, 3 naive, 4 eigen-avx2\}, got 7/);
    });
  });
});
