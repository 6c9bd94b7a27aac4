/**
 * The cuda-emu host models must fail where the GPU would go wrong, not only agree where it goes
 * right (cuda/emu/selftest.cc runs them on purpose-built inputs):
 *   - shared memory (emu::BlockShared): a block twin whose barrier intervals read what another
 *     thread wrote in the same interval gets NaN, so a missing __syncthreads() in a twin shows;
 *   - cuFFT (emu::cufft_exec): the input of a C2R is NaN afterwards, as cuFFT may overwrite it.
 */
import { runOp } from '../../lib/ops/run';
import { tensor } from '../../lib/tensor';
import { EMU } from '../../lib/testing';
import { Rng } from '../harness/rng';

const KBLOCK = 256;

function selftest(x: number[], shape: number[], mode: number): number[][] {
  return runOp('emu_selftest', [tensor(x, shape, { dtype: 'float64', device: EMU })], [mode]).map((t) => Array.from(t.toArray()));
}

describe('cuda-emu models catch GPU hazards', () => {
  const rng = new Rng(11);
  const x = Array.from({ length: KBLOCK }, () => rng.normal());
  const plain = x.reduce((a, b) => a + b, 0);

  test('the block tree sum twin with its barriers sums the block', () => {
    const [[s]] = selftest(x, [KBLOCK], 0);
    expect(Number.isFinite(s)).toBe(true);
    expect(Math.abs(s - plain)).toBeLessThan(1e-12 * KBLOCK);
  });

  test('a twin missing the barrier after the shared store comes out NaN', () => {
    expect(selftest(x, [KBLOCK], 1)[0][0]).toBeNaN();
  });

  test('a twin missing the barrier between two tree steps comes out NaN', () => {
    // Run in one thread order this reads stale partials and returns a wrong number, not NaN.
    expect(selftest(x, [KBLOCK], 2)[0][0]).toBeNaN();
  });

  test('a C2R input is unusable after the transform; the transform itself is right', () => {
    const n = 3;
    const d = 8;
    const v = Array.from({ length: n * d }, () => rng.normal());
    const [y, spec] = selftest(v, [n, d], 3);
    // cuFFT's C2R is unnormalized: irfft(rfft(x)) = d·x.
    for (let i = 0; i < v.length; i++) expect(Math.abs(y[i] - d * v[i])).toBeLessThan(1e-12 * d);
    expect(spec.length).toBe(n * 2 * (d / 2 + 1));
    expect(spec.every((s) => Number.isNaN(s))).toBe(true);
  });

  test('the top-K block merge twin with one level per barrier interval keeps the K largest', () => {
    const v = Array.from({ length: 1000 }, () => rng.normal());
    const [top] = selftest(v, [v.length], 4);
    expect(top).toEqual([...v].sort((a, b) => b - a).slice(0, 4));
  });

  test('a top-K merge running two levels in one barrier interval comes out NaN', () => {
    const v = Array.from({ length: 1000 }, () => rng.normal());
    expect(selftest(v, [v.length], 5)[0].every((s) => Number.isNaN(s))).toBe(true);
  });
});
