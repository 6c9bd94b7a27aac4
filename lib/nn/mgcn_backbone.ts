/**
 * The MGCN backbone (MMRec models/mgcn.py) with the switches its descendants need: per modality,
 * trainable (or frozen) raw features projected to d, the behaviour-guided purifier (or the bare
 * projection), an item–item view over the modality's kNN graph (or none), users through R̂; a
 * behaviour view (LightGCN over Â); the behaviour-aware fuser; O = Z + side.
 * MGCN and SynerGraph are this backbone plus their losses.
 */
import { add, concatRows, gatherRows } from '../ops';
import { csrOnDevice, type CsrMatrix } from '../sparse/csr';
import { full, type Tensor } from '../tensor';
import type { ModelContext } from '../models/model';
import { behaviourAwareFuser, purify, type FuserParams } from './mgcn_blocks';
import { modalKnnGraph, requireFeatures, uiGraphs } from './modal_graphs';
import { ParamStore, type Linear } from './params';
import { BatchGraphRows, lightgcnMean, lightgcnMeanAt, propagateLast, withUsers, withUsersAt } from './propagate';

/** A modality and the short names the reference's state_dict uses for it. */
export interface ModalitySpec {
  name: 'image' | 'text';
  /** Purifier gate key stem: gate_v / gate_t. */
  gate: string;
  /** Preference gate key stem: gate_image_prefer / gate_text_prefer. */
  prefer: string;
}
export const MGCN_MODALITIES: readonly ModalitySpec[] = [
  { name: 'image', gate: 'gate_v', prefer: 'gate_image_prefer' },
  { name: 'text', gate: 'gate_t', prefer: 'gate_text_prefer' },
];

export interface BackboneOptions {
  embeddingSize: number;
  uiLayers: number;
  iiLayers: number;
  /** kNN neighbours per modality (same order as `modalities`). */
  knnK: number[];
  modalities: readonly ModalitySpec[];
  /** Gate the item-ID embedding with the projected features (false: the projection itself seeds the view). */
  purifier: boolean;
  /** Propagate over the modality kNN graph (false: the seeds are used without item–item propagation). */
  itemGraph: boolean;
  freezeFeatures: boolean;
}

export interface BackboneGraphs {
  adj: CsrMatrix;
  R: CsrMatrix;
  /** Modality kNN graphs by modality name. */
  image?: CsrMatrix;
  text?: CsrMatrix;
}

export interface BackboneForward {
  /** Projected features per modality (all items). */
  P: Tensor[];
  /** Item embeddings after the item–item view, per modality (all items). */
  H: Tensor[];
  /** Stacked [users; items] modality views (restricted to `rows` when given). */
  views: Tensor[];
  /** Behaviour embedding (restricted). */
  Z: Tensor;
  /** Fused side embedding (restricted). */
  side: Tensor;
  O: Tensor;
}

export class MgcnBackbone {
  readonly params: ParamStore;
  readonly graphs: BackboneGraphs;
  readonly U: number;
  readonly I: number;
  /** R̂'s and Â's rows at a batch's nodes, for the restricted forward (made on first use). */
  private batchGraphs: BatchGraphRows | null = null;
  private readonly userEmb: Tensor;
  private readonly itemEmb: Tensor;
  private readonly feats: Tensor[];
  private readonly trs: Linear[];
  private readonly gates: Linear[];
  private readonly fuser: FuserParams;

  constructor(model: string, ctx: ModelContext, readonly opts: BackboneOptions, graphs?: BackboneGraphs) {
    const { data } = ctx;
    this.U = data.nUsers;
    this.I = data.nItems;
    const mods = opts.modalities;
    const f = requireFeatures(model, data, mods.map((m) => m.name));
    const d = opts.embeddingSize;
    // Registration order is the reference's state_dict order (a seeded init draws in this order).
    const p = (this.params = new ParamStore(model, ctx.rng, { dtype: ctx.dtype, device: ctx.device }));
    this.userEmb = p.embedding('user_embedding.weight', this.U, d);
    this.itemEmb = p.embedding('item_id_embedding.weight', this.I, d);
    this.feats = mods.map((m) => p.features(`${m.name}_embedding.weight`, f.get(m.name)!, { trainable: !opts.freezeFeatures }));
    this.trs = mods.map((m) => p.linear(`${m.name}_trs`, f.get(m.name)!.dim, d));
    const query0 = p.linear('query_common.0', d, d);
    const query2 = p.linear('query_common.2', d, 1, { bias: false });
    this.gates = opts.purifier ? mods.map((m) => p.linear(`${m.gate}.0`, d, d)) : [];
    const prefer = mods.map((m) => p.linear(`${m.prefer}.0`, d, d));
    this.fuser = { query0, query2, prefer, onesRow: full([1, d], 1, { dtype: ctx.dtype, device: ctx.device }) };
    if (graphs) this.graphs = graphs;
    else {
      this.graphs = uiGraphs(data, 'sym-sum', ctx.dtype, ctx.device);
      if (opts.itemGraph)
        mods.forEach((m, q) => {
          this.graphs[m.name] = csrOnDevice(modalKnnGraph(model, f.get(m.name)!, opts.knnK[q], ctx.dtype, this.I), ctx.device);
        });
    }
  }

  /** `rows` (node ids, users first) restricts the row-wise fuser; the propagations always run on the whole graph. */
  forward(rows: Tensor | null = null): BackboneForward {
    const o = this.opts;
    const pick = (x: Tensor) => (rows ? gatherRows(x, rows) : x);
    const P = this.feats.map((x, m) => this.trs[m].apply(x));
    const H = o.modalities.map((m, q) => {
      const seed = o.purifier ? purify(this.itemEmb, P[q], this.gates[q]) : P[q];
      return o.itemGraph ? propagateLast(this.graphs[m.name]!, seed, o.iiLayers) : seed;
    });
    // At the rows: R̂H for the batch users only, LightGCN's last layer and mean for the rows only.
    const bg = rows ? (this.batchGraphs ??= new BatchGraphRows(this.graphs.R, this.graphs.adj, this.U)) : null;
    const sub = rows ? bg!.viewAt(rows) : null;
    const views = H.map((h) => (sub ? withUsersAt(sub.Rb, h, sub.items) : pick(withUsers(this.graphs.R, h))));
    const x0 = concatRows([this.userEmb, this.itemEmb]);
    const Z = rows ? lightgcnMeanAt(this.graphs.adj, bg!.adjAt(rows), x0, o.uiLayers, rows) : lightgcnMean(this.graphs.adj, x0, o.uiLayers);
    const { side } = behaviourAwareFuser(views, Z, this.fuser);
    return { P, H, views, Z, side, O: add(Z, side) };
  }

  dispose(): void {
    this.batchGraphs?.dispose();
    this.params.dispose();
    this.fuser.onesRow.dispose();
    for (const g of Object.values(this.graphs)) g?.dispose();
  }
}
