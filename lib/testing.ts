/**
 * Test-only switches; not exported from the package index.
 *
 * Device 'cuda-emu' runs the CUDA kernels' per-thread bodies on host launchers (native/emu/), so
 * the logic shipped to GPUs is exercised on machines without one. It is not part of the public
 * Device type and is refused until enabled: here, or with MMGRAPH_EMULATOR=1 (jest.config.js sets
 * it for the test suites, and child processes and worker threads inherit it).
 */
import { emulatorEnabled, setEmulatorEnabled } from './backends';
import type { Device } from './tensor';

/** The emulator's device name, typed so it can go wherever a Device is accepted. */
export const EMU = 'cuda-emu' as unknown as Device;

/** Makes 'cuda-emu' usable in this process (useDevice, tensor options, backends(), train). */
export function enableEmulator(): void {
  setEmulatorEnabled(true);
}

/** Turns the in-process switch off again (MMGRAPH_EMULATOR=1 still enables it). */
export function disableEmulator(): void {
  setEmulatorEnabled(false);
}

export { emulatorEnabled };
