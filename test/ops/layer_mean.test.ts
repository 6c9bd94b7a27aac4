import { layerMean, add, scale } from '../../lib/ops';
import { backward, tensor, type Tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { expectClose } from '../harness/compare';
import { gradcheck } from '../harness/gradcheck';
import { expectMmgError, FLOAT_DTYPES, SHAPES, tolFor } from '../harness/op_cases';
import { Rng } from '../harness/rng';
import { layerMeanRef } from '../reference/layer_mean';

describe('layer_mean', () => {
  const rng = new Rng(71);

  test('forward matches the reference for 1 to 5 layers, every standard shape, float32 and float64', () => {
    for (const shape of SHAPES)
      for (const dtype of FLOAT_DTYPES)
        for (const L of [1, 2, 5])
          tidy(() => {
            const xs = Array.from({ length: L }, () => rng.randn(shape, dtype));
            const y = layerMean(xs);
            expect(y.shape).toEqual(shape);
            expectClose(y, layerMeanRef(xs.map((x) => x.toArray())), tolFor(dtype), `layer_mean L=${L} [${shape}]`);
          });
  });

  test('backward gives g/L to each layer (gradcheck, float64), also when a layer is derived from another', () => {
    const e0 = rng.randn([3, 4], 'float64', true);
    const e1 = rng.randn([3, 4], 'float64', true);
    const r = gradcheck((a, b) => layerMean([a, b, add(a, b), scale(a, 2)]), [e0, e1]);
    expect(r.ok ? 'ok' : r).toBe('ok');
    const r2 = gradcheck((a) => layerMean([a, a, a]), [e0]);
    expect(r2.ok ? 'ok' : r2).toBe('ok');
    [e0, e1].forEach((t) => t.dispose());
  });

  test('only the layers that need a gradient get one', () => {
    const a = rng.randn([2, 2], 'float64', true);
    const b = rng.randn([2, 2], 'float64');
    tidy(() => backward(layerMean([a, b]), tensor([1, 2, 3, 4], [2, 2], { dtype: 'float64' })));
    expect(a.grad!.toArray()).toEqual([0.5, 1, 1.5, 2]);
    expect(b.grad).toBeNull();
    [a, b].forEach((t: Tensor) => t.dispose());
  });

  test('mismatched layers and an empty list throw MmgErrors that start with "layer_mean: expected"', () => {
    tidy(() => {
      expectMmgError(() => layerMean([rng.randn([2, 3]), rng.randn([3, 2])]), /^layer_mean: expected x0 and x1 to have the same shape, got \[2, 3\] and \[3, 2\]/, 'MMG_E_SHAPE');
      expectMmgError(() => layerMean([rng.randn([2, 3]), rng.randn([2, 3]), rng.randn([2, 3], 'float32')]), /^layer_mean: expected x0 and x2 to share a dtype/, 'MMG_E_DTYPE');
      expectMmgError(() => layerMean([]), /^layer_mean: expected at least 1 input/, 'MMG_E_ARG');
    });
  });
});
