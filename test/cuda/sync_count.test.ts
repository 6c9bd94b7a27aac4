/**
 * What a training step would cost a GPU, counted on cuda-emu (native/core/device_counters.h):
 * every stream synchronization drains the GPU, so a step may wait at most twice (issue 11: the loss
 * read, plus one spare). The CSR graphs are validated once as they move to the device, batch
 * indices are checked on the host where they are born, and the loss parts come back in one read.
 * Launch counts are printed, not asserted: they describe the kernels, not a contract.
 */
import { train } from '../../lib/train/trainer';
import { syntheticDataset } from '../../lib/data/synthetic';
import { deviceCounters } from '../../lib/backends';
import { tensor } from '../../lib/tensor';
import type { DeviceCounts } from '../../lib/native/types';
import { checkedIndex } from '../../lib/nn/batch';
import '../../lib/models';
import { EMU } from '../../lib/testing';

function perStep(model: string): DeviceCounts[] {
  const ds = syntheticDataset('tiny');
  const steps: DeviceCounts[] = [];
  const res = train(ds, model, {}, {
    epochs: 1, batchSize: 64, topk: [5, 10, 20], seed: 3, device: EMU, evalStep: 1,
    // Counts between two progress reports cover exactly one step (sampling to optimizer).
    onProgress: () => steps.push(deviceCounters(true)),
  });
  res.model.dispose();
  return steps.slice(1); // the first interval also holds the model's setup
}

describe('device round trips per training step on cuda-emu', () => {
  for (const model of ['smore', 'gume']) {
    test(`${model}: at most 2 synchronizations per step`, () => {
      const steps = perStep(model);
      expect(steps.length).toBeGreaterThan(1);
      const worst = steps.reduce((a, s) => (s.syncs > a.syncs ? s : a));
      // eslint-disable-next-line no-console
      console.log(`${model} on cuda-emu, per step: ${steps[0].launches} launches, ${steps[0].h2d} uploads, ${steps[0].d2h} reads, ${worst.syncs} syncs (worst of ${steps.length})`);
      expect(worst.syncs).toBeLessThanOrEqual(2);
    });
  }

  test('the counters see what they claim (a forced read is one d2h and one sync)', () => {
    deviceCounters(true);
    const t = tensor([1, 2, 3], [3], { device: EMU });
    const up = deviceCounters(true);
    expect(up.h2d).toBe(1);
    t.toArray();
    const down = deviceCounters(true);
    expect([down.d2h, down.syncs]).toEqual([1, 1]);
    t.dispose();
  });

  test('batch indices are range-checked on the host where they are born', () => {
    expect(() => checkedIndex(Int32Array.from([0, 3, 5]), 5, EMU, 'batch pos')).toThrow(/^batch pos: expected indices in \[0, 5\), got idx\[2\] = 5$/);
    const t = checkedIndex(Int32Array.from([0, 4]), 5, EMU);
    expect(t.hostIndex?.bound).toBe(5);
    t.dispose();
  });
});
