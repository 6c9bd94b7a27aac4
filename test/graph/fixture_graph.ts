/** Loads fixture sparse matrices (rows/cols/vals .npy triplets) and compares CsrMatrix results with them. */
import * as fs from 'fs';
import { CsrMatrix, tensor } from '../../lib';
import { fixture, npyNumbers } from '../harness/fixtures';

export interface Triplets {
  rows: number[];
  cols: number[];
  vals: number[];
}

export function loadTriplets(...parts: string[]): Triplets {
  const base = parts.join('/');
  const [dir, name] = [base.slice(0, base.lastIndexOf('/')), base.slice(base.lastIndexOf('/') + 1)];
  return { rows: npyNumbers(dir, `${name}.rows.npy`), cols: npyNumbers(dir, `${name}.cols.npy`), vals: npyNumbers(dir, `${name}.vals.npy`) };
}

export function loadCsr(n: number, m: number, dtype: 'float32' | 'float64', ...parts: string[]): CsrMatrix {
  const t = loadTriplets(...parts);
  return CsrMatrix.fromCoo(n, m, t.rows, t.cols, t.vals, { dtype });
}

/** Features as a tensor of the given dtype (the fixtures store float32). */
export function loadFeatures(file: string, dtype: 'float32' | 'float64') {
  const { readNpy } = require('../../lib/data/npy') as typeof import('../../lib/data/npy');
  const a = readNpy(fixture('graphs', file));
  const data = a.data as Float32Array;
  return tensor(dtype === 'float32' ? data : Float64Array.from(data), a.shape);
}

/** Reads a two-column TSV with a header (userID itemID). */
export function loadPairs(file: string): { users: Int32Array; items: Int32Array } {
  const lines = fs.readFileSync(fixture('graphs', file), 'utf8').trim().split('\n').slice(1);
  const users = new Int32Array(lines.length), items = new Int32Array(lines.length);
  lines.forEach((l, q) => {
    const [u, i] = l.split('\t').map(Number);
    users[q] = u;
    items[q] = i;
  });
  return { users, items };
}

/**
 * Expects `got` to hold exactly the fixture's entries: every row as a set of (col, value), values
 * within `rel` relative error, no extra entries.
 */
export function expectSameEntries(got: CsrMatrix, want: Triplets, rel: number, what: string): void {
  const { indptr, indices, values } = got.toArrays();
  const expected = new Map<string, number>();
  want.rows.forEach((r, q) => expected.set(`${r},${want.cols[q]}`, want.vals[q]));
  const seen = new Set<string>();
  for (let r = 0; r < got.nRows; r++)
    for (let q = indptr[r]; q < indptr[r + 1]; q++) {
      const key = `${r},${indices[q]}`;
      const w = expected.get(key);
      if (w === undefined) throw new Error(`${what}: unexpected entry (${key})`);
      if (!(Math.abs(values[q] - w) <= rel * Math.abs(w))) throw new Error(`${what}: entry (${key}) is ${values[q]}, expected ${w}`);
      seen.add(key);
    }
  if (seen.size !== expected.size) throw new Error(`${what}: ${expected.size - seen.size} entries missing`);
}
