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
  if (major < 1 || major > 3) fail(file, `unsupported .npy format version ${major}.${buf[7]} (expected 1.0, 2.0 or 3.0)`);
  if (major > 1 && buf.length < 12) fail(file, 'truncated .npy header');
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (buf.length < start + headerLen) fail(file, 'truncated .npy header');
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLen);
  const { descr, fortran, shape } = parseHeader(header, file);
  const dtype = DESCR[descr];
  if (!dtype) fail(file, `unsupported dtype '${descr}' (expected little-endian float32, float64, int32, int64 or bool)`);
  if (fortran) fail(file, 'Fortran-ordered arrays are not supported; save with np.ascontiguousarray');
  const n = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(n * SIZE[dtype])) fail(file, `.npy shape (${shape.join(', ')}) is too large`);
  const offset = start + headerLen;
  const need = n * SIZE[dtype];
  if (buf.length - offset < need) fail(file, `truncated data: expected ${need} bytes for shape (${shape.join(', ')}), found ${buf.length - offset}`);
  // numpy writes exactly the data; more bytes mean the header's shape is not the array's.
  if (buf.length - offset > need) fail(file, `expected ${need} data bytes for shape (${shape.join(', ')}), found ${buf.length - offset} (the header's shape does not match the data)`);
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

/**
 * The header is a Python dict literal with exactly the keys descr (a string), fortran_order (True or
 * False) and shape (a tuple of non-negative integers), padded with spaces and a newline. Parsed by
 * hand and strictly: a garbled digit, an unknown or repeated key, or trailing text is an error
 * instead of a NaN dimension.
 */
function parseHeader(header: string, file: string): { descr: string; fortran: boolean; shape: number[] } {
  const bad = (why: string): never => fail(file, `unreadable .npy header (${why}): ${JSON.stringify(header.trim().slice(0, 200))}`);
  let i = 0;
  const ws = () => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const expect = (c: string) => {
    ws();
    if (header[i] !== c) bad(`expected '${c}' at ${i}`);
    i++;
  };
  const str = (): string => {
    ws();
    const q = header[i];
    if (q !== "'" && q !== '"') bad(`expected a quoted string at ${i}`);
    const end = header.indexOf(q, i + 1);
    if (end < 0) bad('unterminated string');
    const v = header.slice(i + 1, end);
    i = end + 1;
    return v;
  };
  const out: { descr?: string; fortran?: boolean; shape?: number[] } = {};
  expect('{');
  for (;;) {
    ws();
    if (header[i] === '}') break;
    const key = str();
    expect(':');
    ws();
    if (key === 'descr' && out.descr === undefined) out.descr = str();
    else if (key === 'fortran_order' && out.fortran === undefined) {
      const m = /^(True|False)/.exec(header.slice(i));
      if (!m) bad('fortran_order is not True or False');
      out.fortran = m![1] === 'True';
      i += m![1].length;
    } else if (key === 'shape' && out.shape === undefined) {
      expect('(');
      const dims: number[] = [];
      for (;;) {
        ws();
        if (header[i] === ')') break;
        const m = /^\d+/.exec(header.slice(i));
        if (!m) bad(`shape has a non-integer dimension at ${i}`);
        const d = Number(m![0]);
        if (!Number.isSafeInteger(d)) bad(`shape dimension ${m![0]} is too large`);
        dims.push(d);
        i += m![0].length;
        ws();
        if (header[i] === ',') i++;
        else if (header[i] !== ')') bad(`expected ',' or ')' in shape at ${i}`);
      }
      i++;
      // numpy writes (n,) for one dimension; (n) would be a plain number, not a tuple.
      out.shape = dims;
    } else bad(`unexpected key '${key}'`);
    ws();
    if (header[i] === ',') i++;
    else if (header[i] !== '}') bad(`expected ',' or '}' at ${i}`);
  }
  i++;
  if (!/^[ \t]*\n?[ \t\0]*$/.test(header.slice(i))) bad('trailing text after the dict');
  if (out.descr === undefined || out.fortran === undefined || out.shape === undefined) bad('descr, fortran_order and shape are required');
  return { descr: out.descr!, fortran: out.fortran!, shape: out.shape! };
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
