import { scale } from '../../lib/ops';
import { tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { expectMmgError, unarySuite } from '../harness/op_cases';
import { scaleRef } from '../reference/scale';

describe('scale', () => {
  unarySuite({ op: 'scale', fn: (x) => scale(x, -2.5, 0.75), ref: (x) => scaleRef(x, -2.5, 0.75) });

  describe('alpha only', () => {
    unarySuite({ op: 'scale', fn: (x) => scale(x, 3), ref: (x) => scaleRef(x, 3) });
  });

  test('non-finite attributes are refused', () => {
    tidy(() => expectMmgError(() => scale(tensor([1], [1]), Infinity), /^scale: expected finite alpha and beta/, 'MMG_E_ARG'));
  });
});
