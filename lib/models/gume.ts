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
 * - Training computes Z, X_ext and steps 5–6 (coarse query, gates, Y, O) only for the batch's
 *   distinct users and items (R4): the losses read nothing else of them.
 * - The noise views perturb only the batch's unique users, and repeated users gather the same
 *   perturbed row (R5), so a view is what the reference's full-matrix perturbation gives on those
 *   rows. The noise comes from an injectable source (GumeOptions.noise).
 * - find_inter is a per-row intersection, correct for any knn_k (lib/graph/semantic_graph.ts).
 */
import {
  abs, add, bprLoss, concatRows, gatherRows, infonceLoss, matmul, mean, mul, randLike, rowNormalize, scale, sigmoid, sign, sliceRows,
  sub, sumSquares, tanh, variance,
} from '../ops';
import { semanticGraph } from '../graph/semantic_graph';
import { csrOnDevice, type CsrMatrix } from '../sparse/csr';
import { empty, full, type DType, type Device, type Tensor } from '../tensor';
import type { Prng } from '../data/prng';
import { MmgError } from '../errors';
import {
  BatchGraphRows, ParamStore, batchRows, defineSchema, hostIndices, int, lightgcnMean, lightgcnMeanAt, modalKnnGraph, modalitySoftmax, num, propagateLast,
  requireFeatures, resolveSchema, schemaDefaults, uiGraphs, uniqueRows, withUsers, type Linear, type ResolvedConfig,
} from '../nn';
import { registerModel, type Batch, type LossResult, type Model, type ModelContext, type ModelFactory } from './model';

/**
 * GUME.yaml: defaults are its Baby block (the only active one) plus the shared keys; Sports,
 * Clothing and Electronics from its commented-out blocks (gume.md §5). knn_k may be any value here
 * (semanticGraph intersects rows); the reference's find_inter is only correct for knn_k = 10.
 */
export const GUME_SCHEMA = defineSchema({
  embedding_size: int(64, 1, 4096, 'embedding size d'),
  n_ui_layers: int(3, 0, 16, 'LightGCN layers on the enhanced user–item graph (all three passes)'),
  n_layers: int(2, 0, 16, 'item–item propagation layers on each modality graph', { sports: 1, clothing: 1, elec: 1 }),
  knn_k: int(10, 1, 100000, 'neighbours per item in both modality kNN graphs'),
  reg_weight_1: num(1e-5, 0, 1e3, 'weight of ½‖·‖² on the batch final embeddings (divided by the configured batch size)'),
  reg_weight_2: num(0.1, 0, 1e3, "weight of ½‖·‖² on the positive items' extended features (divided by the configured batch size)"),
  bm_loss: num(0.01, 0, 1e3, 'weight of the external (modality vs behaviour) alignment InfoNCE terms'),
  bm_temp: num(0.4, 1e-6, 1e3, 'temperature of the external alignment terms', { datasets: { sports: 0.2, clothing: 0.2, elec: 0.2 } }),
  um_loss: num(0.01, 0, 1e3, 'weight of the user-modality enhancement terms', { datasets: { clothing: 0.1, elec: 0.1 } }),
  um_temp: num(0.1, 1e-6, 1e3, 'temperature of the user-modality enhancement terms', { datasets: { clothing: 0.2, elec: 0.2 } }),
  vt_loss: num(0.1, 0, 1e3, 'weight of the internal (image vs text moment-matching) alignment', { datasets: { sports: 0.01, clothing: 0.001 } }),
});
export type GumeConfig = ResolvedConfig<typeof GUME_SCHEMA>;
export const GUME_DEFAULTS = schemaDefaults(GUME_SCHEMA);

const MODALITIES = ['image', 'text'] as const;

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

