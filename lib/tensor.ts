/**
 * Dense tensors in native memory (host or device), with autograd bookkeeping. Host tensors expose
 * their memory as typed-array views without copying (`data()`); `dispose()` returns the memory to
 * the caching allocator at once and empties any view already handed out.
 */
import { MmgError, check } from './errors';
import { loadAddon } from './native/load';
import type { NativeHandle } from './native/types';
import { trackTensor } from './autograd/scope';
import { checkDeviceName, defaultDevice, ensureDevice } from './backends';
import type { GradNode } from './autograd/tape';

export type DType = 'float32' | 'float64' | 'int32' | 'int64';
/** Where a tensor lives and its ops run. */
export type Device = 'cpu' | 'cuda';
/**
 * @internal Every device the addon knows: Device plus 'cuda-emu', the CUDA kernels' per-thread
 * bodies run by host launchers. That one exists for tests and CI only and must be enabled first
 * (lib/testing.ts, or MMGRAPH_EMULATOR=1); emulated tensors still report it as their `device`.
 */
export type DeviceName = Device | 'cuda-emu';
export type TypedArrayOf<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : D extends 'int32'
      ? Int32Array
      : BigInt64Array;
export type AnyTypedArray = Float32Array | Float64Array | Int32Array | BigInt64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];
/** @internal The addon's device codes, by index. */
export const DEVICES: readonly DeviceName[] = ['cpu', 'cuda', 'cuda-emu'];
export const dtypeCode = (d: DType): number => DTYPES.indexOf(d);
export const deviceCode = (d: DeviceName): number => DEVICES.indexOf(d);
/** deviceCode for calls that place memory on `d`: opens the CUDA backend on first use (lib/backends.ts). */
function placeOn(d: DeviceName): number {
  checkDeviceName('device', d, 'MMG_E_DEVICE');
  ensureDevice(d);
  return deviceCode(d);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  return typeof v === 'object' && v !== null ? Object.prototype.toString.call(v) : String(v);
}

/**
 * Throws unless `shape` is an array of at most 4 non-negative safe integers (numbers, not strings
 * such as '3'). The element count's overflow is checked natively, before allocation.
 */
export function checkShape(fn: string, shape: unknown): asserts shape is readonly number[] {
  const ok = Array.isArray(shape) && shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);
  check(ok, 'MMG_E_SHAPE', () => `${fn}: expected a shape of non-negative integers, got ${describe(shape)}`);
  check(shape.length <= 4, 'MMG_E_SHAPE', () => `${fn}: expected at most 4 dimensions, got ${shape.length}`);
}

function checkDtype(fn: string, dtype: unknown): asserts dtype is DType {
  check(DTYPES.includes(dtype as DType), 'MMG_E_DTYPE', () => `${fn}: expected dtype one of ${DTYPES.join(', ')}, got ${describe(dtype)}`);
}

const INT_RANGE = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

/**
 * Copies plain values into a typed array of `dtype`, refusing what the typed array would silently
 * change: non-numbers (NaN), fractions and out-of-range values for integer dtypes (truncation and
 * wrap-around). Floats keep NaN and infinities, which are legitimate values.
 */
