/**
 * Adam with torch.optim.Adam semantics (amsgrad off; weight decay is L2 added to the gradient).
 * Each step is one fused in-place native call per parameter on the CPU (native/ops/adam.cc) and
 * one for all of them on CUDA devices (adam_multi: issue 11, a launch per tensor). A deferred
 * linear-input gradient (lib/autograd/deferred.ts: a feature table's) is applied by
 * linear_input_adam, which forms it tile by tile inside the update. Like PyTorch, the step count
 * is per parameter and a parameter without a gradient is skipped.
 */
import { LINEAR_INPUT } from '../autograd/deferred';
import { keep } from '../autograd/scope';
import { noGrad } from '../autograd/tape';
import { MmgError } from '../errors';
import { runOp } from '../ops/run';
import { zeros, type Tensor } from '../tensor';

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

/** Optimizer state for checkpoints: per parameter, in constructor order (null before its first step). */
export interface AdamState {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  step: number[];
  m: Array<Tensor | null>;
  v: Array<Tensor | null>;
}

export class Adam {
  readonly params: readonly Tensor[];
  private lr: number;
  private readonly betas: [number, number];
  private readonly eps: number;
  private readonly weightDecay: number;
  private steps: number[];
  private m: Array<Tensor | null>;
  private v: Array<Tensor | null>;

  constructor(params: Tensor[], opts: AdamOptions = {}) {
    this.params = params.slice();
    this.lr = opts.lr ?? 0.001;
    this.betas = [opts.betas?.[0] ?? 0.9, opts.betas?.[1] ?? 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    const bad = (what: string, v: number) => new MmgError(`adam: expected ${what}, got ${v}`, 'MMG_E_ARG');
    if (!(this.lr >= 0)) throw bad('a learning rate >= 0', this.lr);
    if (!(this.betas[0] >= 0 && this.betas[0] < 1)) throw bad('beta1 in [0, 1)', this.betas[0]);
    if (!(this.betas[1] >= 0 && this.betas[1] < 1)) throw bad('beta2 in [0, 1)', this.betas[1]);
    if (!(this.eps >= 0)) throw bad('eps >= 0', this.eps);
    if (!(this.weightDecay >= 0)) throw bad('weightDecay >= 0', this.weightDecay);
    this.steps = this.params.map(() => 0);
    this.m = this.params.map(() => null);
    this.v = this.params.map(() => null);
  }

  get learningRate(): number {
    return this.lr;
  }

  setLr(lr: number): void {
    if (!(lr >= 0)) throw new MmgError(`adam: expected a learning rate >= 0, got ${lr}`, 'MMG_E_ARG');
    this.lr = lr;
  }

  /** Updates every parameter that has a gradient, in place. */
  step(): void {
    // A disposed parameter has no gradient either, so without this check it would be skipped
    // silently and training would go on without it.
    this.params.forEach((p, i) => {
      if (p.disposed)
        throw new MmgError(`adam.step: expected live parameters, got a disposed one (#${i}${p.name ? ` '${p.name}'` : ''})`, 'MMG_E_ARG');
    });
    noGrad(() => {
      const hyper = [this.lr, this.betas[0], this.betas[1], this.eps, this.weightDecay];
      // Parameters left for one adam_multi call (CUDA devices): [p, g, m, v] groups and their steps.
      const group: Tensor[] = [];
      const groupSteps: number[] = [];
      this.params.forEach((p, i) => {
        const g = p.grad;
        if (!g) return;
        // State outlives any tidy() the step runs in.
        const m = this.m[i] ?? (this.m[i] = keep(zeros(p.shape, { dtype: p.dtype, device: p.device })));
        const v = this.v[i] ?? (this.v[i] = keep(zeros(p.shape, { dtype: p.dtype, device: p.device })));
        this.steps[i] += 1;
        const d = g.deferredValue;
        if (d && d.op === LINEAR_INPUT && d.parts[0].device === p.device) {
          runOp('linear_input_adam', [p, d.parts[0], d.parts[1], m, v], [...hyper, this.steps[i]]);
        } else if (p.device !== 'cpu' && g.device === p.device && g.dtype === p.dtype && (group.length === 0 || (group[0].dtype === p.dtype && group[0].device === p.device))) {
          group.push(p, g, m, v);
          groupSteps.push(this.steps[i]);
        } else {
          runOp('adam', [p, g, m, v], [...hyper, this.steps[i]]);
        }
      });
      if (group.length) runOp('adam_multi', group, [...hyper, ...groupSteps]);
    });
  }

  /** Drops every gradient (PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const p of this.params) {
      if (p.grad) p.grad.dispose();
      p.grad = null;
    }
  }

  /** A copy of the state; the caller owns the returned tensors. */
  stateDict(): AdamState {
    const copy = (t: Tensor | null) => (t ? keep(t.to(t.device)) : null);
    return {
      lr: this.lr,
      betas: [this.betas[0], this.betas[1]],
      eps: this.eps,
      weightDecay: this.weightDecay,
      step: this.steps.slice(),
      m: this.m.map(copy),
      v: this.v.map(copy),
    };
  }

  /**
   * The live state, not a copy (for writing a checkpoint without doubling m and v in memory): the
   * tensors stay the optimizer's, are updated in place by the next step(), and must not be disposed.
   */
  stateView(): AdamState {
    return { lr: this.lr, betas: [this.betas[0], this.betas[1]], eps: this.eps, weightDecay: this.weightDecay, step: this.steps.slice(), m: this.m.slice(), v: this.v.slice() };
  }

  /** Restores a state from stateDict() (copied; the given tensors stay the caller's). */
  loadStateDict(s: AdamState): void {
    const n = this.params.length;
    if (s.step.length !== n || s.m.length !== n || s.v.length !== n)
      throw new MmgError(`adam.loadStateDict: expected state for ${n} parameters, got ${s.step.length}`, 'MMG_E_SHAPE');
    const take = (t: Tensor | null, i: number, what: string): Tensor | null => {
      if (!t) return null;
      const p = this.params[i];
      if (t.dtype !== p.dtype || t.shape.length !== p.shape.length || t.shape.some((d, k) => d !== p.shape[k]))
        throw new MmgError(
          `adam.loadStateDict: expected ${what}[${i}] of shape [${p.shape.join(', ')}] ${p.dtype}, got [${t.shape.join(', ')}] ${t.dtype}`,
          'MMG_E_SHAPE',
        );
      return keep(t.to(p.device));
    };
    const m = s.m.map((t, i) => take(t, i, 'm'));
    const v = s.v.map((t, i) => take(t, i, 'v'));
    for (const t of [...this.m, ...this.v]) t?.dispose();
    this.m = m;
    this.v = v;
    this.steps = s.step.slice();
    this.lr = s.lr;
  }

  /** Frees the optimizer state. */
  dispose(): void {
    for (const t of [...this.m, ...this.v]) t?.dispose();
    this.m = this.params.map(() => null);
    this.v = this.params.map(() => null);
  }
}
