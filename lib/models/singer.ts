/**
 * SINGER (Zhang et al., arXiv 2508.06154) as spec/singer.md reconstructs it on MGCN's backbone: a
 * behaviour view (LightGCN over Â) and one semantic view per modality over an enhanced item–item
 * graph (EISG, users through R̂), fused and added to the behaviour view, trained with BPR + reg and
 * three self-supervised losses. Only the components are the paper's; every mechanism is the spec's
 * [REC] resolution and the default of a named option in SINGER_SCHEMA:
 *   (A) EISG S̄^m = (1−β)·S^m + β·S^c, S^c a co-occurrence graph from the interactions (§4.3–4.4);
 *   (B) modulus-based perturbation: two noisy views per modality, InfoNCE between them (§5);
 *   (C1) anchor-based InfoNCE, behaviour rows anchoring every modality's rows (§6.1);
 *   (C2) standard InfoNCE between the fused semantics and the behaviour view (§6.2).
 * Ablation switches: use_collab (or eisg_beta 0), use_pert, use_anchor, use_infonce (or their λ = 0).
 * With fuser 'mgcn', no collaborative graph, semantic_input 'purified', trainable features, use_pert
 * and use_anchor off, dedup_cl_batch off and lambda_c = MGCN's cl_loss, this is MGCN exactly
 * (test/models/singer.test.ts checks it against fixtures/mgcn). Not offered: LGMRec's mean user
 * aggregation (§4.5 alternative); users always read items through R̂.
 */
import { add, anchorInfonce, bprLoss, concatRows, gatherRows, infonceLoss, modulusPerturb, scale, sliceRows, spmm, sumSquares } from '../ops';
import { noGrad } from '../autograd/tape';
import { cooccurrenceGraph } from '../graph/cooccurrence_graph';
import { mixGraphs } from '../graph/mix_graphs';
import { full, tensor, type Tensor } from '../tensor';
import { CsrMatrix, csrOnDevice } from '../sparse/csr';
import type { Prng } from '../data/prng';
import {
  ParamStore, batchRows, behaviourAwareFuser, defineSchema, flag, int, lightgcnMean, meanFuser, modalKnnGraph, modalityView, num, oneOf,
  purify, requireFeatures, resolveSchema, schemaDefaults, uiGraphs, uniqueRows, type FuserParams, type Linear, type ResolvedConfig,
} from '../nn';
import { registerModel, type Batch, type LossResult, type Model, type ModelContext, type ModelData, type ModelFactory } from './model';

const temperature = (doc: string) => num(0.2, 1e-6, 1e3, doc);
const weight = (doc: string) => num(0.01, 0, 1e3, doc);

