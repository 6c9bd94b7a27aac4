/**
 * The in-memory dataset every model trains on, and the checks shared by the loaders (mmrec.ts, csv.ts,
 * synthetic.ts). Ids are dense 0-based ints used directly as embedding rows (protocol §2).
 */
import { MmgError } from '../errors';
import type { ItemColdStart } from './cold_start';

/** Parallel arrays: row r is the interaction (users[r], items[r]). */
export interface Interactions {
  users: Int32Array;
  items: Int32Array;
}

/** Compressed rows: row u holds indices[indptr[u] .. indptr[u+1]). */
export interface Csr {
  indptr: Int32Array;
  indices: Int32Array;
}

export interface FeatureMatrix {
  /** Row-major [nItems, dim]; row i is item i. */
  data: Float32Array;
  dim: number;
}

/** Original string ids of a CSV dataset: users[k] is the id mapped to k. Saved with models. */
export interface IdMap {
  users: string[];
  items: string[];
}

export interface DatasetReport {
  /** Validation/test rows dropped because their user has no training row (MMRec filter_out_cod_start_users). */
  droppedColdStartRows: { valid: number; test: number };
  /** Distinct users behind those rows. */
  droppedColdStartUsers: number;
  /** Train rows that repeat an earlier (user, item) pair; SMORE/GUME weight them 2, LightGCN collapses them. */
  duplicateTrainRows: number;
}

export interface Dataset {
  name: string;
  nUsers: number;
  nItems: number;
  /** Splits in file order; valid/test already cold-start filtered. */
  train: Interactions;
  valid: Interactions;
  test: Interactions;
  /** Modality name ('image', 'text', …) to its [nItems, dim] float32 matrix. */
  features: Map<string, FeatureMatrix>;
  /** Per-user training items, sorted ascending and unique (nUsers rows). */
  trainSets: Csr;
  idMap?: IdMap;
  report: DatasetReport;
  /** Set when the splits are an item cold-start split of the loaded data (cold_start.ts). */
  coldStart?: ItemColdStart;
}

export function dataError(where: string, what: string): never {
  throw new MmgError(`${where}: ${what}`, 'MMG_E_DATA');
}

/** Rows grouped by user, in file order within a user, duplicates kept. */
export function groupByUser(nUsers: number, inter: Interactions): Csr {
  const indptr = new Int32Array(nUsers + 1);
  for (let r = 0; r < inter.users.length; r++) indptr[inter.users[r] + 1]++;
  for (let u = 0; u < nUsers; u++) indptr[u + 1] += indptr[u];
  const fill = indptr.slice(0, nUsers);
  const indices = new Int32Array(inter.users.length);
  for (let r = 0; r < inter.users.length; r++) indices[fill[inter.users[r]]++] = inter.items[r];
  return { indptr, indices };
}

/** Sorted unique item set per user, and the number of rows that were duplicates. */
export function userItemSets(nUsers: number, inter: Interactions): { sets: Csr; duplicates: number } {
  const g = groupByUser(nUsers, inter);
  const indptr = new Int32Array(nUsers + 1);
  const indices = new Int32Array(g.indices.length);
  let w = 0;
  for (let u = 0; u < nUsers; u++) {
    const row = g.indices.subarray(g.indptr[u], g.indptr[u + 1]).sort();
    for (let k = 0; k < row.length; k++) if (k === 0 || row[k] !== row[k - 1]) indices[w++] = row[k];
    indptr[u + 1] = w;
  }
  return { sets: { indptr, indices: indices.slice(0, w) }, duplicates: g.indices.length - w };
}

