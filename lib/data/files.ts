/** Small file helpers shared by the loaders and writers. */
import * as fs from 'fs';
import * as path from 'path';
import { MmgError } from '../errors';
import { readNpy, type NpyArray } from './npy';
import { writeFileAtomic as writeAtomic } from '../io/atomic';

/** Atomic write (lib/io/atomic.ts) with the failure reported as a data error naming the file. */
export function writeFileAtomic(file: string, data: Buffer | string): void {
  try {
    writeAtomic(file, data);
  } catch (e) {
    throw new MmgError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'MMG_E_DATA');
  }
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new MmgError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'MMG_E_DATA');
  }
}

/** Splits text into lines (LF or CRLF); yields [1-based line number, line] for non-blank lines. */
export function* lines(text: string): Generator<[number, string]> {
  let start = 0;
  let no = 0;
  if (text.charCodeAt(0) === 0xfeff) start = 1; // BOM
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    no++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim().length) yield [no, line];
    start = end + 1;
  }
}

/**
 * Parses a non-negative decimal id. Returns the value, or a reason string when it is not one
 * (caller adds file and line).
 */
export function parseId(s: string): number | string {
  const t = s.trim();
  if (!/^[-+]?\d+$/.test(t)) return `'${s}' is not an integer`;
  const v = Number(t);
  if (v < 0) return `${t} is negative`;
  if (v > 0x7ffffffe) return `${t} is too large (ids must be below 2^31 - 1)`;
  return v;
}

/** Reads a .npy feature file as float32 (any numeric dtype is cast, as numpy's astype(float32) would). */
export function readNpyFloat32(file: string): { data: Float32Array; shape: number[]; raw: NpyArray } {
  const raw = readNpy(file);
  let data: Float32Array;
  if (raw.data instanceof Float32Array) data = raw.data;
  else if (raw.data instanceof BigInt64Array) data = Float32Array.from(raw.data, (v) => Number(v));
  else data = Float32Array.from(raw.data as ArrayLike<number>);
  return { data, shape: raw.shape, raw };
}
