/**
 * MGCN's building blocks (MMRec models/mgcn.py), shared by MGCN, SynerGraph and SINGER:
 * the behaviour-guided purifier and the behaviour-aware fuser.
 */
import { add, exp, log, matmul, mul, scale, sigmoid, sub, tanh } from '../ops';
import { full, type Tensor } from '../tensor';
import type { Linear } from './params';

/** Behaviour-guided purifier: E_i ⊙ σ(gate(P)), P the projected modality features. */
export function purify(itemEmb: Tensor, projected: Tensor, gate: Linear): Tensor {
  return mul(itemEmb, sigmoid(gate.apply(projected)));
}

/**
 * Softmax over modalities of per-row logits (each [N, 1]). Two modalities use σ(w₀ − w₁) and
 * σ(w₁ − w₀), which is the softmax exactly and needs no max-shift; more use exp(w − log Σ exp w)
 * (the logits are bounded: a tanh layer followed by one bias-free linear map).
 */
export function modalitySoftmax(ws: Tensor[]): Tensor[] {
  if (ws.length === 1) return [full(ws[0].shape, 1, { dtype: ws[0].dtype, device: ws[0].device })];
  if (ws.length === 2) return [sigmoid(sub(ws[0], ws[1])), sigmoid(sub(ws[1], ws[0]))];
  let s = exp(ws[0]);
  for (let m = 1; m < ws.length; m++) s = add(s, exp(ws[m]));
  const lse = log(s);
  return ws.map((w) => exp(sub(w, lse)));
}

/** The fuser's learned pieces: the shared query q = Linear–Tanh–Linear(no bias), one preference gate per modality. */
export interface FuserParams {
  query0: Linear;
  query2: Linear;
  prefer: Linear[];
  /** A [1, d] row of ones: a per-row weight [N, 1] · ones broadcasts it over d columns. */
  onesRow: Tensor;
}

/**
 * Behaviour-aware fuser: α = softmax_m(q(E^m)), C = Σ α_m E^m,
 * side = (Σ_m σ(P_m(Z)) ⊙ (E^m − C) + C) / (M + 1). Returns side and the common part C.
 */
export function behaviourAwareFuser(views: Tensor[], Z: Tensor, p: FuserParams): { side: Tensor; common: Tensor } {
  const logits = views.map((v) => p.query2.apply(tanh(p.query0.apply(v))));
  const alpha = modalitySoftmax(logits);
  let C: Tensor | null = null;
  alpha.forEach((a, m) => {
    const term = mul(matmul(a, p.onesRow), views[m]);
    C = C ? add(C, term) : term;
  });
  const common = C!;
  let side = common;
  views.forEach((v, m) => {
    side = add(side, mul(sigmoid(p.prefer[m].apply(Z)), sub(v, common)));
  });
  return { side: scale(side, 1 / (views.length + 1)), common };
}

/** Mean over modalities (SINGER's default fuser). */
export function meanFuser(views: Tensor[]): Tensor {
  let s = views[0];
  for (let m = 1; m < views.length; m++) s = add(s, views[m]);
  return views.length === 1 ? s : scale(s, 1 / views.length);
}
