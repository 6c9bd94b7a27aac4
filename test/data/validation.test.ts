import * as fs from 'fs';
import * as path from 'path';
import { readMmrec } from '../../lib/data/mmrec';
import { dataErrorOf, tmpDir, writeFeat, writeInter } from './helpers';

// A valid base: users 0..2, items 0..3, every user has train, valid and test rows.
const GOOD = ['0\t0\t5\t1\t0', '0\t1\t5\t2\t0', '0\t2\t5\t3\t1', '0\t3\t5\t4\t2', '1\t1\t4\t1\t0', '1\t2\t4\t2\t1', '1\t0\t4\t3\t2', '2\t3\t3\t1\t0', '2\t0\t3\t2\t1', '2\t1\t3\t3\t2'];

function folder(rows: string[], opts: { header?: string; feats?: Array<[string, number, number]> } = {}): string {
  const dir = tmpDir();
  writeInter(dir, 'toy', rows, opts.header);
  for (const [m, n, d] of opts.feats ?? [['image', 4, 6], ['text', 4, 3]]) writeFeat(dir, m, n, d);
  return dir;
}
const read = (dir: string) => readMmrec(dir, { name: 'toy' });

describe('MMRec folder validation (MMG_E_DATA, file and line named)', () => {
  test('a valid folder loads', () => {
    const ds = read(folder(GOOD));
    expect([ds.nUsers, ds.nItems, ds.train.users.length, ds.valid.users.length, ds.test.users.length]).toEqual([3, 4, 4, 3, 3]);
    expect([...ds.features.keys()]).toEqual(['image', 'text']);
    expect(ds.features.get('image')!.dim).toBe(6);
  });

  test('missing column', () => {
    const dir = folder(GOOD, { header: 'userID\titemID\trating\ttimestamp\tlabel' });
    const msg = dataErrorOf(() => read(dir));
    expect(msg).toContain(`${path.join(dir, 'toy.inter')}:1: missing column 'x_label' (header has: userID, itemID, rating, timestamp, label)`);
  });

  test('a comma-separated file gets a hint', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'toy.inter'), 'userID,itemID,x_label\n0,0,0\n');
    expect(dataErrorOf(() => read(dir))).toMatch(/missing column 'userID'.*must be tab-separated/);
  });

  test('non-integer ids', () => {
    const rows = [...GOOD];
    rows[2] = 'u7\t2\t5\t3\t1';
    expect(dataErrorOf(() => read(folder(rows)))).toMatch(/toy\.inter:4: userID 'u7' is not an integer$/);
    rows[2] = '0\t2.5\t5\t3\t1';
    expect(dataErrorOf(() => read(folder(rows)))).toMatch(/toy\.inter:4: itemID '2\.5' is not an integer$/);
  });

  test('negative ids', () => {
    const rows = [...GOOD];
    rows[5] = '1\t-2\t4\t2\t1';
    expect(dataErrorOf(() => read(folder(rows)))).toMatch(/toy\.inter:7: itemID -2 is negative$/);
  });

  test('x_label outside 0-2', () => {
    const rows = [...GOOD];
    rows[9] = '2\t1\t3\t3\t3';
    expect(dataErrorOf(() => read(folder(rows)))).toMatch(/toy\.inter:11: x_label '3' is not 0 \(train\), 1 \(validation\) or 2 \(test\)$/);
  });

  test('too few fields on a line', () => {
    const rows = [...GOOD];
    rows[0] = '0\t0';
    expect(dataErrorOf(() => read(folder(rows)))).toMatch(/toy\.inter:2: expected 5 tab-separated fields, got 2/);
  });

  test('feature rows differ from the number of items', () => {
    const dir = folder(GOOD, { feats: [['image', 3, 6]] });
    expect(dataErrorOf(() => read(dir))).toBe(`${path.join(dir, 'image_feat.npy')}: has 3 rows, expected 4 (one per item; n_items = 1 + the largest item id)`);
  });

  test('a 1-D feature file', () => {
    const dir = folder(GOOD, { feats: [] });
    fs.writeFileSync(path.join(dir, 'text_feat.npy'), require('../../lib/data/npy').encodeNpy(new Float32Array(4), [4]));
    expect(dataErrorOf(() => read(dir))).toMatch(/text_feat\.npy: expected a 2-D feature matrix/);
  });

  test('NaN and Inf in features name the row and column', () => {
    const nanDir = folder(GOOD, { feats: [] });
    writeFeat(nanDir, 'image', 4, 6, (r, c) => (r === 2 && c === 5 ? NaN : 1));
    expect(dataErrorOf(() => read(nanDir))).toMatch(/image_feat\.npy: NaN at row 2, column 5$/);
    const infDir = folder(GOOD, { feats: [] });
    writeFeat(infDir, 'text', 4, 3, (r, c) => (r === 3 && c === 0 ? -Infinity : 1));
    expect(dataErrorOf(() => read(infDir))).toMatch(/text_feat\.npy: -Inf at row 3, column 0$/);
  });

  test('a truncated .npy', () => {
    const dir = folder(GOOD);
    const f = path.join(dir, 'image_feat.npy');
    const buf = fs.readFileSync(f);
    fs.writeFileSync(f, buf.subarray(0, buf.length - 10));
    expect(dataErrorOf(() => read(dir))).toMatch(/image_feat\.npy: truncated data: expected 96 bytes for shape \(4, 6\), found 86/);
  });

  test('users without training rows: their valid/test rows are dropped and counted', () => {
    // User 3 has only valid and test rows; user 4 only a test row.
    const ds = read(folder([...GOOD, '3\t0\t1\t1\t1', '3\t1\t1\t1\t2', '4\t2\t1\t1\t2']));
    expect(ds.nUsers).toBe(5); // 1 + max userID over all splits
    expect(ds.report.droppedColdStartRows).toEqual({ valid: 1, test: 2 });
    expect(ds.report.droppedColdStartUsers).toBe(2);
    expect(Array.from(ds.test.users)).toEqual([0, 1, 2]);
  });

  test('dropping cold users that empties a split fails', () => {
    const rows = GOOD.filter((r) => !r.endsWith('\t2')).concat(['5\t1\t1\t1\t2']);
    expect(dataErrorOf(() => read(folder(rows)))).toMatch(/toy\.inter: the test \(x_label 2\) split is empty after dropping 1 rows of users with no training interaction/);
  });

  test('an empty split', () => {
    const rows = GOOD.filter((r) => !r.endsWith('\t1'));
    expect(dataErrorOf(() => read(folder(rows)))).toMatch(/toy\.inter: the validation \(x_label 1\) split is empty$/);
    expect(dataErrorOf(() => read(folder([])))).toMatch(/the train \(x_label 0\) split is empty$/);
  });

  test('missing .inter file lists what the folder has', () => {
    const dir = folder(GOOD);
    expect(dataErrorOf(() => readMmrec(dir, { name: 'baby' }))).toMatch(/baby\.inter: not found \(the folder has toy\.inter; pass \{ name \}\)/);
    expect(dataErrorOf(() => readMmrec(path.join(dir, 'nope')))).toMatch(/nope\.inter: not found$/);
  });
});
