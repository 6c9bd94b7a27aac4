/**
 * GUME (CIKM 2024), as spec/gume.md describes the official code: MGCN's gated modality seeds and
 * attribute separation over a user–item graph enhanced with semantic item–item edges, extended
 * user-interest embeddings propagated over that graph, and BPR + two regularizers + internal
 * (moment-matching) and external (InfoNCE) alignment + a user-modality enhancement loss with
 * SimGCL-style noise views.
 *
 * Deliberate, math-preserving differences from the reference (cost.md §4):
 * - X_ext = ½(LGN(Â,[P_v;H_v]) + LGN(Â,[P_t;H_t])) is computed as LGN(Â, ½([P_v;H_v] + [P_t;H_t]))
 *   (LGN is linear): one LightGCN pass instead of two.
 * - Eval skips X_ext entirely (R2): only the losses read it.
 * - The noise views perturb only the batch's unique users, and repeated users gather the same
 *   perturbed row (R5), so a view is what the reference's full-matrix perturbation gives on those
 *   rows. The noise comes from an injectable source (GumeOptions.noise).
 * - find_inter is a per-row intersection, correct for any knn_k (lib/graph/semantic_graph.ts).
 */
import {
  abs, add, bprLoss, randLike, concatRows, gatherRows, infonceLoss, layerMean, linear, matmul, mean, mul, rowNormalize, scale, sigmoid,
  sign, sliceRows, spmm, sub, sumSquares, tanh, variance,
} from '../ops';
import { knnGraph } from '../graph/knn_graph';
import { semanticGraph } from '../graph/semantic_graph';
import { userItemGraph } from '../graph/user_item_graph';
import { csrOnDevice, type CsrMatrix } from '../sparse/csr';
import { empty, full, tensor, type DType, type Device, type Tensor } from '../tensor';
import { linearInit, xavierUniform } from '../nn/init';
import type { Prng } from '../data/prng';
import { MmgError } from '../errors';
import { intIn, numIn, resolveConfig } from './config';
import { registerModel, type Batch, type LossResult, type Model, type ModelContext, type ModelFactory } from './model';

/**
 * GUME.yaml's Baby values (its only active block) plus the shared keys. knn_k may be any value here
 * (semanticGraph intersects rows); the reference's find_inter is only correct for knn_k = 10.
 */
export const GUME_DEFAULTS = {
  embedding_size: 64,
  n_ui_layers: 3,
  n_layers: 2,
  knn_k: 10,
  reg_weight_1: 1e-5,
  reg_weight_2: 0.1,
  bm_loss: 0.01,
  bm_temp: 0.4,
  um_loss: 0.01,
  um_temp: 0.1,
  vt_loss: 0.1,
} as const;

/**
 * Reference state_dict keys that name the same tensor as another key (image_space_trans is the
 * sequence reduce → trans of the modules below). They are not separate parameters here.
 */
export const GUME_ALIASES: Readonly<Record<string, string>> = {
  'image_space_trans.0.weight': 'image_reduce_dim.weight',
  'image_space_trans.0.bias': 'image_reduce_dim.bias',
  'image_space_trans.1.0.weight': 'image_trans_dim.0.weight',
  'image_space_trans.1.0.bias': 'image_trans_dim.0.bias',
  'text_space_trans.0.weight': 'text_reduce_dim.weight',
  'text_space_trans.0.bias': 'text_reduce_dim.bias',
  'text_space_trans.1.0.weight': 'text_trans_dim.0.weight',
  'text_space_trans.1.0.bias': 'text_trans_dim.0.bias',
};

/** The constant graphs GUME builds once from the training data and the initial features. */
export interface GumeGraphs {
  /** Enhanced Â: sym-normalized [[0, R], [Rᵀ, S_sem]], (U+I)×(U+I), not symmetric. */
  adj: CsrMatrix;
  /** R̂ = Â[users, items] (uses the enhanced item degrees). */
  R: CsrMatrix;
  image: CsrMatrix;
  text: CsrMatrix;
  semantic: CsrMatrix;
}

