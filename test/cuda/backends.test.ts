/** backends(), useDevice() and MMGRAPH_DEVICE: what a user sees on a machine with or without a GPU. */
import * as fs from 'fs';
import { MmgError, backends, emptyCache, memoryStats, synchronize, tensor, useDevice, zeros } from '../../lib';
import { classifyCudaStatus, cudaLibraryPath, defaultDevice } from '../../lib/backends';
import { EMU, disableEmulator, enableEmulator } from '../../lib/testing';

describe('backends', () => {
  afterEach(() => useDevice('cpu'));

  test('cpu is always available, cuda-emu once enabled (the jest config does); cuda says whether it is, and why not', () => {
    const all = backends();
    expect(all.map((b) => b.name)).toEqual(['cpu', 'cuda', 'cuda-emu']);
    expect(all[0]).toMatchObject({ name: 'cpu', available: true });
    expect(all[2]).toMatchObject({ name: 'cuda-emu', available: true });
    expect(all[2].ops).toBeGreaterThan(0);
    const cuda = all[1];
    if (cuda.available) {
      expect(cuda.detail).toMatch(/sm_\d+/);
    } else {
      expect(cuda.code).toBeDefined();
      expect(cuda.reason!.length).toBeGreaterThan(10);
    }
  });

  test('without a GPU, useDevice("cuda") throws an MmgError with the reason; cpu keeps working', () => {
    const cuda = backends()[1];
    if (cuda.available) return; // this machine has a GPU: the gpu project covers it
    expect(() => useDevice('cuda')).toThrow(MmgError);
    try {
      useDevice('cuda');
    } catch (e) {
      expect((e as MmgError).code).toBe('MMG_E_DEVICE');
      expect((e as MmgError).message).toContain(`device 'cuda': the CUDA backend is not available: ${cuda.reason}`);
    }
    expect(() => tensor([1, 2], [2], { device: 'cuda' })).toThrow(/device 'cuda': the CUDA backend is not available/);
    expect(() => zeros([2], { device: 'cuda' })).toThrow(/device 'cuda': the CUDA backend is not available/);
    expect(() => tensor([1, 2], [2]).to('cuda')).toThrow(/device 'cuda': the CUDA backend is not available/);
    expect(defaultDevice()).toBe('cpu');
    expect(tensor([1, 2], [2]).toArray()).toEqual([1, 2]);
  });

  test('the built library, where it exists, loads and explains itself (no driver here, or a GPU)', () => {
    const lib = cudaLibraryPath();
    if (!fs.existsSync(lib)) {
      expect(backends()[1]).toMatchObject({ available: false, code: 'not-built' });
      expect(backends()[1].reason).toMatch(/npm run build:cuda/);
      return;
    }
    const cuda = backends()[1];
    // The library opened (its dependencies resolved): any reason now comes from the probe.
    if (!cuda.available) expect(['no-driver', 'old-driver', 'no-device', 'arch-mismatch']).toContain(cuda.code);
  });

  test('useDevice("cuda-emu") makes it the default for new tensors', () => {
    useDevice(EMU);
    expect(defaultDevice()).toBe('cuda-emu');
    const t = tensor([1, 2, 3]);
    expect(t.device).toBe('cuda-emu');
    expect(zeros([2, 2]).device).toBe('cuda-emu');
    expect(tensor([1], [1], { device: 'cpu' }).device).toBe('cpu');
    useDevice('cpu');
    expect(tensor([1]).device).toBe('cpu');
    expect(() => useDevice('tpu' as never)).toThrow(/useDevice: expected one of cpu, cuda, cuda-emu, got 'tpu'/);
  });

  test('cuda-emu is not a public device: refused with MMG_E_ARG, unlisted and unknown to train until enabled', () => {
    const saved = process.env.MMGRAPH_EMULATOR;
    const t = tensor([1, 2], [2]);
    try {
      process.env.MMGRAPH_EMULATOR = '0';
      const how = /device 'cuda-emu' \(.*for tests\) is not enabled: set MMGRAPH_EMULATOR=1 or call enableEmulator\(\)/;
      expect(backends().map((b) => b.name)).toEqual(['cpu', 'cuda']);
      expect(() => useDevice(EMU)).toThrow(how);
      try {
        useDevice(EMU);
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_ARG');
      }
      expect(() => tensor([1], [1], { device: EMU })).toThrow(how);
      expect(() => t.to(EMU)).toThrow(how);
      expect(() => useDevice('tpu' as never)).toThrow(/useDevice: expected one of cpu, cuda, got 'tpu'/);
      expect(defaultDevice()).toBe('cpu');
      enableEmulator();
      expect(backends().map((b) => b.name)).toEqual(['cpu', 'cuda', 'cuda-emu']);
      expect(t.to(EMU).device).toBe('cuda-emu');
      disableEmulator();
      expect(() => t.to(EMU)).toThrow(how);
    } finally {
      disableEmulator();
      process.env.MMGRAPH_EMULATOR = saved;
      if (saved === undefined) delete process.env.MMGRAPH_EMULATOR;
    }
  });

  test('MMGRAPH_DEVICE picks the default device; a bad value is an error', () => {
    const saved = process.env.MMGRAPH_DEVICE;
    try {
      jest.isolateModules(() => {
        process.env.MMGRAPH_DEVICE = 'cuda-emu';
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const lib = require('../../lib') as typeof import('../../lib');
        expect(lib.tensor([1, 2]).device).toBe('cuda-emu');
      });
      jest.isolateModules(() => {
        process.env.MMGRAPH_DEVICE = 'gpu0';
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const lib = require('../../lib') as typeof import('../../lib');
        expect(() => lib.tensor([1, 2])).toThrow(/MMGRAPH_DEVICE: expected one of cpu, cuda, cuda-emu, got 'gpu0'/);
      });
    } finally {
      if (saved === undefined) delete process.env.MMGRAPH_DEVICE;
      else process.env.MMGRAPH_DEVICE = saved;
    }
  });

  test('loader and probe messages map to stable codes', () => {
    const cases: Array<[string, string]> = [
      ['could not open /x/libmmgraph_cuda.so: libcudart.so.13: cannot open shared object file', 'no-cudart'],
      ['could not open /x/libmmgraph_cuda.so: libcublas.so.13: cannot open shared object file', 'no-cuda-libs'],
      ['could not open /x/libmmgraph_cuda.so: libnvJitLink.so.13: cannot open shared object file', 'no-cuda-libs'],
      ['/x/lib.so is not an mmgraph backend (no mmg_backend_open symbol)', 'not-a-backend'],
      ['/x/lib.so was built for backend ABI 0, this addon needs 1: rebuild it', 'abi-mismatch'],
      ['CUDA backend loaded but unusable: no CUDA driver: libcuda.so.1 was not found', 'no-driver'],
      ['CUDA backend loaded but unusable: the NVIDIA driver supports CUDA 12.2 but ...: update the driver', 'old-driver'],
      ['CUDA backend loaded but unusable: no CUDA device is visible (driver 13.0)', 'no-device'],
      ['CUDA backend loaded but unusable: Tesla T4 (sm_75) is not supported by this build, which has code for sm_80, sm_90', 'arch-mismatch'],
      ['CUDA backend loaded but unusable: cudaGetDeviceCount failed: unknown error', 'error'],
    ];
    for (const [msg, code] of cases) expect([msg, classifyCudaStatus(msg)]).toEqual([msg, code]);
  });

  test('synchronize, memoryStats and emptyCache are exported and work with or without a GPU', () => {
    const t = zeros([1000, 100]);
    expect(() => synchronize()).not.toThrow();
    const stats = memoryStats();
    expect(stats.hostInUse).toBeGreaterThanOrEqual(400_000);
    t.dispose();
    emptyCache();
    expect(memoryStats().hostCached).toBe(0);
  });
});
