/** Batch index helpers shared by the models' losses. */
import { tensor, type Tensor } from '../tensor';
import type { Batch } from '../models/model';

/**
 * The distinct nodes a batch touches (users, then items as U + i, each ascending) and, for every
 * batch row, the position of its user / positive / negative among them. A forward restricted to
 * `rows` then serves every loss term that only reads batch rows (spec/cost.md R4).
 */
export function batchRows(batch: Batch, nUsers: number): { rows: Tensor; users: Tensor; pos: Tensor; neg: Tensor } {
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

/** The distinct values of an int index tensor in first-appearance order, and where each entry maps. */
export function uniqueRows(idx: Tensor): { ids: Int32Array; uniq: Tensor; inverse: Tensor } {
  const ids = idx.toTypedArray();
  const pos = new Map<number, number>();
  const inv = new Int32Array(ids.length);
  const uniq: number[] = [];
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
  const u32 = Int32Array.from(uniq);
  return {
    ids: u32,
    uniq: tensor(u32, [u32.length], { device: idx.device }),
    inverse: tensor(inv, [inv.length], { device: idx.device }),
  };
}
