/**
 * cuda-emu vs CPU, for every kernel registered on cuda-emu: the CUDA kernels' per-thread bodies
 * (native/ops/<op>.h), run by host launchers, must agree with the CPU kernels within each op's
 * stated tolerance, and reject bad inputs with the CPU's code and message. Cases: test/cuda/cases/.
 */
import { loadAddon } from '../../lib/native/load';
import { tidy } from '../../lib/autograd/scope';
import { Rng } from '../harness/rng';
import { compareError, compareSample, loadCases } from './cases';
import { EMU } from '../../lib/testing';

const cases = loadCases();
// emu_selftest checks the cuda-emu models themselves (test/cuda/emu_models.test.ts), not an op.
const emuKernels = loadAddon().kernelNames(2).filter((k) => k !== 'emu_selftest');
const cpuKernels = new Set(loadAddon().kernelNames(0));

describe('cuda-emu parity with cpu', () => {
  test('every kernel registered on cuda-emu has a parity case, and every case a kernel', () => {
    const caseNames = new Set(cases.map((c) => c.kernel));
    expect(emuKernels.filter((k) => !caseNames.has(k))).toEqual([]);
    expect([...caseNames].filter((k) => !emuKernels.includes(k))).toEqual([]);
  });

  for (const c of cases) {
    // A CUDA twin may land before its op's CPU kernel reaches this branch: nothing to compare yet.
    const test = cpuKernels.has(c.kernel) ? global.test : global.test.skip;
    const note = cpuKernels.has(c.kernel) ? '' : ' — skipped: no CPU kernel in this build yet';
    for (const dtype of c.dtypes) {
      test(`${c.kernel} [${dtype}] matches cpu (tol ${c.tol[dtype] ?? 0}: ${c.why})${note}`, () => {
        const rng = new Rng(17);
        const problems = tidy(() => c.samples(rng, dtype).flatMap((s) => compareSample(c, s, EMU, dtype)));
        expect(problems).toEqual([]);
      });
    }
    if (c.bad) {
      test(`${c.kernel} rejects bad inputs like cpu${note}`, () => {
        const rng = new Rng(5);
        const problems = tidy(() => c.bad!(rng).map((s) => compareError(c, s, EMU)).filter((p) => p !== null));
        expect(problems).toEqual([]);
      });
    }
  }
});
