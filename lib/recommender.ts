/**
 * Serving: a trained model reduced to what answering needs — final user and item embeddings, each
 * user's training items (to exclude from recommendations) and the id mappings. Scores are inner
 * products s_ui = o_u·o_i, exactly as in evaluation.
 */
import { MmgError } from './errors';
import { tidy } from './autograd/scope';
import { tensor, type Tensor } from './tensor';
import { scoreTopk } from './ops';
import { rowNormalize } from './ops';
import { loadCheckpoint } from './io/checkpoint';
import type { ModelFileMeta } from './io/model_file';

export type Id = number | string;

export interface Recommendation {
  item: Id;
  score: number;
}

export interface RecommendOptions {
  /** Leave out items the user interacted with in training (default true). */
  excludeSeen?: boolean;
}

export class Recommender {
  readonly meta: ModelFileMeta;
  private readonly users: Tensor;
  private readonly items: Tensor;
  private readonly seenIndptr: Int32Array;
  private readonly seenIndices: Int32Array;
  private userIndex: Map<string, number> | null = null;
  private itemIndex: Map<string, number> | null = null;

  constructor(meta: ModelFileMeta, users: Tensor, items: Tensor, seenIndptr: Int32Array, seenIndices: Int32Array) {
    this.meta = meta;
    this.users = users;
    this.items = items;
    this.seenIndptr = seenIndptr;
    this.seenIndices = seenIndices;
    if (meta.userIds) this.userIndex = new Map(meta.userIds.map((id, i) => [id, i]));
    if (meta.itemIds) this.itemIndex = new Map(meta.itemIds.map((id, i) => [id, i]));
  }

  /** Loads a model saved by training (`best.mmg`) or by `save()`. */
  static load(file: string): Recommender {
    const ck = loadCheckpoint<ModelFileMeta>(file);
    if (ck.meta.kind !== 'mmgraph-model')
      throw new MmgError(`${file}: expected a trained model file, got a '${String(ck.meta.kind)}' file (a resume checkpoint is last.mmg; serve best.mmg)`, 'MMG_E_DATA');
    const need = ['emb.users', 'emb.items', 'seen.indptr', 'seen.indices'];
    for (const n of need) if (!ck.tensors.has(n)) throw new MmgError(`${file}: model file lacks '${n}'`, 'MMG_E_DATA');
    const r = new Recommender(
      ck.meta,
      ck.tensors.get('emb.users')!,
      ck.tensors.get('emb.items')!,
      ck.tensors.get('seen.indptr')!.toTypedArray() as Int32Array,
      ck.tensors.get('seen.indices')!.toTypedArray() as Int32Array,
    );
    for (const [k, t] of ck.tensors) if (!k.startsWith('emb.')) t.dispose();
    return r;
  }

  /** Final user embeddings [nUsers, d] (host). */
  get userEmbeddings(): Tensor {
    return this.users;
  }
  /** Final item embeddings [nItems, d] (host). */
  get itemEmbeddings(): Tensor {
    return this.items;
  }

  /** Each user's training items as saved with the model (row u sorted ascending); treat as read-only. */
  get trainSets(): { indptr: Int32Array; indices: Int32Array } {
    return { indptr: this.seenIndptr, indices: this.seenIndices };
  }

  get nUsers(): number {
    return this.users.rows;
  }
  get nItems(): number {
    return this.items.rows;
  }

  private userRow(id: Id, fn: string): number {
    return resolve(id, this.userIndex, this.nUsers, 'user', fn);
  }
  private itemRow(id: Id, fn: string): number {
    return resolve(id, this.itemIndex, this.nItems, 'item', fn);
  }
  private itemId(row: number): Id {
    return this.meta.itemIds ? this.meta.itemIds[row] : row;
  }

