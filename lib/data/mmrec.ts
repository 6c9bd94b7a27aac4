/**
 * MMRec dataset folders as released (protocol §1–3): `<name>.inter` (tab-separated, header; columns
 * userID, itemID, x_label found by name, the rest ignored), `<modality>_feat.npy` per modality (row i =
 * item i), optional `u_id_mapping.csv` / `i_id_mapping.csv` (original id, tab, int id) written by
 * writeMmrec for datasets that came from string ids.
 */
import * as fs from 'fs';
import * as path from 'path';
import { encodeNpy } from './npy';
import { ensureDir } from '../io/atomic';
import { assembleDataset, checkFeature, checkSplitsNonEmpty, dataError, type Dataset, type FeatureMatrix, type IdMap, type Interactions } from './dataset';
import { lines, parseId, readNpyFloat32, readText, writeFileAtomic } from './files';

export interface ReadMmrecOptions {
  /** Dataset name; the inter file is `<name>.inter`. Default: the folder's base name. */
  name?: string;
  /** Modalities to load; default every `<modality>_feat.npy` in the folder. */
  modalities?: string[];
}

const FEAT_RE = /^(.+)_feat\.npy$/;

export function readMmrec(dir: string, opts: ReadMmrecOptions = {}): Dataset {
  let name = opts.name ?? path.basename(path.resolve(dir));
  let interFile = path.join(dir, `${name}.inter`);
  if (!fs.existsSync(interFile)) {
    const found = fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? fs.readdirSync(dir).filter((f) => f.endsWith('.inter')) : [];
    // A folder with one .inter file (what `mmgraph synth --out DIR` writes) needs no name.
    if (opts.name === undefined && found.length === 1) {
      name = found[0].slice(0, -'.inter'.length);
      interFile = path.join(dir, found[0]);
    } else dataError(interFile, `not found${found.length ? ` (the folder has ${found.join(', ')}; pass { name })` : ''}`);
  }
  const splits = parseInter(interFile);
  checkSplitsNonEmpty(interFile, splits);
  let nUsers = 0;
  let nItems = 0;
  for (const s of splits) {
    for (let r = 0; r < s.users.length; r++) {
      if (s.users[r] >= nUsers) nUsers = s.users[r] + 1;
      if (s.items[r] >= nItems) nItems = s.items[r] + 1;
    }
  }
  checkIdRange(interFile, splits, nUsers, nItems);
  const modalities =
    opts.modalities ??
    fs
      .readdirSync(dir)
      .map((f) => FEAT_RE.exec(f)?.[1])
      .filter((m): m is string => !!m)
      .sort();
  const features = new Map<string, FeatureMatrix>();
  for (const m of modalities) {
    const file = path.join(dir, `${m}_feat.npy`);
    const { data, shape } = readNpyFloat32(file);
    features.set(m, checkFeature(file, data, shape, nItems));
  }
  const idMap = readIdMap(dir, nUsers, nItems);
  return assembleDataset({
    name,
    source: interFile,
    nUsers,
    nItems,
    train: splits[0],
    valid: splits[1],
    test: splits[2],
    features,
    ...(idMap ? { idMap } : {}),
  });
}

/**
 * Ids are used as given (n_users = 1 + max userID), as MMRec does, so one stray large id would
 * build a model with millions of empty rows. When the id range dwarfs the distinct ids (more than
 * 16 × distinct + 1024) the folder is refused; when more than half the rows would be unused, a
 * warning (MMGRAPH_SPARSE_IDS) says so.
 */
export function checkIdRange(file: string, splits: readonly Interactions[], nUsers: number, nItems: number): void {
  for (const [what, n, key] of [['user', nUsers, 'users'], ['item', nItems, 'items']] as const) {
    // A bitmap up to a bound that any acceptable folder fits in, a Set for ids beyond it.
    const seen = new Uint8Array(Math.min(n, 1 << 24));
    const beyond = new Set<number>();
    let distinct = 0;
    for (const s of splits)
      for (const id of s[key]) {
        if (id >= seen.length) beyond.add(id);
        else if (!seen[id]) {
          seen[id] = 1;
          distinct++;
        }
      }
    distinct += beyond.size;
    if (n > 16 * distinct + 1024)
      dataError(file, `${what} ids run up to ${n - 1} but only ${distinct} distinct ${what}s occur: ids are used as given (n_${what}s = 1 + max id), so this would build ${n} ${what} rows. Re-number the ids 0..${distinct - 1} (u_id_mapping.csv / i_id_mapping.csv keep the originals), or load the interactions as a CSV file, which maps ids`);
    if (n > 2 * distinct)
      process.emitWarning(`${file}: ${what} ids run up to ${n - 1} but only ${distinct} distinct ${what}s occur; ids are used as given, so ${n - distinct} ${what} rows stay empty`, { code: 'MMGRAPH_SPARSE_IDS' });
  }
}