/** Binary search in a sorted CSR row. */
export function csrHas(csr: Csr, row: number, value: number): boolean {
  let lo = csr.indptr[row];
  let hi = csr.indptr[row + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = csr.indices[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** Number of training rows per item (duplicates counted), length nItems. */
export function itemTrainCounts(ds: Pick<Dataset, 'nItems' | 'train'>): Int32Array {
  const c = new Int32Array(ds.nItems);
  for (let r = 0; r < ds.train.items.length; r++) c[ds.train.items[r]]++;
  return c;
}

/** Number of training rows per user (duplicates counted), length nUsers. */
export function userTrainCounts(ds: Pick<Dataset, 'nUsers' | 'train'>): Int32Array {
  const c = new Int32Array(ds.nUsers);
  for (let r = 0; r < ds.train.users.length; r++) c[ds.train.users[r]]++;
  return c;
}

/**
 * Checks a feature matrix: 2-D, one row per item, finite. `rows`/`dim` come from the file's shape.
 * Returns the data as float32 (numpy arrays are cast to float32 on load, protocol §1).
 */
export function checkFeature(
  file: string,
  data: ArrayLike<number> | Float32Array,
  shape: number[],
  nItems: number,
): FeatureMatrix {
  if (shape.length !== 2) dataError(file, `expected a 2-D feature matrix [n_items, dim], got shape (${shape.join(', ')})`);
  const [rows, dim] = shape;
  if (rows !== nItems)
    dataError(file, `has ${rows} rows, expected ${nItems} (one per item; n_items = 1 + the largest item id)`);
  if (dim < 1) dataError(file, `has ${dim} columns, expected at least 1`);
  const f32 = data instanceof Float32Array ? data : Float32Array.from(data);
  for (let k = 0; k < f32.length; k++) {
    const v = f32[k];
    if (v - v !== 0) {
      const row = Math.floor(k / dim);
      dataError(file, `${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'} at row ${row}, column ${k % dim}`);
    }
  }
  return { data: f32, dim };
}

export interface RawSplits {
  name: string;
  /** Where the rows came from, for messages. */
  source: string;
  nUsers: number;
  nItems: number;
  train: Interactions;
  valid: Interactions;
  test: Interactions;
  features: Map<string, FeatureMatrix>;
  idMap?: IdMap;
}

const SPLIT_NAMES = ['train (x_label 0)', 'validation (x_label 1)', 'test (x_label 2)'];

export function checkSplitsNonEmpty(source: string, splits: Interactions[]): void {
  splits.forEach((s, k) => s.users.length === 0 && dataError(source, `the ${SPLIT_NAMES[k]} split is empty`));
}

/**
 * Finishes a dataset: builds the train sets, drops validation/test rows of users without training rows
 * (counted in the report), and fails when any split is empty before or after that.
 */
export function assembleDataset(raw: RawSplits): Dataset {
  const { source } = raw;
  checkSplitsNonEmpty(source, [raw.train, raw.valid, raw.test]);
  const { sets, duplicates } = userItemSets(raw.nUsers, raw.train);
  const cold = new Set<number>();
  const filter = (s: Interactions, key: 'valid' | 'test'): [Interactions, number] => {
    let keep = 0;
    for (let r = 0; r < s.users.length; r++) if (sets.indptr[s.users[r] + 1] > sets.indptr[s.users[r]]) keep++;
    if (keep === s.users.length) return [s, 0];
    const users = new Int32Array(keep);
    const items = new Int32Array(keep);
    let w = 0;
    for (let r = 0; r < s.users.length; r++) {
      const u = s.users[r];
      if (sets.indptr[u + 1] > sets.indptr[u]) {
        users[w] = u;
        items[w++] = s.items[r];
      } else cold.add(u);
    }
    if (keep === 0)
      dataError(source, `the ${SPLIT_NAMES[key === 'valid' ? 1 : 2]} split is empty after dropping ${s.users.length} rows of users with no training interaction`);
    return [{ users, items }, s.users.length - keep];
  };
  const [valid, dv] = filter(raw.valid, 'valid');
  const [test, dt] = filter(raw.test, 'test');
  return {
    name: raw.name,
    nUsers: raw.nUsers,
    nItems: raw.nItems,
    train: raw.train,
    valid,
    test,
    features: raw.features,
    trainSets: sets,
    ...(raw.idMap ? { idMap: raw.idMap } : {}),
    report: { droppedColdStartRows: { valid: dv, test: dt }, droppedColdStartUsers: cold.size, duplicateTrainRows: duplicates },
  };
}
