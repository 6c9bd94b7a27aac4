/**
 * Compute backends and the default device.
 *
 * - 'cpu': the addon's own kernels, always available.
 * - 'cuda': libmmgraph_cuda.so (cuda/, built with `npm run build:cuda`), opened at run time the first
 *   time something asks for device 'cuda'. One addon binary serves machines with and without a GPU:
 *   when the library cannot run here, backends() says why and useDevice('cuda') throws an MmgError
 *   carrying that reason, instead of anything crashing.
 * - 'cuda-emu' (tests only, not part of Device): host memory, but every op runs the CUDA kernels'
 *   per-thread bodies on a host launcher (native/emu/). It is how the logic shipped to GPUs is
 *   tested on machines without one. It exists only once enabled: MMGRAPH_EMULATOR=1 (the jest
 *   config sets it) or enableEmulator() from lib/testing.ts.
 *
 * The default device (for tensor(), zeros(), ... without `device`) is 'cpu', or MMGRAPH_DEVICE, or
 * what useDevice() set last.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MmgError } from './errors';
import { cudaInstallHint, cudaManifest, findCudaLibraries, nvidiaDriverVersion, preloadCudaLibraries, type CudaLibraryInfo, type CudaManifest } from './cuda_runtime';
import { loadAddon, packageRoot } from './native/load';
import type { DeviceCounts } from './native/types';
import type { Device, DeviceName } from './tensor';

/** Why the CUDA backend cannot run here, as a stable code (the text is in `reason`). */
export type BackendUnavailableCode =
  | 'not-built'
  | 'unsupported-platform'
  | 'no-cudart'
  | 'no-cuda-libs'
  | 'not-a-backend'
  | 'abi-mismatch'
  | 'no-driver'
  | 'old-driver'
  | 'no-device'
  | 'arch-mismatch'
  | 'error';

export interface BackendInfo {
  name: Device;  // 'cuda-emu' too, once enabled for tests
  available: boolean;
  /** When unavailable: what is missing and what to do. */
  reason?: string;
  code?: BackendUnavailableCode;
  /** When available: what it runs on (CPU features, or the GPU, driver and runtime). */
  detail?: string;
  /** The CUDA library that was (or would be) opened. */
  library?: string;
  /** Number of ops with a kernel on this backend (when known). */
  ops?: number;
}

const LIB_NAME = 'libmmgraph_cuda.so';

