/**
 * MGCN (Yu et al., ACM MM 2023) as the MMRec toolbox implements it (models/mgcn.py; fixtures/mgcn):
 * the MGCN backbone (lib/nn/mgcn_backbone.ts: purified modality views over kNN graphs, LightGCN
 * behaviour view, behaviour-aware fuser) trained with BPR + a regularizer on the final embeddings +
 * InfoNCE between the fused side and the behaviour embeddings of the batch's users and positives.
 * SMORE is MGCN plus spectral fusion; SynerGraph and SINGER extend it.
 */
import { add, bprLoss, gatherRows, infonceLoss, scale, sliceRows, sumSquares } from '../ops';
import type { Tensor } from '../tensor';
import type { Prng } from '../data/prng';
import {
  MGCN_MODALITIES, MgcnBackbone, batchRows, defineSchema, int, num, resolveSchema, schemaDefaults, type BackboneForward,
  type BackboneGraphs, type ResolvedConfig,
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
export const MGCN_TAU = 0.2;

/** BPR on the final embeddings and reg_weight/B · ½(‖u‖² + ‖p‖² + ‖n‖²), B the configured batch size (as MMRec divides). */
export function bprWithReg(O: Tensor, b: { users: Tensor; pos: Tensor; neg: Tensor }, regWeight: number, batchSize: number): { bpr: Tensor; reg: Tensor } {
  const u = gatherRows(O, b.users);
  const p = gatherRows(O, b.pos);
  const n = gatherRows(O, b.neg);
  const reg = scale(add(add(sumSquares(u), sumSquares(p)), sumSquares(n)), (regWeight / batchSize) * 0.5);
  return { bpr: bprLoss(u, p, n), reg };
}

/** What every model on the MGCN backbone shares: parameters, graphs, the forward and eval embeddings. */
export abstract class MgcnBackboneModel implements Model {
  abstract readonly name: string;
  abstract readonly config: Readonly<Record<string, unknown>>;
  protected abstract readonly net: MgcnBackbone;

  get graphs(): BackboneGraphs {
    return this.net.graphs;
  }

  parameters(): Map<string, Tensor> {
    return this.net.params.map();
  }

  forward(rows: Tensor | null = null): BackboneForward {
    return this.net.forward(rows);
  }

  abstract loss(batch: Batch, rng: Prng): LossResult;

  embeddings(): { users: Tensor; items: Tensor } {
    const { O } = this.net.forward();
    const { U, I } = this.net;
    return { users: sliceRows(O, 0, U), items: sliceRows(O, U, U + I) };
  }

  dispose(): void {
    this.net.dispose();
  }
}

export class Mgcn extends MgcnBackboneModel {
  readonly name = 'mgcn';
  readonly config: MgcnConfig;
  protected readonly net: MgcnBackbone;
  private readonly regDivisor: number;

  constructor(config: Record<string, unknown>, ctx: ModelContext, graphs?: BackboneGraphs) {
    super();
    const c = (this.config = resolveSchema('mgcn', MGCN_SCHEMA, config));
    this.regDivisor = ctx.trainBatchSize;
    this.net = new MgcnBackbone('mgcn', ctx, {
      embeddingSize: c.embedding_size, uiLayers: c.n_ui_layers, iiLayers: c.n_layers, knnK: [c.knn_k, c.knn_k],
      modalities: MGCN_MODALITIES, purifier: true, itemGraph: true, freezeFeatures: false,
    }, graphs);
  }

  loss(batch: Batch): LossResult {
    const b = batchRows(batch, this.net.U);
    const { O, Z, side } = this.net.forward(b.rows);
    const { bpr, reg } = bprWithReg(O, b, this.config.reg_weight, this.regDivisor);
    const nceItems = infonceLoss(gatherRows(side, b.pos), gatherRows(Z, b.pos), MGCN_TAU);
    const nceUsers = infonceLoss(gatherRows(side, b.users), gatherRows(Z, b.users), MGCN_TAU);
    const cl = scale(add(nceItems, nceUsers), this.config.cl_loss);
    return { total: add(add(bpr, reg), cl), parts: { bpr, reg, cl, nce_items: nceItems, nce_users: nceUsers } };
  }
}

export const mgcnFactory: ModelFactory = {
  name: 'mgcn',
  description: 'MGCN: behaviour-guided purifier, user–item and item–item views, behaviour-aware fuser (multimodal)',
  modalities: ['image', 'text'],
  defaults: schemaDefaults(MGCN_SCHEMA),
  schema: MGCN_SCHEMA,
  trainDefaults: { lrScheduler: [0.96, 50] },
  create(config, ctx) {
    return new Mgcn(config, ctx);
  },
};
registerModel(mgcnFactory);
