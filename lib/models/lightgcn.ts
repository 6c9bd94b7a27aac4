/**
 * LightGCN (He et al., 2020) in MMRec's formulation (protocol.md §11): embeddings propagated over
 * the binary, symmetric-normalized user–item graph (degree + 1e-7), mean over layers including
 * layer 0; loss = BPR as −log(1e-10 + σ(·)) + reg_weight · (‖E_u[u]‖ + ‖E_i[p]‖ + ‖E_i[n]‖)/B on the
 * layer-0 rows, with unsquared Frobenius norms. With n_layers = 0 this is BPR-MF (lib/models/bpr_mf.ts).
 */
import { add, bprLoss, concatRows, frobeniusNorm, gatherRows, scale, sliceRows } from '../ops';
import type { CsrMatrix } from '../sparse/csr';
import type { Tensor } from '../tensor';
import { ParamStore, defineSchema, int, lightgcnMean, num, resolveSchema, schemaDefaults, uiGraphs, type ResolvedConfig } from '../nn';
import { registerModel, type Batch, type LossResult, type Model, type ModelContext, type ModelFactory } from './model';

export const LIGHTGCN_SCHEMA = defineSchema({
  embedding_size: int(64, 1, 4096, 'embedding size d'),
  n_layers: int(2, 0, 16, 'LightGCN layers on the user–item graph (0: BPR-MF)'),
  reg_weight: num(1e-4, 0, 1e3, 'weight of the unsquared norms of the batch layer-0 embeddings (divided by the batch size)'),
});
export type LightGcnConfig = ResolvedConfig<typeof LIGHTGCN_SCHEMA>;
export const LIGHTGCN_DEFAULTS = schemaDefaults(LIGHTGCN_SCHEMA);

export class LightGCN implements Model {
  readonly name: string;
  readonly config: LightGcnConfig;
  readonly userEmb: Tensor;
  readonly itemEmb: Tensor;
  private readonly p: ParamStore;
  /** Â; null without propagation layers. */
  private readonly adj: CsrMatrix | null;
  private readonly U: number;
  private readonly I: number;

  /** `name` is the registered model ('lightgcn' or 'bpr-mf'); errors carry it. */
  constructor(name: string, config: Record<string, unknown>, ctx: ModelContext, adj?: CsrMatrix) {
    this.name = name;
    const c = (this.config = resolveSchema(name, LIGHTGCN_SCHEMA, config));
    const { data } = ctx;
    this.U = data.nUsers;
    this.I = data.nItems;
    // Registration order is the reference's state_dict order.
    const p = (this.p = new ParamStore(name, ctx.rng, { dtype: ctx.dtype, device: ctx.device }));
    this.userEmb = p.embedding('embedding_dict.user_emb', this.U, c.embedding_size);
    this.itemEmb = p.embedding('embedding_dict.item_emb', this.I, c.embedding_size);
    if (c.n_layers === 0) this.adj = null;
    else if (adj) this.adj = adj;
    else {
      const g = uiGraphs(data, 'lightgcn', ctx.dtype, ctx.device);
      g.R.dispose();
      this.adj = g.adj;
    }
  }

  parameters(): Map<string, Tensor> {
    return this.p.map();
  }

  /** Final embeddings: the mean of Â^l·[E_u; E_i] over l = 0..L. */
  private propagate(): { users: Tensor; items: Tensor } {
    if (!this.adj) return { users: this.userEmb, items: this.itemEmb };
    const x = lightgcnMean(this.adj, concatRows([this.userEmb, this.itemEmb]), this.config.n_layers);
    return { users: sliceRows(x, 0, this.U), items: sliceRows(x, this.U, this.U + this.I) };
  }

  loss(batch: Batch): LossResult {
    const { users, items } = this.propagate();
    const u = gatherRows(users, batch.users);
    const p = gatherRows(items, batch.pos);
    const n = gatherRows(items, batch.neg);
    const bpr = bprLoss(u, p, n, { variant: 'lightgcn' });
    const norms = add(add(frobeniusNorm(gatherRows(this.userEmb, batch.users)), frobeniusNorm(gatherRows(this.itemEmb, batch.pos))), frobeniusNorm(gatherRows(this.itemEmb, batch.neg)));
    const reg = scale(norms, this.config.reg_weight / batch.size);
    return { total: add(bpr, reg), parts: { bpr, reg } };
  }

  embeddings(): { users: Tensor; items: Tensor } {
    return this.propagate();
  }

  dispose(): void {
    this.p.dispose();
    this.adj?.dispose();
  }
}

export const lightgcnFactory: ModelFactory = {
  name: 'lightgcn',
  description: 'LightGCN: ID embeddings propagated over the user–item graph (ID-only baseline)',
  modalities: [],
  defaults: LIGHTGCN_DEFAULTS,
  schema: LIGHTGCN_SCHEMA,
  create(config, ctx) {
    return new LightGCN('lightgcn', config, ctx);
  },
};
registerModel(lightgcnFactory);
