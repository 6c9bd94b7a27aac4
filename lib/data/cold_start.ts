/**
 * Item cold-start split (singer.md §11.1, the FREEDOM/DRAGON-era convention), as a deterministic
 * transformation of a loaded dataset:
 *  - cold items: round(fraction · nItems) items drawn uniformly from all item ids [0, nItems) with the
 *    seeded stream (seed, 'cold-items'), so the same (dataset, fraction, seed) always gives the same set;
 *  - every training row of a cold item leaves train; those rows, shuffled with (seed, 'cold-split'), go
 *    ⌊m/2⌋ to validation and the other ⌈m/2⌉ to test, each appended after the split's own rows in
 *    file order;
 *  - everything else is unchanged, then the dataset is finished like a loaded one (assembleDataset):
 *    training sets are rebuilt, and validation/test rows of users left with no training row are
 *    dropped and counted in `report` (MMRec's filter_out_cod_start_users).
 * The result carries `coldStart`, which a saved model records so that evaluation can rebuild the
 * same split (lib/io/model_file.ts) and score only the interactions with cold items.
 */
import { MmgError } from '../errors';
import { assembleDataset, type Dataset, type Interactions } from './dataset';
import { Prng } from './prng';

export const COLD_START_DEFAULTS = { fraction: 0.2, seed: 999 } as const;

export interface ItemColdStartOptions {
  /** Share of all items made cold; default 0.2. */
  fraction?: number;
  /** Seed of the item draw and of the valid/test assignment; default 999 (its own named streams, so it draws nothing from the training streams). */
  seed?: number;
}

/** What identifies an item cold-start split; saved with models and in summary.json. */
export interface ColdStartSpec {
  kind: 'items';
  fraction: number;
  seed: number;
  nColdItems: number;
}

export interface ItemColdStart extends ColdStartSpec {
  /** Cold item ids, ascending. */
  items: Int32Array;
  /** Training rows moved to each split (before users without training rows are dropped). */
  movedRows: { valid: number; test: number };
}

export function checkColdStartOptions(opts: ItemColdStartOptions): { fraction: number; seed: number } {
  const fraction = opts.fraction ?? COLD_START_DEFAULTS.fraction;
  const seed = opts.seed ?? COLD_START_DEFAULTS.seed;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1))
    throw new MmgError(`itemColdStart: expected fraction in (0, 1), got ${String(fraction)}`, 'MMG_E_ARG');
  if (!Number.isSafeInteger(seed)) throw new MmgError(`itemColdStart: expected an integer seed, got ${String(seed)}`, 'MMG_E_ARG');
  return { fraction, seed };
}

/** The cold item ids (ascending) for nItems items. */
export function pickColdItems(nItems: number, fraction: number, seed: number): Int32Array {
  const n = Math.round(fraction * nItems);
  if (n < 1 || n >= nItems)
    throw new MmgError(`itemColdStart: expected a fraction that makes between 1 and ${nItems - 1} of ${nItems} items cold, got ${fraction} (${n} items)`, 'MMG_E_ARG');
  const ids = Int32Array.from({ length: nItems }, (_, i) => i);
  const rng = new Prng(seed, 'cold-items');
  // Partial Fisher–Yates: positions 0..n−1 end up a uniform n-subset.
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(nItems - i);
    const t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  return ids.slice(0, n).sort();
}

function rowsOf(inter: Interactions, rows: ArrayLike<number>): Interactions {
  return { users: Int32Array.from(rows, (r) => inter.users[r]), items: Int32Array.from(rows, (r) => inter.items[r]) };
}

function concat(a: Interactions, b: Interactions): Interactions {
  const users = new Int32Array(a.users.length + b.users.length);
  const items = new Int32Array(users.length);
  users.set(a.users);
  users.set(b.users, a.users.length);
  items.set(a.items);
  items.set(b.items, a.items.length);
  return { users, items };
}

/** A new dataset with the item cold-start split; `ds` is not modified. */
export function itemColdStart(ds: Dataset, opts: ItemColdStartOptions = {}): Dataset {
  if (ds.coldStart) throw new MmgError(`itemColdStart: expected a dataset with its original split, got one that already has an item cold-start split`, 'MMG_E_ARG');
  const { fraction, seed } = checkColdStartOptions(opts);
  const items = pickColdItems(ds.nItems, fraction, seed);
  const cold = new Uint8Array(ds.nItems);
  for (const i of items) cold[i] = 1;
  const keep: number[] = [];
  const moved: number[] = [];
  for (let r = 0; r < ds.train.items.length; r++) (cold[ds.train.items[r]] ? moved : keep).push(r);
  const rng = new Prng(seed, 'cold-split');
  rng.shuffle(moved);
  const nValid = Math.floor(moved.length / 2);
  const toValid = moved.slice(0, nValid).sort((a, b) => a - b);
  const toTest = moved.slice(nValid).sort((a, b) => a - b);
  const out = assembleDataset({
    name: ds.name,
    source: `${ds.name} (item cold-start, fraction ${fraction}, seed ${seed})`,
    nUsers: ds.nUsers,
    nItems: ds.nItems,
    train: rowsOf(ds.train, keep),
    valid: concat(ds.valid, rowsOf(ds.train, toValid)),
    test: concat(ds.test, rowsOf(ds.train, toTest)),
    features: ds.features,
    ...(ds.idMap ? { idMap: ds.idMap } : {}),
  });
  const dropped = out.report.droppedColdStartRows;
  return {
    ...out,
    report: {
      ...out.report,
      droppedColdStartRows: { valid: ds.report.droppedColdStartRows.valid + dropped.valid, test: ds.report.droppedColdStartRows.test + dropped.test },
      droppedColdStartUsers: ds.report.droppedColdStartUsers + out.report.droppedColdStartUsers,
    },
    coldStart: { kind: 'items', fraction, seed, nColdItems: items.length, items, movedRows: { valid: toValid.length, test: toTest.length } },
  };
}

/** The saved form of a dataset's cold-start split (no item list: it is rebuilt from the seed). */
export function coldStartSpec(ds: Dataset): ColdStartSpec | undefined {
  const c = ds.coldStart;
  return c ? { kind: c.kind, fraction: c.fraction, seed: c.seed, nColdItems: c.nColdItems } : undefined;
}

/** Rebuilds a saved split on freshly loaded data; fails when the data does not give the same cold set size. */
export function applyColdStartSpec(ds: Dataset, spec: ColdStartSpec, where: string): Dataset {
  if (spec.kind !== 'items') throw new MmgError(`${where}: expected cold-start kind 'items', got '${String(spec.kind)}'`, 'MMG_E_DATA');
  const out = itemColdStart(ds, { fraction: spec.fraction, seed: spec.seed });
  if (out.coldStart!.nColdItems !== spec.nColdItems)
    throw new MmgError(`${where}: the model was trained with ${spec.nColdItems} cold items, this data gives ${out.coldStart!.nColdItems}: not the dataset it was trained on`, 'MMG_E_DATA');
  return out;
}
