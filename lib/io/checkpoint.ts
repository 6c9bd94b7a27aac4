/**
 * The .mmg model file, version 1. Layout:
 *   bytes 0..7   magic "MMGRAPH\0"
 *   bytes 8..11  format version (uint32 LE)
 *   bytes 12..15 header length H (uint32 LE)
 *   bytes 16..   header: UTF-8 JSON { meta, tensors: [{ name, dtype, shape, offset, bytes }], dataBytes, checksum }
 *   then         tensor data, each block 64-byte aligned, offsets relative to the data start
 * `checksum` is FNV-1a (32-bit) over the data section, so truncation and corruption are detected.
 * Written atomically (lib/io/atomic.ts).
 */
import * as fs from 'fs';
import { MmgError } from '../errors';
import { tensor, type Tensor, type DType } from '../tensor';
import { writeFileAtomic } from './atomic';

export const CHECKPOINT_VERSION = 1;
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
  let checksum = 0x811c9dc5;
  for (const [name, t] of list) {
    const pad = (64 - (offset % 64)) % 64;
    if (pad) {
      checksum = fnv1a(ZEROS.subarray(0, pad), checksum);
      offset += pad;
    }
    const bytes = tensorBytes(t);
    entries.push({ name, dtype: t.dtype, shape: [...t.shape], offset, bytes: bytes.length });
    checksum = fnv1a(bytes, checksum);
    offset += bytes.length;
  }
  const header = Buffer.from(JSON.stringify({ meta, tensors: entries, dataBytes: offset, checksum }), 'utf8');
  const pre = Buffer.alloc(16);
  MAGIC.copy(pre, 0);
  pre.writeUInt32LE(CHECKPOINT_VERSION, 8);
  pre.writeUInt32LE(header.length, 12);
  writeFileAtomic(file, (function* () {
    yield pre;
    yield header;
    let at = 0;
    for (let k = 0; k < list.length; k++) {
      const e = entries[k];
      if (e.offset > at) yield ZEROS.subarray(0, e.offset - at);
      const bytes = tensorBytes(list[k][1]);
      yield bytes;
      at = e.offset + bytes.length;
    }
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
  const hlen = buf.readUInt32LE(12);
  if (buf.length < 16 + hlen) throw new MmgError(`${file}: truncated model file (header incomplete)`, 'MMG_E_DATA');
  let header: { meta: M; tensors: CheckpointTensorEntry[]; dataBytes: number; checksum: number };
  try {
    header = JSON.parse(buf.toString('utf8', 16, 16 + hlen));
  } catch {
    throw new MmgError(`${file}: corrupt model file (header is not valid JSON)`, 'MMG_E_DATA');
  }
  const data = buf.subarray(16 + hlen);
  if (data.length < header.dataBytes)
    throw new MmgError(`${file}: truncated model file: expected ${header.dataBytes} data bytes, found ${data.length}`, 'MMG_E_DATA');
  if (fnv1a(data.subarray(0, header.dataBytes)) !== header.checksum)
    throw new MmgError(`${file}: corrupt model file (checksum mismatch)`, 'MMG_E_DATA');
  const tensors = new Map<string, Tensor>();
  for (const e of header.tensors) {
    const raw = new Uint8Array(e.bytes);
    raw.set(data.subarray(e.offset, e.offset + e.bytes));
    const arr =
      e.dtype === 'float32' ? new Float32Array(raw.buffer) :
      e.dtype === 'float64' ? new Float64Array(raw.buffer) :
      e.dtype === 'int32' ? new Int32Array(raw.buffer) : new BigInt64Array(raw.buffer);
    tensors.set(e.name, tensor(arr, e.shape));
  }
  return { meta: header.meta, tensors };
}
