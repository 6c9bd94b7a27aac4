/**
 * Per-user train/validation/test splits (protocol §1 step 3), for data that has no released x_label.
 *  - 'random': MMRec's rule. Each user's rows are put in a random order (seeded), then the first
 *    n − vt are train, the next ⌊vt/2⌋ validation, the rest test, with vt = ⌊0.2 n⌋ for n ≥ 10 and
 *    1 validation + 1 test for n < 10.
 *  - 'chronological': the same counts, but each user's rows ordered by timestamp (ties keep file order),
 *    so validation and test are the user's latest interactions.
 * Users with fewer than 3 rows cannot be split: all their rows go to train (MMRec's 5-core data never
 * has such users; the notebook's n−2 rule would give them no train row at all).
 */
import { MmgError } from '../errors';
import { groupByUser, type Interactions } from './dataset';
import { Prng } from './prng';

export type SplitMode = 'random' | 'chronological';

export interface SplitOptions {
  mode?: SplitMode;
  seed?: number;
  /** Per-row timestamps; required for 'chronological'. */
  timestamps?: ArrayLike<number>;
}

/** [train, valid, test] counts for a user with n rows. */
export function splitCounts(n: number): [number, number, number] {
  if (n < 3) return [n, 0, 0];
  if (n < 10) return [n - 2, 1, 1];
  const vt = Math.floor(0.2 * n);
  const v = Math.floor(vt / 2);
  return [n - vt, v, vt - v];
}

/** x_label (0 train, 1 valid, 2 test) of every row. */
export function splitLabels(nUsers: number, inter: Interactions, opts: SplitOptions = {}): Uint8Array {
  const mode = opts.mode ?? 'random';
  const n = inter.users.length;
  const ts = opts.timestamps;
  if (mode === 'chronological' && (!ts || ts.length !== n))
    throw new MmgError(`split: 'chronological' needs one timestamp per row, got ${ts ? ts.length : 'none'} for ${n} rows`, 'MMG_E_ARG');
  if (mode !== 'random' && mode !== 'chronological')
    throw new MmgError(`split: expected mode 'random' or 'chronological', got '${String(mode)}'`, 'MMG_E_ARG');
  // Row numbers grouped by user, file order within a user.
  const rowsByUser = groupByUser(nUsers, { users: inter.users, items: Int32Array.from({ length: n }, (_, r) => r) });
  const labels = new Uint8Array(n);
  const rng = new Prng(opts.seed ?? 999, 'split');
  for (let u = 0; u < nUsers; u++) {
    const row = rowsByUser.indices.subarray(rowsByUser.indptr[u], rowsByUser.indptr[u + 1]);
    if (row.length === 0) continue;
    if (mode === 'random') rng.shuffle(row);
    else {
      const sorted = Array.from(row).sort((a, b) => ts![a] - ts![b] || a - b);
      row.set(sorted);
    }
    const [tr, va] = splitCounts(row.length);
    for (let k = 0; k < row.length; k++) labels[row[k]] = k < tr ? 0 : k < tr + va ? 1 : 2;
  }
  return labels;
}

/** The rows of each label, in file order. */
export function applySplit(inter: Interactions, labels: Uint8Array): [Interactions, Interactions, Interactions] {
  const count = [0, 0, 0];
  for (let r = 0; r < labels.length; r++) count[labels[r]]++;
  const out = count.map((c) => ({ users: new Int32Array(c), items: new Int32Array(c) }));
  const w = [0, 0, 0];
  for (let r = 0; r < labels.length; r++) {
    const l = labels[r];
    out[l].users[w[l]] = inter.users[r];
    out[l].items[w[l]++] = inter.items[r];
  }
  return out as [Interactions, Interactions, Interactions];
}