export const SINGER_SCHEMA = defineSchema({
  embedding_size: int(64, 1, 4096, 'embedding size d'),
  n_ui_layers: int(2, 0, 16, 'L_b: LightGCN layers on the user–item graph (§4.1)'),
  n_mm_layers: int(1, 0, 16, 'L_s: propagation layers on each EISG, last layer kept (§4.5)'),
  knn_k: int(10, 1, 100000, 'k: neighbours per item in each modality kNN graph, self included (§4.2)'),
  knn_weighted: flag(true, 'keep the cosine weights of the kNN graph (MGCN); false binarizes the kept entries (FREEDOM) (§4.2)'),
  use_collab: flag(true, 'ablation: infuse the collaborative graph into the modality graphs; false = w/o enhancement, as eisg_beta 0 (§4.4)'),
  co_graph: oneOf('cosine', ['cosine', 'count', 'two_hop'] as const, 'collaborative similarity from RᵀR: cosine, raw counts or R̂ᵀR̂ (§4.3)'),
  co_knn_k: int(10, 1, 100000, 'k_c: neighbours per item in the collaborative graph, self excluded (§4.3)'),
  eisg_beta: num(0.5, 0, 1, 'β: weight of the collaborative graph in S̄ = (1−β)S^m + βS^c (§4.4; the direction is the spec\'s guess)'),
  eisg_renorm: flag(false, 're-apply D^-½·D^-½ to the mixed graph (§4.4)'),
  semantic_input: oneOf('purified', ['purified', 'projected', 'id'] as const, 'semantic GCN input: MGCN purifier, projected features, or item IDs (§4.5)'),
  freeze_features: flag(false, 'keep the raw item features fixed (LGMRec); by default they are fine-tuned (MGCN) (§4.5)'),
  fuser: oneOf('mean', ['mean', 'mgcn'] as const, 'fused semantics: mean over modalities or MGCN\'s behaviour-aware fuser (§4.6)'),
  use_pert: flag(true, 'ablation: the modulus-based perturbation contrastive loss (§5)'),
  pert_eps: num(0.1, 0, 1e3, 'ε: noise norm relative to the row modulus (§5)'),
  pert_mode: oneOf('ratio', ['ratio', 'mean_scaled', 'inverse'] as const, 'noise norm ε‖e‖, ε‖e‖/mean‖e‖ or ε·mean‖e‖/‖e‖ (§5)'),
  pert_on: oneOf('semantic', ['semantic', 'fused'] as const, 'perturb every semantic layer of every modality, or only the fused semantics (§5)'),
  tau_p: temperature('τ_p: temperature of the perturbation InfoNCE (§5)'),
  lambda_p: weight('λ_p: weight of the perturbation loss (§7)'),
  use_anchor: flag(true, 'ablation: the anchor-based InfoNCE aligning each modality to the behaviour anchor (§6.1)'),
  anchor_form: oneOf('multi', ['multi', 'sum'] as const, 'multi-positive SupCon form, or a sum of per-modality InfoNCE to the anchor (§6.1)'),
  anchor_stopgrad: flag(false, 'no gradient into the behaviour anchor (§6.1)'),
  tau_a: temperature('τ_a: temperature of the anchor-based InfoNCE (§6.1)'),
  lambda_a: weight('λ_a: weight of the anchor-based InfoNCE (§7)'),
  use_infonce: flag(true, 'ablation: the standard InfoNCE between the fused semantics and the behaviour view (§6.2)'),
  tau_c: temperature('τ_c: temperature of the standard InfoNCE (MGCN hard-codes 0.2) (§6.2)'),
  lambda_c: weight('λ_c: weight of the standard InfoNCE (MGCN cl_loss) (§7)'),
  dedup_cl_batch: flag(true, 'de-duplicate the batch users and positive items before every InfoNCE (false: MGCN/GUME parity) (§5)'),
  reg_weight: num(1e-4, 0, 1e3, 'λ_reg: weight of ½‖·‖² on the batch final embeddings (divided by the configured batch size) (§7)'),
});
export type SingerConfig = ResolvedConfig<typeof SINGER_SCHEMA>;

const MODALITIES = ['image', 'text'] as const;

export interface SingerGraphs {
  adj: CsrMatrix;
  R: CsrMatrix;
  /** The EISG of each modality (the plain kNN graph without the collaborative part). */
  image: CsrMatrix;
  text: CsrMatrix;
}

/** FREEDOM's kNN variant: the kept entries set to 1, then D^-½·D^-½ with the row counts as degrees. */
function binarized(S: CsrMatrix): CsrMatrix {
  const { indptr, indices } = S.toArrays();
  const v = S.dtype === 'float64' ? new Float64Array(indices.length) : new Float32Array(indices.length);
  const deg = (r: number) => indptr[r + 1] - indptr[r];
  for (let r = 0; r < S.nRows; r++) for (let q = indptr[r]; q < indptr[r + 1]; q++) v[q] = 1 / Math.sqrt(deg(r) * deg(indices[q]));
  S.dispose();
  return CsrMatrix.fromCsr(S.nRows, S.nCols, indptr, indices, v);
}

/** Â, R̂ and the two EISGs, built once on the host (§4.1–4.4), then moved to the device. */
export function singerGraphs(c: SingerConfig, data: ModelData, ctx: ModelContext): SingerGraphs {
  const f = requireFeatures('singer', data, MODALITIES);
  const dtype = ctx.dtype as 'float32' | 'float64';
  const knn = MODALITIES.map((m) => {
    const S = modalKnnGraph('singer', f.get(m)!, c.knn_k, ctx.dtype, data.nItems);
    return c.knn_weighted ? S : binarized(S);
  });
  const beta = c.use_collab ? c.eisg_beta : 0;
  const co = beta > 0 ? cooccurrenceGraph(data.nUsers, data.nItems, data.trainUsers, data.trainItems, c.co_knn_k, { mode: c.co_graph, dtype }) : null;
  const [image, text] = knn.map((S) => {
    if (!co) return csrOnDevice(S, ctx.device);
    const mixed = mixGraphs(S, co, beta, { renorm: c.eisg_renorm });
    S.dispose();
    return csrOnDevice(mixed, ctx.device);
  });
  co?.dispose();
  return { ...uiGraphs(data, 'sym-sum', ctx.dtype, ctx.device), image, text };
}

/** The clean forward pass: behaviour Z, per-modality semantic views E^m, fused E^s, final O = Z + E^s. */
export interface SingerForward {
  Z: Tensor;
  views: Tensor[];
  side: Tensor;
  O: Tensor;
  /** Each modality's semantic GCN input H^{m,(0)} (all items). */
  H0: Tensor[];
  /** Projected features (absent with semantic_input 'id'). */
  P?: Tensor[];
}

