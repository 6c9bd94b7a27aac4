/**
 * CsrMatrix: a constant sparse matrix (graph weights) in compressed-row form, always coalesced:
 * rows ascending, columns strictly ascending within a row. Contracts: native/ops/csr_from_coo.cc,
 * native/ops/csr_transpose.cc.
 *
 * A CsrMatrix owns its three tensors. They are exempt from tidy() (a graph outlives the steps that
 * use it), so call dispose() when the matrix is no longer needed; it also frees the cached transpose.
 */
import { keep } from '../autograd/scope';
import { MmgError, check } from '../errors';
import { runOp } from '../ops/run';
import { Tensor, tensor, zeros, type DType, type Device } from '../tensor';

export type CsrDType = 'float32' | 'float64';
export type IndexArray = Int32Array | BigInt64Array | ArrayLike<number>;

export interface FromCooOptions {
  /** 'sum' adds duplicate (i, j) entries (in input order); 'collapse' keeps the first occurrence's value. */
  duplicates?: 'sum' | 'collapse';
  /** Value dtype (default float32). */
  dtype?: CsrDType;
}

function indexTensor(v: IndexArray | Tensor, what: string): Tensor {
  if (v instanceof Tensor) {
    check(v.dtype === 'int32' || v.dtype === 'int64', 'MMG_E_DTYPE', `CsrMatrix.fromCoo: expected ${what} as int32 or int64, got ${v.dtype}`);
    return v;
  }
  if (v instanceof Int32Array || v instanceof BigInt64Array) return tensor(v, [v.length]);
  check(v !== null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number', 'MMG_E_ARG',
    () => `CsrMatrix.fromCoo: expected ${what} as an array of integers, got ${String(v)}`);
  const a = Array.from(v as ArrayLike<number>);
  // Int32Array.from would truncate 0.5 to 0 and wrap 2^31: a silently different matrix.
  for (let i = 0; i < a.length; i++)
    check(Number.isInteger(a[i]) && a[i] >= -2147483648 && a[i] <= 2147483647, 'MMG_E_DATA',
      () => `CsrMatrix.fromCoo: expected ${what} to hold int32 integers, got ${String(a[i])} at entry ${i}`);
  return tensor(a, [a.length], { dtype: 'int32' });
}

/** Checks arrays claimed to be a coalesced CSR before they are copied (the native ops trust a CsrMatrix). */
function checkCsrArrays(nRows: number, nCols: number, indptr: Int32Array, indices: Int32Array, values: Float32Array | Float64Array): void {
  const fn = 'CsrMatrix.fromCsr';
  check(indptr instanceof Int32Array && indices instanceof Int32Array, 'MMG_E_DTYPE', `${fn}: expected Int32Array indptr and indices`);
  check(values instanceof Float32Array || values instanceof Float64Array, 'MMG_E_DTYPE', `${fn}: expected Float32Array or Float64Array values`);
  check(Number.isInteger(nRows) && nRows >= 0 && Number.isInteger(nCols) && nCols >= 0, 'MMG_E_ARG',
    `${fn}: expected non-negative integer sizes, got ${nRows} x ${nCols}`);
  check(indptr.length === nRows + 1, 'MMG_E_SHAPE', `${fn}: expected indptr of length ${nRows + 1}, got ${indptr.length}`);
  check(indices.length === values.length, 'MMG_E_SHAPE', `${fn}: expected indices and values of equal length, got ${indices.length} and ${values.length}`);
  check(indptr[0] === 0, 'MMG_E_DATA', `${fn}: expected indptr[0] = 0, got ${indptr[0]}`);
  for (let r = 0; r < nRows; r++) {
    check(indptr[r + 1] >= indptr[r], 'MMG_E_DATA', () => `${fn}: expected a non-decreasing indptr, got ${indptr[r + 1]} after ${indptr[r]} at row ${r}`);
    for (let q = indptr[r]; q < indptr[r + 1] && q < indices.length; q++) {
      const j = indices[q];
      check(j >= 0 && j < nCols, 'MMG_E_DATA', () => `${fn}: expected indices in [0, ${nCols}), got ${j} at entry ${q} (row ${r})`);
      check(q === indptr[r] || j > indices[q - 1], 'MMG_E_DATA',
        () => `${fn}: expected strictly ascending columns within a row (coalesced), got ${j} after ${indices[q - 1]} in row ${r}`);
    }
  }
  check(indptr[nRows] === indices.length, 'MMG_E_SHAPE', `${fn}: expected indptr[${nRows}] to equal the ${indices.length} indices, got ${indptr[nRows]}`);
}

