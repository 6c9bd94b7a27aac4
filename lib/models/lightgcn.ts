/**
 * LightGCN (He et al., 2020) in MMRec's formulation (protocol.md §11): embeddings propagated over
 * the binary, symmetric-normalized user–item graph (degree + 1e-7), mean over layers including
 * layer 0; loss = BPR as −log(1e-10 + σ(·)) + reg_weight · (‖E_u[u]‖ + ‖E_i[p]‖ + ‖E_i[n]‖)/B on the
 * layer-0 rows, with unsquared Frobenius norms. With nLayers = 0 this is BPR-MF (lib/models/bpr_mf.ts).
 */
import { bprLoss, concatRows, frobeniusNorm, gatherRows, layerMean, scale, add, sliceRows, spmm } from '../ops';
import { userItemGraph } from '../graph/user_item_graph';
import { csrOnDevice, type CsrMatrix } from '../sparse/csr';
import type { Tensor } from '../tensor';
import { xavierUniform } from '../nn/init';
import { intIn, numIn, resolveConfig } from './config';
import { registerModel, type Batch, type LossResult, type Model, type ModelContext, type ModelFactory } from './model';

export const LIGHTGCN_DEFAULTS = { embedding_size: 64, n_layers: 2, reg_weight: 1e-4 } as const;

export class LightGCN implements Model {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly userEmb: Tensor;
  readonly itemEmb: Tensor;
  private readonly adj: CsrMatrix | null;
  private readonly nUsers: number;
  private readonly nItems: number;
  private readonly nLayers: number;
  private readonly regWeight: number;

  constructor(name: string, config: Record<string, unknown>, ctx: ModelContext, adj?: CsrMatrix) {
    this.name = name;
    this.config = config;
    const d = intIn(name, config, 'embedding_size', 1, 4096);
    this.nLayers = intIn(name, config, 'n_layers', 0, 16);
    this.regWeight = numIn(name, config, 'reg_weight', 0, 1e3);
    const { nUsers, nItems } = ctx.data;
    this.nUsers = nUsers;
    this.nItems = nItems;
    const opts = { dtype: ctx.dtype, device: ctx.device };
    this.userEmb = xavierUniform([nUsers, d], ctx.rng, { ...opts, name: 'embedding_dict.user_emb' });
    this.itemEmb = xavierUniform([nItems, d], ctx.rng, { ...opts, name: 'embedding_dict.item_emb' });
    if (this.nLayers === 0) this.adj = null;
    else if (adj) this.adj = adj;
    else {
      const g = userItemGraph(nUsers, nItems, ctx.data.trainUsers, ctx.data.trainItems, 'lightgcn', { dtype: ctx.dtype as 'float32' | 'float64' });
      g.R.dispose();
      this.adj = csrOnDevice(g.adj, ctx.device);
    }
  }

  parameters(): Map<string, Tensor> {
    return new Map([
      ['embedding_dict.user_emb', this.userEmb],
      ['embedding_dict.item_emb', this.itemEmb],
    ]);
  }

  /** Final embeddings: the mean of Â^l·[E_u; E_i] over l = 0..L. */
  private propagate(): { users: Tensor; items: Tensor } {
    if (!this.adj) return { users: this.userEmb, items: this.itemEmb };
    let x = concatRows([this.userEmb, this.itemEmb]);
    const layers = [x];
    for (let l = 0; l < this.nLayers; l++) {
      x = spmm(this.adj, x);
      layers.push(x);
    }
    const mean = layerMean(layers);
    return { users: sliceRows(mean, 0, this.nUsers), items: sliceRows(mean, this.nUsers, this.nUsers + this.nItems) };
  }

  loss(batch: Batch): LossResult {
    const { users, items } = this.propagate();
    const u = gatherRows(users, batch.users);
    const p = gatherRows(items, batch.pos);
    const n = gatherRows(items, batch.neg);
    const bpr = bprLoss(u, p, n, { variant: 'lightgcn' });
    const embRaw = add(add(frobeniusNorm(gatherRows(this.userEmb, batch.users)), frobeniusNorm(gatherRows(this.itemEmb, batch.pos))), frobeniusNorm(gatherRows(this.itemEmb, batch.neg)));
    const reg = scale(embRaw, this.regWeight / batch.size);
    return { total: add(bpr, reg), parts: { bpr, reg } };
  }

  embeddings(): { users: Tensor; items: Tensor } {
    return this.propagate();
  }

  dispose(): void {
    this.userEmb.dispose();
    this.itemEmb.dispose();
    this.adj?.dispose();
  }
}

export const lightgcnFactory: ModelFactory = {
  name: 'lightgcn',
  description: 'LightGCN: ID embeddings propagated over the user–item graph (ID-only baseline)',
  modalities: [],
  defaults: LIGHTGCN_DEFAULTS,
  create(config, ctx) {
    return new LightGCN('lightgcn', resolveConfig('lightgcn', LIGHTGCN_DEFAULTS, config), ctx);
  },
};
registerModel(lightgcnFactory);