export class Singer implements Model {
  readonly name = 'singer';
  readonly config: SingerConfig;
  readonly graphs: SingerGraphs;
  private readonly p: ParamStore;
  private readonly U: number;
  private readonly I: number;
  private readonly userEmb: Tensor;
  private readonly itemEmb: Tensor;
  private readonly feats: Tensor[] = [];
  private readonly trs: Linear[] = [];
  private readonly gates: Linear[] = [];
  private readonly fuser: FuserParams | null = null;
  private readonly regDivisor: number;

  constructor(config: Record<string, unknown>, ctx: ModelContext, graphs?: SingerGraphs) {
    const c = (this.config = resolveSchema('singer', SINGER_SCHEMA, config));
    const { data } = ctx;
    this.U = data.nUsers;
    this.I = data.nItems;
    this.regDivisor = ctx.trainBatchSize;
    const f = requireFeatures('singer', data, MODALITIES);
    const d = c.embedding_size;
    // Registration order is MGCN's state_dict order; a piece the configuration does not use is not registered.
    const p = (this.p = new ParamStore('singer', ctx.rng, { dtype: ctx.dtype, device: ctx.device }));
    this.userEmb = p.embedding('user_embedding.weight', this.U, d);
    this.itemEmb = p.embedding('item_id_embedding.weight', this.I, d);
    if (c.semantic_input !== 'id') {
      this.feats = MODALITIES.map((m) => p.features(`${m}_embedding.weight`, f.get(m)!, { trainable: !c.freeze_features }));
      this.trs = MODALITIES.map((m) => p.linear(`${m}_trs`, f.get(m)!.dim, d));
    }
    const query = c.fuser === 'mgcn' ? [p.linear('query_common.0', d, d), p.linear('query_common.2', d, 1, { bias: false })] : [];
    if (c.semantic_input === 'purified') this.gates = [p.linear('gate_v.0', d, d), p.linear('gate_t.0', d, d)];
    if (c.fuser === 'mgcn') {
      const prefer = [p.linear('gate_image_prefer.0', d, d), p.linear('gate_text_prefer.0', d, d)];
      this.fuser = { query0: query[0], query2: query[1], prefer, onesRow: full([1, d], 1, { dtype: ctx.dtype, device: ctx.device }) };
    }
    this.graphs = graphs ?? singerGraphs(c, data, ctx);
  }

  parameters(): Map<string, Tensor> {
    return this.p.map();
  }

  /** H^{m,(0)} per modality (§4.5). */
  private semanticInputs(): { H0: Tensor[]; P?: Tensor[] } {
    if (this.config.semantic_input === 'id') return { H0: MODALITIES.map(() => this.itemEmb) };
    const P = this.feats.map((x, m) => this.trs[m].apply(x));
    if (this.config.semantic_input === 'projected') return { H0: P, P };
    return { H0: P.map((x, m) => purify(this.itemEmb, x, this.gates[m])), P };
  }

  /** `rows` (node ids, users first) restricts the row-wise outputs; the propagations run on whole graphs. */
  forward(rows: Tensor | null = null): SingerForward {
    const c = this.config;
    const pick = (x: Tensor) => (rows ? gatherRows(x, rows) : x);
    const { H0, P } = this.semanticInputs();
    const views = [this.graphs.image, this.graphs.text].map((S, m) => pick(modalityView(S, this.graphs.R, H0[m], c.n_mm_layers).all));
    const Z = pick(lightgcnMean(this.graphs.adj, concatRows([this.userEmb, this.itemEmb]), c.n_ui_layers));
    const side = this.fuser ? behaviourAwareFuser(views, Z, this.fuser).side : meanFuser(views);
    return { Z, views, side, O: add(Z, side), H0, P };
  }

