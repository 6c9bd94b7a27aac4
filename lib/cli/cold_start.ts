/**
 * The CLI side of singer.md §11: `train --cold-start items [--cold-fraction F] [--cold-seed N]` and
 * `eval --cold-start [--user-groups 5,10,20] [--json]`.
 */
import { MmgError } from '../errors';
import type { Dataset } from '../data/dataset';
import { applyColdStartSpec, checkColdStartOptions, type ItemColdStartOptions } from '../data/cold_start';
import { evaluateColdStart } from '../eval/evaluate_model';
import { USER_SPARSITY_BOUNDS, type EvalResult } from '../eval/evaluator';
import { round4 } from '../eval/metrics';
import type { Recommender } from '../recommender';
import type { ParsedArgs } from './args';

/** The train flags as options for itemColdStart, or undefined for the normal split. */
export function coldStartFlags(a: ParsedArgs): ItemColdStartOptions | undefined {
  const kind = a.flags.get('cold-start');
  if (kind === undefined) {
    for (const f of ['cold-fraction', 'cold-seed'])
      if (a.flags.has(f)) throw new MmgError(`train: --${f} goes with --cold-start items`, 'MMG_E_ARG');
    return undefined;
  }
  if (kind !== 'items') throw new MmgError(`train: expected --cold-start items, got '${String(kind)}' (user sparsity needs no special training: see 'mmgraph eval --cold-start')`, 'MMG_E_ARG');
  const num = (f: string, want: string, ok: (n: number) => boolean): number | undefined => {
    const v = a.flags.get(f);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v === '' || !ok(n)) throw new MmgError(`train: expected --${f} to be ${want}, got '${String(v)}'`, 'MMG_E_ARG');
    return n;
  };
  const opts = {
    fraction: num('cold-fraction', 'a number in (0, 1)', (n) => n > 0 && n < 1),
    seed: num('cold-seed', 'an integer', Number.isSafeInteger),
  };
  return checkColdStartOptions(opts);
}

function parseBounds(v: string | true | undefined): readonly number[] {
  if (v === undefined) return USER_SPARSITY_BOUNDS;
  const b = String(v).split(',').map((s) => Number(s.trim()));
  if (b.length === 0 || b.some((x, k) => !Number.isInteger(x) || x < 0 || (k > 0 && x <= b[k - 1])))
    throw new MmgError(`eval: expected --user-groups as increasing non-negative integers such as 5,10,20, got '${String(v)}'`, 'MMG_E_ARG');
  return b;
}

const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(4));

/**
 * Prints the split's metrics, the cold-item metrics next to them (models trained with --cold-start
 * items, evaluated on their own split) and the user-sparsity groups.
 */
export function runColdStartEval(rec: Recommender, loaded: Dataset, file: string, split: 'valid' | 'test', topk: number[], a: ParsedArgs): void {
  const spec = rec.meta.coldStart;
  const ds = spec ? applyColdStartSpec(loaded, spec, file) : loaded;
  if (spec && !sameCsr(rec.trainSets, ds.trainSets))
    throw new MmgError(`eval: the training interactions saved in ${file} differ from the cold-start split of this data: not the dataset it was trained on`, 'MMG_E_DATA');
  const withGroups = a.flags.has('cold-start');
  const r = evaluateColdStart(ds, split, rec.userEmbeddings, rec.itemEmbeddings, { topk, userBounds: parseBounds(a.flags.get('user-groups')) });
  const coldNote = spec
    ? null
    : 'item cold-start: not available for this model. It was trained on the normal split, so no item was held out of training; ' +
      "train with 'mmgraph train --cold-start items' and evaluate that model to measure item cold-start.";
  if (a.flags.has('json')) {
    const row = (x: EvalResult) => ({ users: x.nUsers, ...Object.fromEntries(Object.entries(x.unrounded).map(([k, v]) => [k, Number.isNaN(v) ? null : round4(v)])) });
    console.log(JSON.stringify({
      split,
      coldStart: spec ?? null,
      all: row(r.all),
      coldItems: r.coldItems ? row(r.coldItems) : null,
      ...(coldNote ? { coldItemsNote: coldNote } : {}),
      userGroups: r.userGroups.map((g) => ({ label: g.label, min: g.min, max: g.max === Infinity ? null : g.max, ...row(g.result) })),
    }));
    return;
  }
  if (spec) {
    const cs = ds.coldStart!;
    console.log(`${split} split: item cold-start split the model was trained on (${cs.nColdItems} of ${ds.nItems} items cold, fraction ${cs.fraction}, seed ${cs.seed})`);
  }
  const header = r.coldItems ? `${'metric'.padEnd(14)} ${'all rows'.padStart(9)} ${'cold items'.padStart(10)}` : `${'metric'.padEnd(14)} ${'all rows'.padStart(9)}`;
  console.log(header);
  for (const [k, v] of Object.entries(r.all.rounded))
    console.log(`${k.padEnd(14)} ${fmt(v).padStart(9)}${r.coldItems ? ` ${fmt(r.coldItems.rounded[k]).padStart(10)}` : ''}`);
  console.log(`${'users'.padEnd(14)} ${String(r.all.nUsers).padStart(9)}${r.coldItems ? ` ${String(r.coldItems.nUsers).padStart(10)}` : ''}`);
  if (!withGroups) return;
  if (coldNote) console.log(coldNote);
  const k = r.groupK;
  console.log(`user sparsity (${split} users by training interactions):`);
  console.log(`${'group'.padEnd(8)} ${'users'.padStart(6)} ${`recall@${k}`.padStart(10)} ${`ndcg@${k}`.padStart(10)}`);
  for (const g of r.userGroups)
    console.log(`${g.label.padEnd(8)} ${String(g.result.nUsers).padStart(6)} ${fmt(g.result.rounded[`recall@${k}`]).padStart(10)} ${fmt(g.result.rounded[`ndcg@${k}`]).padStart(10)}`);
}

function sameCsr(x: { indptr: Int32Array; indices: Int32Array }, y: { indptr: Int32Array; indices: Int32Array }): boolean {
  if (x.indptr.length !== y.indptr.length || x.indices.length !== y.indices.length) return false;
  for (let i = 0; i < x.indptr.length; i++) if (x.indptr[i] !== y.indptr[i]) return false;
  for (let i = 0; i < x.indices.length; i++) if (x.indices[i] !== y.indices[i]) return false;
  return true;
}
