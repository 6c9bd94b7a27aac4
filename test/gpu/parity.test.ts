/**
 * Real CUDA vs CPU (`npm run test:gpu`): every parity case in test/cuda/cases/ on device 'cuda'.
 * Where the CUDA backend cannot run (no library, no driver, no GPU...) every test is registered as
 * skipped with the reason in its title, so a run without a GPU reports skips, never passes.
 */
import { backends } from '../../lib/backends';
import { loadAddon } from '../../lib/native/load';
import { tidy } from '../../lib/autograd/scope';
import { Rng } from '../harness/rng';
import { compareError, compareSample, loadCases } from '../cuda/cases';

const cuda = backends().find((b) => b.name === 'cuda')!;
const cases = loadCases();
const gpuTestIfAvailable = cuda.available ? test : test.skip;
const skipNoteAll = cuda.available ? '' : ` — skipped: no usable CUDA backend (${cuda.code}: ${cuda.reason})`;
const gpuTest = gpuTestIfAvailable;
const skipNote = skipNoteAll;
// Jest does not list the titles of a fully skipped file, so say why once on stderr as well.
if (!cuda.available) process.stderr.write(`test/gpu/parity.test.ts: every test skipped: ${cuda.code}: ${cuda.reason}\n`);

describe(`CUDA parity with cpu${cuda.available ? ` on ${cuda.detail}` : ''}`, () => {
  gpuTest(`the CUDA library registers every kernel cuda-emu has${skipNote}`, () => {
    const names = new Set(loadAddon().kernelNames(1));
    // emu_selftest tests the cuda-emu models (test/cuda/emu_models.test.ts); it has no GPU kernel.
    expect(loadAddon().kernelNames(2).filter((k) => !names.has(k) && k !== 'emu_selftest')).toEqual([]);
  });

  const cpuKernels = new Set(loadAddon().kernelNames(0));
  for (const c of cases) {
    const gpuTest = cpuKernels.has(c.kernel) ? gpuTestIfAvailable : test.skip;
    const skipNote = cpuKernels.has(c.kernel) ? skipNoteAll : ' — skipped: no CPU kernel in this build yet';
    for (const dtype of c.dtypes) {
      gpuTest(`${c.kernel} [${dtype}] on cuda matches cpu (tol ${c.tol[dtype] ?? 0})${skipNote}`, () => {
        const rng = new Rng(17);
        const problems = tidy(() => c.samples(rng, dtype).flatMap((s) => compareSample(c, s, 'cuda', dtype)));
        expect(problems).toEqual([]);
      });
    }
    if (c.bad) {
      gpuTest(`${c.kernel} on cuda rejects bad inputs like cpu${skipNote}`, () => {
        const rng = new Rng(5);
        const problems = tidy(() => c.bad!(rng).map((s) => compareError(c, s, 'cuda')).filter((p) => p !== null));
        expect(problems).toEqual([]);
      });
    }
  }

  gpuTest(`device memory returns to the cache and emptyCache releases it${skipNote}`, () => {
    const rng = new Rng(3);
    tidy(() => rng.randn([256, 256], 'float32').to('cuda'));
    const s = loadAddon().memoryStats();
    expect(s.cudaCached).toBeGreaterThan(0);
    loadAddon().emptyCache();
    expect(loadAddon().memoryStats().cudaCached).toBe(0);
  });
});