  loss(batch: Batch, rng: Prng): LossResult {
    const c = this.config;
    const pert = c.use_pert && c.lambda_p > 0;
    // Perturbing the fused semantics needs whole matrices ('mean_scaled'/'inverse' read the mean modulus).
    const whole = pert && c.pert_on === 'fused';
    const b: { rows?: Tensor; users: Tensor; pos: Tensor; neg: Tensor } = whole ? globalRows(batch, this.U) : batchRows(batch, this.U);
    const { Z, views, side, O, H0 } = this.forward(b.rows ?? null);
    const u = gatherRows(O, b.users);
    const pos = gatherRows(O, b.pos);
    const neg = gatherRows(O, b.neg);
    const bpr = bprLoss(u, pos, neg);
    const reg = scale(add(add(sumSquares(u), sumSquares(pos)), sumSquares(neg)), (c.reg_weight / this.regDivisor) * 0.5);
    const parts: Record<string, Tensor> = { bpr, reg };
    let total = add(bpr, reg);
    // The InfoNCE batches: the batch users and positive items (§5).
    const clRows = (idx: Tensor) => (c.dedup_cl_batch ? uniqueRows(idx).uniq : idx);
    const cu = clRows(b.users);
    const ci = clRows(b.pos);
    const nce = (x: Tensor, y: Tensor, rowsIdx: Tensor, tau: number) => infonceLoss(gatherRows(x, rowsIdx), gatherRows(y, rowsIdx), tau);

    if (pert) {
      const perturb = (e: Tensor) => modulusPerturb(e, c.pert_eps, rng.nextU32(), c.pert_mode);
      let pcl: Tensor;
      if (c.pert_on === 'semantic') {
        // Whole-graph views; their batch rows are the global ids.
        const gu = clRows(batch.users);
        const gi = clRows(batch.pos);
        const view = (S: CsrMatrix, h0: Tensor) => {
          let h = c.n_mm_layers === 0 ? perturb(h0) : h0;
          for (let l = 0; l < c.n_mm_layers; l++) h = perturb(spmm(S, h));
          return { users: perturb(spmm(this.graphs.R, h)), items: h };
        };
        const terms = [this.graphs.image, this.graphs.text].map((S, m) => {
          const v1 = view(S, H0[m]);
          const v2 = view(S, H0[m]);
          return add(nce(v1.users, v2.users, gu, c.tau_p), nce(v1.items, v2.items, gi, c.tau_p));
        });
        pcl = terms.reduce((x, y) => add(x, y));
      } else {
        const s1 = perturb(side);
        const s2 = perturb(side);
        pcl = add(nce(s1, s2, cu, c.tau_p), nce(s1, s2, ci, c.tau_p));
      }
      total = add(total, (parts.pcl = scale(pcl, c.lambda_p)));
    }

    if (c.use_anchor && c.lambda_a > 0) {
      const ain = (idx: Tensor) => {
        const zs = views.map((v) => gatherRows(v, idx));
        if (c.anchor_form === 'multi') return anchorInfonce(gatherRows(Z, idx), zs, c.tau_a, { stopGradAnchor: c.anchor_stopgrad });
        const a = c.anchor_stopgrad ? noGrad(() => gatherRows(Z, idx)) : gatherRows(Z, idx);
        return zs.map((z) => infonceLoss(z, a, c.tau_a)).reduce((x, y) => add(x, y));
      };
      total = add(total, (parts.anchor = scale(add(ain(cu), ain(ci)), c.lambda_a)));
    }

    if (c.use_infonce && c.lambda_c > 0) {
      // MGCN's calculate_loss order: items, then users.
      parts.bs_items = nce(side, Z, ci, c.tau_c);
      parts.bs_users = nce(side, Z, cu, c.tau_c);
      total = add(total, (parts.bs = scale(add(parts.bs_items, parts.bs_users), c.lambda_c)));
    }
    return { total, parts };
  }

  embeddings(): { users: Tensor; items: Tensor } {
    const { O } = this.forward();
    return { users: sliceRows(O, 0, this.U), items: sliceRows(O, this.U, this.U + this.I) };
  }

  dispose(): void {
    this.p.dispose();
    this.fuser?.onesRow.dispose();
    for (const g of Object.values(this.graphs)) g.dispose();
  }
}

/** Batch indices into whole [U + I, d] matrices (items offset by U), for a forward without row restriction. */
function globalRows(batch: Batch, nUsers: number): { users: Tensor; pos: Tensor; neg: Tensor } {
  const shift = (t: Tensor) => {
    const v = Int32Array.from(t.toTypedArray() as Int32Array, (i) => i + nUsers);
    return tensor(v, [v.length], { dtype: 'int32', device: t.device });
  };
  return { users: batch.users, pos: shift(batch.pos), neg: shift(batch.neg) };
}

export const singerFactory: ModelFactory = {
  name: 'singer',
  description: 'SINGER: MGCN backbone with collaborative-enhanced item graphs, modulus-based perturbation, anchor and standard InfoNCE (multimodal)',
  modalities: MODALITIES,
  defaults: schemaDefaults(SINGER_SCHEMA),
  schema: SINGER_SCHEMA,
  trainDefaults: { lrScheduler: [0.96, 50] },
  create(config, ctx) {
    return new Singer(config, ctx);
  },
};
registerModel(singerFactory);