export class CsrMatrix {
  private transposed: CsrMatrix | null = null;
  /** True on a cached transpose: `transposed` then points back at its owner, which it must not free. */
  private isCachedTranspose = false;
  private disposed_ = false;
  /**
   * True on a device copy whose structure was checked when it was made (to()): indptr starts at 0,
   * never decreases and ends at nnz, every index lies in [0, nCols). spmm then skips the per-call
   * scan on the device, a full round trip each (issue 11). Never set on a host matrix.
   */
  validated = false;

  /**
   * Wraps tensors that already form a coalesced CSR (indptr int32 [nRows+1], indices int32 [nnz],
   * values float [nnz]); takes ownership of them. Shapes and dtypes are checked here; index ranges
   * are checked by every native op that reads them.
   */
  constructor(
    readonly nRows: number,
    readonly nCols: number,
    readonly indptr: Tensor,
    readonly indices: Tensor,
    readonly values: Tensor,
  ) {
    check(Number.isInteger(nRows) && nRows >= 0 && Number.isInteger(nCols) && nCols >= 0, 'MMG_E_ARG',
      `CsrMatrix: expected non-negative integer sizes, got ${nRows} x ${nCols}`);
    check(indptr.dtype === 'int32' && indices.dtype === 'int32', 'MMG_E_DTYPE',
      `CsrMatrix: expected int32 indptr and indices, got ${indptr.dtype} and ${indices.dtype}`);
    check(values.dtype === 'float32' || values.dtype === 'float64', 'MMG_E_DTYPE', `CsrMatrix: expected float32 or float64 values, got ${values.dtype}`);
    check(indptr.rank === 1 && indptr.size === nRows + 1, 'MMG_E_SHAPE', `CsrMatrix: expected indptr of shape [${nRows + 1}], got [${indptr.shape.join(', ')}]`);
    check(indices.rank === 1 && values.rank === 1 && indices.size === values.size, 'MMG_E_SHAPE',
      `CsrMatrix: expected indices and values of equal length, got [${indices.shape.join(', ')}] and [${values.shape.join(', ')}]`);
    keep(indptr);
    keep(indices);
    keep(values);
  }

  /** Builds from COO triplets; see FromCooOptions. Indices out of range → MMG_E_DATA naming the entry. */
  static fromCoo(
    nRows: number,
    nCols: number,
    rows: IndexArray | Tensor,
    cols: IndexArray | Tensor,
    vals: ArrayLike<number> | Float32Array | Float64Array | Tensor,
    opts: FromCooOptions = {},
  ): CsrMatrix {
    const dtype = opts.dtype ?? 'float32';
    const dup = opts.duplicates ?? 'sum';
    check(dup === 'sum' || dup === 'collapse', 'MMG_E_ARG', `CsrMatrix.fromCoo: expected duplicates 'sum' or 'collapse', got '${String(dup)}'`);
    check(dtype === 'float32' || dtype === 'float64', 'MMG_E_DTYPE', `CsrMatrix.fromCoo: expected dtype float32 or float64, got ${String(dtype)}`);
    const owned: Tensor[] = [];
    const own = (t: Tensor, src: unknown) => {
      if (t !== src) owned.push(t);
      return t;
    };
    try {
      let r = own(indexTensor(rows, 'rows'), rows);
      let c = own(indexTensor(cols, 'cols'), cols);
      if (r.dtype !== c.dtype) {
        r = own(tensor(r.toArray(), [r.size], { dtype: 'int64' }), null);
        c = own(tensor(c.toArray(), [c.size], { dtype: 'int64' }), null);
      }
      let v: Tensor;
      if (vals instanceof Tensor) v = vals.dtype === dtype ? vals : own(tensor(vals.toArray(), [vals.size], { dtype }), null);
      else v = own(tensor(Array.isArray(vals) || !ArrayBuffer.isView(vals) ? Array.from(vals) : (vals as Float32Array), [vals.length], { dtype }), vals);
      check(r.size === c.size && r.size === v.size, 'MMG_E_SHAPE',
        `CsrMatrix.fromCoo: expected rows, cols and vals of equal length, got ${r.size}, ${c.size} and ${v.size}`);
      const [p, j, x] = runOp('csr_from_coo', [r, c, v], [nRows, nCols, dup === 'sum' ? 0 : 1]);
      return new CsrMatrix(nRows, nCols, p, j, x);
    } finally {
      for (const t of owned) t.dispose();
    }
  }

