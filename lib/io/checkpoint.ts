/**
 * The .mmg model file, version 2. Layout:
 *   bytes 0..7   magic "MMGRAPH\0"
 *   bytes 8..11  format version (uint32 LE)
 *   bytes 12..15 header length H (uint32 LE)
 *   bytes 16..47 SHA-256 over the whole file except these 32 bytes (bytes 0..15, then 48..end)
 *   bytes 48..   header: UTF-8 JSON { meta, tensors: [{ name, dtype, shape, offset, bytes }], dataBytes }
 *   then         tensor data, each block 64-byte aligned, offsets relative to the data start
 * Integrity guarantee: a file loads only when its checksum (header included) matches, its length is
 * exactly 48 + H + dataBytes, and every tensor entry is well formed (known dtype, integer shape,
 * bytes = elements × dtype size, 64-byte aligned, inside the data section, no overlaps). Anything
 * else is MMG_E_DATA naming the file: a corrupted file never loads as different numbers.
 * Version 1 files (checksum over the data section only) still load, with the same structural checks.
 * Written atomically (lib/io/atomic.ts).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import { MmgError } from '../errors';
import { tensor, type Tensor, type DType } from '../tensor';
import { writeFileAtomic } from './atomic';

export const CHECKPOINT_VERSION = 2;
const PRE = 48; // magic, version, header length, SHA-256
const MAGIC = Buffer.from('MMGRAPH\0', 'latin1');

export interface CheckpointTensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  offset: number;
  bytes: number;
}

export interface Checkpoint<M = Record<string, unknown>> {
  meta: M;
  tensors: Map<string, Tensor>;
}

function fnv1a(buf: Buffer, h = 0x811c9dc5): number {
  for (let i = 0; i < buf.length; i++) {
    h ^= buf[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The bytes of a tensor as a Buffer: a zero-copy view of host memory, or (cuda) a transient host
 * copy. Views keep the peak memory of a save at the header plus one device tensor, not the file.
 */
function tensorBytes(t: Tensor): Buffer {
  if (t.size === 0) return Buffer.alloc(0);
  const arr = t.device === 'cuda' ? t.toTypedArray() : t.data();
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
}

const ZEROS = Buffer.alloc(64);

/**
 * Two passes over the tensors: the first lays out offsets and takes the checksum (the header, which
 * carries both, precedes the data), the second streams the same bytes into the atomic writer.
 */
export function saveCheckpoint(file: string, meta: unknown, tensors: ReadonlyMap<string, Tensor>): void {
  const entries: CheckpointTensorEntry[] = [];
  const list = [...tensors];
  let offset = 0;
  for (const [name, t] of list) {
    offset += (64 - (offset % 64)) % 64;
    const bytes = t.size * DTYPE_BYTES[t.dtype];
    entries.push({ name, dtype: t.dtype, shape: [...t.shape], offset, bytes });
    offset += bytes;
  }
  // The data region: alignment padding and each tensor's bytes, as zero-copy views (walked twice).
  const data = function* (): Generator<Buffer> {
    let at = 0;
    for (let k = 0; k < list.length; k++) {
      const e = entries[k];
      if (e.offset > at) yield ZEROS.subarray(0, e.offset - at);
      const bytes = tensorBytes(list[k][1]);
      if (bytes.length !== e.bytes) throw new MmgError(`${file}: tensor '${e.name}' changed size while being saved`, 'MMG_E_DATA');
      yield bytes;
      at = e.offset + bytes.length;
    }
  };
  const header = Buffer.from(JSON.stringify({ meta, tensors: entries, dataBytes: offset }), 'utf8');
  const pre = Buffer.alloc(PRE);
  MAGIC.copy(pre, 0);
  pre.writeUInt32LE(CHECKPOINT_VERSION, 8);
  pre.writeUInt32LE(header.length, 12);
  // SHA-256 over the whole file but the digest itself: the fixed prefix, the header, the data.
  const h = crypto.createHash('sha256').update(pre.subarray(0, 16)).update(header);
  for (const b of data()) h.update(b);
  h.digest().copy(pre, 16);
  writeFileAtomic(file, (function* () {
    yield pre;
    yield header;
    yield* data();
  })());
}

