import { Adam } from '../../lib/optim/adam';
import { tensor, MmgError, backward, type Tensor } from '../../lib';
import { runOp } from '../../lib/ops/run';
import { matmul } from '../../lib/ops';
import { tidy } from '../../lib/autograd/scope';
import { npy, json } from '../harness/fixtures';
import { Rng } from '../harness/rng';
import { deviceCounters } from '../../lib/backends';
import { adamStepRef, type AdamRefState } from '../reference/adam';
import { EMU } from '../../lib/testing';
import type { Device } from '../../lib/tensor';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
}

describe('adam', () => {
  const rng = new Rng(101);

  test('several steps match the reference (float64 and float32), with and without weight decay', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [lr, b1, b2, eps, wd] of [[1e-3, 0.9, 0.999, 1e-8, 0], [0.05, 0.3, 0.5, 1e-6, 0.01], [0.01, 0, 0.99, 0, 0.1]]) {
        const p = rng.randn([7, 3], dtype, true);
        const opt = new Adam([p], { lr, betas: [b1, b2], eps, weightDecay: wd });
        let ref: AdamRefState = { p: p.toArray(), m: new Array(21).fill(0), v: new Array(21).fill(0) };
        for (let t = 1; t <= 5; t++) {
          const g = rng.normals(21);
          p.grad = tensor(g, [7, 3], { dtype });
          opt.step();
          opt.zeroGrad();
          ref = adamStepRef(ref, dtype === 'float32' ? Array.from(Float32Array.from(g)) : g, t, lr, b1, b2, eps, wd);
        }
        expect(maxAbsDiff(p.toArray(), ref.p)).toBeLessThan(dtype === 'float64' ? 1e-14 : 2e-6);
        opt.dispose();
        p.dispose();
      }
    }
  });

  test('one step from the initial parameters reproduces after_step.* for every SMORE, GUME and LightGCN parameter (1e-6 abs)', () => {
    for (const model of ['smore', 'gume', 'lightgcn']) {
      const meta = json<{ order: string[]; params: Record<string, { shape: number[] }>; aliases?: Record<string, string> }>(model, 'params.json');
      const keys = Object.keys(meta.params).filter((k) => !(meta.aliases && k in meta.aliases));
      expect(keys.length).toBeGreaterThan(1);
      const params: Tensor[] = keys.map((k) => {
        const a = npy(model, `${k}.npy`);
        const p = tensor(a.data as Float64Array, a.shape, { requiresGrad: true, name: k });
        p.grad = tensor(npy(model, `grad.${k}.npy`).data as Float64Array, a.shape);
        return p;
      });
      const opt = new Adam(params, { lr: 0.001 });
      opt.step();
      keys.forEach((k, i) => {
        const err = maxAbsDiff(params[i].toArray(), npy(model, `after_step.${k}.npy`).data as Float64Array);
        expect(`${model} ${k} ${err <= 1e-6 ? 'ok' : err}`).toBe(`${model} ${k} ok`);
      });
      opt.dispose();
      for (const p of params) p.dispose();
    }
  });

  test('parameters without a gradient are skipped and keep their own step count (like PyTorch)', () => {
    const a = tensor([1, 2], [2], { dtype: 'float64', requiresGrad: true });
    const b = tensor([3, 4], [2], { dtype: 'float64', requiresGrad: true });
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = tensor([1, -1], [2], { dtype: 'float64' });
    opt.step();
    expect(b.toArray()).toEqual([3, 4]);
    expect(opt.stateDict().step).toEqual([1, 0]);
    // First step moves by lr·sign(g).
    expect(a.toArray().map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.9, 2.1]);
    opt.dispose();
    a.dispose();
    b.dispose();
  });

  test('stateDict / loadStateDict resume exactly; setLr takes effect; state survives tidy', () => {
    const g1 = rng.normals(6);
    const g2 = rng.normals(6);
    const p0 = rng.normals(6);
    const run = (split: boolean) => {
      const p = tensor(p0, [2, 3], { dtype: 'float64', requiresGrad: true });
      let opt = new Adam([p], { lr: 0.01 });
      tidy(() => {
        p.grad = tensor(g1, [2, 3], { dtype: 'float64' });
        opt.step();
        opt.zeroGrad();
      });
      if (split) {
        const s = opt.stateDict();
        opt.dispose();
        opt = new Adam([p], { lr: 0.5 });
        opt.loadStateDict(s);
        for (const t of [...s.m, ...s.v]) t?.dispose();
      }
      opt.setLr(0.02);
      p.grad = tensor(g2, [2, 3], { dtype: 'float64' });
      opt.step();
      const out = p.toArray();
      opt.dispose();
      p.dispose();
      return out;
    };
    const straight = run(false);
    expect(run(true)).toEqual(straight);
    let ref: AdamRefState = { p: p0, m: new Array(6).fill(0), v: new Array(6).fill(0) };
    ref = adamStepRef(ref, g1, 1, 0.01);
    ref = adamStepRef(ref, g2, 2, 0.02);
    expect(maxAbsDiff(straight, ref.p)).toBeLessThan(1e-15);
  });

  test('end to end: minimizes a quadratic through autograd', () => {
    const x = tensor([5, -3], [1, 2], { dtype: 'float64', requiresGrad: true });
    const opt = new Adam([x], { lr: 0.1 });
    for (let i = 0; i < 300; i++) {
      tidy(() => backward(matmul(x, x, { transB: true })));
      opt.step();
      opt.zeroGrad();
    }
    expect(Math.max(...x.toArray().map(Math.abs))).toBeLessThan(0.05);
    opt.dispose();
    x.dispose();
  });

  test('bad attributes, shapes and dtypes throw errors naming the op', () => {
    tidy(() => {
      const p = tensor([1, 2], [2], { dtype: 'float64' });
      const g = tensor([1, 2], [2], { dtype: 'float64' });
      const m = tensor([0, 0], [2], { dtype: 'float64' });
      const v = tensor([0, 0], [2], { dtype: 'float64' });
      const ok = [1e-3, 0.9, 0.999, 1e-8, 0, 1];
      const withAttr = (i: number, x: number) => ok.map((a, j) => (j === i ? x : a));
      expect(() => runOp('adam', [p, g, m, v], withAttr(5, 0))).toThrow(/^adam: expected step >= 1 \(1-based\), got 0/);
      expect(() => runOp('adam', [p, g, m, v], withAttr(1, 1))).toThrow(/^adam: expected beta1 in \[0, 1\), got 1/);
      expect(() => runOp('adam', [p, g, m, v], withAttr(0, -1))).toThrow(/^adam: expected a learning rate >= 0, got -1/);
      expect(() => runOp('adam', [p, tensor([1, 2, 3], [3], { dtype: 'float64' }), m, v], ok)).toThrow(
        /^adam: expected param and grad to have the same shape, got \[2\] and \[3\]/,
      );
      expect(() => runOp('adam', [p, tensor([1, 2], [2]), m, v], ok)).toThrow(/^adam: expected param and grad to share a dtype, got float64 and float32/);
      // The kernel declares the four arrays non-aliasing (for vectorization), so the same memory twice is refused.
      expect(() => runOp('adam', [p, g, m, m], ok)).toThrow(/^adam: expected m and v to be distinct tensors, got the same memory twice/);
      expect(() => runOp('adam', [p, p, m, v], ok)).toThrow(/^adam: expected param and grad to be distinct tensors/);
      expect(() => new Adam([], { lr: -1 })).toThrow(/^adam: expected a learning rate >= 0, got -1/);
      expect(() => new Adam([], { betas: [0.9, 1] })).toThrow(MmgError);
      const opt = new Adam([p]);
      expect(() => opt.loadStateDict({ ...opt.stateDict(), step: [] })).toThrow(/^adam.loadStateDict: expected state for 1 parameters, got 0/);
      expect(() =>
        opt.loadStateDict({ ...opt.stateDict(), step: [1], m: [tensor([0, 0, 0], [3], { dtype: 'float64' })], v: [null] }),
      ).toThrow(/^adam.loadStateDict: expected m\[0\] of shape \[2\] float64, got \[3\] float64/);
    });
  });

  describe('adam_multi (several tensors in one call)', () => {
    const hyper = [0.01, 0.9, 0.999, 1e-8, 0.01];
    const groups = (dtype: 'float32' | 'float64', device: Device, shapes: number[][]) =>
      shapes.map((s) => {
        const n = s.reduce((a, b) => a * b, 1);
        return [rng.normals(n), rng.normals(n), rng.normals(n), rng.normals(n).map((x) => x * x)].map((v) => tensor(v, s, { dtype, device }));
      });

    test('equals one adam call per tensor bit for bit (per-tensor steps, an empty tensor, 40 tensors = two GPU launches)', () => {
      for (const device of ['cpu', EMU] as const)
        for (const dtype of ['float32', 'float64'] as const)
          for (const shapes of [[[5, 7], [0, 3], [1], [300, 64]], Array.from({ length: 40 }, (_, i) => [i + 1])])
            tidy(() => {
              const a = groups(dtype, device, shapes);
              const b = a.map((g) => g.map((t) => t.to(device)));
              const steps = shapes.map((_, i) => 1 + (i % 4));
              runOp('adam_multi', a.flat(), [...hyper, ...steps]);
              b.forEach((g, i) => runOp('adam', g, [...hyper, steps[i]]));
              a.forEach((g, i) => [0, 2, 3].forEach((j) => expect(g[j].toArray()).toEqual(b[i][j].toArray())));
            });
    });

    test('bad input throws before anything is written', () => {
      tidy(() => {
        const [g0, g1] = groups('float64', 'cpu', [[2, 3], [4]]);
        const before = g0[0].toArray();
        expect(() => runOp('adam_multi', [...g0, ...g1.slice(0, 3)], [...hyper, 1, 1])).toThrow(/^adam_multi: expected inputs in groups of four \(param, grad, m, v\), got 7 inputs/);
        expect(() => runOp('adam_multi', [...g0, ...g1], [...hyper, 1])).toThrow(/^adam_multi: expected 7 attributes \(lr, beta1, beta2, eps, weight_decay and a step for each of 2 tensors\), got 6/);
        expect(() => runOp('adam_multi', [...g0, ...g1], [...hyper, 1, 0])).toThrow(/^adam_multi: expected step >= 1 \(1-based\), got 0/);
        expect(() => runOp('adam_multi', [...g0, g1[0], g1[1], g1[2], g0[3]], [...hyper, 1, 1])).toThrow(/^adam_multi: expected param 1 and v 1 to have the same shape, got \[4\] and \[2, 3\]/);
        expect(() => runOp('adam_multi', [...g0, g1[0], g1[1], g1[2], tensor([0, 0, 0, 0], [4], { dtype: 'float32' })], [...hyper, 1, 1])).toThrow(/^adam_multi: expected param 0 and v 1 to share a dtype, got float64 and float32/);
        const [h0, h1] = groups('float64', 'cpu', [[3], [3]]);
        expect(() => runOp('adam_multi', [...h0, h0[0], ...h1.slice(1)], [...hyper, 1, 1])).toThrow(/^adam_multi: expected param 0 and param 1 to be distinct tensors/);
        expect(g0[0].toArray()).toEqual(before);
      });
    });

    test('Adam on cuda-emu updates every parameter in one launch and matches the CPU optimizer', () => {
      const run = (device: Device) => {
        const r = new Rng(3);
        const params = [[4, 3], [7], [2, 2, 2]].map((s) => tensor(r.normals(s.reduce((a, b) => a * b, 1)), s, { dtype: 'float64', requiresGrad: true, device }));
        const opt = new Adam(params, { lr: 0.02, weightDecay: 0.1 });
        let launches = 0;
        for (let t = 0; t < 3; t++) {
          params.forEach((p, i) => {
            if (t === 1 && i === 1) return; // no gradient: skipped, its step count stays behind
            p.grad = tensor(r.normals(p.size), p.shape, { dtype: 'float64', device });
          });
          deviceCounters(true);
          opt.step();
          launches = Math.max(launches, deviceCounters(true).launches);
          opt.zeroGrad();
        }
        const out = params.map((p) => p.toArray());
        expect(opt.stateDict().step).toEqual([3, 2, 3]);
        opt.dispose();
        params.forEach((p) => p.dispose());
        return { out, launches };
      };
      const emu = run(EMU);
      expect(emu.launches).toBe(1);
      expect(emu.out).toEqual(run('cpu').out);
    });
  });
});
