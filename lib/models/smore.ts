/**
 * SMORE (WSDM 2025), as spec/smore.md describes the official code: projected raw features
 * (trainable), a spectral denoising/fusion stage, behaviour-gated item seeds propagated over
 * image/text/fusion kNN graphs, LightGCN over the user–item graph, a per-dimension softmax
 * preference module with three dropout-regularized gates, and BPR + embedding regularizer +
 * two InfoNCE terms.
 */
import {
  add, bprLoss, concatRows, dropout, gatherRows, infonceLoss, layerMean, linear, mul, rowSoftmax, scale, sigmoid,
  sliceRows, spectralFilter, spectralFusion, spmm, sumSquares, tanh,
} from '../ops';
import { knnGraph } from '../graph/knn_graph';
import { maxPoolFusion } from '../graph/max_pool_fusion';
import { userItemGraph } from '../graph/user_item_graph';
import { csrOnDevice, type CsrMatrix } from '../sparse/csr';
import { tensor, type Tensor } from '../tensor';
import { linearInit, randn, xavierUniform } from '../nn/init';
import type { Prng } from '../data/prng';
import { intIn, numIn, resolveConfig } from './config';
import { registerModel, type Batch, type LossResult, type Model, type ModelContext, type ModelFactory } from './model';

export const SMORE_DEFAULTS = {
  embedding_size: 64,
  n_ui_layers: 4,
  n_layers: 1,
  image_knn_k: 40,
  text_knn_k: 15,
  reg_weight: 1e-4,
  cl_loss: 0.01,
  dropout_rate: 0.1,
} as const;

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

interface Lin {
  weight: Tensor;
  bias: Tensor | null;
}

export class Smore implements Model {
  readonly name = 'smore';
  readonly config: Record<string, unknown>;
  readonly graphs: SmoreGraphs;
  private readonly p = new Map<string, Tensor>();
  private readonly U: number;
  private readonly I: number;
  private readonly uiLayers: number;
  private readonly iiLayers: number;
  private readonly regWeight: number;
  private readonly clWeight: number;
  private readonly dropoutRate: number;
  private readonly regDivisor: number;

  constructor(config: Record<string, unknown>, ctx: ModelContext, graphs?: SmoreGraphs) {
    this.config = config;
    const d = intIn('smore', config, 'embedding_size', 2, 4096);
    if (d % 2) throw new Error('smore: expected an even embedding_size (the spectral stage uses d/2+1 frequency bins)');
    this.uiLayers = intIn('smore', config, 'n_ui_layers', 0, 16);
    this.iiLayers = intIn('smore', config, 'n_layers', 0, 16);
    const kv = intIn('smore', config, 'image_knn_k', 1, 100000);
    const kt = intIn('smore', config, 'text_knn_k', 1, 100000);
    this.regWeight = numIn('smore', config, 'reg_weight', 0, 1e3);
    this.clWeight = numIn('smore', config, 'cl_loss', 0, 1e3);
    this.dropoutRate = numIn('smore', config, 'dropout_rate', 0, 1, { openMax: true });
    this.regDivisor = ctx.trainBatchSize;
    const { data } = ctx;
    this.U = data.nUsers;
    this.I = data.nItems;
    const img = data.features.get('image');
    const txt = data.features.get('text');
    if (!img || !txt) throw new Error("smore: needs 'image' and 'text' item features");
    const opts = { dtype: ctx.dtype, device: ctx.device };
    const rng = ctx.rng;
    const set = (name: string, t: Tensor) => {
      t.name = name;
      this.p.set(name, t);
    };
    const setLin = (name: string, l: Lin) => {
      set(`${name}.weight`, l.weight);
      if (l.bias) set(`${name}.bias`, l.bias);
    };
    // Registration order follows the reference module so that a seeded init is reproducible here.
    set('image_complex_weight', randn([d / 2 + 1, 2], rng, opts));
    set('text_complex_weight', randn([d / 2 + 1, 2], rng, opts));
    set('fusion_complex_weight', randn([d / 2 + 1, 2], rng, opts));
    set('user_embedding.weight', xavierUniform([this.U, d], rng, opts));
    set('item_id_embedding.weight', xavierUniform([this.I, d], rng, opts));
    set('image_embedding.weight', tensor(ctx.dtype === 'float64' ? Float64Array.from(img.data) : img.data, [this.I, img.dim], { ...opts, requiresGrad: true }));
    set('text_embedding.weight', tensor(ctx.dtype === 'float64' ? Float64Array.from(txt.data) : txt.data, [this.I, txt.dim], { ...opts, requiresGrad: true }));
    setLin('image_trs', linearInit(d, img.dim, rng, opts));
    setLin('text_trs', linearInit(d, txt.dim, rng, opts));
    for (const q of ['query_v', 'query_t']) {
      setLin(`${q}.0`, linearInit(d, d, rng, opts));
      setLin(`${q}.2`, linearInit(d, d, rng, { ...opts, bias: false }));
    }
    for (const g of ['gate_v', 'gate_t', 'gate_f', 'gate_image_prefer', 'gate_text_prefer', 'gate_fusion_prefer'])
      setLin(`${g}.0`, linearInit(d, d, rng, opts));

    if (graphs) this.graphs = graphs;
    else {
      const ui = userItemGraph(this.U, this.I, data.trainUsers, data.trainItems, 'sym-sum', { dtype: ctx.dtype as 'float32' | 'float64' });
      // The graphs are built in the training dtype from the initial features (never rebuilt).
      const imgF = tensor(ctx.dtype === 'float64' ? Float64Array.from(img.data) : img.data, [this.I, img.dim]);
      const txtF = tensor(ctx.dtype === 'float64' ? Float64Array.from(txt.data) : txt.data, [this.I, txt.dim]);
      const image = knnGraph(imgF, kv);
      const text = knnGraph(txtF, kt);
      imgF.dispose();
      txtF.dispose();
      const fusion = maxPoolFusion(image, text);
      const dev = (m: CsrMatrix) => csrOnDevice(m, ctx.device);
      this.graphs = { adj: dev(ui.adj), R: dev(ui.R), image: dev(image), text: dev(text), fusion: dev(fusion) };
    }
  }