/** The CUDA library path: MMGRAPH_CUDA_LIB, else the local build, else a prebuild next to the addon's. */
export function cudaLibraryPath(): string {
  if (process.env.MMGRAPH_CUDA_LIB) return path.resolve(process.env.MMGRAPH_CUDA_LIB);
  const candidates = [
    path.join(packageRoot, 'build-cuda', LIB_NAME),
    path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`, LIB_NAME),
  ];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

interface CudaState {
  ok: boolean;
  library: string;
  status: string;
  code?: BackendUnavailableCode;
  manifest?: CudaManifest & { fromFile: boolean };
  /** The run-time libraries it needs and where each was found (lib/cuda_runtime.ts). */
  libs?: CudaLibraryInfo[];
}
let cudaState: CudaState | undefined;

/**
 * Sorts the loader's and probe's words (native/napi/backend_loader.cc, cuda/backend.cu) into a code.
 * @internal exported for tests
 */
export function classifyCudaStatus(status: string): BackendUnavailableCode {
  if (/libcudart/.test(status)) return 'no-cudart';
  if (/libcublas|libcusparse|libcufft|libnvJitLink/.test(status)) return 'no-cuda-libs';
  if (/cannot open shared object|could not open/.test(status)) return 'no-cuda-libs';
  if (/no mmg_backend_open/.test(status)) return 'not-a-backend';
  if (/backend ABI/.test(status)) return 'abi-mismatch';
  if (/no CUDA driver/.test(status)) return 'no-driver';
  if (/update the driver/.test(status)) return 'old-driver';
  if (/no CUDA device/.test(status)) return 'no-device';
  if (/not supported by this build|no usable kernel image/.test(status)) return 'arch-mismatch';
  return 'error';
}

function hint(code: BackendUnavailableCode, m: CudaManifest): string {
  switch (code) {
    case 'not-built':
      return 'no prebuilt CUDA backend for this platform: build it with `npm run build:cuda` (needs nvcc and CMake), or point MMGRAPH_CUDA_LIB at a built library';
    case 'unsupported-platform':
      return 'the CUDA backend is built for Linux only';
    case 'no-cudart':
    case 'no-cuda-libs':
      return cudaInstallHint(m);
    case 'not-a-backend':
      return 'MMGRAPH_CUDA_LIB must name a libmmgraph_cuda.so';
    case 'abi-mismatch':
      return 'rebuild it with `npm run build:cuda`';
    case 'no-driver':
    case 'old-driver':
      return `this build needs the NVIDIA driver ${m.minDriver} or newer (CUDA ${m.cuda.split('.')[0]})`;
    case 'no-device':
      return 'check nvidia-smi and CUDA_VISIBLE_DEVICES';
    default:
      return '';
  }
}

/** Opens and probes the CUDA library once; later calls return the same answer. */
function cuda(): CudaState {
  // A missing library is looked for again next time (the user may build it meanwhile); anything
  // that got as far as dlopen is final for this process.
  if (cudaState && cudaState.code !== 'not-built') return cudaState;
  const library = cudaLibraryPath();
  if (process.platform !== 'linux') {
    cudaState = { ok: false, library, status: `not available on ${process.platform}`, code: 'unsupported-platform' };
  } else if (!fs.existsSync(library)) {
    cudaState = { ok: false, library, status: `library not built: ${library} does not exist`, code: 'not-built' };
  } else {
    const manifest = cudaManifest(library);
    // Map cudart, cuBLAS, cuSPARSE, cuFFT from wherever they are installed before the backend's
    // own dlopen needs them by soname; name the missing ones rather than dlopen's first failure.
    const libs = preloadCudaLibraries(manifest);
    const missing = libs.filter((l) => l.error).map((l) => l.soname);
    if (missing.length) {
      cudaState = {
        ok: false,
        library,
        manifest,
        libs,
        status: `CUDA ${manifest.cuda} libraries not found: ${missing.join(', ')}`,
        code: missing.some((m) => m.startsWith('libcudart')) ? 'no-cudart' : 'no-cuda-libs',
      };
    } else {
      const r = loadAddon().loadCuda(library);
      cudaState = r.ok
        ? { ok: true, library, status: r.status, manifest, libs }
        : { ok: false, library, status: r.status, code: classifyCudaStatus(r.status), manifest, libs };
    }
  }
  return cudaState;
}

function cudaInfo(): BackendInfo {
  const s = cuda();
  if (s.ok) {
    return { name: 'cuda', available: true, detail: s.status.replace(/^ok: /, ''), library: s.library, ops: loadAddon().kernelNames(1).length };
  }
  const h = hint(s.code ?? 'error', s.manifest ?? cudaManifest(s.library));
  return { name: 'cuda', available: false, code: s.code, reason: h ? `${s.status} (${h})` : s.status, library: s.library };
}

/** What `mmgraph info` reports about CUDA: the backend library, its run-time libraries, the driver. */
export interface CudaReport {
  backend: BackendInfo;
  manifest?: CudaManifest & { fromFile: boolean };
  libs?: CudaLibraryInfo[];
  /** The NVIDIA kernel driver version, when one is loaded. */
  driver?: string;
}

/** Loads (once) and describes the CUDA backend for diagnostics. */
export function cudaReport(): CudaReport {
  const backend = cudaInfo();
  const s = cuda();
  if (s.libs || process.platform !== 'linux') return { backend, manifest: s.manifest, libs: s.libs, driver: nvidiaDriverVersion() };
  // No backend library to open: still say what a CUDA 13 build would find here (nothing is loaded).
  const manifest = cudaManifest(s.library);
  const libs = findCudaLibraries(manifest).map((l) => (l.path ? l : { ...l, error: 'not in any searched directory' }));
  return { backend, manifest, libs, driver: nvidiaDriverVersion() };
}

/**
 * Every backend and whether it can run here. Asking about 'cuda' opens and probes its library
 * (once per process): that initialises the CUDA driver when one exists, but allocates nothing.
 */
export function backends(): BackendInfo[] {
  const addon = loadAddon();
  const info = addon.buildInfo;
  return [
    { name: 'cpu', available: true, detail: `gemm ${info.gemm} (${info.gemmSimd}), ${info.threads} threads, ${info.cpuFeatures}`, ops: addon.kernelNames(0).length },
    cudaInfo(),
    ...(emulatorEnabled()
      ? [{ name: 'cuda-emu' as Device, available: true, detail: 'CUDA kernel bodies on host launchers (for tests)', ops: addon.kernelNames(2).length }]
      : []),
  ];
}

let emulatorOn = false;
let current: DeviceName | undefined;

/** @internal Whether device 'cuda-emu' may be used: enableEmulator() (lib/testing.ts) or MMGRAPH_EMULATOR=1. */
export function emulatorEnabled(): boolean {
  return emulatorOn || process.env.MMGRAPH_EMULATOR === '1';
}

/** @internal Turns device 'cuda-emu' on or off for this process (tests; see lib/testing.ts). */
export function setEmulatorEnabled(on: boolean): void {
  emulatorOn = on;
}

/** @internal The device names that may be used here: 'cpu', 'cuda', and 'cuda-emu' once enabled. */
export function deviceNames(): DeviceName[] {
  return emulatorEnabled() ? ['cpu', 'cuda', 'cuda-emu'] : ['cpu', 'cuda'];
}

/**
 * @internal Throws unless `device` names a usable device: `code` for an unknown name, MMG_E_ARG
 * (saying how to enable it) for 'cuda-emu' while the emulator is off. `what` starts the message.
 */
export function checkDeviceName(what: string, device: unknown, code: 'MMG_E_ARG' | 'MMG_E_DEVICE'): asserts device is DeviceName {
  if (device === 'cuda-emu' && !emulatorEnabled()) {
    throw new MmgError(
      `${what}: device 'cuda-emu' (the CUDA kernels' bodies on the host, for tests) is not enabled: ` +
        `set MMGRAPH_EMULATOR=1 or call enableEmulator() from mmgraph's lib/testing module`,
      'MMG_E_ARG',
    );
  }
  const names = deviceNames();
  if (!names.includes(device as DeviceName)) {
    const got = typeof device === 'string' ? `'${device}'` : String(device);
    throw new MmgError(`${what}: expected one of ${names.join(', ')}, got ${got}`, code);
  }
}

