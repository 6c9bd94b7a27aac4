/**
 * The graph propagations the models share: LightGCN over the user–item graph and the MGCN-style
 * item–item view over a modality graph. All are linear in their input; no weights, no activations.
 */
import { concatRows, layerMean, spmm } from '../ops';
import type { CsrMatrix } from '../sparse/csr';
import type { Tensor } from '../tensor';

/** LightGCN: the mean of Â^l·X⁰ over l = 0..layers (layer 0 included). */
export function lightgcnMean(adj: CsrMatrix, x0: Tensor, layers: number): Tensor {
  if (layers === 0) return x0;
  let x = x0;
  const all = [x];
  for (let l = 0; l < layers; l++) {
    x = spmm(adj, x);
    all.push(x);
  }
  return layerMean(all);
}

/** Item–item propagation keeping only the last layer: S^layers·H⁰. */
export function propagateLast(S: CsrMatrix, h0: Tensor, layers: number): Tensor {
  let h = h0;
  for (let l = 0; l < layers; l++) h = spmm(S, h);
  return h;
}

/** Users read items through R̂ (the user–item block of Â): [R̂·H; H], users first. */
export function withUsers(R: CsrMatrix, h: Tensor): Tensor {
  return concatRows([spmm(R, h), h]);
}

/** A modality's MGCN view: H = S^layers·H⁰ and the stacked [R̂H; H]. */
export function modalityView(S: CsrMatrix, R: CsrMatrix, h0: Tensor, layers: number): { items: Tensor; all: Tensor } {
  const items = propagateLast(S, h0, layers);
  return { items, all: withUsers(R, items) };
}
