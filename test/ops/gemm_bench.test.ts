import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { expectClose } from '../harness/compare';
import { Rng } from '../harness/rng';
import { matmulRef } from '../reference/matmul';

// gemm_bench forces one GEMM implementation; CI without Eigen runs the built-in kernel everywhere,
// so every implementation is checked here against the plain-TS reference (odd sizes hit the edge tiles).
describe('gemm_bench (every GEMM implementation)', () => {
  const rng = new Rng(4);
  test.each([0, 1, 2, 3])('impl %i matches the reference for all transposes, float32 and float64', (impl) => {
    for (const [m, k, n] of [[1, 1, 1], [7, 300, 19], [97, 33, 70], [130, 520, 17]])
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]])
        for (const dtype of ['float32', 'float64'] as const)
          tidy(() => {
            const aShape = ta ? [k, m] : [m, k];
            const bShape = tb ? [n, k] : [k, n];
            const a = rng.randn(aShape, dtype);
            const b = rng.randn(bShape, dtype);
            const c = runOp1('gemm_bench', [a, b], [impl, ta ? 1 : 0, tb ? 1 : 0]);
            expectClose(c, matmulRef(a.toArray(), aShape, b.toArray(), bShape, ta, tb).data, dtype === 'float32' ? 1e-5 : 1e-12, `impl ${impl} ${m}x${k}x${n}`);
          });
  });
  test('rejects an unknown impl', () => {
    tidy(() => {
      const a = tensor(new Float32Array(4), [2, 2]);
      expect(() => runOp1('gemm_bench', [a, a], [4])).toThrow(/^gemm_bench: expected impl in \{0 auto, 1 eigen, 2 builtin, 3 naive\}, got 4/);
    });
  });
});
