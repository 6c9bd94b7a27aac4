/** Temporary dataset folders for data tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeNpy } from '../../lib/data/npy';
import { MmgError } from '../../lib/errors';

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh folder, removed after the test file. */
export function tmpDir(prefix = 'mmg-data-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function writeInter(dir: string, name: string, rows: string[], header = 'userID\titemID\trating\ttimestamp\tx_label'): string {
  const f = path.join(dir, `${name}.inter`);
  fs.writeFileSync(f, [header, ...rows].join('\n') + '\n');
  return f;
}

export function writeFeat(dir: string, modality: string, rows: number, dim: number, fill: (r: number, c: number) => number = (r, c) => r + c / 10): string {
  const f = path.join(dir, `${modality}_feat.npy`);
  const data = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) for (let c = 0; c < dim; c++) data[r * dim + c] = fill(r, c);
  fs.writeFileSync(f, encodeNpy(data, [rows, dim]));
  return f;
}

/** Runs fn, expects an MmgError with code MMG_E_DATA, returns its message. */
export function dataErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof MmgError)) throw e;
    expect(e.code).toBe('MMG_E_DATA');
    return e.message;
  }
  throw new Error('expected an MMG_E_DATA error, got none');
}
