import { spawnSync } from 'child_process';
import * as path from 'path';
import * as fc from 'fast-check';
import { infonceLoss, gatherRows, scale, sliceRows } from '../../lib/ops';
import * as run from '../../lib/ops/run';
import { runOp } from '../../lib/ops/run';
import { loadAddon } from '../../lib/native/load';
import { tensor, MmgError, backward, noGrad, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { npy, json } from '../harness/fixtures';
import { Rng } from '../harness/rng';
import { expectClose } from '../harness/compare';
import { infonceLossRef } from '../reference/infonce_loss';

describe('infonce_loss', () => {
  const rng = new Rng(31);

  test('forward matches the reference, float32 and float64, incl. one row, block edges and duplicates', () => {
    for (const [b, d] of [[1, 1], [1, 64], [5, 3], [63, 8], [64, 8], [65, 8], [200, 64]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const tau of [0.2, 0.05]) {
          tidy(() => {
            const a = rng.randn([b, d], dtype);
            const x = rng.randn([b, d], dtype);
            const l = infonceLoss(a, x, tau);
            expect(l.shape).toEqual([]);
            const ref = infonceLossRef(a.toArray(), x.toArray(), b, d, tau);
            expect(Math.abs(l.item() - ref)).toBeLessThanOrEqual((dtype === 'float32' ? 1e-5 : 1e-12) * Math.max(1, Math.abs(ref)));
          });
        }
      }
    }
  });

  test('in-batch duplicates are kept: repeated rows are both positives and negatives', () => {
    tidy(() => {
      const base = rng.randn([6, 5]);
      const idx = tensor([0, 1, 1, 2, 0, 5], [6], { dtype: 'int32' });
      const a = gatherRows(base, idx);
      const b = gatherRows(rng.randn([6, 5]), idx);
      expect(Math.abs(infonceLoss(a, b, 0.2).item() - infonceLossRef(a.toArray(), b.toArray(), 6, 5, 0.2))).toBeLessThan(1e-12);
    });
  });

  test('a low temperature does not overflow (max subtraction); the unstabilized reference would', () => {
    tidy(() => {
      const a = rng.randn([9, 4]);
      const l = infonceLoss(a, a, 1e-3).item();
      expect(Number.isFinite(l)).toBe(true);
      expect(l).toBeGreaterThanOrEqual(0);
    });
  });

  test('zero rows are handled like F.normalize (eps 1e-12), with finite gradients', () => {
    const a = tensor([0, 0, 1, 2, 3, 4], [3, 2], { dtype: 'float64', requiresGrad: true });
    const b = tensor([1, 0, 0, 1, 0, 0], [3, 2], { dtype: 'float64', requiresGrad: true });
    tidy(() => {
      const l = infonceLoss(a, b, 0.2);
      expect(Math.abs(l.item() - infonceLossRef(a.toArray(), b.toArray(), 3, 2, 0.2))).toBeLessThan(1e-12);
      backward(l);
    });
    for (const g of [...a.grad!.toArray(), ...b.grad!.toArray()]) expect(Number.isFinite(g)).toBe(true);
    a.dispose();
    b.dispose();
  });

  test('backward matches finite differences (float64), into both arguments and through a shared input', () => {
    const a = rng.randn([7, 4], 'float64', true);
    const b = rng.randn([7, 4], 'float64', true);
    const r = gradcheck((x, y) => infonceLoss(x, y, 0.2), [a, b]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    const r2 = gradcheck((x) => infonceLoss(x, x, 0.5), [a]);
    expect(r2.ok ? 'ok' : r2).toBe('ok');
    a.dispose();
    b.dispose();
  });

  test.each(['full', 'tiled'] as const)('backward across several row blocks (n = 150 > 64, %s path) matches finite differences', (path) => {
    const a = rng.randn([150, 3], 'float64', true);
    const b = rng.randn([150, 3], 'float64', true);
    const r = gradcheck((x, y) => infonceLoss(x, y, 0.3, { backwardPath: path }), [a, b], { atol: 1e-8 });
    expect(r.ok ? 'ok' : r).toBe('ok');
    a.dispose();
    b.dispose();
  });

  test('the full and tiled backward paths agree (float32 and float64, n = 2048)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = rng.randn([2048, 16], dtype, true);
      const b = rng.randn([2048, 16], dtype, true);
      const grads = (['full', 'tiled'] as const).map((path) => {
        tidy(() => backward(infonceLoss(a, b, 0.2, { backwardPath: path })));
        const out = [a.grad!.toArray(), b.grad!.toArray()];
        a.grad!.dispose();
        b.grad!.dispose();
        a.grad = null;
        b.grad = null;
        return out;
      });
      const tol = dtype === 'float32' ? 1e-5 : 1e-12;
      expectClose(grads[1][0], grads[0][0], tol, `dA ${dtype}`);
      expectClose(grads[1][1], grads[0][1], tol, `dB ${dtype}`);
      a.dispose();
      b.dispose();
    }
  });

  test('random shapes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 9 }), fc.double({ min: 0.05, max: 2, noNaN: true }), (n, d, tau) =>
        tidy(() => {
          const a = rng.randn([n, d]);
          const b = rng.randn([n, d]);
          const ref = infonceLossRef(a.toArray(), b.toArray(), n, d, tau);
          return Math.abs(infonceLoss(a, b, tau).item() - ref) <= 1e-11 * Math.max(1, ref);
        }),
      ),
      { numRuns: 30 },
    );
  });

  test('reproduces the SMORE and GUME contrastive terms from the fixtures', () => {
    const idx = (f: string, offset = 0) => {
      const a = npy('tiny', f).data as BigInt64Array;
      return tensor(Array.from(a, (v) => Number(v) + offset), [a.length], { dtype: 'int32' });
    };
    const load = (model: string, f: string) => {
      const a = npy(model, f);
      return tensor(a.data as Float64Array, a.shape);
    };
    tidy(() => {
      const U = 60;
      const s = json<Record<string, number>>('smore', 'losses.json');
      const side = load('smore', 'fwd.S_side.npy');
      const z = load('smore', 'fwd.Z.npy');
      const u = idx('batch.users.npy');
      const p = idx('batch.pos.npy', U);
      const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);
      expect(rel(infonceLoss(gatherRows(side, u), gatherRows(z, u), 0.2).item(), s.nce_users)).toBeLessThan(1e-12);
      expect(rel(infonceLoss(gatherRows(side, p), gatherRows(z, p), 0.2).item(), s.nce_items)).toBeLessThan(1e-12);
      const g = json<Record<string, number>>('gume', 'losses.json');
      const y = load('gume', 'fwd.Y.npy');
      const zg = load('gume', 'fwd.Z.npy');
      const xext = load('gume', 'fwd.X_ext.npy');
      expect(rel(infonceLoss(gatherRows(y, u), gatherRows(zg, u), 0.4).item(), g.nce_bm_users)).toBeLessThan(1e-12);
      expect(rel(infonceLoss(gatherRows(y, p), gatherRows(zg, p), 0.4).item(), g.nce_bm_items)).toBeLessThan(1e-12);
      expect(rel(infonceLoss(gatherRows(xext, u), gatherRows(y, u), 0.1).item(), g.nce_um_c)).toBeLessThan(1e-12);
      // float32 within the fixture README's loss tolerance.
      const side32 = tensor(Float32Array.from(side.toArray()), side.shape);
      const z32 = tensor(Float32Array.from(z.toArray()), z.shape);
      expect(rel(infonceLoss(gatherRows(sliceRows(side32, 0, U), u), gatherRows(sliceRows(z32, 0, U), u), 0.2).item(), s.nce_users)).toBeLessThan(1e-5);
    });
  });

  test('empty batch gives NaN; bad shapes, dtypes and temperatures throw errors naming the op', () => {
    tidy(() => {
      const z = tensor(new Float64Array(0), [0, 4]);
      expect(infonceLoss(z, z, 0.2).item()).toBeNaN();
      const a = tensor(new Float32Array(6), [2, 3]);
      const b = tensor(new Float32Array(6), [3, 2]);
      expect(() => infonceLoss(a, b, 0.2)).toThrow(/^infonce_loss: expected A and B to have the same shape, got \[2, 3\] and \[3, 2\]/);
      expect(() => infonceLoss(a, tensor(new Float64Array(6), [2, 3]), 0.2)).toThrow(/^infonce_loss: expected A and B to share a dtype/);
      for (const tau of [0, -1, NaN, Infinity]) expect(() => infonceLoss(a, a, tau)).toThrow(/^infonce_loss: expected a finite temperature tau > 0/);
      try {
        infonceLoss(a, a, 0);
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_ARG');
      }
      expect(infonceLoss(a, a, 0.2).item()).toBeCloseTo(Math.log(2), 6);
    });
  });

  describe('infonce_loss_grad: the gradients from the forward pass', () => {
    /**
     * Fourth-order central differences of the slow reference in every entry of a and b. The plain
     * two-point difference at h = 1e-6 is too noisy here: the reference sums n² exponentials, and
     * its rounding over h reached 1.5e-7 of the gradient at n = 70 for some inputs (300 seeds
     * tried); this form at h = 1e-4 stayed under 3e-9 on the same inputs.
     */
    function refGrads(a: number[], b: number[], n: number, d: number, tau: number, h = 1e-4): [number[], number[]] {
      const diff = (x: number[], k: number, f: (y: number[]) => number) => {
        const at = (t: number) => {
          const y = x.slice();
          y[k] += t;
          return f(y);
        };
        return (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
      };
      return [
        a.map((_, k) => diff(a, k, (y) => infonceLossRef(y, b, n, d, tau))),
        b.map((_, k) => diff(b, k, (y) => infonceLossRef(a, y, n, d, tau))),
      ];
    }

    test('float64: the loss is infonce_loss\'s and dA, dB are the central differences of the slow reference', () => {
      for (const [n, d, tau] of [[1, 3, 0.2], [5, 3, 0.2], [70, 4, 0.5], [9, 2, 0.05]]) {
        tidy(() => {
          const a = rng.randn([n, d], 'float64');
          const b = rng.randn([n, d], 'float64');
          const [l, dA, dB] = runOp('infonce_loss_grad', [a, b], [tau]);
          expect(l.item()).toBe(runOp('infonce_loss', [a, b], [tau])[0].item());
          expect([dA.shape, dB.shape]).toEqual([[n, d], [n, d]]);
          const [ra, rb] = refGrads(a.toArray(), b.toArray(), n, d, tau);
          expectClose(dA, ra, 1e-7, `dA [${n}, ${d}]`);
          expectClose(dB, rb, 1e-7, `dB [${n}, ${d}]`);
        });
      }
    });

    /** a.grad, b.grad after backward(scale(loss, 1.7)), for one backward path. */
    function gradsVia(a: Tensor, b: Tensor, tau: number, path?: 'full' | 'tiled'): number[][] {
      tidy(() => backward(scale(infonceLoss(a, b, tau, path ? { backwardPath: path } : {}), 1.7)));
      const out = [a, b].map((x) => (x.grad ? x.grad.toArray() : []));
      for (const x of [a, b]) {
        x.grad?.dispose();
        x.grad = null;
      }
      return out;
    }

    test('agrees with the separate backward (g = 1.7), over uneven block groups and at SMORE\'s n = 2048', () => {
      // 700 rows: 11 blocks of 64 in 8 groups; 2048: 32 blocks, 4 per group.
      for (const [n, d] of [[700, 8], [2048, 64]])
        for (const dtype of ['float32', 'float64'] as const) {
          const a = rng.randn([n, d], dtype, true);
          const b = rng.randn([n, d], dtype, true);
          const [fa, fb] = gradsVia(a, b, 0.2);
          const [sa, sb] = gradsVia(a, b, 0.2, 'full');
          // float32: the separate backward's P = exp(s − lse) sees lse rounded to float32.
          const tol = dtype === 'float32' ? 2e-5 : 1e-12;
          expectClose(fa, sa, tol, `dA [${n}, ${d}] ${dtype}`);
          expectClose(fb, sb, tol, `dB [${n}, ${d}] ${dtype}`);
          a.dispose();
          b.dispose();
        }
    });

    test('gradients into one argument only, and through a shared input, match finite differences', () => {
      const a = rng.randn([150, 3], 'float64', true);
      const b = rng.randn([150, 3], 'float64');
      const r = gradcheck((x) => infonceLoss(x, b, 0.3), [a], { atol: 1e-8 });
      expect(r.ok ? 'ok' : r).toBe('ok');
      const r2 = gradcheck((x) => infonceLoss(x, x, 0.3), [a], { atol: 1e-8 });
      expect(r2.ok ? 'ok' : r2).toBe('ok');
      expect(gradsVia(b, a, 0.3)[0]).toEqual([]);
      a.dispose();
      b.dispose();
    });

    test('the same bits on 1, 2 and 3 threads', () => {
      const addon = loadAddon();
      const prev = addon.numThreads();
      tidy(() => {
        const a = rng.randn([700, 16], 'float32');
        const b = rng.randn([700, 16], 'float32');
        try {
          const outs = [1, 2, 3].map((t) => {
            addon.setNumThreads(t);
            return runOp('infonce_loss_grad', [a, b], [0.1]).map((x) => Array.from(x.toArray()));
          });
          expect(outs[1]).toEqual(outs[0]);
          expect(outs[2]).toEqual(outs[0]);
        } finally {
          addon.setNumThreads(prev);
        }
      });
    });

    // The float32 register-tile path (native/ops/infonce_loss_tile.inc, on CPUs with AVX2+FMA) against
    // the float64 path on the same (float32-rounded) inputs and against the float32 general-gemm path
    // (attr impl = 1). [n, d, τ]: one row; n < 64; n off the 64-row block, the 48 (16)-column K1
    // panel and the 5-row tiles; d = 1, 2, off whole vectors (17, 33, 100: a partial last vector
    // and, at 100, tiles of every width), 64 and 48; a low temperature.
    test('float32 (the tile path) agrees with float64 and with the general-gemm path at edge sizes', () => {
      const cases = [[1, 1, 0.2], [5, 3, 0.2], [63, 17, 0.1], [64, 64, 0.2], [65, 100, 0.5], [130, 1, 0.2], [131, 2, 0.2],
        [333, 64, 0.05], [700, 33, 0.2], [1000, 48, 0.2], [2048, 64, 0.2]];
      for (const [n, d, tau] of cases) {
        tidy(() => {
          const a = rng.randn([n, d], 'float32');
          const b = rng.randn([n, d], 'float32');
          const wide = (x: Tensor) => tensor(Float64Array.from(x.toArray()), [n, d]);
          const [l, dA, dB] = runOp('infonce_loss_grad', [a, b], [tau]);
          const [l64, dA64, dB64] = runOp('infonce_loss_grad', [wide(a), wide(b)], [tau]);
          const [lg, dAg, dBg] = runOp('infonce_loss_grad', [a, b], [tau, 1]);
          const what = `[${n}, ${d}] tau ${tau}`;
          expect(Math.abs(l.item() - l64.item())).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(l64.item())));
          expect(Math.abs(l.item() - lg.item())).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(lg.item())));
          expectClose(dA, dA64.toArray(), 2e-5, `dA vs float64 ${what}`);
          expectClose(dB, dB64.toArray(), 2e-5, `dB vs float64 ${what}`);
          expectClose(dA, dAg.toArray(), 2e-5, `dA vs general ${what}`);
          expectClose(dB, dBg.toArray(), 2e-5, `dB vs general ${what}`);
        });
      }
    });

    test('float32: the same bits on 1 and 2 threads and in the AVX2 and AVX-512 copies of the tile path', () => {
      const root = path.resolve(__dirname, '..', '..');
      // Prints a hash of the tile path's outputs (impl 0) and one of the general path's (impl 1).
      const script = `
        const { tensor } = require(${JSON.stringify(path.join(root, 'dist/lib'))});
        const { runOp } = require(${JSON.stringify(path.join(root, 'dist/lib/ops/run'))});
        const { Rng } = require(${JSON.stringify(path.join(root, 'dist/test/harness/rng'))});
        const rng = new Rng(12);
        const data = [[700, 17], [2048, 64], [130, 100], [63, 5]].map(([n, d]) => [rng.randn([n, d], 'float32'), rng.randn([n, d], 'float32')]);
        const hash = (impl) => {
          const h = require('crypto').createHash('sha256');
          for (const [a, b] of data)
            for (const t of runOp('infonce_loss_grad', [a, b], [0.1, impl])) h.update(Buffer.from(Float32Array.from(t.toArray()).buffer));
          return h.digest('hex');
        };
        process.stdout.write(JSON.stringify([hash(0), hash(1)]));`;
      const run = (env: Record<string, string>): [string, string] => {
        const e: NodeJS.ProcessEnv = { ...process.env, MMGRAPH_QUIET: '1', ...env };
        if (!('MMGRAPH_MAX_SIMD' in env)) delete e.MMGRAPH_MAX_SIMD;
        const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: e });
        expect(res.stderr).toBe('');
        return JSON.parse(res.stdout) as [string, string];
      };
      const [tile, general] = run({ MMGRAPH_NUM_THREADS: '2' });
      expect(tile).toMatch(/^[0-9a-f]{64}$/);
      expect(run({ MMGRAPH_NUM_THREADS: '1' })[0]).toBe(tile);
      const features = loadAddon().buildInfo.cpuFeatures;
      if (/\bavx2\b/.test(features) && /\bfma\b/.test(features)) {
        // The tile path runs here (its sums run in another order than the general gemm's).
        expect(tile).not.toBe(general);
        expect(run({ MMGRAPH_NUM_THREADS: '2', MMGRAPH_MAX_SIMD: 'avx2' })[0]).toBe(tile);
        expect(run({ MMGRAPH_NUM_THREADS: '1', MMGRAPH_MAX_SIMD: 'avx2' })[0]).toBe(tile);
      }
      // Without AVX2+FMA, float32 takes the general path.
      const [tileBase, generalBase] = run({ MMGRAPH_NUM_THREADS: '2', MMGRAPH_MAX_SIMD: 'baseline' });
      expect(tileBase).toBe(generalBase);
    });

    test('runs only when a gradient will be needed: not under noGrad, nor for inputs that need none', () => {
      const spy = jest.spyOn(run, 'runOp');
      try {
        tidy(() => {
          const a = rng.randn([6, 3], 'float64', true);
          const b = rng.randn([6, 3], 'float64');
          const kernels = (f: () => Tensor) => {
            spy.mockClear();
            f();
            return spy.mock.calls.map((c) => c[0]);
          };
          expect(kernels(() => infonceLoss(a, b, 0.2))).toEqual(['infonce_loss_grad']);
          expect(kernels(() => noGrad(() => infonceLoss(a, b, 0.2)))).toEqual(['infonce_loss']);
          expect(kernels(() => infonceLoss(b, b, 0.2))).toEqual(['infonce_loss']);
          expect(kernels(() => infonceLoss(a, b, 0.2, { backwardPath: 'tiled' }))).toEqual(['infonce_loss']);
          expect(noGrad(() => infonceLoss(a, b, 0.2)).gradNode).toBeFalsy();
        });
      } finally {
        spy.mockRestore();
      }
    });

    test('empty inputs and bad inputs: NaN loss, errors naming the op', () => {
      tidy(() => {
        const [l, dA, dB] = runOp('infonce_loss_grad', [tensor(new Float64Array(0), [0, 4]), tensor(new Float64Array(0), [0, 4])], [0.2]);
        expect(l.item()).toBeNaN();
        expect([dA.shape, dB.shape]).toEqual([[0, 4], [0, 4]]);
        const [l0, dA0] = runOp('infonce_loss_grad', [tensor(new Float32Array(0), [3, 0]), tensor(new Float32Array(0), [3, 0])], [0.2]);
        expect(l0.item()).toBeCloseTo(Math.log(3), 6);
        expect(dA0.shape).toEqual([3, 0]);
        const a = tensor(new Float32Array(6), [2, 3], { requiresGrad: true });
        const b = tensor(new Float32Array(6), [3, 2]);
        expect(() => infonceLoss(a, b, 0.2)).toThrow(/^infonce_loss_grad: expected A and B to have the same shape, got \[2, 3\] and \[3, 2\]/);
        expect(() => infonceLoss(a, a, NaN)).toThrow(/^infonce_loss_grad: expected a finite temperature tau > 0/);
        expect(() => runOp('infonce_loss_grad', [a], [0.2])).toThrow(/^infonce_loss_grad: /);
        expect(() => runOp('infonce_loss_grad', [a, a], [0.2, 2])).toThrow(/^infonce_loss_grad: expected impl 0 \(auto\) or 1 \(general gemm\), got 2/);
        a.dispose();
      });
    });
  });
});
