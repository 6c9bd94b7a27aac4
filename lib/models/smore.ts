/**
 * SMORE (WSDM 2025), as spec/smore.md describes the official code: projected raw features
 * (trainable), a spectral denoising/fusion stage, behaviour-gated item seeds propagated over
 * image/text/fusion kNN graphs, LightGCN over the user–item graph, a per-dimension softmax
 * preference module with three dropout-regularized gates, and BPR + embedding regularizer +
 * two InfoNCE terms.
 */
import { add, bprLoss, concatRows, dropout, gatherRows, infonceLoss, mul, rowSoftmax, scale, sigmoid, sliceRows, spectralFilter, spectralFusion, sumSquares, tanh } from '../ops';
import { maxPoolFusion } from '../graph/max_pool_fusion';
import { csrOnDevice, type CsrMatrix } from '../sparse/csr';
import type { Tensor } from '../tensor';
import type { Prng } from '../data/prng';
import { MmgError } from '../errors';
import {
  BatchGraphRows, ParamStore, batchRows, defineSchema, int, lightgcnMean, lightgcnMeanAt, modalKnnGraph, num, propagateLast,
  requireFeatures, resolveSchema, schemaDefaults, uiGraphs, withUsers, withUsersAt, type Linear, type ResolvedConfig,
} from '../nn';
import { registerModel, type Batch, type LossResult, type Model, type ModelContext, type ModelFactory } from './model';

/** Defaults are the README's Baby settings; Sports and Clothing per its "to replicate Table 2" table (smore.md §5). */
export const SMORE_SCHEMA = defineSchema({
  embedding_size: int(64, 2, 4096, 'embedding size d (even: the spectral stage uses d/2+1 frequency bins)'),
  n_ui_layers: int(4, 0, 16, 'LightGCN layers on the user–item graph', { sports: 3, clothing: 3 }),
  n_layers: int(1, 0, 16, 'item–item propagation layers on each modality graph'),
  image_knn_k: int(40, 1, 100000, 'neighbours per item in the image kNN graph', { sports: 10 }),
  text_knn_k: int(15, 1, 100000, 'neighbours per item in the text kNN graph', { sports: 10, clothing: 10 }),
  reg_weight: num(1e-4, 0, 1e3, 'weight of ½‖·‖² on the batch final embeddings (divided by the configured batch size)', { datasets: { clothing: 1e-5 } }),
  cl_loss: num(0.01, 0, 1e3, 'weight of the side-vs-behaviour InfoNCE terms', { datasets: { sports: 0.03 } }),
  dropout_rate: num(0.1, 0, 1, 'dropout on the three preference gates (training only)', { openMax: true, datasets: { sports: 0, clothing: 0 } }),
});
export type SmoreConfig = ResolvedConfig<typeof SMORE_SCHEMA>;
export const SMORE_DEFAULTS = schemaDefaults(SMORE_SCHEMA);

/** The InfoNCE temperature is hard-coded in the reference (the config's `temperature` is unused). */
const TAU = 0.2;
const MODALITIES = ['image', 'text'] as const;

/** The constant graphs SMORE builds once from the training data and the initial features. */
export interface SmoreGraphs {
  adj: CsrMatrix;
  R: CsrMatrix;
  image: CsrMatrix;
  text: CsrMatrix;
  fusion: CsrMatrix;
}

/** The forward pass's named intermediates (smore.md §3 symbols); tests compare them with fixtures/smore fwd.*. */
export interface SmoreForward {
  Pv: Tensor;
  Pt: Tensor;
  Cv: Tensor;
  Ct: Tensor;
  Cf: Tensor;
  /** LightGCN content embedding, N×d. */
  Z: Tensor;
  /** Side embedding S_side, N×d. */
  side: Tensor;
  /** Final embeddings Z + S_side, users first. */
  O: Tensor;
}

/** One per view, in the order image, text, fusion. */
type PerView<T> = [T, T, T];