function fromValues(values: ArrayLike<number>, dtype: DType): AnyTypedArray {
  check(values !== null && typeof values === 'object' && typeof values.length === 'number', 'MMG_E_ARG', () => `tensor: expected an array or typed array of values, got ${describe(values)}`);
  const n = values.length;
  const isInt = dtype === 'int32' || dtype === 'int64';
  for (let i = 0; i < n; i++) {
    const v = values[i] as unknown;
    if (typeof v === 'bigint' && isInt) {
      const [lo, hi] = INT_RANGE[dtype];
      check(dtype === 'int64' || (v >= BigInt(lo) && v <= BigInt(hi)), 'MMG_E_ARG', () => `tensor: expected ${dtype} values in [${lo}, ${hi}], got ${v}n at index ${i}`);
      continue;
    }
    check(typeof v === 'number', 'MMG_E_ARG', () => `tensor: expected numbers, got ${describe(v)} at index ${i}`);
    if (isInt) {
      const [lo, hi] = INT_RANGE[dtype];
      check(Number.isInteger(v) && v >= lo && v <= hi, 'MMG_E_ARG', () => `tensor: expected ${dtype} values (integers in [${lo}, ${hi}]), got ${v} at index ${i}`);
    }
  }
  if (dtype === 'int64') return BigInt64Array.from(Array.from(values as ArrayLike<number | bigint>), (v) => BigInt(v));
  if (dtype === 'int32') return Int32Array.from(Array.from(values as ArrayLike<number | bigint>), (v) => Number(v));
  return ARRAY_CTORS[dtype].from(values as ArrayLike<number>) as AnyTypedArray;
}