  /** Top-k items for each user, best first. */
  recommend(userIds: readonly Id[], k = 10, opts: RecommendOptions = {}): Recommendation[][] {
    checkK(k, this.nItems, 'recommend');
    const rows = userIds.map((u) => this.userRow(u, 'recommend'));
    const excludeSeen = opts.excludeSeen ?? true;
    const indptr = new Int32Array(rows.length + 1);
    const parts: number[] = [];
    rows.forEach((r, i) => {
      if (excludeSeen) for (let p = this.seenIndptr[r]; p < this.seenIndptr[r + 1]; p++) parts.push(this.seenIndices[p]);
      indptr[i + 1] = parts.length;
    });
    return tidy(() => {
      const u = gatherHost(this.users, rows);
      // Seen items are masked to −1e10 (MMRec) and never returned: ask for enough extra candidates.
      const extra = excludeSeen ? Math.max(0, ...rows.map((r) => this.seenIndptr[r + 1] - this.seenIndptr[r])) : 0;
      const kk = Math.min(this.nItems, k + extra);
      const { indices, values } = scoreTopk(u, this.items, kk, { exclude: { indptr, indices: Int32Array.from(parts) } });
      const idx = indices.toTypedArray() as Int32Array;
      const val = values.toArray();
      return rows.map((_, i) => {
        const seen = new Set(excludeSeen ? parts.slice(indptr[i], indptr[i + 1]) : []);
        const out: Recommendation[] = [];
        for (let j = 0; j < kk && out.length < k; j++) {
          const item = idx[i * kk + j];
          if (!seen.has(item)) out.push({ item: this.itemId(item), score: val[i * kk + j] });
        }
        return out;
      });
    });
  }

  /** The k items most similar to each given item (cosine of final item embeddings), itself excluded. */
  similarItems(itemIds: readonly Id[], k = 10): Recommendation[][] {
    checkK(k, this.nItems - 1, 'similarItems');
    const rows = itemIds.map((i) => this.itemRow(i, 'similarItems'));
    return tidy(() => {
      const normed = rowNormalize(this.items);
      const q = gatherHost(normed, rows);
      const indptr = Int32Array.from({ length: rows.length + 1 }, (_, i) => i);
      const { indices, values } = scoreTopk(q, normed, k + 1, { exclude: { indptr, indices: Int32Array.from(rows) } });
      const idx = indices.toTypedArray() as Int32Array;
      const val = values.toArray();
      return rows.map((self, i) => {
        const out: Recommendation[] = [];
        for (let j = 0; j <= k && out.length < k; j++) {
          const item = idx[i * (k + 1) + j];
          if (item !== self) out.push({ item: this.itemId(item), score: val[i * (k + 1) + j] });
        }
        return out;
      });
    });
  }

  /** Scores of the given items for one user (inner products, as ranked). */
  score(userId: Id, itemIds: readonly Id[]): number[] {
    const u = this.userRow(userId, 'score');
    const d = this.users.cols;
    const U = this.users.data() as Float32Array;
    const I = this.items.data() as Float32Array;
    return itemIds.map((id) => {
      const i = this.itemRow(id, 'score');
      let s = 0;
      for (let j = 0; j < d; j++) s += U[u * d + j] * I[i * d + j];
      return s;
    });
  }

  dispose(): void {
    this.users.dispose();
    this.items.dispose();
  }
}

function checkK(k: number, max: number, fn: string): void {
  if (!Number.isInteger(k) || k < 1 || k > max) throw new MmgError(`${fn}: expected k to be an integer in [1, ${max}], got ${k}`, 'MMG_E_ARG');
}

function resolve(id: Id, index: Map<string, number> | null, n: number, what: string, fn: string): number {
  if (index) {
    const r = index.get(String(id));
    if (r === undefined) throw new MmgError(`${fn}: unknown ${what} id '${id}' (the model knows ${n} ${what}s)`, 'MMG_E_ARG');
    return r;
  }
  const r = typeof id === 'number' ? id : Number(id);
  if (!Number.isInteger(r) || r < 0 || r >= n) throw new MmgError(`${fn}: unknown ${what} id '${id}' (expected an integer in [0, ${n - 1}])`, 'MMG_E_ARG');
  return r;
}

/** Copies the given rows of a host tensor into a new tensor. */
function gatherHost(t: Tensor, rows: number[]): Tensor {
  const d = t.cols;
  const src = t.data() as Float32Array | Float64Array;
  const out = t.dtype === 'float64' ? new Float64Array(rows.length * d) : new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(src.subarray(r * d, (r + 1) * d), i * d));
  return tensor(out, [rows.length, d], { dtype: t.dtype });
}
