import { modulusPerturb, mul, sum, type PerturbMode } from '../../lib/ops';
import { tensor, backward, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp1 } from '../../lib/ops/run';
import { gradcheck } from '../harness/gradcheck';
import { Rng } from '../harness/rng';
import { expectClose } from '../harness/compare';
import { expectMmgError } from '../harness/op_cases';
import { modulusPerturbRef } from '../reference/modulus_perturb';

const MODES: PerturbMode[] = ['ratio', 'mean_scaled', 'inverse'];

/** ‖row r of x − y‖ for every row. */
function rowDistances(x: number[], y: number[], n: number, d: number): number[] {
  return Array.from({ length: n }, (_, r) => Math.sqrt(Array.from({ length: d }, (_, j) => (x[r * d + j] - y[r * d + j]) ** 2).reduce((a, b) => a + b, 0)));
}
const rowNorms = (x: number[], n: number, d: number) => rowDistances(x, new Array<number>(x.length).fill(0), n, d);

describe('modulus_perturb', () => {
  const rng = new Rng(83);

  test('matches the reference (same splitmix64 draws) in float32 and float64, every mode, one row, empty and large shapes', () => {
    for (const [n, d] of [[1, 1], [1, 9], [0, 4], [4, 0], [17, 5], [300, 230]])
      for (const dtype of ['float32', 'float64'] as const)
        for (const mode of MODES)
          tidy(() => {
            const e = rng.randn([n, d], dtype);
            const seed = 0x9abcdef012n;
            const p = modulusPerturb(e, 0.1, seed, mode);
            expect(p.shape).toEqual([n, d]);
            expect(p.dtype).toBe(dtype);
            expectClose(p, modulusPerturbRef(e.toArray(), n, d, 0.1, seed, mode, dtype), dtype === 'float32' ? 1e-6 : 1e-14, `${mode} ${dtype} [${n}, ${d}]`);
          });
  });

  test('ratio: ‖P(e)_r − e_r‖ = ε‖e_r‖ per row; the noise points along sign(e)', () => {
    tidy(() => {
      const n = 40;
      const d = 64;
      const e = rng.randn([n, d]);
      // Rows of very different moduli: the absolute noise follows each row's own norm.
      const scaled = tensor(e.toArray().map((v, i) => v * 10 ** ((Math.floor(i / d) % 5) - 2)), [n, d], { dtype: 'float64' });
      const x = scaled.toArray();
      for (const eps of [0.01, 0.1, 0.5]) {
        const p = modulusPerturb(scaled, eps, 5).toArray();
        const dist = rowDistances(p, x, n, d);
        rowNorms(x, n, d).forEach((nr, r) => expect(Math.abs(dist[r] - eps * nr)).toBeLessThanOrEqual(1e-12 * nr));
        for (let i = 0; i < x.length; i++) expect(Math.sign(p[i] - x[i])).toBe(Math.sign(x[i]));
      }
    });
  });

  test('mean_scaled keeps the mean noise norm at ε (∝ ‖e_r‖); inverse gives ε·mean‖e‖/‖e_r‖', () => {
    tidy(() => {
      const n = 30;
      const d = 16;
      const x = rng.randn([n, d]).toArray().map((v, i) => v * (1 + (Math.floor(i / d) % 7)));
      const e = tensor(x, [n, d], { dtype: 'float64' });
      const norms = rowNorms(x, n, d);
      const mean = norms.reduce((a, b) => a + b, 0) / n;
      const eps = 0.2;
      const ms = rowDistances(modulusPerturb(e, eps, 11, 'mean_scaled').toArray(), x, n, d);
      ms.forEach((g, r) => expect(Math.abs(g - (eps * norms[r]) / mean)).toBeLessThan(1e-12));
      expect(Math.abs(ms.reduce((a, b) => a + b, 0) / n - eps)).toBeLessThan(1e-12);
      const inv = rowDistances(modulusPerturb(e, eps, 11, 'inverse').toArray(), x, n, d);
      inv.forEach((g, r) => expect(Math.abs(g - (eps * mean) / norms[r])).toBeLessThan(1e-12));
    });
  });

  test('zero entries and zero rows get no noise, in every mode; an all-zero matrix comes back unchanged', () => {
    tidy(() => {
      const x = [0, 0, 0, 1, 0, -2, 3, 4, 5];
      for (const mode of MODES) {
        const p = modulusPerturb(tensor(x, [3, 3], { dtype: 'float64' }), 0.3, 2, mode).toArray();
        expect(p.slice(0, 3)).toEqual([0, 0, 0]);
        expect(p[4]).toBe(0);
        expect(p[3]).toBeGreaterThan(1);
        expect(p[5]).toBeLessThan(-2);
        expect(modulusPerturb(tensor(new Float64Array(6), [2, 3]), 0.3, 2, mode).toArray()).toEqual([0, 0, 0, 0, 0, 0]);
      }
      // eps = 0 is the identity.
      const e = rng.randn([5, 4]);
      expect(modulusPerturb(e, 0, 9).toArray()).toEqual(e.toArray());
    });
  });

  test('the same seed gives the same output, a different seed a different one (float32 and float64)', () => {
    tidy(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const e = rng.randn([8, 6], dtype);
        for (const mode of MODES) {
          const a = modulusPerturb(e, 0.1, 123, mode).toArray();
          expect(modulusPerturb(e, 0.1, 123, mode).toArray()).toEqual(a);
          expect(modulusPerturb(e, 0.1, 124, mode).toArray()).not.toEqual(a);
          expect(modulusPerturb(e, 0.1, 123n + (1n << 40n), mode).toArray()).not.toEqual(a);
        }
      }
    });
  });

  test('backward is the identity (the noise and the norms are detached); finite differences at eps = 0', () => {
    for (const mode of MODES) {
      const e = rng.randn([6, 5], 'float64', true);
      const w = rng.randn([6, 5], 'float64');
      tidy(() => backward(sum(mul(modulusPerturb(e, 0.3, 4, mode), w))));
      expect(e.grad!.toArray()).toEqual(w.toArray());
      e.grad!.dispose();
      e.grad = null;
      // With ε = 0 the op is the identity map, so finite differences must agree with the pass-through.
      const r = gradcheck((x) => modulusPerturb(x, 0, 4, mode), [e]);
      expect(r.ok ? 'ok' : r).toBe('ok');
      e.dispose();
      w.dispose();
    }
  });

  test('bad inputs throw errors naming the op', () => {
    tidy(() => {
      const e = rng.randn([3, 2], 'float32');
      expectMmgError(() => modulusPerturb(tensor([1, 2], [1, 2], { dtype: 'int32' }), 0.1, 1), /^modulus_perturb: expected E to be float32 or float64, got int32/, 'MMG_E_DTYPE');
      expectMmgError(() => modulusPerturb(rng.randn([6], 'float32'), 0.1, 1), /^modulus_perturb: expected E to have 2 dimensions, got shape \[6\]/, 'MMG_E_SHAPE');
      for (const eps of [-0.1, NaN, Infinity]) expectMmgError(() => modulusPerturb(e, eps, 1), /^modulus_perturb: expected a finite eps >= 0/, 'MMG_E_ARG');
      expectMmgError(() => modulusPerturb(e, 0.1, -1), /^modulus_perturb: expected a seed that is a non-negative safe integer/, 'MMG_E_ARG');
      expectMmgError(() => modulusPerturb(e, 0.1, 1, 'loud' as PerturbMode), /^modulus_perturb: expected mode 'ratio', 'mean_scaled' or 'inverse', got loud/, 'MMG_E_ARG');
      expectMmgError(() => runOp1('modulus_perturb', [e], [0.1, 1, 0, 3]), /^modulus_perturb: expected mode 0 \(ratio\), 1 \(mean_scaled\) or 2 \(inverse\), got 3/, 'MMG_E_ARG');
      expectMmgError(() => runOp1('modulus_perturb', [e], [0.1, 1.5, 0]), /^modulus_perturb: expected seed_lo to be an integer in \[0, 2\^32\), got 1.5/, 'MMG_E_ARG');
    });
  });
});
