import { anchorInfonce, infonceLoss } from '../../lib/ops';
import { tensor, backward, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { Rng } from '../harness/rng';
import { expectClose } from '../harness/compare';
import { expectMmgError } from '../harness/op_cases';
import { anchorInfonceRef } from '../reference/anchor_infonce';

/** Runs backward on f() and returns the leaves' gradients (null where none), clearing them. */
function grads(f: () => Tensor, leaves: Tensor[]): Array<number[] | null> {
  tidy(() => backward(f()));
  return leaves.map((x) => {
    const g = x.grad ? x.grad.toArray() : null;
    x.grad?.dispose();
    x.grad = null;
    return g;
  });
}

describe('anchor_infonce', () => {
  const rng = new Rng(61);

  test('forward matches the reference in float32 and float64: one row, block edges, M = 1, 2, 3', () => {
    for (const [n, d] of [[1, 1], [1, 16], [5, 3], [63, 8], [64, 8], [65, 8], [130, 16]])
      for (const M of [1, 2, 3])
        for (const dtype of ['float32', 'float64'] as const)
          for (const tau of [0.2, 0.5])
            tidy(() => {
              const a = rng.randn([n, d], dtype);
              const views = Array.from({ length: M }, () => rng.randn([n, d], dtype));
              const l = anchorInfonce(a, views, tau);
              expect(l.shape).toEqual([]);
              expect(l.dtype).toBe(dtype);
              const ref = anchorInfonceRef(a.toArray(), views.map((v) => v.toArray()), n, d, tau);
              const tol = dtype === 'float32' ? 1e-5 : 1e-12;
              expect(Math.abs(l.item() - ref)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(ref)));
            });
  });

  test('with one view it is infonceLoss(anchor, view): loss and both gradients', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = rng.randn([70, 6], dtype, true);
      const v = rng.randn([70, 6], dtype, true);
      let la = 0;
      let li = 0;
      const ga = grads(() => {
        const l = anchorInfonce(a, [v], 0.2);
        la = l.item();
        return l;
      }, [a, v]);
      const gi = grads(() => {
        const l = infonceLoss(a, v, 0.2);
        li = l.item();
        return l;
      }, [a, v]);
      const tol = dtype === 'float32' ? 1e-5 : 1e-13;
      expect(Math.abs(la - li)).toBeLessThanOrEqual(tol * Math.abs(li));
      expectClose(ga[0]!, gi[0]!, tol, `dAnchor ${dtype}`);
      expectClose(ga[1]!, gi[1]!, tol, `dView ${dtype}`);
      a.dispose();
      v.dispose();
    }
  });

  test('a high temperature makes every logit equal: the loss tends to log(n·M)', () => {
    tidy(() => {
      const x = rng.randn([12, 5]);
      for (const M of [1, 2, 4]) {
        const views = Array.from({ length: M }, () => x);
        expect(Math.abs(anchorInfonce(x, views, 1e7).item() - Math.log(12 * M))).toBeLessThan(1e-6);
        // Lower temperatures separate the identical positives from the negatives.
        expect(anchorInfonce(x, views, 0.1).item()).toBeLessThan(Math.log(12 * M) - 1);
      }
    });
  });

  test('a low temperature does not overflow (max subtraction); zero rows follow F.normalize', () => {
    tidy(() => {
      const a = rng.randn([9, 4]);
      const l = anchorInfonce(a, [a, rng.randn([9, 4])], 1e-3).item();
      expect(Number.isFinite(l)).toBe(true);
      const z = tensor([0, 0, 1, 2, 3, 4], [3, 2], { dtype: 'float64', requiresGrad: true });
      const w = tensor([1, 0, 0, 1, 0, 0], [3, 2], { dtype: 'float64', requiresGrad: true });
      const lz = anchorInfonce(z, [w, z], 0.2);
      expect(Math.abs(lz.item() - anchorInfonceRef(z.toArray(), [w.toArray(), z.toArray()], 3, 2, 0.2))).toBeLessThan(1e-12);
      backward(lz);
      for (const g of [...z.grad!.toArray(), ...w.grad!.toArray()]) expect(Number.isFinite(g)).toBe(true);
      z.grad!.dispose();
      w.grad!.dispose();
      z.dispose();
      w.dispose();
    });
  });

  test('backward matches finite differences (float64): anchor and every view, shared inputs', () => {
    const a = rng.randn([7, 4], 'float64', true);
    const v1 = rng.randn([7, 4], 'float64', true);
    const v2 = rng.randn([7, 4], 'float64', true);
    const r = gradcheck((x, y, z) => anchorInfonce(x, [y, z], 0.2), [a, v1, v2]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    const r1 = gradcheck((x, y) => anchorInfonce(x, [y], 0.5), [a, v1]);
    expect(r1.ok ? 'ok' : r1).toBe('ok');
    // One tensor as the anchor and as two of the views.
    const r2 = gradcheck((x, y) => anchorInfonce(x, [x, y, x], 0.3), [a, v1]);
    expect(r2.ok ? 'ok' : r2).toBe('ok');
    for (const t of [a, v1, v2]) t.dispose();
  });

  test.each(['full', 'tiled'] as const)('backward across row blocks (n = 70, M = 2: 140 view rows, %s path) matches finite differences', (path) => {
    const a = rng.randn([70, 3], 'float64', true);
    const v1 = rng.randn([70, 3], 'float64', true);
    const v2 = rng.randn([70, 3], 'float64', true);
    const r = gradcheck((x, y, z) => anchorInfonce(x, [y, z], 0.3, { backwardPath: path }), [a, v1, v2], { atol: 1e-8 });
    expect(r.ok ? 'ok' : r).toBe('ok');
    for (const t of [a, v1, v2]) t.dispose();
  });

  test('the full and tiled backward paths agree (float32 and float64, n = 600, M = 3)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const leaves = [rng.randn([600, 16], dtype, true), rng.randn([600, 16], dtype, true), rng.randn([600, 16], dtype, true), rng.randn([600, 16], dtype, true)];
      const [a, ...views] = leaves;
      const full = grads(() => anchorInfonce(a, views, 0.2, { backwardPath: 'full' }), leaves);
      const tiled = grads(() => anchorInfonce(a, views, 0.2, { backwardPath: 'tiled' }), leaves);
      const tol = dtype === 'float32' ? 2e-5 : 1e-12;
      full.forEach((g, k) => expectClose(tiled[k]!, g!, tol, `input ${k} ${dtype}`));
      leaves.forEach((t) => t.dispose());
    }
  });

  test('stopGradAnchor: no gradient into the anchor, the views get the same gradients as without it', () => {
    const a = rng.randn([20, 5], 'float64', true);
    const v1 = rng.randn([20, 5], 'float64', true);
    const v2 = rng.randn([20, 5], 'float64', true);
    const plain = grads(() => anchorInfonce(a, [v1, v2], 0.2), [a, v1, v2]);
    const stopped = grads(() => anchorInfonce(a, [v1, v2], 0.2, { stopGradAnchor: true }), [a, v1, v2]);
    expect(plain[0]).not.toBeNull();
    expect(stopped[0]).toBeNull();
    expectClose(stopped[1]!, plain[1]!, 1e-15, 'view 0');
    expectClose(stopped[2]!, plain[2]!, 1e-15, 'view 1');
    const r = gradcheck((y, z) => anchorInfonce(a, [y, z], 0.2, { stopGradAnchor: true }), [v1, v2]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    // Only the anchor needs a gradient: its gradient matches the unstopped one.
    v1.requiresGrad = false;
    v2.requiresGrad = false;
    const onlyA = grads(() => anchorInfonce(a, [v1, v2], 0.2), [a]);
    expectClose(onlyA[0]!, plain[0]!, 1e-15, 'anchor alone');
    for (const t of [a, v1, v2]) t.dispose();
  });

  test('empty batch gives NaN; bad views, shapes, dtypes and temperatures throw errors naming the op', () => {
    tidy(() => {
      const z = tensor(new Float64Array(0), [0, 4]);
      expect(anchorInfonce(z, [z, z], 0.2).item()).toBeNaN();
      const a = tensor(new Float32Array(6), [2, 3]);
      expectMmgError(() => anchorInfonce(a, [], 0.2), /^anchor_infonce: expected at least one view, got an empty list/, 'MMG_E_ARG');
      expectMmgError(
        () => anchorInfonce(a, [a, tensor(new Float32Array(6), [3, 2])], 0.2),
        /^anchor_infonce: expected anchor and views\[1\] to have the same shape, got \[2, 3\] and \[3, 2\]/,
        'MMG_E_SHAPE',
      );
      expectMmgError(() => anchorInfonce(a, [tensor(new Float64Array(6), [2, 3])], 0.2), /^anchor_infonce: expected anchor and views\[0\] to share a dtype/, 'MMG_E_DTYPE');
      expectMmgError(() => anchorInfonce(tensor(new Float32Array(6), [6]), [tensor(new Float32Array(6), [6])], 0.2), /^anchor_infonce: expected anchor to have 2 dimensions/, 'MMG_E_SHAPE');
      expectMmgError(() => anchorInfonce(tensor([1, 2], [1, 2], { dtype: 'int32' }), [tensor([1, 2], [1, 2], { dtype: 'int32' })], 0.2), /^anchor_infonce: expected anchor to be float32 or float64/, 'MMG_E_DTYPE');
      for (const tau of [0, -1, NaN, Infinity]) expectMmgError(() => anchorInfonce(a, [a], tau), /^anchor_infonce: expected a finite temperature tau > 0/, 'MMG_E_ARG');
      // Two identical all-zero rows per view: every logit is 0, so L = log(n·M).
      expect(anchorInfonce(a, [a, a], 0.2).item()).toBeCloseTo(Math.log(4), 6);
    });
  });
});