  parameters(): Map<string, Tensor> {
    return new Map(this.p);
  }

  private w(name: string): Tensor {
    return this.p.get(name)!;
  }

  private lin(x: Tensor, name: string): Tensor {
    return linear(x, this.w(`${name}.weight`), this.p.get(`${name}.bias`) ?? null);
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
    // Step 1: project the (trainable) raw features.
    const Pv = this.lin(this.w('image_embedding.weight'), 'image_trs');
    const Pt = this.lin(this.w('text_embedding.weight'), 'text_trs');
    // Step 2: spectral denoising per modality and the fused spectrum.
    const Cv = spectralFilter(Pv, this.w('image_complex_weight'));
    const Ct = spectralFilter(Pt, this.w('text_complex_weight'));
    const Cf = spectralFusion(Pv, Pt, this.w('fusion_complex_weight'));
    // Step 3: item-ID embeddings gated by each (filtered) modality.
    const Ei = this.w('item_id_embedding.weight');
    const seed = (c: Tensor, gate: string) => mul(Ei, sigmoid(this.lin(c, `${gate}.0`)));
    // Step 4: LightGCN over Â; the mean includes layer 0.
    let z = concatRows([this.w('user_embedding.weight'), Ei]);
    const layers = [z];
    for (let l = 0; l < this.uiLayers; l++) {
      z = spmm(this.graphs.adj, z);
      layers.push(z);
    }
    const Zall = layerMean(layers);
    // Step 5: item–item propagation keeps only its last layer; users read items through R̂.
    const view = (h0: Tensor, S: CsrMatrix) => {
      let h = h0;
      for (let l = 0; l < this.iiLayers; l++) h = spmm(S, h);
      return concatRows([spmm(this.graphs.R, h), h]);
    };
    const pick = (x: Tensor) => (rows ? gatherRows(x, rows) : x);
    const Mv = pick(view(seed(Cv, 'gate_v'), this.graphs.image));
    const Mt = pick(view(seed(Ct, 'gate_t'), this.graphs.text));
    const Mf = pick(view(seed(Cf, 'gate_f'), this.graphs.fusion));
    const Z = pick(Zall);
    // Step 6: both queries read the fusion view; the softmax runs over the d feature dimensions.
    const query = (q: string) => rowSoftmax(this.lin(tanh(this.lin(Mf, `${q}.0`)), `${q}.2`));
    const av = query('query_v');
    const at = query('query_t');
    // Preference gates read the content embedding Z; dropout (independent masks) acts on the gates.
    const gate = (name: string) => {
      const g = sigmoid(this.lin(Z, `${name}.0`));
      return rng && this.dropoutRate > 0 ? dropout(g, this.dropoutRate, rng.nextU32()) : g;
    };
    const vTerm = mul(gate('gate_image_prefer'), mul(av, Mv));
    const tTerm = mul(gate('gate_text_prefer'), mul(at, Mt));
    const fTerm = mul(gate('gate_fusion_prefer'), Mf); // the fusion view enters without attention
    const side = scale(add(add(vTerm, tTerm), fTerm), 1 / 3);
    // Step 7.
    return { Pv, Pt, Cv, Ct, Cf, Z, side, O: add(Z, side) };
  }

