import * as fs from 'fs';
import * as path from 'path';
import { readCsv } from '../../lib/data/csv';
import { encodeNpy } from '../../lib/data/npy';
import { dataErrorOf, tmpDir } from './helpers';

function write(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** 3 users × 12 rows, timestamps decreasing with the row number inside each user. */
function rows(delim: string, header: string | null): string {
  const out = header ? [header] : [];
  for (let k = 0; k < 36; k++) out.push([`u${k % 3}`, `item-${(k * 5) % 17}`, `${100 - k}`].join(delim));
  return out.join('\n') + '\n';
}

describe('CSV/TSV interactions', () => {
  test.each([
    ['comma with header', ',', 'user_id,item_id,timestamp'],
    ['tab without header', '\t', null],
    ['semicolon with header', ';', 'User;Item;Time'],
    ['spaces without header', '  ', null],
  ])('%s: ids mapped in order of first appearance', (_, delim, header) => {
    const dir = tmpDir();
    const ds = readCsv(write(dir, 'a.txt', rows(delim, header)));
    expect(ds.idMap!.users).toEqual(['u0', 'u1', 'u2']);
    expect(ds.idMap!.items.slice(0, 4)).toEqual(['item-0', 'item-5', 'item-10', 'item-15']);
    expect(ds.nUsers).toBe(3);
    expect(ds.nItems).toBe(ds.idMap!.items.length);
    // 12 rows per user → vt = 2: 10 train, 1 valid, 1 test each.
    expect([ds.train.users.length, ds.valid.users.length, ds.test.users.length]).toEqual([30, 3, 3]);
    expect(ds.name).toBe('a');
  });

  test('chronological split puts each user\'s latest rows in validation then test', () => {
    const dir = tmpDir();
    const ds = readCsv(write(dir, 'a.csv', rows(',', 'user,item,timestamp')), { split: { mode: 'chronological' } });
    // Timestamps fall with k, so each user's two earliest rows in the file are its latest: k = u (test) and u + 3 (valid).
    const item = (k: number) => ds.idMap!.items.indexOf(`item-${(k * 5) % 17}`);
    expect(Array.from(ds.test.items)).toEqual([0, 1, 2].map(item));
    expect(Array.from(ds.valid.items)).toEqual([3, 4, 5].map(item));
  });

  test('random split is seeded', () => {
    const dir = tmpDir();
    const f = write(dir, 'a.csv', rows(',', 'user,item,timestamp'));
    const a = readCsv(f, { split: { mode: 'random', seed: 1 } });
    const b = readCsv(f, { split: { mode: 'random', seed: 1 } });
    const c = readCsv(f, { split: { mode: 'random', seed: 2 } });
    expect(Array.from(a.test.items)).toEqual(Array.from(b.test.items));
    expect(Array.from(a.test.items)).not.toEqual(Array.from(c.test.items));
  });

  test('features: in mapping order, or reordered by an item-id list', () => {
    const dir = tmpDir();
    const f = write(dir, 'a.csv', 'user,item\na,x\na,y\na,z\nb,z\nb,y\nb,x\n');
    fs.writeFileSync(path.join(dir, 'img.npy'), encodeNpy(Float32Array.from([0, 0, 1, 1, 2, 2]), [3, 2]));
    const direct = readCsv(f, { features: { image: path.join(dir, 'img.npy') } });
    expect(Array.from(direct.features.get('image')!.data)).toEqual([0, 0, 1, 1, 2, 2]);
    // The file lists rows as z, w (unused), x, y.
    write(dir, 'ids.txt', 'z\nw\nx\ny\n');
    fs.writeFileSync(path.join(dir, 'img4.npy'), encodeNpy(Float32Array.from([30, 30, 99, 99, 10, 10, 20, 20]), [4, 2]));
    const ordered = readCsv(f, { features: { image: path.join(dir, 'img4.npy') }, itemIdsFile: path.join(dir, 'ids.txt') });
    expect(Array.from(ordered.features.get('image')!.data)).toEqual([10, 10, 20, 20, 30, 30]);
  });

  test('errors name the file and line', () => {
    const dir = tmpDir();
    const f = write(dir, 'a.csv', 'user,item,timestamp\na,x,1\nb,,2\n');
    expect(dataErrorOf(() => readCsv(f))).toBe(`${f}:3: empty item id`);
    const g = write(dir, 'b.csv', 'user,item,timestamp\na,x,1\na,y,yesterday\na,z,3\n');
    expect(dataErrorOf(() => readCsv(g, { split: { mode: 'chronological' } }))).toBe(`${g}:3: timestamp 'yesterday' is neither a number nor an ISO 8601 date`);
    const h = write(dir, 'c.csv', 'user,item\na,x\na,y\na,z\n');
    expect(dataErrorOf(() => readCsv(h, { split: { mode: 'chronological' } }))).toMatch(/needs a timestamp column/);
    expect(dataErrorOf(() => readCsv(h, { columns: { item: 'product' } }))).toMatch(/c\.csv:1: missing column 'product' \(header has: user, item\)/);
    const short = write(dir, 'd.csv', 'user,item\na,x\nb\n');
    expect(dataErrorOf(() => readCsv(short))).toMatch(/d\.csv:3: expected at least 2 fields separated by ",", got 1/);
    expect(dataErrorOf(() => readCsv(write(dir, 'e.csv', 'user,item\n')))).toMatch(/e\.csv: has no interaction rows/);
    // Every user has < 3 rows: nothing can go to validation.
    expect(dataErrorOf(() => readCsv(write(dir, 'f.csv', 'a,x\nb,y\n')))).toMatch(/f\.csv: the validation \(x_label 1\) split is empty/);
  });

  test('feature errors: rows, ids list, NaN', () => {
    const dir = tmpDir();
    const f = write(dir, 'a.csv', 'user,item\na,x\na,y\na,z\n');
    fs.writeFileSync(path.join(dir, 'two.npy'), encodeNpy(new Float32Array(4), [2, 2]));
    expect(dataErrorOf(() => readCsv(f, { features: { image: path.join(dir, 'two.npy') } }))).toMatch(/two\.npy: has 2 rows, expected 3/);
    const ids = write(dir, 'ids.txt', 'x\ny\n');
    expect(dataErrorOf(() => readCsv(f, { features: { image: path.join(dir, 'two.npy') }, itemIdsFile: ids }))).toBe(`${ids}: item 'z' occurs in the interactions but has no feature row here`);
    const ids3 = write(dir, 'ids3.txt', 'x\ny\nz\n');
    expect(dataErrorOf(() => readCsv(f, { features: { image: path.join(dir, 'two.npy') }, itemIdsFile: ids3 }))).toMatch(/two\.npy: has 2 rows, but .*ids3\.txt lists 3 item ids/);
    const dup = write(dir, 'dup.txt', 'x\ny\nx\n');
    expect(dataErrorOf(() => readCsv(f, { features: { image: path.join(dir, 'two.npy') }, itemIdsFile: dup }))).toBe(`${dup}:3: item id 'x' is listed twice`);
    fs.writeFileSync(path.join(dir, 'nan.npy'), encodeNpy(Float32Array.from([1, 1, 1, NaN, 1, 1]), [3, 2]));
    expect(dataErrorOf(() => readCsv(f, { features: { image: path.join(dir, 'nan.npy') } }))).toMatch(/nan\.npy: NaN at row 1, column 1/);
  });
});