/**
 * The forward pass's tensors (gume.md §3); xExt is null when the extended pass was skipped. Z,
 * xExt, Y and O have one row per node, or per entry of `rows` when forward() was given them.
 */
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
  readonly config: GumeConfig;
  readonly graphs: GumeGraphs;
  private readonly p: ParamStore;
  private readonly U: number;
  private readonly I: number;
  private readonly dtype: DType;
  private readonly device: Device;
  private readonly regDivisor: number;
  private readonly noise: GumeNoiseSource | null;
  private readonly userEmb: Tensor;
  private readonly itemEmb: Tensor;
  /** P_v, P_t: the free user tables the extended-interest passes start from. */
  private readonly extUsers: [Tensor, Tensor];
  private readonly feats: [Tensor, Tensor];
  /** Per modality: reduce_dim then trans_dim.0 (no nonlinearity between them). */
  private readonly seedGates: [[Linear, Linear], [Linear, Linear]];
  /** separate_coarse: Linear → tanh → Linear(d, 1, no bias), shared by both modalities. */
  private readonly coarse: [Linear, Linear];
  private readonly behaviour: [Linear, Linear];
  /** A [1, d] row of ones: β [N,1] · ones broadcasts a per-node weight over the d columns. */
  private readonly onesRow: Tensor;
  /** Â's rows at a batch's nodes, for the restricted LightGCN passes (made on first use). */
  private batchGraphs: BatchGraphRows | null = null;

  constructor(config: Record<string, unknown>, ctx: ModelContext, opts: GumeOptions = {}) {
    const c = (this.config = resolveSchema('gume', GUME_SCHEMA, config));
    const { data } = ctx;
    this.U = data.nUsers;
    this.I = data.nItems;
    this.dtype = ctx.dtype;
    this.device = ctx.device;
    this.regDivisor = ctx.trainBatchSize;
    this.noise = opts.noise ?? null;
    const f = requireFeatures('gume', data, MODALITIES);
    const img = f.get('image')!;
    const txt = f.get('text')!;
    if (c.knn_k > this.I) throw new MmgError(`gume: expected knn_k to be at most the number of items (${this.I}), got ${c.knn_k}`, 'MMG_E_ARG');
    const d = c.embedding_size;
    // Registration order is the reference's state_dict order (a seeded init draws in it).
    const p = (this.p = new ParamStore('gume', ctx.rng, { dtype: ctx.dtype, device: ctx.device }));
    this.userEmb = p.embedding('user_embedding.weight', this.U, d);
    this.itemEmb = p.embedding('item_id_embedding.weight', this.I, d);
    this.extUsers = [p.embedding('extended_image_user.weight', this.U, d), p.embedding('extended_text_user.weight', this.U, d)];
    this.feats = [p.features('image_embedding.weight', img), p.features('text_embedding.weight', txt)];
    this.seedGates = [
      [p.linear('image_reduce_dim', img.dim, d), p.linear('image_trans_dim.0', d, d)],
      [p.linear('text_reduce_dim', txt.dim, d), p.linear('text_trans_dim.0', d, d)],
    ];
    this.coarse = [p.linear('separate_coarse.0', d, d), p.linear('separate_coarse.2', d, 1, { bias: false })];
    this.behaviour = [p.linear('image_behavior.0', d, d), p.linear('text_behavior.0', d, d)];
    this.onesRow = full([1, d], 1, { dtype: ctx.dtype, device: ctx.device });

    if (opts.graphs) this.graphs = opts.graphs;
    else {
      // Built on the host in the training dtype from the initial features, once (the reference never rebuilds them).
      const image = modalKnnGraph('gume', img, c.knn_k, ctx.dtype, this.I);
      const text = modalKnnGraph('gume', txt, c.knn_k, ctx.dtype, this.I);
      const semantic = semanticGraph(image, text, { dtype: ctx.dtype as 'float32' | 'float64' });
      const dev = (m: CsrMatrix) => csrOnDevice(m, ctx.device);
      // uiGraphs reads the host S_sem, so it runs before csrOnDevice disposes that.
      this.graphs = { ...uiGraphs(data, 'sym-sum', ctx.dtype, ctx.device, semantic), image: dev(image), text: dev(text), semantic: dev(semantic) };
    }
  }

  parameters(): Map<string, Tensor> {
    return this.p.map();
  }

  /**
   * The forward pass (gume.md §3). `extended`: also compute X_ext (training only).
   *
   * `rows` (int32 node ids in [0, N), users first) restricts Z, X_ext and the per-node layers of
   * steps 5–6 (coarse query, modality softmax, behaviour gates, Y, O) to those nodes: Z, X_ext, Y
   * and O then have one row per entry of `rows`. The loss reads them only at batch rows, and every
   * op of steps 5–6 is row-wise, so this gives the same loss and gradients for a fraction of the
   * work (spec/cost.md R4). Steps 1–4 always run on the whole graph: each propagation layer feeds
   * the next, and X_exp_v, X_exp_t stay whole because the internal alignment takes their moments
   * over all N·d entries. Without `rows`, every node is computed (evaluation, checks).
   */
  forward(extended: boolean, rows: Tensor | null = null): GumeForward {
    const c = this.config;
    const { adj, R } = this.graphs;
    const pick = (x: Tensor) => (rows ? gatherRows(x, rows) : x);
    // Step 1: gated item modality seeds.
    const [gV, gT] = this.feats.map((x, m) => sigmoid(this.seedGates[m][1].apply(this.seedGates[m][0].apply(x))));
    // Step 2: behaviour embedding.
    // LightGCN at the rows (last layer and mean for those rows only, Horner backward: cost.md R7).
    const adjRows = rows ? (this.batchGraphs ??= new BatchGraphRows(R, adj, this.U)).adjAt(rows) : null;
    const lgn = (x0: Tensor) => (rows ? lightgcnMeanAt(adj, adjRows!, x0, c.n_ui_layers, rows) : lightgcnMean(adj, x0, c.n_ui_layers));
    const Z = lgn(concatRows([this.userEmb, this.itemEmb]));
    // Step 3: item–item propagation (last layer only) and explicit features [R̂H; H].
    const hV = propagateLast(this.graphs.image, mul(this.itemEmb, gV), c.n_layers);
    const hT = propagateLast(this.graphs.text, mul(this.itemEmb, gT), c.n_layers);
    const xExpV = withUsers(R, hV);
    const xExpT = withUsers(R, hT);
    // Step 4: extended interests, both modalities in one pass (LGN is linear), and the ½ applied
    // after it, on the rows the loss reads: halving is exact in floating point and commutes with
    // every sum, so LGN(½·x) and ½·LGN(x) are the same numbers, without two full-size passes.
    const [eV, eT] = this.extUsers;
    const xExt = extended ? scale(lgn(concatRows([add(eV, eT), add(hV, hT)])), 0.5) : null;
    // Step 5: attribute separation, a softmax over the two modalities of the shared coarse query.
    const [vR, tR] = [pick(xExpV), pick(xExpT)];
    const [q0, q2] = this.coarse;
    const [betaV, betaT] = modalitySoftmax([vR, tR].map((x) => q2.apply(tanh(q0.apply(x))))).map((b) => matmul(b, this.onesRow));
    const C = add(mul(betaV, vR), mul(betaT, tR));
    const fV = mul(sigmoid(this.behaviour[0].apply(Z)), sub(vR, C));
    const fT = mul(sigmoid(this.behaviour[1].apply(Z)), sub(tR, C));
    const Y = scale(add(add(fV, fT), C), 1 / 3);
    // Step 6.
    return { gV, gT, Z, xExpV, xExpT, xExt, Y, O: add(Z, Y) };
  }

  loss(batch: Batch, rng: Prng): LossResult {
    return this.lossDetails(batch, rng);
  }

  /**
   * loss() plus the ½‖·‖² sums inside the regularizers. The forward runs steps 5–6 only for the
   * batch's distinct users and items (see forward); every term indexes those rows, duplicates kept.
   */
  lossDetails(batch: Batch, rng: Prng | null): GumeLossDetails {
    const c = this.config;
    const b = batchRows(batch, this.U);
    const { Z, xExpV, xExpT, xExt, Y, O } = this.forward(true, b.rows);
    const u = gatherRows(O, b.users);
    const p = gatherRows(O, b.pos);
    const n = gatherRows(O, b.neg);
    const bpr = bprLoss(u, p, n);
    const halfSq = (t: Tensor) => scale(sumSquares(t), 0.5);
    const ou = halfSq(u), oiPos = halfSq(p), oiNeg = halfSq(n);
    const reg1 = scale(add(add(ou, oiPos), oiNeg), c.reg_weight_1 / this.regDivisor);
    // Internal alignment: global moments over all N·d entries, unbiased variance.
    const alignVtRaw = add(abs(sub(variance(xExpV), variance(xExpT))), abs(sub(mean(xExpV), mean(xExpT))));
    const vt = scale(alignVtRaw, c.vt_loss);
    // External alignment: integration Y (anchors) vs behaviour Z.
    const yU = gatherRows(Y, b.users);
    const nceBmUsers = infonceLoss(yU, gatherRows(Z, b.users), c.bm_temp);
    const nceBmItems = infonceLoss(gatherRows(Y, b.pos), gatherRows(Z, b.pos), c.bm_temp);
    const bm = scale(add(nceBmUsers, nceBmItems), c.bm_loss);
    // User-modality enhancement.
    const X = xExt!;
    const nceUmC = infonceLoss(gatherRows(X, b.users), yU, c.um_temp);
    // batchRows maps users monotonically onto the leading rows, so the distinct local ids come in
    // the batch's first-appearance order, and rows[q] is the user id the noise source is asked for.
    const { ids: local, uniq, inverse } = uniqueRows(b.users);
    const rowIds = hostIndices(b.rows);
    const ids = Int32Array.from(local, (q) => rowIds[q]);
    let view = 0;
    const source = this.noise ?? this.prngNoise(rng);
    // A view perturbs each distinct batch user once; repeated users gather the same row (cost.md R5).
    const noisy = (E: Tensor) => {
      const e = gatherRows(E, uniq);
      const delta = scale(mul(sign(e), rowNormalize(source(ids, c.embedding_size, view++))), 0.1);
      return gatherRows(add(e, delta), inverse);
    };
    const noiseLoss = (E: Tensor) => {
      const v1 = noisy(E);
      const v2 = noisy(E);
      return infonceLoss(v1, v2, c.um_temp);
    };
    const nceNoiseY = noiseLoss(Y);
    const nceNoiseXext = noiseLoss(X);
    const um = scale(add(add(nceUmC, nceNoiseY), nceNoiseXext), c.um_loss);
    // Regularizer 2: the extended features of the positive items only.
    const xExtPos = halfSq(gatherRows(X, b.pos));
    const reg2 = scale(xExtPos, c.reg_weight_2 / this.regDivisor);
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
    this.batchGraphs?.dispose();
    this.p.dispose();
    this.onesRow.dispose();
    for (const g of Object.values(this.graphs)) g.dispose();
  }
}

export const gumeFactory: ModelFactory = {
  name: 'gume',
  description: 'GUME: graph-enhanced multimodal user interests with alignment and noise-view losses (multimodal)',
  modalities: MODALITIES,
  defaults: GUME_DEFAULTS,
  schema: GUME_SCHEMA,
  trainDefaults: { lrScheduler: [0.96, 50] },
  create(config, ctx) {
    return new Gume(config, ctx);
  },
};
registerModel(gumeFactory);