/**
 * A source of U[0, 1) noise for one view: `users` are the distinct user ids the rows stand for (in
 * the order the rows must come), `dim` the embedding size; returns a [users.length, dim] tensor of
 * the model's dtype and device. Called 4 times per loss, in the reference's order: view 1 and 2 of
 * N(Y^u), then view 1 and 2 of N(X_ext^u).
 */
export type GumeNoiseSource = (users: Int32Array, dim: number, view: number) => Tensor;

export interface GumeOptions {
  /** Prebuilt constant graphs (the model takes ownership). */
  graphs?: GumeGraphs;
  /** Noise source (default: randLike with per-view seeds drawn from the Prng passed to loss()). */
  noise?: GumeNoiseSource;
}

/** The forward pass's tensors (gume.md §3); xExt is null when the extended pass was skipped. */
export interface GumeForward {
  gV: Tensor;
  gT: Tensor;
  Z: Tensor;
  xExpV: Tensor;
  xExpT: Tensor;
  xExt: Tensor | null;
  Y: Tensor;
  O: Tensor;
}

/** A loss result with the ½‖·‖² sums behind the regularizers (for checks against the reference). */
export interface GumeLossDetails extends LossResult {
  halfSqNorms: { ou: Tensor; oiPos: Tensor; oiNeg: Tensor; xExtPos: Tensor };
}

export class Gume implements Model {
  readonly name = 'gume';
  readonly config: Record<string, unknown>;
  readonly graphs: GumeGraphs;
  private readonly p = new Map<string, Tensor>();
  private readonly U: number;
  private readonly I: number;
  private readonly d: number;
  private readonly dtype: DType;
  private readonly device: Device;
  private readonly uiLayers: number;
  private readonly iiLayers: number;
  private readonly w: Record<'reg1' | 'reg2' | 'bm' | 'bmTemp' | 'um' | 'umTemp' | 'vt', number>;
  private readonly regDivisor: number;
  private readonly noise: GumeNoiseSource | null;
  /** A [1, d] row of ones: β [N,1] · ones broadcasts a per-node weight over the d columns. */
  private readonly onesRow: Tensor;