export class Smore implements Model {
  readonly name = 'smore';
  readonly config: SmoreConfig;
  readonly graphs: SmoreGraphs;
  private readonly p: ParamStore;
  private readonly U: number;
  private readonly I: number;
  private readonly regDivisor: number;
  /** Spectral filters w_v, w_t, w_f ([d/2+1, 2]: real, imaginary). */
  private readonly complexWeights: PerView<Tensor>;
  private readonly userEmb: Tensor;
  private readonly itemEmb: Tensor;
  private readonly feats: [Tensor, Tensor];
  private readonly trs: [Linear, Linear];
  /** Q_v, Q_t: Linear → tanh → Linear (no bias). */
  private readonly queries: [[Linear, Linear], [Linear, Linear]];
  private readonly seedGates: PerView<Linear>;
  private readonly preferGates: PerView<Linear>;
  /** R̂'s and Â's rows at a batch's nodes, for the restricted forward (made on first use). */
  private batchGraphs: BatchGraphRows | null = null;

  constructor(config: Record<string, unknown>, ctx: ModelContext, graphs?: SmoreGraphs) {
    const c = (this.config = resolveSchema('smore', SMORE_SCHEMA, config));
    const d = c.embedding_size;
    if (d % 2) throw new MmgError(`smore: expected an even embedding_size (the spectral stage uses d/2+1 frequency bins), got ${d}`, 'MMG_E_ARG');
    const { data } = ctx;
    this.U = data.nUsers;
    this.I = data.nItems;
    this.regDivisor = ctx.trainBatchSize;
    const f = requireFeatures('smore', data, MODALITIES);
    const img = f.get('image')!;
    const txt = f.get('text')!;
    // Registration order is the reference's state_dict order (a seeded init draws in it).
    const p = (this.p = new ParamStore('smore', ctx.rng, { dtype: ctx.dtype, device: ctx.device }));
    const bins = [d / 2 + 1, 2];
    this.complexWeights = [p.randn('image_complex_weight', bins), p.randn('text_complex_weight', bins), p.randn('fusion_complex_weight', bins)];
    this.userEmb = p.embedding('user_embedding.weight', this.U, d);
    this.itemEmb = p.embedding('item_id_embedding.weight', this.I, d);
    this.feats = [p.features('image_embedding.weight', img), p.features('text_embedding.weight', txt)];
    this.trs = [p.linear('image_trs', img.dim, d), p.linear('text_trs', txt.dim, d)];
    const query = (q: string): [Linear, Linear] => [p.linear(`${q}.0`, d, d), p.linear(`${q}.2`, d, d, { bias: false })];
    this.queries = [query('query_v'), query('query_t')];
    this.seedGates = [p.linear('gate_v.0', d, d), p.linear('gate_t.0', d, d), p.linear('gate_f.0', d, d)];
    this.preferGates = [p.linear('gate_image_prefer.0', d, d), p.linear('gate_text_prefer.0', d, d), p.linear('gate_fusion_prefer.0', d, d)];

    if (graphs) this.graphs = graphs;
    else {
      // Built in the training dtype from the initial features (never rebuilt).
      const image = modalKnnGraph('smore', img, c.image_knn_k, ctx.dtype, this.I);
      const text = modalKnnGraph('smore', txt, c.text_knn_k, ctx.dtype, this.I);
      const fusion = maxPoolFusion(image, text); // before csrOnDevice disposes the host graphs
      const dev = (m: CsrMatrix) => csrOnDevice(m, ctx.device);
      this.graphs = { ...uiGraphs(data, 'sym-sum', ctx.dtype, ctx.device), image: dev(image), text: dev(text), fusion: dev(fusion) };
    }
  }

  parameters(): Map<string, Tensor> {
    return this.p.map();
  }

