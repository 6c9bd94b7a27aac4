import { LambdaLR, mmrecLrLambda } from '../../lib/optim/schedule';
import { Adam } from '../../lib/optim/adam';
import { MmgError } from '../../lib';

describe('schedule', () => {
  test('MMRec LambdaLR: lr_e = lr·γ^(e/T), continuous exponent, set at construction and per step', () => {
    const opt = new Adam([], { lr: 0.001 });
    const s = new LambdaLR(opt, 0.001, mmrecLrLambda(0.96, 50));
    expect(opt.learningRate).toBe(0.001);
    s.step();
    expect(opt.learningRate).toBeCloseTo(0.001 * 0.96 ** (1 / 50), 18);
    for (let e = 2; e <= 50; e++) s.step();
    expect(s.lastEpoch).toBe(50);
    expect(opt.learningRate).toBeCloseTo(0.00096, 15);
    s.setEpoch(100);
    expect(opt.learningRate).toBeCloseTo(0.001 * 0.96 ** 2, 15);
    // overall.yaml's default [1.0, 50] keeps the rate constant.
    const c = new LambdaLR(opt, 0.001, mmrecLrLambda(1.0, 50));
    c.step();
    expect(opt.learningRate).toBe(0.001);
  });

  test('bad arguments throw', () => {
    expect(() => mmrecLrLambda(0, 50)).toThrow(MmgError);
    expect(() => mmrecLrLambda(0.96, 0)).toThrow(/^schedule: expected gamma > 0 and stepSize > 0/);
  });
});
