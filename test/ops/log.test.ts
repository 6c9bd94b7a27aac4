import { log } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { unarySuite } from '../harness/op_cases';
import { logRef } from '../reference/log';

describe('log', () => {
  unarySuite({ op: 'log', fn: log, ref: logRef, domain: (v) => Math.abs(v) + 0.05, backward: { kernel: 'log_backward' } });

  test('outside the domain: ln 0 = -inf and ln of a negative value or NaN is NaN (numpy policy, no error)', () => {
    for (const dtype of ['float32', 'float64'] as const)
      tidy(() => {
        const y = log(tensor([0, -1, NaN, Infinity], [4], { dtype })).toArray();
        expect(y[0]).toBe(-Infinity);
        expect(y[1]).toBeNaN();
        expect(y[2]).toBeNaN();
        expect(y[3]).toBe(Infinity);
      });
  });
});