  /**
   * The forward pass (smore.md §3). Dropout on the preference gates is active when rng is given.
   *
   * `rows` (int32 node ids in [0, N), users first) restricts the per-node preference module
   * (steps 6–7) to those nodes: Z, side and O then have one row per entry of `rows`. The loss only
   * reads batch rows, and every op of steps 6–7 is row-wise, so this gives the same loss and
   * gradients for a fraction of the work (spec/cost.md R4). Steps 1–5 always run on the whole graph:
   * each propagation layer feeds the next. Without `rows`, every node is computed (evaluation).
   */
  forward(rng: Prng | null, rows: Tensor | null = null): SmoreForward {
    const c = this.config;
    const [wv, wt, wf] = this.complexWeights;
    // Step 1: project the (trainable) raw features.
    const [Pv, Pt] = this.feats.map((x, m) => this.trs[m].apply(x));
    // Step 2: spectral denoising per modality and the fused spectrum.
    const C: PerView<Tensor> = [spectralFilter(Pv, wv), spectralFilter(Pt, wt), spectralFusion(Pv, Pt, wf)];
    // Steps 3 and 5: item-ID embeddings gated by each (filtered) modality, propagated over its graph.
    const pick = (x: Tensor) => (rows ? gatherRows(x, rows) : x);
    const graphs = [this.graphs.image, this.graphs.text, this.graphs.fusion];
    // [R̂H; H] at the rows: R̂H only for the batch's users when `rows` lists users first (cost.md R4).
    const bg = rows ? (this.batchGraphs ??= new BatchGraphRows(this.graphs.R, this.graphs.adj, this.U)) : null;
    const sub = rows ? bg!.viewAt(rows) : null;
    const [Mv, Mt, Mf] = C.map((x, m) => {
      const h = propagateLast(graphs[m], mul(this.itemEmb, sigmoid(this.seedGates[m].apply(x))), c.n_layers);
      return sub ? withUsersAt(sub.Rb, h, sub.items) : pick(withUsers(this.graphs.R, h));
    });
    // Step 4: LightGCN over Â.
    const x0 = concatRows([this.userEmb, this.itemEmb]);
    const Z = rows ? lightgcnMeanAt(this.graphs.adj, bg!.adjAt(rows), x0, c.n_ui_layers, rows) : lightgcnMean(this.graphs.adj, x0, c.n_ui_layers);
    // Step 6: both queries read the fusion view; the softmax runs over the d feature dimensions.
    const [av, at] = this.queries.map(([q0, q2]) => rowSoftmax(q2.apply(tanh(q0.apply(Mf)))));
    // Preference gates read Z; dropout draws independent masks, in the order image, text, fusion.
    const gate = (m: number) => {
      const g = sigmoid(this.preferGates[m].apply(Z));
      return rng && c.dropout_rate > 0 ? dropout(g, c.dropout_rate, rng.nextU32()) : g;
    };
    const vTerm = mul(gate(0), mul(av, Mv));
    const tTerm = mul(gate(1), mul(at, Mt));
    const fTerm = mul(gate(2), Mf); // the fusion view enters without attention
    const side = scale(add(add(vTerm, tTerm), fTerm), 1 / 3);
    // Step 7.
    return { Pv, Pt, Cv: C[0], Ct: C[1], Cf: C[2], Z, side, O: add(Z, side) };
  }

  /**
   * Smore.md §4. The forward runs only for the batch's distinct users and items (see forward);
   * BPR, the regularizer and both InfoNCE terms index those rows, duplicates kept.
   */
  loss(batch: Batch, rng: Prng): LossResult {
    const c = this.config;
    const b = batchRows(batch, this.U);
    const { O, Z, side } = this.forward(rng, b.rows);
    const u = gatherRows(O, b.users);
    const pos = gatherRows(O, b.pos);
    const neg = gatherRows(O, b.neg);
    const bpr = bprLoss(u, pos, neg);
    // Divided by the configured batch size (a constant), as the reference does even for a short batch.
    const reg = scale(add(add(sumSquares(u), sumSquares(pos)), sumSquares(neg)), (c.reg_weight / this.regDivisor) * 0.5);
    const nceItems = infonceLoss(gatherRows(side, b.pos), gatherRows(Z, b.pos), TAU);
    const nceUsers = infonceLoss(gatherRows(side, b.users), gatherRows(Z, b.users), TAU);
    const cl = scale(add(nceItems, nceUsers), c.cl_loss);
    return { total: add(add(bpr, reg), cl), parts: { bpr, reg, cl, nce_items: nceItems, nce_users: nceUsers } };
  }

  embeddings(): { users: Tensor; items: Tensor } {
    const { O } = this.forward(null);
    return { users: sliceRows(O, 0, this.U), items: sliceRows(O, this.U, this.U + this.I) };
  }

  dispose(): void {
    this.batchGraphs?.dispose();
    this.p.dispose();
    for (const g of Object.values(this.graphs)) g.dispose();
  }
}

export const smoreFactory: ModelFactory = {
  name: 'smore',
  description: 'SMORE: spectral modality fusion with behaviour-gated graph propagation (multimodal)',
  modalities: MODALITIES,
  defaults: SMORE_DEFAULTS,
  schema: SMORE_SCHEMA,
  trainDefaults: { lrScheduler: [0.96, 50] },
  create(config, ctx) {
    return new Smore(config, ctx);
  },
};
registerModel(smoreFactory);