  constructor(config: Record<string, unknown>, ctx: ModelContext, opts: GumeOptions = {}) {
    const m = 'gume';
    this.config = config;
    this.d = intIn(m, config, 'embedding_size', 1, 4096);
    this.uiLayers = intIn(m, config, 'n_ui_layers', 0, 16);
    this.iiLayers = intIn(m, config, 'n_layers', 0, 16);
    const k = intIn(m, config, 'knn_k', 1, 100000);
    this.w = {
      reg1: numIn(m, config, 'reg_weight_1', 0, 1e3),
      reg2: numIn(m, config, 'reg_weight_2', 0, 1e3),
      bm: numIn(m, config, 'bm_loss', 0, 1e3),
      bmTemp: numIn(m, config, 'bm_temp', 1e-6, 1e3),
      um: numIn(m, config, 'um_loss', 0, 1e3),
      umTemp: numIn(m, config, 'um_temp', 1e-6, 1e3),
      vt: numIn(m, config, 'vt_loss', 0, 1e3),
    };
    this.regDivisor = ctx.trainBatchSize;
    this.noise = opts.noise ?? null;
    const { data } = ctx;
    this.U = data.nUsers;
    this.I = data.nItems;
    this.dtype = ctx.dtype;
    this.device = ctx.device;
    const img = data.features.get('image');
    const txt = data.features.get('text');
    if (!img || !txt) throw new MmgError("gume: expected 'image' and 'text' item features", 'MMG_E_ARG');
    if (k > this.I) throw new MmgError(`gume: expected knn_k to be at most the number of items (${this.I}), got ${k}`, 'MMG_E_ARG');
    const tOpts = { dtype: ctx.dtype, device: ctx.device };
    const rng = ctx.rng;
    const d = this.d;
    const set = (name: string, t: Tensor) => {
      t.name = name;
      this.p.set(name, t);
    };
    const setLin = (name: string, l: { weight: Tensor; bias: Tensor | null }) => {
      set(`${name}.weight`, l.weight);
      if (l.bias) set(`${name}.bias`, l.bias);
    };
    const feat = (f: { data: Float32Array; dim: number }) => (ctx.dtype === 'float64' ? Float64Array.from(f.data) : f.data);
    // Registration order follows the reference's state_dict.
    set('user_embedding.weight', xavierUniform([this.U, d], rng, tOpts));
    set('item_id_embedding.weight', xavierUniform([this.I, d], rng, tOpts));
    set('extended_image_user.weight', xavierUniform([this.U, d], rng, tOpts));
    set('extended_text_user.weight', xavierUniform([this.U, d], rng, tOpts));
    set('image_embedding.weight', tensor(feat(img), [this.I, img.dim], { ...tOpts, requiresGrad: true }));
    set('text_embedding.weight', tensor(feat(txt), [this.I, txt.dim], { ...tOpts, requiresGrad: true }));
    setLin('image_reduce_dim', linearInit(d, img.dim, rng, tOpts));
    setLin('image_trans_dim.0', linearInit(d, d, rng, tOpts));
    setLin('text_reduce_dim', linearInit(d, txt.dim, rng, tOpts));
    setLin('text_trans_dim.0', linearInit(d, d, rng, tOpts));
    setLin('separate_coarse.0', linearInit(d, d, rng, tOpts));
    setLin('separate_coarse.2', linearInit(1, d, rng, { ...tOpts, bias: false }));
    setLin('image_behavior.0', linearInit(d, d, rng, tOpts));
    setLin('text_behavior.0', linearInit(d, d, rng, tOpts));
    this.onesRow = full([1, d], 1, tOpts);

    if (opts.graphs) this.graphs = opts.graphs;
    else {
      // Built in the training dtype from the initial features, once (the reference never rebuilds them).
      const csrDtype = ctx.dtype as 'float32' | 'float64';
      const imgF = tensor(feat(img), [this.I, img.dim], { dtype: ctx.dtype });
      const txtF = tensor(feat(txt), [this.I, txt.dim], { dtype: ctx.dtype });
      const image = knnGraph(imgF, k);
      const text = knnGraph(txtF, k);
      imgF.dispose();
      txtF.dispose();
      const semantic = semanticGraph(image, text, { dtype: csrDtype });
      const ui = userItemGraph(this.U, this.I, data.trainUsers, data.trainItems, 'sym-sum', { dtype: csrDtype, itemItem: semantic });
      // Built on the host; the model's device gets its own copies (a no-op on the CPU).
      const dev = (m: CsrMatrix) => csrOnDevice(m, ctx.device);
      this.graphs = { adj: dev(ui.adj), R: dev(ui.R), image: dev(image), text: dev(text), semantic: dev(semantic) };
    }
  }

  parameters(): Map<string, Tensor> {
    return new Map(this.p);
  }

  private param(name: string): Tensor {
    return this.p.get(name)!;
  }

  private lin(x: Tensor, name: string): Tensor {
    return linear(x, this.param(`${name}.weight`), this.p.get(`${name}.bias`) ?? null);
  }

  /** LGN(Â, X⁰): the mean of Â^l·X⁰ over l = 0..n_ui_layers (layer 0 included). */
  private lgn(x0: Tensor): Tensor {
    let x = x0;
    const layers = [x];
    for (let l = 0; l < this.uiLayers; l++) {
      x = spmm(this.graphs.adj, x);
      layers.push(x);
    }
    return layerMean(layers);
  }

