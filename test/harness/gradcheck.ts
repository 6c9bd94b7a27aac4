/**
 * Finite-difference gradient checks. `gradcheck` perturbs every entry of every float64 input that
 * requires a gradient (central differences, step h) and compares with autograd on a random linear
 * functional L = Σ w ⊙ f(inputs), so every output entry contributes.
 */
import { Tensor, tensor } from '../../lib/tensor';
import { backward, noGrad } from '../../lib/autograd/tape';
import { tidy } from '../../lib/autograd/scope';
import { Rng } from './rng';

export interface GradcheckOptions {
  h?: number;
  atol?: number;
  rtol?: number;
  seed?: number;
}

export interface GradcheckResult {
  ok: boolean;
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
  maxErr: number;
}

function dot(out: Tensor, w: Float64Array): number {
  const d = out.toTypedArray() as Float64Array;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * w[i];
  return s;
}

export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: GradcheckOptions = {},
): GradcheckResult {
  const h = opts.h ?? 1e-6;
  const atol = opts.atol ?? 1e-7;
  const rtol = opts.rtol ?? 1e-5;
  const rng = new Rng(opts.seed ?? 7);
  for (const x of inputs) if (x.requiresGrad && x.dtype !== 'float64') throw new Error('gradcheck: inputs must be float64');
  const probe = noGrad(() => tidy(() => f(...inputs).size));
  const w = new Float64Array(probe);
  for (let i = 0; i < probe; i++) w[i] = rng.normal();
  for (const x of inputs) {
    if (x.grad) x.grad.dispose();
    x.grad = null;
  }
  tidy(() => {
    const out = f(...inputs);
    const wt = tensor(w, out.shape, { dtype: 'float64' });
    backward(out, wt);
  });
  let worst: GradcheckResult['worst'] = null;
  let maxErr = 0;
  let worstExcess = -Infinity;
  let ok = true;
  inputs.forEach((x, xi) => {
    if (!x.requiresGrad) return;
    const analytic = x.grad ? (x.grad.toTypedArray() as Float64Array) : new Float64Array(x.size);
    const data = x.data() as Float64Array;
    for (let i = 0; i < x.size; i++) {
      const orig = data[i];
      data[i] = orig + h;
      const fp = noGrad(() => tidy(() => dot(f(...inputs), w)));
      data[i] = orig - h;
      const fm = noGrad(() => tidy(() => dot(f(...inputs), w)));
      data[i] = orig;
      const numeric = (fp - fm) / (2 * h);
      const err = Math.abs(numeric - analytic[i]);
      const tol = atol + rtol * Math.abs(numeric);
      if (err > tol) ok = false;
      if (worst === null || err - tol > worstExcess) {
        worst = { input: xi, index: i, analytic: analytic[i], numeric };
        worstExcess = err - tol;
      }
      maxErr = Math.max(maxErr, err);
    }
  });
  return { ok, worst, maxErr };
}
