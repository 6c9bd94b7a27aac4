/**
 * One training epoch of a model on `device` against the same epoch on the CPU (same seed, same
 * batches, same evaluation). Returns every disagreement as text, empty when they agree:
 *   - each loss part of the epoch, within `lossTol` relative;
 *   - every validation metric, within `metricTol` absolute (a float32 score that moves by an ulp can
 *     swap two near-tied items in a top-K list);
 *   - every parameter after the epoch, within `paramTol` scaled error (Adam's step is the same size
 *     for every element, so rounding differences in gradients show up only in sign flips of tiny ones).
 * Used by test/cuda/epoch_emu.test.ts (cuda-emu, every CI run) and test/gpu/epoch.test.ts (real GPU).
 */
import { train } from '../../lib/train/trainer';
import { syntheticDataset } from '../../lib/data/synthetic';
import type { Device } from '../../lib/tensor';
import '../../lib/models';

export interface EpochTolerances {
  lossTol: number;
  metricTol: number;
  paramTol: number;
}

export const EPOCH_MODELS = ['bpr-mf', 'lightgcn', 'smore', 'gume', 'mgcn', 'synergraph', 'singer'] as const;

export function epochDisagreements(model: string, device: Device, tol: EpochTolerances): string[] {
  const ds = syntheticDataset('tiny');
  const opts = { epochs: 1, batchSize: 64, topk: [5, 10, 20], seed: 3 };
  const cpu = train(ds, model, {}, { ...opts, device: 'cpu' });
  const dev = train(ds, model, {}, { ...opts, device });
  const out: string[] = [];
  try {
    const a = cpu.history[0];
    const b = dev.history[0];
    for (const k of Object.keys(a.loss)) {
      const err = Math.abs(b.loss[k] - a.loss[k]) / Math.max(1, Math.abs(a.loss[k]));
      if (!(err <= tol.lossTol)) out.push(`loss ${k}: cpu ${a.loss[k]}, ${device} ${b.loss[k]}`);
    }
    for (const k of Object.keys(a.valid!.unrounded)) {
      const err = Math.abs(b.valid!.unrounded[k] - a.valid!.unrounded[k]);
      if (!(err <= tol.metricTol)) out.push(`valid ${k}: cpu ${a.valid!.unrounded[k]}, ${device} ${b.valid!.unrounded[k]}`);
    }
    const pd = dev.model.parameters();
    for (const [name, p] of cpu.model.parameters()) {
      const q = pd.get(name);
      if (!q) {
        out.push(`parameter ${name} missing on ${device}`);
        continue;
      }
      if (q.device !== device) out.push(`parameter ${name} lives on ${q.device}, not ${device}`);
      const x = p.toArray();
      const y = q.toArray();
      let diff = 0;
      let ref = 1e-30;
      for (let i = 0; i < x.length; i++) {
        diff = Math.max(diff, Math.abs(x[i] - y[i]));
        ref = Math.max(ref, Math.abs(x[i]));
      }
      if (x.length !== y.length || !(diff / ref <= tol.paramTol)) out.push(`parameter ${name}: scaled error ${diff / ref}`);
    }
  } finally {
    cpu.model.dispose();
    dev.model.dispose();
  }
  return out;
}
