/**
 * Every model trains one epoch on cuda-emu exactly as on the CPU: the whole pipeline's device path
 * (graphs and parameters moved to the device, every op the models use dispatched to its CUDA
 * kernel's body, evaluation through the device's score_topk) runs on every CI machine. The CUDA
 * bodies use libm exp/log where the CPU uses vexpf, and cuda-emu's reductions sum in another
 * order, so agreement is to float32 rounding, not bitwise.
 */
import { EPOCH_MODELS, epochDisagreements } from '../harness/epoch_parity';
import { EMU } from '../../lib/testing';

describe('one epoch on cuda-emu vs cpu', () => {
  for (const model of EPOCH_MODELS) {
    test(`${model}: losses, validation metrics and trained parameters agree`, () => {
      expect(epochDisagreements(model, EMU, { lossTol: 1e-5, metricTol: 1e-9, paramTol: 1e-4 })).toEqual([]);
    });
  }
});
