/**
 * cooccurrenceGraph: SINGER's collaborative item–item graph S^c (singer.md §4.3), nItems×nItems.
 * Interactions are binary (a repeated (user, item) pair counts once); C = RᵀR without its diagonal.
 *
 * - 'cosine' (default): sim_ij = C_ij / sqrt(deg_i·deg_j), deg_i = distinct users of item i;
 * - 'count': sim_ij = C_ij;
 * - 'two_hop': sim = R̂ᵀR̂ with R̂ = D_u^-½ R D_i^-½ (diagonal zeroed too).
 *
 * Each row keeps its k largest sim_ij > 0 (values kept, self excluded; a row with fewer than k
 * co-occurring items keeps them all, a cold item's row is empty). Ties: the larger value first,
 * then the smaller column. Then S = D^-½ S̃ D^-½ with D the row sums of S̃ and 0^-½ := 0. Columns
 * ascend within each row. Computed in double and rounded once to `dtype` (default float32).
 * `device` picks where the native op runs ('cuda' builds on the GPU) and where the result lives.
 * Contract and arithmetic: native/ops/cooccurrence_graph.cc. No gradient: built once.
 */
import { MmgError, check } from '../errors';
import { runOp } from '../ops/run';
import { CsrMatrix, type CsrDType } from '../sparse/csr';
import { dtypeCode, type Device, type Tensor } from '../tensor';

export type CooccurrenceMode = 'cosine' | 'count' | 'two_hop';

export interface CooccurrenceGraphOptions {
  mode?: CooccurrenceMode;
  dtype?: CsrDType;
  device?: Device;
}

const MODES: readonly CooccurrenceMode[] = ['cosine', 'count', 'two_hop'];

export function cooccurrenceGraph(
  nUsers: number,
  nItems: number,
  trainUsers: Int32Array | ArrayLike<number>,
  trainItems: Int32Array | ArrayLike<number>,
  k: number,
  opts: CooccurrenceGraphOptions = {},
): CsrMatrix {
  const op = 'cooccurrence_graph';
  const mode = opts.mode ?? 'cosine';
  const dtype = opts.dtype ?? 'float32';
  const device = opts.device ?? 'cpu';
  check(MODES.includes(mode), 'MMG_E_ARG', `${op}: expected mode 'cosine', 'count' or 'two_hop', got '${String(mode)}'`);
  check(dtype === 'float32' || dtype === 'float64', 'MMG_E_DTYPE', `${op}: expected dtype float32 or float64, got ${String(dtype)}`);
  check(Number.isInteger(nUsers) && nUsers >= 0 && Number.isInteger(nItems) && nItems >= 0, 'MMG_E_ARG',
    `${op}: expected non-negative integer nUsers and nItems, got ${nUsers} and ${nItems}`);
  check(Number.isInteger(k) && k >= 1, 'MMG_E_ARG', `${op}: expected an integer k >= 1, got ${k}`);
  check(trainUsers.length === trainItems.length, 'MMG_E_SHAPE',
    `${op}: expected trainUsers and trainItems of equal length, got ${trainUsers.length} and ${trainItems.length}`);
  for (let q = 0; q < trainUsers.length; q++) {
    const u = trainUsers[q], i = trainItems[q];
    if (!(Number.isInteger(u) && u >= 0 && u < nUsers)) throw new MmgError(`${op}: expected user ids in [0, ${nUsers}), got ${u} at pair ${q}`, 'MMG_E_DATA');
    if (!(Number.isInteger(i) && i >= 0 && i < nItems)) throw new MmgError(`${op}: expected item ids in [0, ${nItems}), got ${i} at pair ${q}`, 'MMG_E_DATA');
  }
  // Binary R and Rᵀ as coalesced CSR (csr_from_coo collapses repeated pairs); the op reads the
  // patterns only.
  const ones = new Float32Array(trainUsers.length).fill(1);
  const R = CsrMatrix.fromCoo(nUsers, nItems, trainUsers, trainItems, ones, { duplicates: 'collapse' });
  const moved: Tensor[] = [];
  try {
    const Rt = R.transpose();
    const on = (t: Tensor) => {
      if (device === 'cpu') return t;
      const d = t.to(device);
      moved.push(d);
      return d;
    };
    const [p, j, v] = runOp(op, [on(R.indptr), on(R.indices), on(Rt.indptr), on(Rt.indices)], [k, MODES.indexOf(mode), dtypeCode(dtype)]);
    return new CsrMatrix(nItems, nItems, p, j, v);
  } finally {
    R.dispose();
    for (const t of moved) t.dispose();
  }
}