  /** The whole forward pass (gume.md §3). `extended`: also compute X_ext (training only). */
  forward(extended: boolean): GumeForward {
    const Ei = this.param('item_id_embedding.weight');
    // Step 1: gated item modality seeds (no nonlinearity between reduce and trans).
    const gV = sigmoid(this.lin(this.lin(this.param('image_embedding.weight'), 'image_reduce_dim'), 'image_trans_dim.0'));
    const gT = sigmoid(this.lin(this.lin(this.param('text_embedding.weight'), 'text_reduce_dim'), 'text_trans_dim.0'));
    // Step 2: behaviour embedding.
    const Z = this.lgn(concatRows([this.param('user_embedding.weight'), Ei]));
    // Step 3: item–item propagation (last layer only) and explicit features [R̂H; H].
    const propagate = (h0: Tensor, S: CsrMatrix) => {
      let h = h0;
      for (let l = 0; l < this.iiLayers; l++) h = spmm(S, h);
      return h;
    };
    const hV = propagate(mul(Ei, gV), this.graphs.image);
    const hT = propagate(mul(Ei, gT), this.graphs.text);
    const xExpV = concatRows([spmm(this.graphs.R, hV), hV]);
    const xExpT = concatRows([spmm(this.graphs.R, hT), hT]);
    // Step 4: extended interests, both modalities in one pass (LGN is linear).
    const xExt = extended
      ? this.lgn(scale(add(concatRows([this.param('extended_image_user.weight'), hV]), concatRows([this.param('extended_text_user.weight'), hT])), 0.5))
      : null;
    // Step 5: attribute separation. The softmax over the two modality logits is σ(q_v − q_t), σ(q_t − q_v).
    const q = (x: Tensor) => this.lin(tanh(this.lin(x, 'separate_coarse.0')), 'separate_coarse.2');
    const qV = q(xExpV);
    const qT = q(xExpT);
    const betaV = matmul(sigmoid(sub(qV, qT)), this.onesRow);
    const betaT = matmul(sigmoid(sub(qT, qV)), this.onesRow);
    const C = add(mul(betaV, xExpV), mul(betaT, xExpT));
    const fV = mul(sigmoid(this.lin(Z, 'image_behavior.0')), sub(xExpV, C));
    const fT = mul(sigmoid(this.lin(Z, 'text_behavior.0')), sub(xExpT, C));
    const Y = scale(add(add(fV, fT), C), 1 / 3);
    // Step 6.
    return { gV, gT, Z, xExpV, xExpT, xExt, Y, O: add(Z, Y) };
  }

  loss(batch: Batch, rng: Prng): LossResult {
    return this.lossDetails(batch, rng);
  }

  /** loss() plus the ½‖·‖² sums inside the regularizers. */
  lossDetails(batch: Batch, rng: Prng | null): GumeLossDetails {
    const { Z, xExpV, xExpT, xExt, Y, O } = this.forward(true);
    const U = this.U, N = this.U + this.I;
    const users = (t: Tensor) => sliceRows(t, 0, U);
    const items = (t: Tensor) => sliceRows(t, U, N);
    const u = gatherRows(users(O), batch.users);
    const p = gatherRows(items(O), batch.pos);
    const n = gatherRows(items(O), batch.neg);
    const bpr = bprLoss(u, p, n);
    const halfSq = (t: Tensor) => scale(sumSquares(t), 0.5);
    const ou = halfSq(u), oiPos = halfSq(p), oiNeg = halfSq(n);
    const reg1 = scale(add(add(ou, oiPos), oiNeg), this.w.reg1 / this.regDivisor);
    // Internal alignment: global moments over all N·d entries, unbiased variance.
    const alignVtRaw = add(abs(sub(variance(xExpV), variance(xExpT))), abs(sub(mean(xExpV), mean(xExpT))));
    const vt = scale(alignVtRaw, this.w.vt);
    // External alignment: integration Y (anchors) vs behaviour Z.
    const Yu = users(Y);
    const yU = gatherRows(Yu, batch.users);
    const nceBmUsers = infonceLoss(yU, gatherRows(users(Z), batch.users), this.w.bmTemp);
    const nceBmItems = infonceLoss(gatherRows(items(Y), batch.pos), gatherRows(items(Z), batch.pos), this.w.bmTemp);
    const bm = scale(add(nceBmUsers, nceBmItems), this.w.bm);
    // User-modality enhancement.
    const Xu = users(xExt!);
    const nceUmC = infonceLoss(gatherRows(Xu, batch.users), yU, this.w.umTemp);
    const { ids, uniq, inverse } = uniqueRows(batch.users);
    let view = 0;
    const source = this.noise ?? this.prngNoise(rng);
    // A view perturbs each distinct batch user once; repeated users gather the same row (cost.md R5).
    const noisy = (E: Tensor) => {
      const e = gatherRows(E, uniq);
      const delta = scale(mul(sign(e), rowNormalize(source(ids, this.d, view++))), 0.1);
      return gatherRows(add(e, delta), inverse);
    };
    const noiseLoss = (E: Tensor) => {
      const v1 = noisy(E);
      const v2 = noisy(E);
      return infonceLoss(v1, v2, this.w.umTemp);
    };
    const nceNoiseY = noiseLoss(Yu);
    const nceNoiseXext = noiseLoss(Xu);
    const um = scale(add(add(nceUmC, nceNoiseY), nceNoiseXext), this.w.um);
    // Regularizer 2: the extended features of the positive items only.
    const xExtPos = halfSq(gatherRows(items(xExt!), batch.pos));
    const reg2 = scale(xExtPos, this.w.reg2 / this.regDivisor);
    const total = add(add(add(add(add(bpr, vt), bm), um), reg1), reg2);
    return {
      total,
      parts: {
        bpr, reg1, align_vt_raw: alignVtRaw, vt, nce_bm_users: nceBmUsers, nce_bm_items: nceBmItems, bm,
        nce_um_c: nceUmC, nce_noise_Y: nceNoiseY, nce_noise_Xext: nceNoiseXext, um, reg2,
      },
      halfSqNorms: { ou, oiPos, oiNeg, xExtPos },
    };
  }

