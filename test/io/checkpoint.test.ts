import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tensor } from '../../lib';
import { saveCheckpoint, loadCheckpoint } from '../../lib/io/checkpoint';

describe('checkpoint files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-ckpt-'));
  const file = path.join(dir, 'm.mmg');
  const tensors = new Map([
    ['a', tensor([1, 2, 3, 4, 5, 6], [2, 3])],
    ['b', tensor([1.5, -2.25], [2], { dtype: 'float64' })],
    ['ids', tensor([7, 8, 9], [3], { dtype: 'int32' })],
  ]);

  test('round-trips meta and tensors', () => {
    saveCheckpoint(file, { model: 'lightgcn', epoch: 3 }, tensors);
    const ck = loadCheckpoint<{ model: string; epoch: number }>(file);
    expect(ck.meta).toEqual({ model: 'lightgcn', epoch: 3 });
    expect(ck.tensors.get('a')!.shape).toEqual([2, 3]);
    expect(ck.tensors.get('a')!.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ck.tensors.get('b')!.dtype).toBe('float64');
    expect(ck.tensors.get('b')!.toArray()).toEqual([1.5, -2.25]);
    expect(ck.tensors.get('ids')!.toArray()).toEqual([7, 8, 9]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a truncated file fails with a clear message', () => {
    const full = fs.readFileSync(file);
    const cut = path.join(dir, 'cut.mmg');
    fs.writeFileSync(cut, full.subarray(0, full.length - 10));
    expect(() => loadCheckpoint(cut)).toThrow(/truncated model file/);
    fs.writeFileSync(cut, full.subarray(0, 20));
    expect(() => loadCheckpoint(cut)).toThrow(/truncated model file \(header incomplete\)/);
  });

  test('a corrupted byte is detected', () => {
    const full = Buffer.from(fs.readFileSync(file));
    full[full.length - 3] ^= 0xff;
    const bad = path.join(dir, 'bad.mmg');
    fs.writeFileSync(bad, full);
    expect(() => loadCheckpoint(bad)).toThrow(/checksum mismatch/);
  });

  test('a newer format version is refused with advice', () => {
    const full = Buffer.from(fs.readFileSync(file));
    full.writeUInt32LE(99, 8);
    const newer = path.join(dir, 'newer.mmg');
    fs.writeFileSync(newer, full);
    expect(() => loadCheckpoint(newer)).toThrow(/format version 99 is newer than this mmgraph supports \(2\); upgrade/);
  });

  test('a file that is not a model is refused', () => {
    const junk = path.join(dir, 'junk.mmg');
    fs.writeFileSync(junk, 'hello world, not a model');
    expect(() => loadCheckpoint(junk)).toThrow(/not an mmgraph model file/);
    expect(() => loadCheckpoint(path.join(dir, 'missing.mmg'))).toThrow(/cannot read model file \(ENOENT\)/);
  });
});
