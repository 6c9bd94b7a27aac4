/**
 * MGCN (Yu et al., ACM MM 2023) as the MMRec toolbox implements it (models/mgcn.py; fixtures/mgcn):
 * trainable raw features projected to d, a behaviour-guided purifier gating the item-ID embedding
 * per modality, a behaviour view (LightGCN over Â) and an item–item view per modality (kNN graph,
 * users through R̂), a behaviour-aware fuser, and BPR + regularizer on the final embeddings +
 * InfoNCE between the fused side and the behaviour embeddings. SMORE is MGCN plus spectral fusion;
 * SynerGraph and SINGER extend it.
 */
import { add, bprLoss, concatRows, gatherRows, infonceLoss, scale, sliceRows, sumSquares } from '../ops';
import { full, type Tensor } from '../tensor';
import type { CsrMatrix } from '../sparse/csr';
import { csrOnDevice } from '../sparse/csr';
import {
  ParamStore, batchRows, behaviourAwareFuser, defineSchema, int, lightgcnMean, modalKnnGraph, modalityView, num, purify,
  requireFeatures, resolveSchema, schemaDefaults, uiGraphs, type FuserParams, type Linear, type ResolvedConfig,
} from '../nn';
import { registerModel, type Batch, type LossResult, type Model, type ModelContext, type ModelFactory } from './model';

export const MGCN_SCHEMA = defineSchema({
  embedding_size: int(64, 1, 4096, 'embedding size d'),
  n_ui_layers: int(2, 0, 16, 'LightGCN layers on the user–item graph'),
  n_layers: int(1, 0, 16, 'item–item propagation layers on each modality graph'),
  knn_k: int(10, 1, 100000, 'neighbours per item in each modality kNN graph'),
  reg_weight: num(1e-4, 0, 1e3, 'weight of ½‖·‖² on the batch final embeddings (divided by the configured batch size)'),
  cl_loss: num(0.01, 0, 1e3, 'weight of the side-vs-behaviour InfoNCE terms'),
});
export type MgcnConfig = ResolvedConfig<typeof MGCN_SCHEMA>;

/** MGCN's InfoNCE temperature is hard-coded in its calculate_loss. */
const TAU = 0.2;
const MODALITIES = ['image', 'text'] as const;

export interface MgcnGraphs {
  adj: CsrMatrix;
  R: CsrMatrix;
  image: CsrMatrix;
  text: CsrMatrix;
}

export class Mgcn implements Model {
  readonly name = 'mgcn';
  readonly config: MgcnConfig;
  readonly graphs: MgcnGraphs;
  private readonly p: ParamStore;
  private readonly U: number;
  private readonly I: number;
  private readonly userEmb: Tensor;
  private readonly itemEmb: Tensor;
  private readonly feats: Tensor[];
  private readonly trs: Linear[];
  private readonly gates: Linear[];
  private readonly fuser: FuserParams;
  private readonly regDivisor: number;

  constructor(config: Record<string, unknown>, ctx: ModelContext, graphs?: MgcnGraphs) {
    const c = (this.config = resolveSchema('mgcn', MGCN_SCHEMA, config));
    const { data } = ctx;
    this.U = data.nUsers;
    this.I = data.nItems;
    this.regDivisor = ctx.trainBatchSize;
    const f = requireFeatures('mgcn', data, MODALITIES);
    const d = c.embedding_size;
    // Registration order is the reference's state_dict order.
    const p = (this.p = new ParamStore('mgcn', ctx.rng, { dtype: ctx.dtype, device: ctx.device }));
    this.userEmb = p.embedding('user_embedding.weight', this.U, d);
    this.itemEmb = p.embedding('item_id_embedding.weight', this.I, d);
    this.feats = [p.features('image_embedding.weight', f.get('image')!), p.features('text_embedding.weight', f.get('text')!)];
    this.trs = [p.linear('image_trs', f.get('image')!.dim, d), p.linear('text_trs', f.get('text')!.dim, d)];
    const query0 = p.linear('query_common.0', d, d);
    const query2 = p.linear('query_common.2', d, 1, { bias: false });
    this.gates = [p.linear('gate_v.0', d, d), p.linear('gate_t.0', d, d)];
    const prefer = [p.linear('gate_image_prefer.0', d, d), p.linear('gate_text_prefer.0', d, d)];
    this.fuser = { query0, query2, prefer, onesRow: full([1, d], 1, { dtype: ctx.dtype, device: ctx.device }) };
    if (graphs) this.graphs = graphs;
    else {
      const knn = (m: string) => csrOnDevice(modalKnnGraph('mgcn', f.get(m)!, c.knn_k, ctx.dtype, this.I), ctx.device);
      this.graphs = { ...uiGraphs(data, 'sym-sum', ctx.dtype, ctx.device), image: knn('image'), text: knn('text') };
    }
  }

  parameters(): Map<string, Tensor> {
    return this.p.map();
  }

  /**
   * The forward pass (fixtures/README.md, mgcn). `rows` (node ids, users first) restricts the
   * row-wise fuser to those nodes; the propagations always run on the whole graph.
   */
  forward(rows: Tensor | null = null): { Z: Tensor; side: Tensor; O: Tensor; P: Tensor[] } {
    const c = this.config;
    const pick = (x: Tensor) => (rows ? gatherRows(x, rows) : x);
    const P = this.feats.map((x, m) => this.trs[m].apply(x));
    const Mviews = [this.graphs.image, this.graphs.text].map((S, m) =>
      pick(modalityView(S, this.graphs.R, purify(this.itemEmb, P[m], this.gates[m]), c.n_layers).all));
    const Z = pick(lightgcnMean(this.graphs.adj, concatRows([this.userEmb, this.itemEmb]), c.n_ui_layers));
    const { side } = behaviourAwareFuser(Mviews, Z, this.fuser);
    return { Z, side, O: add(Z, side), P };
  }

  loss(batch: Batch): LossResult {
    const c = this.config;
    const b = batchRows(batch, this.U);
    const { O, Z, side } = this.forward(b.rows);
    const u = gatherRows(O, b.users);
    const pos = gatherRows(O, b.pos);
    const neg = gatherRows(O, b.neg);
    const bpr = bprLoss(u, pos, neg);
    const reg = scale(add(add(sumSquares(u), sumSquares(pos)), sumSquares(neg)), (c.reg_weight / this.regDivisor) * 0.5);
    const nceItems = infonceLoss(gatherRows(side, b.pos), gatherRows(Z, b.pos), TAU);
    const nceUsers = infonceLoss(gatherRows(side, b.users), gatherRows(Z, b.users), TAU);
    const cl = scale(add(nceItems, nceUsers), c.cl_loss);
    return { total: add(add(bpr, reg), cl), parts: { bpr, reg, cl, nce_items: nceItems, nce_users: nceUsers } };
  }

  embeddings(): { users: Tensor; items: Tensor } {
    const { O } = this.forward();
    return { users: sliceRows(O, 0, this.U), items: sliceRows(O, this.U, this.U + this.I) };
  }

  dispose(): void {
    this.p.dispose();
    this.fuser.onesRow.dispose();
    for (const g of Object.values(this.graphs)) g.dispose();
  }
}

export const mgcnFactory: ModelFactory = {
  name: 'mgcn',
  description: 'MGCN: behaviour-guided purifier, user–item and item–item views, behaviour-aware fuser (multimodal)',
  modalities: MODALITIES,
  defaults: schemaDefaults(MGCN_SCHEMA),
  schema: MGCN_SCHEMA,
  create(config, ctx) {
    return new Mgcn(config, ctx);
  },
};
registerModel(mgcnFactory);