  /** Builds from arrays that are already coalesced CSR (copied). */
  static fromCsr(nRows: number, nCols: number, indptr: Int32Array, indices: Int32Array, values: Float32Array | Float64Array): CsrMatrix {
    checkCsrArrays(nRows, nCols, indptr, indices, values);
    return new CsrMatrix(nRows, nCols, tensor(indptr, [indptr.length]), tensor(indices, [indices.length]), tensor(values, [values.length]));
  }

  get nnz(): number {
    return this.indices.size;
  }

  get dtype(): CsrDType {
    return this.values.dtype as CsrDType;
  }

  get isDisposed(): boolean {
    return this.disposed_;
  }

  /** Aᵀ, computed once and cached (its own transpose is this matrix). */
  transpose(): CsrMatrix {
    this.assertLive('CsrMatrix.transpose');
    if (!this.transposed) {
      const [p, j, v] = runOp('csr_transpose', [this.indptr, this.indices, this.values], [this.nCols]);
      const t = new CsrMatrix(this.nCols, this.nRows, p, j, v);
      t.transposed = this;
      t.isCachedTranspose = true;
      this.transposed = t;
    }
    return this.transposed;
  }

  /** The device the arrays live on. */
  get device(): Device {
    return this.values.device;
  }

  /**
   * A copy on another device, with its transpose (built on the host, where CSR construction runs)
   * copied along, so backward passes on the device never need the host.
   */
  to(device: Device): CsrMatrix {
    this.assertLive('CsrMatrix.to');
    // On a host device the transpose runs check_csr over this matrix (native/ops/csr_transpose.cc)
    // and builds a valid CSR itself, so both copies are known valid when they leave the host.
    const t = this.device === 'cuda' ? null : this.transpose();
    const valid = device !== 'cpu' && (t !== null || this.validated);
    const out = new CsrMatrix(this.nRows, this.nCols, this.indptr.to(device), this.indices.to(device), this.values.to(device));
    out.validated = valid;
    if (t) {
      const tt = new CsrMatrix(t.nRows, t.nCols, t.indptr.to(device), t.indices.to(device), t.values.to(device));
      tt.validated = valid;
      tt.transposed = out;
      tt.isCachedTranspose = true;
      out.transposed = tt;
    }
    return out;
  }

  /** A dense [nRows, nCols] copy (tests and debugging; O(nRows·nCols) memory). */
  toDense(): Tensor {
    this.assertLive('CsrMatrix.toDense');
    const out = zeros([this.nRows, this.nCols], { dtype: this.dtype as DType });
    const d = out.data() as Float32Array | Float64Array;
    const p = this.indptr.data() as Int32Array;
    const j = this.indices.data() as Int32Array;
    const v = this.values.data() as Float32Array | Float64Array;
    for (let r = 0; r < this.nRows; r++) for (let q = p[r]; q < p[r + 1]; q++) d[r * this.nCols + j[q]] += v[q];
    return out;
  }

  /** Host copies of the three arrays. */
  toArrays(): { indptr: Int32Array; indices: Int32Array; values: Float32Array | Float64Array } {
    this.assertLive('CsrMatrix.toArrays');
    return {
      indptr: this.indptr.toTypedArray() as Int32Array,
      indices: this.indices.toTypedArray() as Int32Array,
      values: this.values.toTypedArray() as Float32Array | Float64Array,
    };
  }

  /** Frees the tensors and the cached transpose. Safe to call twice. */
  dispose(): void {
    if (this.disposed_) return;
    this.disposed_ = true;
    this.indptr.dispose();
    this.indices.dispose();
    this.values.dispose();
    const t = this.transposed;
    this.transposed = null;
    if (!t) return;
    t.transposed = null;
    // An owner frees its cached transpose; a disposed transpose is just dropped from its owner's cache.
    if (!this.isCachedTranspose) t.dispose();
  }

  /** @internal */
  assertLive(what: string): void {
    if (this.disposed_) throw new MmgError(`${what}: expected a live CsrMatrix, got a disposed one`, 'MMG_E_ARG');
  }
}

/** `m` on `device`: itself when already there, else a copy (the host original is disposed). */
export function csrOnDevice(m: CsrMatrix, device: Device): CsrMatrix {
  if (m.device === device) return m;
  const moved = m.to(device);
  m.dispose();
  return moved;
}
