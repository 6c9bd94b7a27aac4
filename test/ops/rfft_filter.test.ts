import { spectralFilter, spectralFusion } from '../../lib/ops';
import { tensor, MmgError, backward, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { expectClose, scaledError } from '../harness/compare';
import { npy } from '../harness/fixtures';
import { Rng } from '../harness/rng';
import { spectralFilterRef, spectralFusionRef } from '../reference/rfft_filter';

const load = (f: string, dtype: 'float32' | 'float64' = 'float64', requiresGrad = false): Tensor => {
  const a = npy('smore', f);
  return tensor(dtype === 'float64' ? (a.data as Float64Array) : Float32Array.from(a.data as Float64Array), a.shape, { requiresGrad });
};

describe('rfft_filter (spectralFilter, spectralFusion)', () => {
  const rng = new Rng(81);

  test('forward matches the DFT reference for d in {2, 4, 6, 64}, float32 and float64, incl. one row and no rows', () => {
    for (const [n, d] of [[1, 2], [3, 4], [5, 6], [1, 64], [37, 64], [0, 64]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        tidy(() => {
          const k = d / 2 + 1;
          const p = rng.randn([n, d], dtype);
          const q = rng.randn([n, d], dtype);
          const w = rng.randn([1, k, 2], dtype);
          const tol = dtype === 'float32' ? 1e-5 : 1e-12;
          const c = spectralFilter(p, w);
          expect(c.shape).toEqual([n, d]);
          expectClose(c, spectralFilterRef(p.toArray(), n, d, w.toArray()), tol, `filter ${n}x${d} ${dtype}`);
          const f = spectralFusion(p, q, tensor(w.toArray(), [k, 2], { dtype }));
          expectClose(f, spectralFusionRef(p.toArray(), q.toArray(), n, d, w.toArray()), tol, `fusion ${n}x${d} ${dtype}`);
        });
      }
    }
  });

  test('the imaginary parts of bins 0 and d/2 have no effect on the output', () => {
    tidy(() => {
      const p = rng.randn([4, 8]);
      const w = rng.randn([5, 2]);
      const w2 = w.toArray();
      w2[1] += 3;
      w2[9] -= 7;
      expect(spectralFilter(p, tensor(w2, [5, 2], { dtype: 'float64' })).toArray()).toEqual(spectralFilter(p, w).toArray());
      expect(spectralFusion(p, p, tensor(w2, [5, 2], { dtype: 'float64' })).toArray()).toEqual(spectralFusion(p, p, w).toArray());
    });
  });

  test('reproduces the SMORE fixture C_v, C_t, C_f (float64 to 1e-9, float32 to 1e-5 per tensor)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      tidy(() => {
        const pv = load('fwd.P_v.npy', dtype);
        const pt = load('fwd.P_t.npy', dtype);
        const tol = dtype === 'float64' ? 1e-9 : 1e-5;
        const check = (got: Tensor, f: string) => {
          const err = scaledError(got.toArray(), npy('smore', f).data as Float64Array);
          expect(`${f} ${dtype} ${err <= tol ? 'ok' : err}`).toBe(`${f} ${dtype} ok`);
        };
        check(spectralFilter(pv, load('image_complex_weight.npy', dtype)), 'fwd.C_v.npy');
        check(spectralFilter(pt, load('text_complex_weight.npy', dtype)), 'fwd.C_t.npy');
        check(spectralFusion(pv, pt, load('fusion_complex_weight.npy', dtype)), 'fwd.C_f.npy');
      });
    }
  });

  test('backward matches finite differences (float64) into P and w, and into both inputs for fusion', () => {
    for (const d of [2, 6, 64]) {
      const k = d / 2 + 1;
      const n = d === 64 ? 2 : 3;
      const p = rng.randn([n, d], 'float64', true);
      const q = rng.randn([n, d], 'float64', true);
      const w = rng.randn([1, k, 2], 'float64', true);
      const r1 = gradcheck((a, b) => spectralFilter(a, b), [p, w]);
      expect(r1.ok ? 'ok' : r1).toBe('ok');
      const r2 = gradcheck((a, b, c) => spectralFusion(a, b, c), [p, q, w]);
      expect(r2.ok ? 'ok' : r2).toBe('ok');
      const r3 = gradcheck((a, c) => spectralFusion(a, a, c), [p, w]);
      expect(r3.ok ? 'ok' : r3).toBe('ok');
      for (const t of [p, q, w]) t.dispose();
    }
  });

  test('the gradient of the imaginary parts of bins 0 and 32 is exactly 0 (as in the fixture grads)', () => {
    for (const f of ['image', 'text', 'fusion']) {
      const g = npy('smore', `grad.${f}_complex_weight.npy`).data as Float64Array;
      expect([g[1], g[65]]).toEqual([0, 0]);
      expect(g[3]).not.toBe(0);
    }
    for (const dtype of ['float64', 'float32'] as const) {
      const w1 = load('image_complex_weight.npy', dtype, true);
      const w2 = load('fusion_complex_weight.npy', dtype, true);
      tidy(() => {
        const pv = load('fwd.P_v.npy', dtype);
        const pt = load('fwd.P_t.npy', dtype);
        const c = spectralFilter(pv, w1);
        const f = spectralFusion(pv, pt, w2);
        backward(c, rng.randn([40, 64], dtype));
        backward(f, rng.randn([40, 64], dtype));
      });
      for (const w of [w1, w2]) {
        const g = w.grad!.toArray();
        expect([g[1], g[65]]).toEqual([0, 0]);
        expect(g[0] !== 0 && g[64] !== 0 && g[3] !== 0).toBe(true);
        w.dispose();
      }
    }
  });

  test('bad shapes, odd d and dtypes throw errors naming the op', () => {
    tidy(() => {
      const p = tensor(new Float64Array(12), [2, 6]);
      expect(() => spectralFilter(p, tensor(new Float64Array(6), [3, 2]))).toThrow(
        /^rfft_filter: expected w of shape \[1, 4, 2\] or \[4, 2\] for d = 6, got \[3, 2\]/,
      );
      expect(() => spectralFilter(tensor(new Float64Array(10), [2, 5]), tensor(new Float64Array(6), [3, 2]))).toThrow(
        /^rfft_filter: expected an even feature length d >= 2 \(P \[n, d\]\), got \[2, 5\]/,
      );
      expect(() => spectralFilter(p, tensor(new Float32Array(8), [4, 2]))).toThrow(/^rfft_filter: expected P and w to share a dtype/);
      expect(() => spectralFusion(p, tensor(new Float64Array(6), [1, 6]), tensor(new Float64Array(8), [4, 2]))).toThrow(
        /^rfft_filter_fusion: expected Pv and Pt to have the same shape, got \[2, 6\] and \[1, 6\]/,
      );
      try {
        spectralFilter(p, tensor(new Float64Array(6), [3, 2]));
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_SHAPE');
      }
    });
  });
});