  /**
   * Default noise: U[0, 1) from the counter-based randLike kernel, one 64-bit seed per view drawn
   * from the training Prng (so a run is reproducible from its seed, on any device or thread count).
   */
  private prngNoise(rng: Prng | null): GumeNoiseSource {
    if (!rng) throw new MmgError('gume: expected a Prng for the noise views (or a GumeOptions.noise source)', 'MMG_E_ARG');
    return (users, dim) => {
      const shape = empty([users.length, dim], { dtype: this.dtype, device: this.device });
      const seed = rng.nextU32() * 2 ** 21 + (rng.nextU32() >>> 11); // 53 random bits
      const u = randLike(shape, seed);
      shape.dispose();
      return u;
    };
  }

  embeddings(): { users: Tensor; items: Tensor } {
    const { O } = this.forward(false);
    return { users: sliceRows(O, 0, this.U), items: sliceRows(O, this.U, this.U + this.I) };
  }

  dispose(): void {
    for (const t of this.p.values()) t.dispose();
    this.onesRow.dispose();
    for (const g of Object.values(this.graphs)) g.dispose();
  }
}

/** The distinct values of an int index tensor in first-appearance order, and where each entry maps. */
function uniqueRows(idx: Tensor): { ids: Int32Array; uniq: Tensor; inverse: Tensor } {
  const ids = idx.toTypedArray();
  const pos = new Map<number, number>();
  const inv = new Int32Array(ids.length);
  const uniq: number[] = [];
  for (let b = 0; b < ids.length; b++) {
    const id = Number(ids[b]);
    let q = pos.get(id);
    if (q === undefined) {
      q = uniq.length;
      pos.set(id, q);
      uniq.push(id);
    }
    inv[b] = q;
  }
  const u32 = Int32Array.from(uniq);
  return {
    ids: u32,
    uniq: tensor(u32, [u32.length], { device: idx.device }),
    inverse: tensor(inv, [inv.length], { device: idx.device }),
  };
}

export const gumeFactory: ModelFactory = {
  name: 'gume',
  description: 'GUME: graph-enhanced multimodal user interests with alignment and noise-view losses (multimodal)',
  modalities: ['image', 'text'],
  defaults: GUME_DEFAULTS,
  create(config, ctx) {
    return new Gume(resolveConfig('gume', GUME_DEFAULTS, config), ctx);
  },
};
registerModel(gumeFactory);
