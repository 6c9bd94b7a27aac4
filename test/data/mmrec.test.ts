import * as fs from 'fs';
import * as path from 'path';
import { readMmrec, writeMmrec } from '../../lib/data/mmrec';
import { readCsv } from '../../lib/data/csv';
import { syntheticDataset } from '../../lib/data/synthetic';
import type { Dataset } from '../../lib/data/dataset';
import { tmpDir, writeFeat, writeInter } from './helpers';

function expectSameDataset(a: Dataset, b: Dataset): void {
  expect([b.name, b.nUsers, b.nItems]).toEqual([a.name, a.nUsers, a.nItems]);
  for (const k of ['train', 'valid', 'test'] as const) {
    expect(Array.from(b[k].users)).toEqual(Array.from(a[k].users));
    expect(Array.from(b[k].items)).toEqual(Array.from(a[k].items));
  }
  expect(Array.from(b.trainSets.indptr)).toEqual(Array.from(a.trainSets.indptr));
  expect(Array.from(b.trainSets.indices)).toEqual(Array.from(a.trainSets.indices));
  expect([...b.features.keys()].sort()).toEqual([...a.features.keys()].sort());
  for (const [m, f] of a.features) {
    expect(b.features.get(m)!.dim).toBe(f.dim);
    expect(Buffer.from(b.features.get(m)!.data.buffer).equals(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength))).toBe(true);
  }
  expect(b.idMap).toEqual(a.idMap);
}

describe('MMRec folders', () => {
  test('synthetic tiny: write → read round-trips exactly, atomically (no temp files left)', () => {
    const ds = syntheticDataset('tiny');
    const dir = path.join(tmpDir(), 'tiny');
    writeMmrec(ds, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['image_feat.npy', 'text_feat.npy', 'tiny.inter']);
    expectSameDataset(ds, readMmrec(dir));
    writeMmrec(ds, dir); // overwrite in place
    expectSameDataset(ds, readMmrec(dir));
    expect(fs.readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  test('a CSV dataset round-trips with its id maps', () => {
    const dir = tmpDir();
    const rows = ['user,item,ts'];
    const users = ['ann', 'bob', 'cy', 'dee'];
    for (let k = 0; k < 40; k++) rows.push(`${users[k % 4]},B0${(k * 7) % 13},${k}`);
    fs.writeFileSync(path.join(dir, 'x.csv'), rows.join('\n'));
    const ds = readCsv(path.join(dir, 'x.csv'), { name: 'shop' });
    const out = path.join(dir, 'shop');
    writeMmrec(ds, out);
    const back = readMmrec(out);
    expectSameDataset(ds, back);
    expect(back.idMap!.users).toEqual(users);
  });

  test('columns are found by name in any order; rating and timestamp are ignored', () => {
    const dir = tmpDir();
    writeInter(dir, 'mix', ['0\t9\tjunk\t0\t9', '0\t8\t\t0\t8', '1\t1\t\t1\t9', '2\t1\t\t1\t9', '1\t0\t\t1\t8', '2\t0\t\t1\t8'], 'x_label\ttimestamp\trating\titemID\tuserID');
    writeFeat(dir, 'audio', 2, 3);
    const ds = readMmrec(dir, { name: 'mix' });
    expect([ds.nUsers, ds.nItems]).toEqual([10, 2]);
    expect(Array.from(ds.train.users)).toEqual([9, 8]);
    expect(Array.from(ds.train.items)).toEqual([0, 0]);
    expect(Array.from(ds.test.users)).toEqual([9, 8]);
    expect(Array.from(ds.test.items)).toEqual([1, 1]);
    expect([...ds.features.keys()]).toEqual(['audio']);
  });

  test('float64 features are cast to float32; duplicates in train are kept as rows and reported', () => {
    const dir = tmpDir();
    writeInter(dir, 'd', ['0\t0\t1\t0\t0', '0\t0\t1\t0\t0', '0\t1\t1\t0\t1', '0\t2\t1\t0\t2']);
    fs.writeFileSync(path.join(dir, 'image_feat.npy'), require('../../lib/data/npy').encodeNpy(Float64Array.from([0.1, 0.2, 0.3]), [3, 1]));
    const ds = readMmrec(dir, { name: 'd' });
    expect(Array.from(ds.features.get('image')!.data)).toEqual([Math.fround(0.1), Math.fround(0.2), Math.fround(0.3)]);
    expect(ds.train.users.length).toBe(2);
    expect(ds.report.duplicateTrainRows).toBe(1);
    expect(Array.from(ds.trainSets.indices)).toEqual([0]);
  });
});