const ARRAY_CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int64: BigInt64Array,
} as const;

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
  /** Set on leaves (parameters) by the user, and on results of ops whose inputs need gradients. */
  requiresGrad = false;
  /** The accumulated gradient of a leaf after `backward()`. */
  grad: Tensor | null = null;
  /** The op that produced this tensor, when it is part of a recorded graph. */
  gradNode: GradNode | null = null;
  /** Optional label, used in error messages and parameter listings. */
  name?: string;
  /**
   * @internal Set on int index tensors whose values were checked on the host where they were born
   * (lib/nn/batch.ts): every value lies in [0, bound), and `host` holds them, so models need not
   * read them back from the device. gather/scatter pass `checked` to their kernels when the bound
   * fits, which spares the device a scan and a round trip (MMGRAPH_CUDA_CHECK=1 scans anyway).
   */
  hostIndex?: { host: Int32Array; bound: number };
  /**
   * @internal Set on trainable feature tables (ParamStore.features): a linear layer applied to
   * this leaf leaves its gradient deferred (lib/autograd/deferred.ts), so that Adam can fuse
   * dX = dY·W into the update (linear_input_adam) instead of storing dX.
   */
  deferGrad?: boolean;
  private handle_: NativeHandle | null;
  private view_: AnyTypedArray | null = null;
  private deferred_: DeferredValue | null = null;

  /** @internal Wraps a native handle; use the factory functions instead. */
  constructor(handle: NativeHandle, shape?: readonly number[], dtype?: DType, device?: Device) {
    this.handle_ = handle;
    if (shape && dtype && device) {
      this.shape = shape;
      this.dtype = dtype;
      this.device = device;
    } else {
      const m = handle.meta();
      this.dtype = DTYPES[m[0]];
      this.device = DEVICES[m[1]] as Device;  // 'cuda-emu' only where a test enabled it
      this.shape = m.slice(3);
    }
    trackTensor(this);
  }

  /**
   * @internal A tensor whose values are computed on first use: any read (data, toArray, an op,
   * to) computes them once; dispose() before that frees the parts without computing anything.
   */
  static deferred(shape: readonly number[], dtype: DType, device: Device, value: DeferredValue): Tensor {
    const t = new Tensor(null as unknown as NativeHandle, shape, dtype, device);
    t.deferred_ = value;
    return t;
  }

  /** @internal The pending computation of a deferred tensor (null once computed or for any other tensor). */
  get deferredValue(): DeferredValue | null {
    return this.deferred_;
  }

  /** @internal */
  get handle(): NativeHandle {
    if (!this.handle_ && this.deferred_) this.materialize();
    if (!this.handle_) throw new MmgError(`tensor${this.name ? ` '${this.name}'` : ''}: expected a live tensor, got a disposed one`, 'MMG_E_ARG');
    return this.handle_;
  }

  get disposed(): boolean {
    return this.handle_ === null && this.deferred_ === null;
  }

  private materialize(): void {
    const d = this.deferred_!;
    const t = d.materialize();
    check(t.dtype === this.dtype && t.device === this.device && t.shape.join() === this.shape.join(), 'MMG_E_INTERNAL', () =>
      `tensor: a deferred ${d.op} gave ${t.toString()}, expected [${this.shape.join(', ')}] ${this.dtype} on ${this.device}`);
    // Take over the result's memory; the emptied wrapper is left to its scope.
    this.handle_ = t.handle_;
    t.handle_ = null;
    this.deferred_ = null;
    for (const p of d.parts) p.dispose();
  }

  get size(): number {
    let n = 1;
    for (const s of this.shape) n *= s;
    return n;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Rows when viewed as a matrix (all dimensions but the last). */
  get rows(): number {
    const c = this.cols;
    return c === 0 ? 0 : this.size / c;
  }

  /** Columns when viewed as a matrix (the last dimension; 1 for a scalar). */
  get cols(): number {
    return this.shape.length === 0 ? 1 : this.shape[this.shape.length - 1];
  }

  /** Zero-copy view of a host tensor's memory. It reads as empty once the tensor is disposed. */
  data<D extends DType = DType>(): TypedArrayOf<D> {
    if (this.view_ && this.view_.length === this.size) return this.view_ as TypedArrayOf<D>;
    check(this.device !== 'cuda', 'MMG_E_DEVICE', "tensor.data: expected a host tensor, got one on cuda (use .toArray() or .to('cpu'))");
    const buf = this.handle.buffer();
    this.view_ = new ARRAY_CTORS[this.dtype](buf, 0, this.size);
    return this.view_ as TypedArrayOf<D>;
  }

  /** A copy of the values as a plain typed array (works on every device). */
  /**
   * A copy of the values in a new typed array, or in `into` (of this dtype's array type and exactly
   * `size` elements, e.g. a subarray of a larger result), which is returned.
   */
  toTypedArray(into?: AnyTypedArray): AnyTypedArray {
    if (into) {
      check(into instanceof ARRAY_CTORS[this.dtype] && into.length === this.size, 'MMG_E_ARG',
        () => `tensor.toTypedArray: expected a ${ARRAY_CTORS[this.dtype].name} of ${this.size} elements, got a ${into.constructor.name} of ${into.length}`);
    }
    const out = into ?? new ARRAY_CTORS[this.dtype](this.size);
    loadAddon().copyToHost(this.handle, out);
    return out;
  }

  /** A copy of the values as numbers. */
  toArray(): number[] {
    const a = this.toTypedArray();
    return a instanceof BigInt64Array ? Array.from(a, Number) : Array.from(a as ArrayLike<number>);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    check(this.size === 1, 'MMG_E_SHAPE', () => `tensor.item: expected one element, got shape [${this.shape.join(', ')}]`);
    return this.toArray()[0];
  }

  /** Overwrites the values from a host array of the same length and type. */
  write(values: AnyTypedArray): this {
    check(values.length === this.size, 'MMG_E_SHAPE', () => `tensor.write: expected ${this.size} values, got ${values.length}`);
    check(values instanceof ARRAY_CTORS[this.dtype], 'MMG_E_DTYPE', () => `tensor.write: expected a ${ARRAY_CTORS[this.dtype].name}, got ${values.constructor.name}`);
    loadAddon().copyFromHost(this.handle, values);
    return this;
  }

  /** A copy on another device (a new tensor even when the device is the same). */
  to(device: Device): Tensor {
    return new Tensor(loadAddon().transfer(this.handle, placeOn(device)), this.shape, this.dtype, device);
  }

  /** Frees the memory now. Safe to call twice. Views from data() read as empty afterwards. */
  dispose(): void {
    if (this.deferred_) {
      for (const p of this.deferred_.parts) p.dispose();
      this.deferred_ = null;
    }
    if (!this.handle_) return;
    this.handle_.dispose();
    this.handle_ = null;
    this.view_ = null;
    this.gradNode = null;
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
  }

  toString(): string {
    return `Tensor(${this.dtype}, [${this.shape.join(', ')}], ${this.device}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}

/**
 * @internal What a deferred tensor will compute: `op` names the recipe (consumers that know it,
 * like Adam for 'linear_input', may use the parts instead), `parts` are the tensors it reads
 * (owned by the deferred tensor: disposed with it or once it is computed), `materialize` computes
 * the values as a new tensor of the deferred one's shape, dtype and device.
 */
export interface DeferredValue {
  readonly op: string;
  readonly parts: readonly Tensor[];
  materialize(): Tensor;
}

export interface TensorOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
  name?: string;
}

function isKnownTyped(a: unknown): boolean {
  return a instanceof Float32Array || a instanceof Float64Array || a instanceof Int32Array || a instanceof BigInt64Array;
}

function dtypeOfArray(a: AnyTypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'int64';
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  if (opts.name) t.name = opts.name;
  return t;
}

/** Creates a tensor from values (copied). Numbers default to float32. */
export function tensor(values: AnyTypedArray | ArrayLike<number>, shape?: readonly number[], opts: TensorOptions = {}): Tensor {
  let arr: AnyTypedArray;
  const isTyped = ArrayBuffer.isView(values) && !(values instanceof DataView);
  check(isTyped || Array.isArray(values) || (values !== null && typeof values === 'object'), 'MMG_E_ARG', () => `tensor: expected an array or typed array of values, got ${describe(values)}`);
  const typedDtype = isTyped && isKnownTyped(values) ? dtypeOfArray(values as AnyTypedArray) : undefined;
  const dtype = opts.dtype ?? typedDtype ?? 'float32';
  checkDtype('tensor', dtype);
  if (typedDtype === dtype) arr = values as AnyTypedArray;
  else arr = fromValues(isTyped ? Array.from(values as ArrayLike<number>) : (values as ArrayLike<number>), dtype);
  if (shape !== undefined) checkShape('tensor', shape);
  const sh = shape ?? [arr.length];
  const device = opts.device ?? defaultDevice();
  return finish(new Tensor(loadAddon().fromTyped(arr, sh, placeOn(device)), sh, dtype, device), opts);
}

export function empty(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  checkShape('empty', shape);
  const dtype = opts.dtype ?? 'float32';
  checkDtype('empty', dtype);
  const device = opts.device ?? defaultDevice();
  return finish(new Tensor(loadAddon().empty(shape, dtypeCode(dtype), placeOn(device), false), shape, dtype, device), opts);
}

export function zeros(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  checkShape('zeros', shape);
  const dtype = opts.dtype ?? 'float32';
  checkDtype('zeros', dtype);
  const device = opts.device ?? defaultDevice();
  return finish(new Tensor(loadAddon().empty(shape, dtypeCode(dtype), placeOn(device), true), shape, dtype, device), opts);
}

export function full(shape: readonly number[], value: number, opts: TensorOptions = {}): Tensor {
  checkShape('full', shape);
  check(typeof value === 'number', 'MMG_E_ARG', () => `full: expected a number value, got ${describe(value)}`);
  const dtype = opts.dtype ?? 'float32';
  checkDtype('full', dtype);
  if (dtype === 'int32' || dtype === 'int64') {
    const [lo, hi] = INT_RANGE[dtype];
    check(Number.isInteger(value) && value >= lo && value <= hi, 'MMG_E_ARG', () => `full: expected a ${dtype} value (an integer in [${lo}, ${hi}]), got ${value}`);
  }
  const t = empty(shape, { ...opts, device: 'cpu' });
  if (dtype === 'int64') (t.data() as BigInt64Array).fill(BigInt(value));
  else (t.data() as Float32Array).fill(value);
  const device = opts.device ?? defaultDevice();
  if (device === 'cpu') return t;
  const moved = finish(t.to(device), opts);
  t.dispose();
  return moved;
}

export function scalar(value: number, opts: TensorOptions = {}): Tensor {
  return tensor([value], [], opts);
}

export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
