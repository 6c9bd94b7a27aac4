/**
 * Batch index helpers shared by the models' losses. Batch indices are born on the host, so they
 * are range-checked here, once, and carry their host values along (Tensor.hostIndex): a device
 * then neither scans them inside every gather/scatter nor sends them back for the host to read,
 * each of which would drain the stream (issue 11).
 */
import { MmgError } from '../errors';
import { tensor, type Device, type Tensor } from '../tensor';
import type { Batch } from '../models/model';

/**
 * An int32 index tensor on `device` from host values, every one checked to lie in [0, bound)
 * (MMG_E_DATA naming the first that does not, as the kernels' own checks would). `values` must
 * not be modified afterwards: the tensor keeps it as its host copy.
 */
export function checkedIndex(values: Int32Array, bound: number, device: Device, what = 'batch'): Tensor {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v >= bound) throw new MmgError(`${what}: expected indices in [0, ${bound}), got idx[${i}] = ${v}`, 'MMG_E_DATA');
  }
  const t = tensor(values, [values.length], { dtype: 'int32', device });
  t.hostIndex = { host: values, bound };
  return t;
}

/** The values of an int32 index tensor on the host: its host copy when it has one, else read back. */
export function hostIndices(idx: Tensor): Int32Array {
  return idx.hostIndex?.host ?? Int32Array.from(idx.toTypedArray() as ArrayLike<number>, Number);
}

/**
 * A Batch over the sampler's host arrays whose device tensors are uploaded on first use (a model
 * that re-indexes the batch, like SMORE through batchRows, never uploads the raw ids).
 */
export function lazyBatch(users: Int32Array, pos: Int32Array, neg: Int32Array, nUsers: number, nItems: number, device: Device): Batch {
  const made: Partial<Record<'users' | 'pos' | 'neg', Tensor>> = {};
  const get = (k: 'users' | 'pos' | 'neg', a: Int32Array, n: number) => (made[k] ??= checkedIndex(a, n, device, `batch ${k}`));
  return {
    get users() {
      return get('users', users, nUsers);
    },
    get pos() {
      return get('pos', pos, nItems);
    },
    get neg() {
      return get('neg', neg, nItems);
    },
    size: users.length,
    host: { users, pos, neg },
    device,
  };
}

/**
 * The distinct nodes a batch touches (users, then items as U + i, each ascending) and, for every
 * batch row, the position of its user / positive / negative among them. A forward restricted to
 * `rows` then serves every loss term that only reads batch rows (spec/cost.md R4).
 */
export function batchRows(batch: Batch, nUsers: number): { rows: Tensor; users: Tensor; pos: Tensor; neg: Tensor } {
  const users = batch.host?.users ?? hostIndices(batch.users);
  const pos = batch.host?.pos ?? hostIndices(batch.pos);
  const neg = batch.host?.neg ?? hostIndices(batch.neg);
  // Presence flags over the id ranges, then one ascending scan each: no Set, Map or comparator
  // sort (those cost ~4 ms per Baby batch, a quarter of a D1 GEMM).
  const span = (ids: Int32Array, floor: number) => {
    let hi = floor;
    for (let q = 0; q < ids.length; q++) {
      const v = ids[q];
      if (!(v >= 0)) throw new MmgError(`batch: expected non-negative ids, got ${v} at ${q}`, 'MMG_E_DATA');
      if (v >= hi) hi = v + 1;
    }
    return hi;
  };
  const nU = span(users, 0);
  if (nU > nUsers) throw new MmgError(`batch: expected user ids in [0, ${nUsers}), got ${nU - 1}`, 'MMG_E_DATA');
  const nI = Math.max(span(pos, 0), span(neg, 0));
  const uSlot = new Int32Array(nU).fill(-1);
  const iSlot = new Int32Array(nI).fill(-1);
  for (let q = 0; q < users.length; q++) uSlot[users[q]] = 0;
  for (let q = 0; q < pos.length; q++) iSlot[pos[q]] = 0;
  for (let q = 0; q < neg.length; q++) iSlot[neg[q]] = 0;
  let nRows = 0;
  for (let u = 0; u < nU; u++) if (uSlot[u] === 0) uSlot[u] = nRows++;
  for (let i = 0; i < nI; i++) if (iSlot[i] === 0) iSlot[i] = nRows++;
  const rows = new Int32Array(nRows);
  for (let u = 0; u < nU; u++) if (uSlot[u] >= 0) rows[uSlot[u]] = u;
  for (let i = 0; i < nI; i++) if (iSlot[i] >= 0) rows[iSlot[i]] = nUsers + i;
  const local = (ids: Int32Array, slot: Int32Array) => Int32Array.from(ids, (v) => slot[v]);
  const device = batch.device ?? batch.users.device;
  // rows index the whole graph (bounded by its largest entry + 1); the local ids index `rows`.
  const t = (a: Int32Array, bound: number, what: string) => checkedIndex(a, bound, device, what);
  return {
    rows: t(rows, nRows ? rows[nRows - 1] + 1 : 0, 'batch rows'),
    users: t(local(users, uSlot), nRows, 'batch users'),
    pos: t(local(pos, iSlot), nRows, 'batch pos'),
    neg: t(local(neg, iSlot), nRows, 'batch neg'),
  };
}

/** The distinct values of an int index tensor in first-appearance order, and where each entry maps. */
export function uniqueRows(idx: Tensor): { ids: Int32Array; uniq: Tensor; inverse: Tensor } {
  const ids = hostIndices(idx);
  const inv = new Int32Array(ids.length);
  const uniq: number[] = [];
  const bound = idx.hostIndex?.bound;
  if (bound !== undefined && bound <= 4 * ids.length + 65536) {
    // Known small range: a slot array instead of a Map.
    const slot = new Int32Array(bound).fill(-1);
    for (let b = 0; b < ids.length; b++) {
      const id = ids[b];
      let q = slot[id];
      if (q < 0) {
        q = slot[id] = uniq.length;
        uniq.push(id);
      }
      inv[b] = q;
    }
  } else {
    const pos = new Map<number, number>();
    for (let b = 0; b < ids.length; b++) {
      const id = Number(ids[b]);
      let q = pos.get(id);
      if (q === undefined) {
        q = uniq.length;
        pos.set(id, q);
        uniq.push(id);
      }
      inv[b] = q;
    }
  }
  const u32 = Int32Array.from(uniq);
  return {
    ids: u32,
    uniq: idx.hostIndex ? checkedIndex(u32, idx.hostIndex.bound, idx.device, 'unique rows') : tensor(u32, [u32.length], { device: idx.device }),
    inverse: checkedIndex(inv, u32.length, idx.device, 'unique rows inverse'),
  };
}