export function loadCheckpoint<M = Record<string, unknown>>(file: string): Checkpoint<M> {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new MmgError(`${file}: cannot read model file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'MMG_E_DATA');
  }
  if (buf.length < 16 || !buf.subarray(0, 8).equals(MAGIC)) throw new MmgError(`${file}: not an mmgraph model file (bad magic bytes)`, 'MMG_E_DATA');
  const version = buf.readUInt32LE(8);
  if (version > CHECKPOINT_VERSION)
    throw new MmgError(
      `${file}: model file format version ${version} is newer than this mmgraph supports (${CHECKPOINT_VERSION}); upgrade mmgraph to load it`,
      'MMG_E_DATA',
    );
  if (version < 1) throw new MmgError(`${file}: corrupt model file (format version ${version})`, 'MMG_E_DATA');
  const corrupt = (why: string) => new MmgError(`${file}: corrupt model file (${why})`, 'MMG_E_DATA');
  const hlen = buf.readUInt32LE(12);
  const hstart = version === 1 ? 16 : PRE;
  if (buf.length < hstart + hlen) throw new MmgError(`${file}: truncated model file (header incomplete)`, 'MMG_E_DATA');
  let header: { meta: M; tensors: CheckpointTensorEntry[]; dataBytes: number; checksum?: number };
  try {
    header = JSON.parse(buf.toString('utf8', hstart, hstart + hlen));
  } catch {
    throw corrupt('header is not valid JSON');
  }
  if (!header || typeof header !== 'object' || !header.meta || typeof header.meta !== 'object' || !Array.isArray(header.tensors))
    throw corrupt('header lacks meta or tensors');
  const data = buf.subarray(hstart + hlen);
  if (!Number.isSafeInteger(header.dataBytes) || header.dataBytes < 0) throw corrupt(`dataBytes ${JSON.stringify(header.dataBytes)}`);
  if (data.length < header.dataBytes)
    throw new MmgError(`${file}: truncated model file: expected ${header.dataBytes} data bytes, found ${data.length}`, 'MMG_E_DATA');
  // Lengths first so that a cut-off file says "truncated"; then the checksum, before anything is used.
  if (version >= 2) {
    const want = crypto.createHash('sha256').update(buf.subarray(0, 16)).update(buf.subarray(PRE)).digest();
    if (!want.equals(buf.subarray(16, PRE))) throw corrupt('checksum mismatch: the file was changed or damaged after it was written');
  }
  if (version >= 2 && data.length !== header.dataBytes)
    throw corrupt(`expected ${header.dataBytes} data bytes, found ${data.length}`);
  if (version === 1 && fnv1a(data.subarray(0, header.dataBytes)) !== header.checksum)
    throw new MmgError(`${file}: corrupt model file (checksum mismatch)`, 'MMG_E_DATA');
  checkEntries(header.tensors, header.dataBytes, corrupt);
  const tensors = new Map<string, Tensor>();
  try {
  for (const e of header.tensors) {
    const raw = new Uint8Array(e.bytes);
    raw.set(data.subarray(e.offset, e.offset + e.bytes));
    const arr =
      e.dtype === 'float32' ? new Float32Array(raw.buffer) :
      e.dtype === 'float64' ? new Float64Array(raw.buffer) :
      e.dtype === 'int32' ? new Int32Array(raw.buffer) : new BigInt64Array(raw.buffer);
    tensors.set(e.name, tensor(arr, e.shape));
  }
  } catch (err) {
    for (const t of tensors.values()) t.dispose();
    throw err;
  }
  return { meta: header.meta, tensors };
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, float64: 8, int32: 4, int64: 8 };

/** Every entry's offset and length checked against the data section (see the integrity guarantee). */
function checkEntries(entries: unknown[], dataBytes: number, corrupt: (why: string) => MmgError): asserts entries is CheckpointTensorEntry[] {
  const names = new Set<string>();
  let end = 0;
  for (const x of entries) {
    const e = x as Partial<CheckpointTensorEntry>;
    const name = e && typeof e === 'object' && typeof e.name === 'string' ? e.name : null;
    if (name === null) throw corrupt('a tensor entry without a name');
    if (names.has(name)) throw corrupt(`tensor '${name}' listed twice`);
    names.add(name);
    const es = typeof e.dtype === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_BYTES, e.dtype) ? DTYPE_BYTES[e.dtype] : 0;
    if (!es) throw corrupt(`tensor '${name}' has dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.length > 4 || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw corrupt(`tensor '${name}' has shape ${JSON.stringify(e.shape)}`);
    const n = e.shape.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(e.bytes) || e.bytes !== n * es)
      throw corrupt(`tensor '${name}' of shape [${e.shape.join(', ')}] ${e.dtype} has ${JSON.stringify(e.bytes)} bytes, expected ${n * es}`);
    const off = e.offset as number;
    if (!Number.isSafeInteger(off) || off < end || off % 64 !== 0 || off + e.bytes! > dataBytes)
      throw corrupt(`tensor '${name}' at offset ${JSON.stringify(e.offset)} (+${e.bytes} bytes) lies outside the data section of ${dataBytes} bytes or overlaps another`);
    end = off + e.bytes!;
  }
}
