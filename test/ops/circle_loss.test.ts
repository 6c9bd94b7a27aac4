import * as fc from 'fast-check';
import { circleLoss, scale } from '../../lib/ops';
import { tensor, backward, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { expectMmgError } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { expectClose } from '../harness/compare';
import { circleLossNaive, circleLossRef, cosines } from '../reference/circle_loss';

type Path = 'auto' | 'full' | 'tiled';

/** dL/da, dL/db from the op's backward, with an upstream gradient g (not 1, so its scaling is checked). */
function opGrads(a: Tensor, b: Tensor, margin: number, gamma: number, g: number, backwardPath: Path = 'auto'): [number[], number[]] {
  for (const t of [a, b]) {
    t.grad?.dispose();
    t.grad = null;
  }
  tidy(() => backward(scale(circleLoss(a, b, { margin, gamma, backwardPath }), g)));
  const out: [number[], number[]] = [a.grad!.toArray(), b.grad!.toArray()];
  for (const t of [a, b]) {
    t.grad!.dispose();
    t.grad = null;
  }
  return out;
}

/**
 * Central differences of g·L on the float64 reference with α_p, α_n held at their values at the
 * unperturbed point: the weights are constants for the gradient, so that surrogate is the function
 * whose derivative the backward computes. `shared`: a and b are one tensor (both roles move).
 * `rows`: the rows whose entries are perturbed (default all); other entries are NaN.
 */
function fdGrads(a: number[], b: number[], n: number, d: number, margin: number, gamma: number, g: number, shared = false, rows?: number[], h = 1e-6) {
  const W = cosines(a, b, n, d);
  const f = (x: number[], y: number[]) => g * circleLossRef(x, y, n, d, margin, gamma, W);
  const diff = (which: 'a' | 'b') => {
    const out = new Array<number>(n * d).fill(NaN);
    for (const r of rows ?? [...Array(n).keys()]) {
      for (let k = r * d; k < (r + 1) * d; k++) {
        const at = (delta: number) => {
          const x = a.slice();
          const y = b.slice();
          if (which === 'a' || shared) x[k] += delta;
          if (which === 'b' || shared) y[k] += delta;
          return f(x, y);
        };
        out[k] = (at(h) - at(-h)) / (2 * h);
      }
    }
    return out;
  };
  return shared ? [diff('a')] : [diff('a'), diff('b')];
}

function expectGradsClose(analytic: number[], numeric: number[], tol: number, what: string) {
  let worst = 0;
  let ref = 1e-300;
  for (let i = 0; i < numeric.length; i++) {
    if (Number.isNaN(numeric[i])) continue;  // not perturbed
    worst = Math.max(worst, Math.abs(analytic[i] - numeric[i]));
    ref = Math.max(ref, Math.abs(numeric[i]));
  }
  if (!(worst <= tol * Math.max(1, ref))) throw new Error(`${what}: max error ${worst.toExponential(3)} (max |grad| ${ref.toExponential(3)}) exceeds ${tol}`);
}

describe('circle_loss', () => {
  const rng = new Rng(47);

  test('forward matches the reference, float32 and float64, incl. one row, block edges and SynerGraph settings', () => {
    for (const [n, d] of [[1, 1], [1, 64], [2, 3], [5, 3], [63, 8], [64, 8], [65, 8], [200, 64]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const [margin, gamma] of [[0.25, 80], [0.4, 16], [0, 1], [1, 32]]) {
          tidy(() => {
            const a = rng.randn([n, d], dtype);
            const b = rng.randn([n, d], dtype);
            const l = circleLoss(a, b, { margin, gamma });
            expect(l.shape).toEqual([]);
            expect(l.dtype).toBe(dtype);
            const ref = circleLossRef(a.toArray(), b.toArray(), n, d, margin, gamma);
            // float32: cosines carry ~1e-7 absolute error, which the logits scale by up to 2γ.
            const tol = dtype === 'float32' ? 1e-6 * gamma : 1e-12;
            expect(Math.abs(l.item() - ref)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(ref)));
          });
        }
      }
    }
  });

  test("equals the spec's naive log(1 + Σ_j e^(γα_n(s_n − m))·e^(−γα_p(s_p − 1 + m))) for small batches", () => {
    for (const n of [2, 3, 4, 6]) {
      for (const [margin, gamma] of [[0.25, 1], [0.25, 16], [0.4, 32], [0.15, 64]]) {
        tidy(() => {
          const a = rng.randn([n, 5]);
          const b = rng.randn([n, 5]);
          const naive = circleLossNaive(a.toArray(), b.toArray(), n, 5, margin, gamma);
          expect(Number.isFinite(naive)).toBe(true);
          const l = circleLoss(a, b, { margin, gamma }).item();
          expect(Math.abs(l - naive)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(naive)));
        });
      }
    }
  });

  test('as gamma → 0 the loss tends to log(1 + (|B| − 1)), from above or below at rate O(gamma)', () => {
    for (const n of [2, 5, 17, 300]) {
      tidy(() => {
        const a = rng.randn([n, 6]);
        const b = rng.randn([n, 6]);
        const target = Math.log(1 + (n - 1));
        const errs = [1e-2, 1e-4, 1e-6, 1e-9].map((gamma) => Math.abs(circleLoss(a, b, { margin: 0.25, gamma }).item() - target));
        for (let k = 1; k < errs.length; k++) expect(errs[k]).toBeLessThan(errs[k - 1] * 0.05 + 1e-15);
        expect(errs[errs.length - 1]).toBeLessThan(1e-8);
      });
    }
  });

  test('large gamma (80, 256) with n = 2048 stays finite where the naive formula overflows; gradients finite', () => {
    const n = 2048;
    const d = 64;
    const a64 = rng.randn([n, d]).toArray();
    const b64 = rng.randn([n, d]).toArray();
    // Rows 0..7: b = −a, so s_p = −1 and the positive term alone is e^(γ(1 + m)·(2 − m)) ≈ e^1085 at γ = 256.
    for (let i = 0; i < 8 * d; i++) b64[i] = -a64[i];
    // Rows 8..15: a near-duplicate negative (s_n ≈ 1), the largest negative logit γ(1 + m)(1 − m).
    for (let i = 8 * d; i < 16 * d; i++) b64[i + d] = a64[i];
    for (const gamma of [80, 256]) {
      const margin = 0.25;
      const ref = circleLossRef(a64, b64, n, d, margin, gamma);
      expect(Number.isFinite(ref)).toBe(true);
      // The unshifted formula on the s_p = −1 rows: still finite at γ = 80 (e^~300), Infinity at 256.
      const naive = circleLossNaive(a64.slice(0, 8 * d), b64.slice(0, 8 * d), 8, d, margin, gamma);
      if (gamma === 256) expect(naive).toBe(Infinity);
      else expect(Math.abs(naive / circleLossRef(a64.slice(0, 8 * d), b64.slice(0, 8 * d), 8, d, margin, gamma) - 1)).toBeLessThan(1e-12);
      for (const dtype of ['float32', 'float64'] as const) {
        const a = tensor(a64, [n, d], { dtype, requiresGrad: true });
        const b = tensor(b64, [n, d], { dtype, requiresGrad: true });
        tidy(() => {
          const l = circleLoss(a, b, { margin, gamma });
          const v = l.item();
          expect(Number.isFinite(v)).toBe(true);
          const tol = dtype === 'float32' ? 1e-6 * gamma : 1e-12;
          expect(Math.abs(v - ref)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(ref)));
          backward(l);
        });
        for (const g of [...a.grad!.toArray(), ...b.grad!.toArray()]) if (!Number.isFinite(g)) throw new Error(`non-finite gradient (${dtype}, gamma ${gamma})`);
        a.dispose();
        b.dispose();
      }
    }
  });

  test('one row has no negatives: loss 0 and zero gradients; an empty batch gives NaN like infonce_loss', () => {
    const a = tensor([1, 2, 3], [1, 3], { dtype: 'float64', requiresGrad: true });
    const b = tensor([-1, 0.5, 2], [1, 3], { dtype: 'float64', requiresGrad: true });
    tidy(() => {
      const l = circleLoss(a, b, { margin: 0.25, gamma: 80 });
      expect(l.item()).toBe(0);
      backward(l);
    });
    expect(a.grad!.toArray()).toEqual([0, 0, 0]);
    expect(b.grad!.toArray()).toEqual([0, 0, 0]);
    a.dispose();
    b.dispose();
    tidy(() => {
      const z = tensor(new Float64Array(0), [0, 4]);
      expect(circleLoss(z, z, { margin: 0.25, gamma: 80 }).item()).toBeNaN();
      const z32 = tensor(new Float32Array(0), [0, 4]);
      expect(circleLoss(z32, z32, { margin: 0.25, gamma: 80 }).item()).toBeNaN();
    });
  });

  test('backward matches finite differences (float64, α held constant) into both arguments and through a shared input', () => {
    for (const [n, d, margin, gamma] of [[2, 3, 0.25, 16], [7, 4, 0.25, 80], [6, 5, 0.4, 32], [5, 3, 0, 4], [5, 3, 1, 4]]) {
      const a = rng.randn([n, d], 'float64', true);
      const b = rng.randn([n, d], 'float64', true);
      const g = 0.7;
      const [ga, gb] = opGrads(a, b, margin, gamma, g);
      const [na, nb] = fdGrads(a.toArray(), b.toArray(), n, d, margin, gamma, g);
      expectGradsClose(ga, na, 1e-6, `dA n=${n} m=${margin} γ=${gamma}`);
      expectGradsClose(gb, nb, 1e-6, `dB n=${n} m=${margin} γ=${gamma}`);
      tidy(() => backward(scale(circleLoss(a, a, { margin, gamma }), g)));
      const [ns] = fdGrads(a.toArray(), a.toArray(), n, d, margin, gamma, g, true);
      expectGradsClose(a.grad!.toArray(), ns, 1e-6, `shared n=${n}`);
      a.dispose();
      b.dispose();
    }
  });

  test.each(['full', 'tiled'] as const)('backward across several row blocks (n = 150 > 64, %s path) matches finite differences', (path) => {
    const n = 150;
    const d = 3;
    const a = rng.randn([n, d], 'float64', true);
    const b = rng.randn([n, d], 'float64', true);
    const [ga, gb] = opGrads(a, b, 0.25, 40, 1.3, path);
    // Rows at and around the 64-row block edges, and the last ones.
    const [na, nb] = fdGrads(a.toArray(), b.toArray(), n, d, 0.25, 40, 1.3, false, [0, 1, 63, 64, 65, 127, 128, 148, 149]);
    expectGradsClose(ga, na, 1e-6, 'dA');
    expectGradsClose(gb, nb, 1e-6, 'dB');
    a.dispose();
    b.dispose();
  });

  test('the full and tiled backward paths agree (float32 and float64, n = 2048)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = rng.randn([2048, 16], dtype, true);
      const b = rng.randn([2048, 16], dtype, true);
      const [full, tiled] = (['full', 'tiled'] as const).map((path) => opGrads(a, b, 0.25, 80, 1, path));
      const tol = dtype === 'float32' ? 1e-5 : 1e-12;
      expectClose(tiled[0], full[0], tol, `dA ${dtype}`);
      expectClose(tiled[1], full[1], tol, `dB ${dtype}`);
      a.dispose();
      b.dispose();
    }
  });

  test('zero rows are handled like F.normalize (eps 1e-12), with finite gradients', () => {
    const a = tensor([0, 0, 1, 2, 3, 4], [3, 2], { dtype: 'float64', requiresGrad: true });
    const b = tensor([1, 0, 0, 0, 0, 1], [3, 2], { dtype: 'float64', requiresGrad: true });
    tidy(() => {
      const l = circleLoss(a, b, { margin: 0.25, gamma: 80 });
      expect(Math.abs(l.item() - circleLossRef(a.toArray(), b.toArray(), 3, 2, 0.25, 80))).toBeLessThan(1e-12);
      backward(l);
    });
    for (const g of [...a.grad!.toArray(), ...b.grad!.toArray()]) expect(Number.isFinite(g)).toBe(true);
    a.dispose();
    b.dispose();
  });

  test('random shapes and settings (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 256, noNaN: true }),
        (n, d, margin, gamma) =>
          tidy(() => {
            const a = rng.randn([n, d]);
            const b = rng.randn([n, d]);
            const ref = circleLossRef(a.toArray(), b.toArray(), n, d, margin, gamma);
            return Math.abs(circleLoss(a, b, { margin, gamma }).item() - ref) <= 1e-11 * Math.max(1, ref);
          }),
      ),
      { numRuns: 30 },
    );
  });

  test('bad shapes, dtypes, margins and gammas throw errors naming the op', () => {
    tidy(() => {
      const ok = { margin: 0.25, gamma: 80 };
      const a = tensor(new Float32Array(6), [2, 3]);
      expectMmgError(() => circleLoss(a, tensor(new Float32Array(6), [3, 2]), ok), /^circle_loss: expected A and B to have the same shape, got \[2, 3\] and \[3, 2\]/, 'MMG_E_SHAPE');
      expectMmgError(() => circleLoss(a, tensor(new Float64Array(6), [2, 3]), ok), /^circle_loss: expected A and B to share a dtype/, 'MMG_E_DTYPE');
      expectMmgError(() => circleLoss(tensor(new Float32Array(6), [6]), tensor(new Float32Array(6), [6]), ok), /^circle_loss: expected A to have 2 dimensions, got shape \[6\]/, 'MMG_E_SHAPE');
      const i32 = tensor([1, 2], [1, 2], { dtype: 'int32' });
      expectMmgError(() => circleLoss(i32, i32, ok), /^circle_loss: expected A to be float32 or float64, got int32/, 'MMG_E_DTYPE');
      for (const margin of [-0.01, 1.01, NaN, Infinity])
        expectMmgError(() => circleLoss(a, a, { margin, gamma: 80 }), /^circle_loss: expected a margin in \[0, 1\], got /, 'MMG_E_ARG');
      for (const gamma of [0, -1, NaN, Infinity])
        expectMmgError(() => circleLoss(a, a, { margin: 0.25, gamma }), /^circle_loss: expected a finite scale gamma > 0, got /, 'MMG_E_ARG');
      // All-zero rows (the eps clamp): every cosine is 0.
      expect(Math.abs(circleLoss(a, a, ok).item() - circleLossRef(a.toArray(), a.toArray(), 2, 3, 0.25, 80))).toBeLessThan(1e-5);
    });
  });
});
