/**
 * One training epoch of each model on CUDA against the same epoch on the CPU (same seed, same
 * batches): per-epoch losses and validation metrics agree within float32 reordering noise.
 * Skipped, with the reason in each title, where no usable CUDA backend exists.
 */
import { backends } from '../../lib/backends';
import { train } from '../../lib/train/trainer';
import { syntheticDataset } from '../../lib/data/synthetic';
import '../../lib/models';

const cuda = backends().find((b) => b.name === 'cuda')!;
const gpuTest = cuda.available ? test : test.skip;
const note = cuda.available ? '' : ` — skipped: no usable CUDA backend (${cuda.code}: ${cuda.reason})`;

describe('one epoch on cuda vs cpu', () => {
  for (const model of ['bpr-mf', 'lightgcn', 'smore']) {
    gpuTest(`${model}${note}`, () => {
      const ds = syntheticDataset('tiny');
      const opts = { epochs: 1, batchSize: 64, topk: [5, 10, 20], seed: 3 };
      const cpu = train(ds, model, {}, { ...opts, device: 'cpu' });
      const gpu = train(ds, model, {}, { ...opts, device: 'cuda' });
      const a = cpu.history[0];
      const b = gpu.history[0];
      for (const k of Object.keys(a.loss)) expect(Math.abs(b.loss[k] - a.loss[k])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(a.loss[k])));
      for (const k of Object.keys(a.valid!.unrounded)) expect(Math.abs(b.valid!.unrounded[k] - a.valid!.unrounded[k])).toBeLessThanOrEqual(0.02);
      cpu.model.dispose();
      gpu.model.dispose();
    });
  }
});
