/** The shape of the native addon (native/napi/addon.cc). Internal: users go through lib/. */
export interface NativeHandle {
  dispose(): void;
  buffer(): ArrayBuffer;
  /** [dtype, device, disposed(0/1), ...shape] */
  meta(): number[];
}

/** What a GPU would pay since the last reset (native/core/device_counters.h). */
export interface DeviceCounts {
  launches: number;
  h2d: number;
  d2h: number;
  syncs: number;
}

export interface NativeAddon {
  TensorHandle: new (...args: never[]) => NativeHandle;
  run(op: string, device: number, inputs: Array<NativeHandle | null>, attrs: number[] | Float64Array): NativeHandle[];
  empty(shape: readonly number[], dtype: number, device: number, zero?: boolean): NativeHandle;
  fromTyped(data: Float32Array | Float64Array | Int32Array | BigInt64Array, shape: readonly number[], device: number): NativeHandle;
  copyToHost(h: NativeHandle, dst: ArrayBufferView): void;
  copyFromHost(h: NativeHandle, src: ArrayBufferView): void;
  transfer(h: NativeHandle, device: number): NativeHandle;
  memoryStats(): Record<string, number>;
  emptyCache(): void;
  synchronize(): void;
  deviceCounters(reset?: boolean): DeviceCounts;
  setNumThreads(n: number): void;
  numThreads(): number;
  loadCuda(path?: string): { ok: boolean; status: string };
  /** dlopen(name, RTLD_NOW | RTLD_GLOBAL): the file mapped, or dlerror's words. Never unmapped. */
  openLibrary(nameOrPath: string): { ok: true; path: string } | { ok: false; error: string };
  kernelNames(device: number): string[];
  setErrorClass(cls: unknown): void;
  buildInfo: { gemm: 'eigen' | 'builtin'; gemmSimd: 'avx512' | 'avx2' | 'baseline'; cpuFeatures: string; threads: number; debug: boolean };
}
