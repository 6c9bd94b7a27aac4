/**
 * Plain interaction files (CSV/TSV): one row per (user, item[, timestamp]) with any string ids.
 *
 * - Delimiter ('auto'): tab if the first line has one, else comma, else semicolon, else runs of spaces.
 * - Header ('auto'): the first line is a header when one of its fields is a known column name
 *   (user, userid, user_id, uid, item, itemid, item_id, iid, asin, timestamp, time, ts, rating, …).
 *   With a header, columns are found by those names; without one, column 0 is the user, 1 the item,
 *   and the timestamp is column 2 of a 3-column file or column 3 of a wider one (user,item,rating,time
 *   as in MovieLens). `columns` overrides either way.
 * - Quoting per RFC 4180: a field in double quotes may hold the delimiter, line breaks and "" (one
 *   quote); `"u1"` and `u1` are the same id. An unterminated quote, or a quote inside an unquoted
 *   field, is an error naming the line.
 * - Ids are mapped to consecutive ints in order of first appearance; `Dataset.idMap` keeps the originals.
 * - Timestamps, when the file has a timestamp column, must each be a number or an ISO 8601 date
 *   (anything else is an error naming the line), and the split is then chronological by default.
 * - Split: seeded per-user rule of split.ts ('chronological' when timestamps exist, else 'random' =
 *   MMRec's; `split.mode` overrides).
 * - Features: `features: { image: 'img.npy', … }`. Row order of each .npy is either the order of ids in
 *   `itemIdsFile` (one original item id per line; ids not in the interactions are ignored) or, without it,
 *   the id mapping order (first appearance in the interaction file), in which case it must have exactly
 *   n_items rows.
 */
import * as path from 'path';
import { assembleDataset, checkFeature, dataError, type Dataset, type FeatureMatrix, type Interactions } from './dataset';
import { lines, readNpyFloat32, readText } from './files';
import { applySplit, splitLabels, type SplitOptions } from './split';

export interface ReadCsvOptions {
  name?: string;
  delimiter?: string;
  header?: boolean | 'auto';
  /** Column index (0-based) or header name; timestamp null = none. */
  columns?: { user?: number | string; item?: number | string; timestamp?: number | string | null };
  features?: Record<string, string>;
  itemIdsFile?: string;
  split?: SplitOptions;
}

const NAMES = {
  user: ['userid', 'user', 'uid', 'reviewerid'],
  item: ['itemid', 'item', 'iid', 'asin', 'movieid', 'productid'],
  timestamp: ['timestamp', 'time', 'ts', 'unixreviewtime', 'datetime', 'date'],
  other: ['rating', 'label', 'xlabel', 'score'],
};
const norm = (s: string) => s.trim().toLowerCase().replace(/[_\s-]/g, '');

export function detectDelimiter(line: string): string {
  if (line.includes('\t')) return '\t';
  if (line.includes(',')) return ',';
  if (line.includes(';')) return ';';
  return ' ';
}

/**
 * RFC 4180 records of `text`: yields [1-based line where the record starts, fields] for each
 * non-blank record. `delim` ' ' means runs of spaces or tabs (quotes work the same way). Throws a
 * data error naming file:line for an unterminated quoted field or a stray quote.
 */
export function* csvRecords(text: string, delim: string, file: string): Generator<[number, string[]]> {
  const ws = delim === ' ';
  const isDelim = (c: string) => (ws ? c === ' ' || c === '\t' : c === delim);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // BOM
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    if (ws) while (i < n && isDelim(text[i])) i++;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        quotedAny = true;
        i++;
        for (;;) {
          if (i >= n) dataError(`${file}:${start}`, 'unterminated quoted field (a " without its closing ")');
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && !isDelim(text[i]) && text[i] !== '\n' && text[i] !== '\r')
          dataError(`${file}:${line}`, `unexpected ${JSON.stringify(text[i])} after a closing quote (expected the delimiter or the end of the line)`);
      } else {
        let j = i;
        while (j < n && !isDelim(text[j]) && text[j] !== '\n' && text[j] !== '\r') j++;
        field = text.slice(i, j);
        if (field.includes('"')) dataError(`${file}:${line}`, `a quote inside the unquoted field ${JSON.stringify(field)} (quote the whole field and double inner quotes)`);
        i = j;
      }
      fields.push(field);
      if (i < n && isDelim(text[i])) {
        i++;
        if (ws) {
          while (i < n && isDelim(text[i])) i++;
          if (i >= n || text[i] === '\n' || text[i] === '\r') break; // trailing spaces
        }
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    else if (i < n) dataError(`${file}:${line}`, 'a bare carriage return inside a line');
    line++;
    if (!quotedAny && fields.every((f) => f.trim() === '')) continue; // blank line
    yield [start, fields];
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A timestamp: a finite number, or an ISO 8601 date (milliseconds since 1970); NaN otherwise. */
export function parseTimestamp(raw: string): number {
  const t = raw.trim();
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(t)) return Number(t);
  return ISO_DATE.test(t) ? Date.parse(t) : NaN;
}

