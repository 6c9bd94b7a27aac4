/**
 * NumPy .npy files (format 1.0–3.0): little-endian float32/float64/int32/int64/bool, C order.
 * Errors name the file and what is wrong (truncated data, unsupported dtype, Fortran order).
 */
import * as fs from 'fs';
import { MmgError } from '../errors';

export type NpyDType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';
export interface NpyArray {
  dtype: NpyDType;
  shape: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
}

const DESCR: Record<string, NpyDType> = { '<f4': 'float32', '<f8': 'float64', '<i4': 'int32', '<i8': 'int64', '|b1': 'bool', '|u1': 'bool' };
const SIZE: Record<NpyDType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };

function fail(file: string, what: string): never {
  throw new MmgError(`${file}: ${what}`, 'MMG_E_DATA');
}

export function parseNpy(buf: Buffer, file = '<buffer>'): NpyArray {
  if (buf.length < 10 || buf.readUInt32BE(0) !== 0x934e554d || buf[4] !== 0x50 || buf[5] !== 0x59)
    fail(file, 'not a .npy file (bad magic bytes)');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (buf.length < start + headerLen) fail(file, 'truncated .npy header');
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeStr === undefined) fail(file, `unreadable .npy header: ${header.trim()}`);
  const dtype = DESCR[descr];
  if (!dtype) fail(file, `unsupported dtype '${descr}' (expected little-endian float32, float64, int32, int64 or bool)`);
  if (fortran === 'True') fail(file, 'Fortran-ordered arrays are not supported; save with np.ascontiguousarray');
  const shape = shapeStr
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length)
    .map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const need = n * SIZE[dtype];
  if (buf.length - offset < need) fail(file, `truncated data: expected ${need} bytes for shape (${shape.join(', ')}), found ${buf.length - offset}`);
  // Copy into an aligned buffer: the data offset need not be a multiple of the element size.
  const bytes = new Uint8Array(need);
  bytes.set(buf.subarray(offset, offset + need));
  const ab = bytes.buffer;
  const data =
    dtype === 'float32' ? new Float32Array(ab) :
    dtype === 'float64' ? new Float64Array(ab) :
    dtype === 'int32' ? new Int32Array(ab) :
    dtype === 'int64' ? new BigInt64Array(ab) : new Uint8Array(ab);
  return { dtype, shape, data };
}

export function readNpy(file: string): NpyArray {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new MmgError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'MMG_E_DATA');
  }
  return parseNpy(buf, file);
}

/** Numbers of any npy array (int64 converted; exact below 2^53). */
export function npyToNumbers(a: NpyArray): number[] {
  return a.data instanceof BigInt64Array ? Array.from(a.data, Number) : Array.from(a.data as ArrayLike<number>);
}

export function encodeNpy(data: Float32Array | Float64Array | Int32Array | BigInt64Array, shape: readonly number[]): Buffer {
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : data instanceof Int32Array ? '<i4' : '<i8';
  const shp = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shp}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = header + ' '.repeat(pad % 64) + '\n';
  const head = Buffer.alloc(10);
  head.writeUInt32BE(0x934e554d, 0);
  head[4] = 0x50;
  head[5] = 0x59;
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}
