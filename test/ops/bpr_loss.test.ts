import { bprLoss, gatherRows } from '../../lib/ops';
import { tensor, MmgError, backward } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { gradcheck } from '../harness/gradcheck';
import { npy, json } from '../harness/fixtures';
import { Rng } from '../harness/rng';
import { bprLossRef } from '../reference/bpr_loss';

const VARIANTS = ['logsigmoid', 'lightgcn'] as const;

describe('bpr_loss', () => {
  const rng = new Rng(21);

  test.each(VARIANTS)('forward matches the reference (%s), float32 and float64, incl. one row and d = 1', (variant) => {
    for (const [b, d] of [[1, 1], [1, 64], [7, 3], [300, 64], [2048, 16]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        tidy(() => {
          const [u, p, n] = [rng.randn([b, d], dtype), rng.randn([b, d], dtype), rng.randn([b, d], dtype)];
          const l = bprLoss(u, p, n, { variant });
          expect(l.shape).toEqual([]);
          const ref = bprLossRef(u.toArray(), p.toArray(), n.toArray(), b, d, variant);
          expect(Math.abs(l.item() - ref)).toBeLessThanOrEqual((dtype === 'float32' ? 1e-5 : 1e-12) * Math.max(1, Math.abs(ref)));
        });
      }
    }
  });

  test('logsigmoid is stable for large margins; the lightgcn form saturates at −log(1e-10)', () => {
    tidy(() => {
      const u = tensor([1, 1], [2, 1], { dtype: 'float64' });
      const p = tensor([800, -800], [2, 1], { dtype: 'float64' });
      const n = tensor([0, 0], [2, 1], { dtype: 'float64' });
      // x = 800 → ℓ ≈ 0; x = −800 → ℓ = 800: mean 400, no inf/NaN.
      expect(bprLoss(u, p, n).item()).toBeCloseTo(400, 10);
      expect(bprLoss(u, p, n, { variant: 'lightgcn' }).item()).toBeCloseTo(-Math.log(1e-10) / 2, 8);
      const u32 = tensor([1, 1], [2, 1]);
      expect(bprLoss(u32, tensor([100, -100], [2, 1]), tensor([0, 0], [2, 1])).item()).toBeCloseTo(50, 4);
    });
  });

  test.each(VARIANTS)('backward matches finite differences (%s, float64), incl. repeated rows', (variant) => {
    const u = rng.randn([5, 4], 'float64', true);
    const p = rng.randn([5, 4], 'float64', true);
    const n = rng.randn([5, 4], 'float64', true);
    const r = gradcheck((a, b, c) => bprLoss(a, b, c, { variant }), [u, p, n]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    // The same tensor as user and positive: gradients from both slots accumulate.
    const r2 = gradcheck((a, c) => bprLoss(a, a, c, { variant }), [u, n]);
    expect(r2.ok ? 'ok' : r2).toBe('ok');
    for (const t of [u, p, n]) t.dispose();
  });

  test('backward is stable for large margins (no NaN)', () => {
    const u = tensor([1, 1], [2, 1], { dtype: 'float64', requiresGrad: true });
    const p = tensor([800, -800], [2, 1], { dtype: 'float64', requiresGrad: true });
    const n = tensor([0, 0], [2, 1], { dtype: 'float64' });
    tidy(() => backward(bprLoss(u, p, n)));
    // dℓ/dx = σ(x) − 1: 0 at x = 800, −1 at x = −800; dx/dp = u = 1; mean over 2 rows.
    const gp = p.grad!.toArray();
    expect(Math.abs(gp[0])).toBeLessThan(1e-300);
    expect(gp[1]).toBe(-0.5);
    for (const t of [u, p, n]) t.dispose();
  });

  test('reproduces the fixtures: SMORE (logsigmoid) and LightGCN (1e-10 form) on the final embeddings', () => {
    for (const [model, variant] of [['smore', 'logsigmoid'], ['gume', 'logsigmoid'], ['lightgcn', 'lightgcn']] as const) {
      tidy(() => {
        const users = tensor(npy('tiny', 'batch.users.npy').data as BigInt64Array, [32], { dtype: 'int64' });
        const pos = tensor(npy('tiny', 'batch.pos.npy').data as BigInt64Array, [32], { dtype: 'int64' });
        const neg = tensor(npy('tiny', 'batch.neg.npy').data as BigInt64Array, [32], { dtype: 'int64' });
        const ou = npy(model, 'eval.user_emb.npy');
        const oi = npy(model, 'eval.item_emb.npy');
        const Ou = tensor(ou.data as Float64Array, ou.shape);
        const Oi = tensor(oi.data as Float64Array, oi.shape);
        const l = bprLoss(gatherRows(Ou, users), gatherRows(Oi, pos), gatherRows(Oi, neg), { variant });
        const ref = json<{ bpr: number }>(model, 'losses.json').bpr;
        expect(Math.abs(l.item() - ref) / ref).toBeLessThan(1e-12);
      });
    }
  });

  test('empty batch gives NaN like a mean over nothing', () => {
    tidy(() => {
      const z = tensor(new Float64Array(0), [0, 4]);
      expect(bprLoss(z, z, z).item()).toBeNaN();
    });
  });

  test('wrong shapes, dtypes and variants throw errors naming the op', () => {
    tidy(() => {
      const a = tensor(new Float32Array(6), [2, 3]);
      const b = tensor(new Float32Array(8), [2, 4]);
      expect(() => bprLoss(a, b, a)).toThrow(/^bpr_loss: expected U and P to have the same shape, got \[2, 3\] and \[2, 4\]/);
      const d = tensor(new Float64Array(6), [2, 3]);
      expect(() => bprLoss(a, a, d)).toThrow(/^bpr_loss: expected U and N to share a dtype, got float32 and float64/);
      const i = tensor([1, 2], [2], { dtype: 'int32' });
      expect(() => bprLoss(i, i, i)).toThrow(/^bpr_loss: expected U to be float32 or float64, got int32/);
      const v = tensor(new Float32Array(3), [3]);
      expect(() => bprLoss(v, v, v)).toThrow(/^bpr_loss: expected U to have 2 dimensions/);
      try {
        bprLoss(a, b, a);
      } catch (e) {
        expect((e as MmgError).code).toBe('MMG_E_SHAPE');
      }
      expect(() => bprLoss(a, a, a, { variant: 'nope' as 'lightgcn' })).toThrow(/^bpr_loss: expected variant 'logsigmoid' or 'lightgcn', got 'nope'/);
      expect(bprLoss(a, a, a).item()).toBeCloseTo(Math.log(2), 6);
    });
  });
});