  /**
   * Smore.md §4. The forward runs only for the batch's distinct users and items (see forward);
   * BPR, the regularizer and both InfoNCE terms index those rows, duplicates kept.
   */
  loss(batch: Batch, rng: Prng): LossResult {
    const b = batchRows(batch, this.U);
    const { O, Z, side } = this.forward(rng, b.rows);
    const u = gatherRows(O, b.users);
    const p = gatherRows(O, b.pos);
    const n = gatherRows(O, b.neg);
    const bpr = bprLoss(u, p, n);
    // Divided by the configured batch size (a constant), as the reference does even for a short batch.
    const reg = scale(add(add(sumSquares(u), sumSquares(p)), sumSquares(n)), (this.regWeight / this.regDivisor) * 0.5);
    // The temperature is hard-coded as 0.2 in the reference (the config's `temperature` is unused).
    const nceItems = infonceLoss(gatherRows(side, b.pos), gatherRows(Z, b.pos), 0.2);
    const nceUsers = infonceLoss(gatherRows(side, b.users), gatherRows(Z, b.users), 0.2);
    const cl = scale(add(nceItems, nceUsers), this.clWeight);
    return { total: add(add(bpr, reg), cl), parts: { bpr, reg, cl, nce_items: nceItems, nce_users: nceUsers } };
  }

  embeddings(): { users: Tensor; items: Tensor } {
    const { O } = this.forward(null);
    return { users: sliceRows(O, 0, this.U), items: sliceRows(O, this.U, this.U + this.I) };
  }

  dispose(): void {
    for (const t of this.p.values()) t.dispose();
    for (const g of Object.values(this.graphs)) g.dispose();
  }
}

/**
 * The distinct nodes a batch touches (users, then items as U + i, each ascending) and, for every
 * batch row, the position of its user / positive / negative among them.
 */
function batchRows(batch: Batch, nUsers: number): { rows: Tensor; users: Tensor; pos: Tensor; neg: Tensor } {
  const users = batch.users.toTypedArray() as Int32Array;
  const pos = batch.pos.toTypedArray() as Int32Array;
  const neg = batch.neg.toTypedArray() as Int32Array;
  const nodes = [...new Set(users)].sort((a, b) => a - b);
  const items = [...new Set([...pos, ...neg])].sort((a, b) => a - b);
  const at = new Map<number, number>();
  nodes.forEach((u, q) => at.set(u, q));
  items.forEach((i, q) => at.set(nUsers + i, nodes.length + q));
  const rows = Int32Array.from([...nodes, ...items.map((i) => nUsers + i)]);
  const local = (ids: Int32Array, offset: number) => Int32Array.from(ids, (v) => at.get(offset + v)!);
  const device = batch.users.device;
  const t = (a: Int32Array) => tensor(a, [a.length], { dtype: 'int32', device });
  return { rows: t(rows), users: t(local(users, 0)), pos: t(local(pos, nUsers)), neg: t(local(neg, nUsers)) };
}

export const smoreFactory: ModelFactory = {
  name: 'smore',
  description: 'SMORE: spectral modality fusion with behaviour-gated graph propagation (multimodal)',
  modalities: ['image', 'text'],
  defaults: SMORE_DEFAULTS,
  create(config, ctx) {
    return new Smore(resolveConfig('smore', SMORE_DEFAULTS, config), ctx);
  },
};
registerModel(smoreFactory);
