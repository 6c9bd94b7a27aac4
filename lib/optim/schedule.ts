/**
 * Learning-rate schedules. MMRec wraps Adam in PyTorch's LambdaLR with factor γ^(e/T)
 * (`learning_rate_scheduler: [γ, T]`), stepped once per epoch: lr_e = lr·γ^(e/T), e = completed epochs.
 */
import { MmgError } from '../errors';

/** MMRec's factor e ↦ γ^(e/T): continuous exponent, so the rate decays smoothly. */
export function mmrecLrLambda(gamma: number, stepSize: number): (epoch: number) => number {
  if (!(gamma > 0) || !(stepSize > 0))
    throw new MmgError(`schedule: expected gamma > 0 and stepSize > 0, got [${gamma}, ${stepSize}]`, 'MMG_E_ARG');
  return (epoch) => Math.pow(gamma, epoch / stepSize);
}

/** PyTorch's LambdaLR: sets lr = baseLr·λ(e) at construction (e = 0) and after each step(). */
export class LambdaLR {
  private epoch = 0;
  constructor(
    private readonly optimizer: { setLr(lr: number): void },
    readonly baseLr: number,
    private readonly lambda: (epoch: number) => number,
  ) {
    this.optimizer.setLr(this.lr);
  }

  /** Completed epochs. */
  get lastEpoch(): number {
    return this.epoch;
  }

  get lr(): number {
    return this.baseLr * this.lambda(this.epoch);
  }

  /** Call once at the end of each epoch. */
  step(): void {
    this.epoch += 1;
    this.optimizer.setLr(this.lr);
  }

  /** Resumes at a given number of completed epochs (from a checkpoint). */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
    this.optimizer.setLr(this.lr);
  }
}