export function readCsv(file: string, opts: ReadCsvOptions = {}): Dataset {
  const text = readText(file);
  const firstRaw = lines(text).next();
  if (firstRaw.done) dataError(file, 'is empty');
  const delim = opts.delimiter ?? detectDelimiter(firstRaw.value[1]);
  const it = csvRecords(text, delim, file);
  const first = it.next();
  if (first.done) dataError(file, 'is empty');
  const [firstNo, firstFields] = first.value;
  const known = new Set([...NAMES.user, ...NAMES.item, ...NAMES.timestamp, ...NAMES.other]);
  const hasHeader = opts.header === undefined || opts.header === 'auto' ? firstFields.some((f) => known.has(norm(f))) : opts.header;
  const headerNames = hasHeader ? firstFields.map(norm) : null;

  const locate = (what: 'user' | 'item' | 'timestamp', given: number | string | null | undefined): number => {
    if (given === null) return -1;
    if (typeof given === 'number') {
      if (!Number.isInteger(given) || given < 0 || given >= firstFields.length)
        dataError(`${file}:${firstNo}`, `column ${given} for the ${what} does not exist (the line has ${firstFields.length} fields)`);
      return given;
    }
    if (typeof given === 'string') {
      const k = headerNames ? headerNames.indexOf(norm(given)) : -1;
      if (k < 0) dataError(`${file}:${firstNo}`, `missing column '${given}'${headerNames ? ` (header has: ${firstFields.join(', ')})` : ' (the file has no header)'}`);
      return k;
    }
    if (headerNames) {
      const k = headerNames.findIndex((h) => NAMES[what].includes(h));
      if (k < 0 && what !== 'timestamp') dataError(`${file}:${firstNo}`, `missing ${what} column (header has: ${firstFields.join(', ')}; expected one of ${NAMES[what].join(', ')})`);
      return k;
    }
    if (what === 'user') return 0;
    if (what === 'item') return 1;
    return firstFields.length === 3 ? 2 : firstFields.length >= 4 ? 3 : -1;
  };
  const cu = locate('user', opts.columns?.user);
  const ci = locate('item', opts.columns?.item);
  const ct = locate('timestamp', opts.columns?.timestamp);
  const need = Math.max(cu, ci, ct) + 1;

  const userIds = new Map<string, number>();
  const itemIds = new Map<string, number>();
  const us: number[] = [];
  const is: number[] = [];
  const ts: number[] = [];
  const mode = opts.split?.mode ?? (ct >= 0 ? 'chronological' : 'random');
  if (mode === 'chronological' && ct < 0) dataError(file, "a 'chronological' split needs a timestamp column, and none was found");
  const rows: Iterable<[number, string[]]> = hasHeader ? it : [[firstNo, firstFields], ...it];
  for (const [no, f] of rows) {
    if (f.length < need) dataError(`${file}:${no}`, `expected at least ${need} fields separated by ${JSON.stringify(delim)}, got ${f.length}`);
    const u = f[cu].trim();
    const i = f[ci].trim();
    if (!u) dataError(`${file}:${no}`, 'empty user id');
    if (!i) dataError(`${file}:${no}`, 'empty item id');
    let uk = userIds.get(u);
    if (uk === undefined) userIds.set(u, (uk = userIds.size));
    let ik = itemIds.get(i);
    if (ik === undefined) itemIds.set(i, (ik = itemIds.size));
    us.push(uk);
    is.push(ik);
    if (ct >= 0) {
      const t = parseTimestamp(f[ct]);
      if (!Number.isFinite(t)) dataError(`${file}:${no}`, `timestamp '${f[ct]}' is neither a number nor an ISO 8601 date`);
      ts.push(t);
    }
  }
  if (us.length === 0) dataError(file, 'has no interaction rows');
  const nUsers = userIds.size;
  const nItems = itemIds.size;
  const all: Interactions = { users: Int32Array.from(us), items: Int32Array.from(is) };
  const labels = splitLabels(nUsers, all, { ...opts.split, mode, ...(mode === 'chronological' ? { timestamps: ts } : {}) });
  const [train, valid, test] = applySplit(all, labels);
  const items = [...itemIds.keys()];
  const features = new Map<string, FeatureMatrix>();
  const order = opts.itemIdsFile ? featureRowOrder(opts.itemIdsFile, items) : null;
  for (const [m, f] of Object.entries(opts.features ?? {})) features.set(m, loadFeature(f, order, nItems, opts.itemIdsFile));
  return assembleDataset({
    name: opts.name ?? path.basename(file).replace(/\.[^.]*$/, ''),
    source: file,
    nUsers,
    nItems,
    train,
    valid,
    test,
    features,
    idMap: { users: [...userIds.keys()], items },
  });
}

/** For each mapped item k, the row of the feature file that holds it; `listed` = number of ids in the file. */
function featureRowOrder(idsFile: string, items: string[]): { rowOf: Int32Array; listed: number } {
  const where = new Map<string, number>();
  let n = 0;
  for (const [no, line] of lines(readText(idsFile))) {
    const id = line.trim();
    if (where.has(id)) dataError(`${idsFile}:${no}`, `item id '${id}' is listed twice`);
    where.set(id, n++);
  }
  const rowOf = new Int32Array(items.length);
  items.forEach((id, k) => {
    const r = where.get(id);
    if (r === undefined) dataError(idsFile, `item '${id}' occurs in the interactions but has no feature row here`);
    rowOf[k] = r;
  });
  return { rowOf, listed: n };
}

function loadFeature(file: string, order: { rowOf: Int32Array; listed: number } | null, nItems: number, idsFile?: string): FeatureMatrix {
  const { data, shape } = readNpyFloat32(file);
  if (!order) return checkFeature(file, data, shape, nItems);
  if (shape.length !== 2) dataError(file, `expected a 2-D feature matrix [n_items, dim], got shape (${shape.join(', ')})`);
  if (shape[0] !== order.listed) dataError(file, `has ${shape[0]} rows, but ${idsFile} lists ${order.listed} item ids`);
  const dim = shape[1];
  checkFeature(file, data, shape, shape[0]); // finite check, with rows as numbered in the file
  const out = new Float32Array(nItems * dim);
  for (let k = 0; k < nItems; k++) out.set(data.subarray(order.rowOf[k] * dim, (order.rowOf[k] + 1) * dim), k * dim);
  return { data: out, dim };
}