/** Makes sure `device` can hold tensors, opening the CUDA library on first use. Throws MmgError otherwise. */
export function ensureDevice(device: DeviceName): void {
  if (device !== 'cuda') return;
  const info = cudaInfo();
  if (!info.available) throw new MmgError(`device 'cuda': the CUDA backend is not available: ${info.reason}`, 'MMG_E_DEVICE');
}

/** Sets the device tensors are created on when no `device` option is given. */
export function useDevice(device: Device): void {
  checkDeviceName('useDevice', device, 'MMG_E_ARG');
  ensureDevice(device);
  current = device;
}

/** The default device: useDevice()'s, else MMGRAPH_DEVICE, else 'cpu'. Loads 'cuda' on first use. */
export function defaultDevice(): Device {
  if (current) return current as Device;
  const env = process.env.MMGRAPH_DEVICE;
  if (env) {
    checkDeviceName('MMGRAPH_DEVICE', env, 'MMG_E_ARG');
    useDevice(env as Device);
    return current as unknown as Device;
  }
  return 'cpu';
}

/**
 * Waits until every queued CUDA kernel and copy has finished (CPU kernels are synchronous, so on
 * the CPU this returns at once). Use it to time device work; an error inside an earlier kernel
 * surfaces here as an MmgError (MMG_E_CUDA).
 */
export function synchronize(): void {
  loadAddon().synchronize();
}

/**
 * Counts since the last reset: kernel launches, host↔device copies and stream synchronizations.
 * cuda-emu counts everything a GPU would pay for the same calls (launches and in-op round trips
 * included); on cuda only the copies and the reads that wait for the stream are counted. `reset`
 * zeroes them after reading.
 */
export function deviceCounters(reset = false): DeviceCounts {
  return loadAddon().deviceCounters(reset);
}

/** Bytes in use and cached by mmgraph's caching allocators (host, and the GPU when the CUDA backend is loaded). */
export function memoryStats(): Record<string, number> {
  return loadAddon().memoryStats();
}

/** Returns cached, unused blocks to the system (host) and the driver (GPU). */
export function emptyCache(): void {
  loadAddon().emptyCache();
}