/** Rows of each x_label (0 train, 1 valid, 2 test), in file order. */
export function parseInter(file: string): [Interactions, Interactions, Interactions] {
  const text = readText(file);
  const it = lines(text);
  const first = it.next();
  if (first.done) dataError(file, 'is empty (expected a header line: userID, itemID, rating, timestamp, x_label)');
  const [, headerLine] = first.value;
  const header = headerLine.split('\t').map((h) => h.trim());
  const col = (c: string): number => {
    const k = header.indexOf(c);
    if (k < 0) {
      const hint = header.length === 1 && /[,;\s]/.test(headerLine) ? ' (the file must be tab-separated)' : '';
      dataError(`${file}:1`, `missing column '${c}' (header has: ${header.join(', ')})${hint}`);
    }
    return k;
  };
  const cu = col('userID');
  const ci = col('itemID');
  const cl = col('x_label');
  const need = Math.max(cu, ci, cl) + 1;
  const buf = [0, 1, 2].map(() => ({ u: [] as number[], i: [] as number[] }));
  for (const [no, line] of it) {
    const f = line.split('\t');
    if (f.length < need) dataError(`${file}:${no}`, `expected ${header.length} tab-separated fields, got ${f.length}`);
    const u = parseId(f[cu]);
    if (typeof u === 'string') dataError(`${file}:${no}`, `userID ${u}`);
    const i = parseId(f[ci]);
    if (typeof i === 'string') dataError(`${file}:${no}`, `itemID ${i}`);
    const l = f[cl].trim();
    if (l !== '0' && l !== '1' && l !== '2') dataError(`${file}:${no}`, `x_label '${f[cl]}' is not 0 (train), 1 (validation) or 2 (test)`);
    const b = buf[l.charCodeAt(0) - 48];
    b.u.push(u);
    b.i.push(i);
  }
  return buf.map((b) => ({ users: Int32Array.from(b.u), items: Int32Array.from(b.i) })) as [Interactions, Interactions, Interactions];
}

const USER_MAP = 'u_id_mapping.csv';
const ITEM_MAP = 'i_id_mapping.csv';

function readIdMap(dir: string, nUsers: number, nItems: number): IdMap | undefined {
  const uf = path.join(dir, USER_MAP);
  const itf = path.join(dir, ITEM_MAP);
  if (!fs.existsSync(uf) || !fs.existsSync(itf)) return undefined;
  return { users: readMapFile(uf, nUsers), items: readMapFile(itf, nItems) };
}

function readMapFile(file: string, n: number): string[] {
  const out: (string | undefined)[] = new Array(n);
  let header = true;
  for (const [no, line] of lines(readText(file))) {
    if (header) {
      header = false;
      continue;
    }
    const tab = line.lastIndexOf('\t');
    if (tab < 0) dataError(`${file}:${no}`, 'expected "<original id>\\t<int id>"');
    const id = parseId(line.slice(tab + 1));
    if (typeof id === 'string') dataError(`${file}:${no}`, `int id ${id}`);
    if (id >= n) dataError(`${file}:${no}`, `int id ${id} is out of range (the .inter file has ${n})`);
    out[id] = line.slice(0, tab);
  }
  for (let k = 0; k < n; k++) if (out[k] === undefined) dataError(file, `no original id for int id ${k}`);
  return out as string[];
}

export interface WriteMmrecOptions {
  /** Default: ds.name. */
  name?: string;
}

/**
 * Writes a dataset in MMRec layout: the three splits in order (train, valid, test) with x_label, rating 1
 * and timestamp 0; each modality as float32 `<modality>_feat.npy`; the id maps when present. Every file
 * is written atomically. readMmrec of the folder gives back the same dataset.
 */
export function writeMmrec(ds: Dataset, dir: string, opts: WriteMmrecOptions = {}): void {
  const name = opts.name ?? ds.name;
  ensureDir(dir);
  const parts: string[] = ['userID\titemID\trating\ttimestamp\tx_label\n'];
  [ds.train, ds.valid, ds.test].forEach((s, label) => {
    let chunk = '';
    for (let r = 0; r < s.users.length; r++) {
      chunk += `${s.users[r]}\t${s.items[r]}\t1\t0\t${label}\n`;
      if (chunk.length > 1 << 16) {
        parts.push(chunk);
        chunk = '';
      }
    }
    parts.push(chunk);
  });
  writeFileAtomic(path.join(dir, `${name}.inter`), parts.join(''));
  for (const [m, f] of ds.features) {
    if (f.data.length !== ds.nItems * f.dim) dataError(`${m}_feat.npy`, `expected ${ds.nItems}×${f.dim} values, got ${f.data.length}`);
    writeFileAtomic(path.join(dir, `${m}_feat.npy`), encodeNpy(f.data, [ds.nItems, f.dim]));
  }
  if (ds.idMap) {
    const map = (head: string, ids: string[]) =>
      head +
      ids
        .map((s, k) => {
          if (/[\t\r\n]/.test(s)) dataError(dir, `original id ${JSON.stringify(s)} contains a tab or line break and cannot be saved`);
          return `${s}\t${k}\n`;
        })
        .join('');
    writeFileAtomic(path.join(dir, USER_MAP), map('user_id\tuserID\n', ds.idMap.users));
    writeFileAtomic(path.join(dir, ITEM_MAP), map('asin\titemID\n', ds.idMap.items));
  }
}
