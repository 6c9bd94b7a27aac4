/**
 * Reverse-mode autograd. Each op that sees an input needing a gradient records a GradNode on its
 * output: the inputs and a backward closure declared next to the forward (lib/ops/<op>.ts).
 * backward() walks the nodes in reverse topological order, iteratively, and accumulates gradients
 * when a tensor feeds several ops.
 */
import { MmgError } from '../errors';
import type { Tensor } from '../tensor';
import { keep } from './scope';

/**
 * Returns one gradient per input (null where the input needs none or the op is not differentiable
 * in it). Each returned tensor is either new or gradOut itself, never another existing tensor.
 */
export type BackwardFn = (gradOut: Tensor, needs: readonly boolean[]) => ReadonlyArray<Tensor | null>;

export interface GradNode {
  op: string;
  inputs: readonly Tensor[];
  backward: BackwardFn;
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn without recording any graph (evaluation, optimizer updates). */
export function noGrad<R>(fn: () => R): R {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Attaches a node to `out` when recording is on and some input needs a gradient. Returns out. */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: BackwardFn): Tensor {
  if (!gradEnabled) return out;
  let any = false;
  for (const t of inputs) if (t.requiresGrad) any = true;
  if (!any) return out;
  out.requiresGrad = true;
  out.gradNode = { op, inputs, backward };
  return out;
}

/** Marks an op as having no derivative: throws if asked to differentiate through it. */
export function notDifferentiable(op: string): BackwardFn {
  return () => {
    throw new MmgError(`${op}: this op is not differentiable`, 'MMG_E_UNSUPPORTED');
  };
}

type Accumulate = (a: Tensor, b: Tensor) => Tensor;
let accumulateImpl: Accumulate | null = null;
let onesLikeImpl: ((t: Tensor) => Tensor) | null = null;
/** @internal lib/ops registers add and ones-like here to avoid an import cycle. */
export function setTapeHelpers(add: Accumulate, onesLike: (t: Tensor) => Tensor): void {
  accumulateImpl = add;
  onesLikeImpl = onesLike;
}

/**
 * Backpropagates from `root` (a scalar unless `gradRoot` is given). Leaves that require a gradient
 * get `.grad` (accumulated onto an existing one); these gradients survive tidy().
 */
export function backward(root: Tensor, gradRoot?: Tensor): void {
  if (!root.requiresGrad) throw new MmgError('backward: expected a tensor that requires a gradient, got one with no graph', 'MMG_E_ARG');
  if (!gradRoot && root.size !== 1)
    throw new MmgError(`backward: expected a scalar loss, got shape [${root.shape.join(', ')}]; pass the output gradient explicitly`, 'MMG_E_SHAPE');
  const add = accumulateImpl!;
  // Iterative post-order DFS gives a topological order without recursion depth limits.
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: Array<[Tensor, number]> = [[root, 0]];
  visited.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const node = top[0].gradNode;
    if (node && top[1] < node.inputs.length) {
      const child = node.inputs[top[1]++];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      order.push(top[0]);
      stack.pop();
    }
  }
  // Gradients are reference-counted by the slots holding them: a backward may return gradOut
  // itself for several inputs (add does), and a tensor is disposed only when no slot holds it.
  const grads = new Map<Tensor, Tensor>();
  const refs = new Map<Tensor, number>();
  const inc = (t: Tensor) => refs.set(t, (refs.get(t) ?? 0) + 1);
  const dec = (t: Tensor) => {
    const n = (refs.get(t) ?? 1) - 1;
    if (n > 0) refs.set(t, n);
    else {
      refs.delete(t);
      if (t !== gradRoot) t.dispose();
    }
  };
  const seed = gradRoot ?? onesLikeImpl!(root);
  grads.set(root, seed);
  inc(seed);
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    const g = grads.get(t);
    if (!g) continue;
    grads.delete(t);
    const node = t.gradNode;
    if (!node) {
      // A leaf: the gradient becomes (or is added to) t.grad, which outlives tidy().
      if (t.grad) {
        const sum = add(t.grad, g);
        t.grad.dispose();
        t.grad = keep(sum);
        dec(g);
      } else if (g === gradRoot || (refs.get(g) ?? 0) > 1) {
        t.grad = keep(g.to(g.device));
        dec(g);
      } else {
        refs.delete(g);
        t.grad = keep(g);
      }
      continue;
    }
    const needs = node.inputs.map((x) => x.requiresGrad);
    const inGrads = node.backward(g, needs);
    for (let k = 0; k < node.inputs.length; k++) if (inGrads[k] && needs[k]) inc(inGrads[k]!);
    dec(g);
    for (let k = 0; k < node.inputs.length; k++) {
      const gi = inGrads[k];
      if (!gi || !needs[k]) continue;
      const x = node.inputs[k];
      const prev = grads.get(x);
      if (prev) {
        const sum = add(prev, gi);
        dec(prev);
        dec(gi);
        grads.set(x, sum);
        inc(sum);
      } else {
        grads.set(x, gi);
      }
    }
    // Free what this node's backward returned for inputs that need no gradient.
    for (let k = 0; k < node.inputs.length; k++) {
      const gi = inGrads[k];
      if (gi && !needs[k] && !refs.has(gi) && gi !== g) gi.dispose();
    }
  }
}
