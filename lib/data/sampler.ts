/**
 * The training sampler of MMRec's TrainDataLoader (protocol §4):
 *  - negative pool = sorted unique item ids of the train split, shuffled once per run;
 *  - every epoch the train rows (file order) are put in a fresh random order;
 *  - batches are consecutive slices of `batchSize` rows (default 2048), the last one smaller, none dropped;
 *  - one negative per row, uniform over the pool, redrawn while it is in that user's train set
 *    (validation/test items are allowed, duplicates within a batch are possible).
 * Two independent seeded streams: 'sampler.shuffle' (row order) and 'sampler.negatives' (pool order and
 * negatives, like Python's `random` in MMRec). The state — seed, epoch, step, and both streams — is plain
 * JSON; restoring it continues with exactly the same batches, even in the middle of an epoch.
 * Each epoch permutes the rows from file order (MMRec permutes the previous epoch's order; the two give
 * the same distribution, and this way a resumed run needs only the stream state at the epoch's start).
 */
import { MmgError } from '../errors';
import { csrHas, type Csr, type Interactions } from './dataset';
import { Prng, type PrngState } from './prng';

export interface SamplerData {
  nItems: number;
  train: Interactions;
  /** Sorted unique train items per user. */
  trainSets: Csr;
}

export interface SamplerOptions {
  seed?: number;
  batchSize?: number;
}

export interface SamplerState {
  version: 1;
  seed: number;
  batchSize: number;
  nRows: number;
  /** Epoch in progress (or next to start when step is 0). */
  epoch: number;
  /** Next batch of that epoch. */
  step: number;
  /** Shuffle stream before this epoch's permutation was drawn. */
  shuffle: PrngState;
  negatives: PrngState;
}

export interface SamplerBatch {
  epoch: number;
  step: number;
  /** Whether this is the epoch's last batch. */
  last: boolean;
  users: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
}

export class TrainSampler {
  readonly batchSize: number;
  readonly seed: number;
  readonly stepsPerEpoch: number;
  /** The negative pool, in its shuffled order. */
  readonly pool: Int32Array;
  private readonly data: SamplerData;
  private shuffleRng: Prng;
  private negRng: Prng;
  private epochStart: PrngState;
  private perm: Int32Array | null = null;
  private epochNo = 0;
  private stepNo = 0;

  constructor(data: SamplerData, opts: SamplerOptions = {}) {
    const seed = opts.seed ?? 999;
    const batchSize = opts.batchSize ?? 2048;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new MmgError(`sampler: expected a positive integer batchSize, got ${batchSize}`, 'MMG_E_ARG');
    const n = data.train.users.length;
    if (n === 0) throw new MmgError('sampler: expected a non-empty train split, got 0 rows', 'MMG_E_DATA');
    if (data.train.items.length !== n) throw new MmgError(`sampler: expected users and items of equal length, got ${n} and ${data.train.items.length}`, 'MMG_E_SHAPE');
    this.data = data;
    this.seed = seed;
    this.batchSize = batchSize;
    this.stepsPerEpoch = Math.ceil(n / batchSize);
    this.shuffleRng = new Prng(seed, 'sampler.shuffle');
    this.negRng = new Prng(seed, 'sampler.negatives');
    this.epochStart = this.shuffleRng.state();

    const seen = new Uint8Array(data.nItems);
    for (let r = 0; r < n; r++) {
      const i = data.train.items[r];
      if (i < 0 || i >= data.nItems) throw new MmgError(`sampler: expected item ids in [0, ${data.nItems}), got ${i} at train row ${r}`, 'MMG_E_DATA');
      seen[i] = 1;
    }
    const pool: number[] = [];
    for (let i = 0; i < data.nItems; i++) if (seen[i]) pool.push(i);
    this.pool = Int32Array.from(pool);
    this.negRng.shuffle(this.pool);

    const { indptr } = data.trainSets;
    for (let r = 0; r < n; r++) {
      const u = data.train.users[r];
      if (u < 0 || u + 1 >= indptr.length) throw new MmgError(`sampler: expected user ids in [0, ${indptr.length - 1}), got ${u} at train row ${r}`, 'MMG_E_DATA');
      if (indptr[u + 1] - indptr[u] >= this.pool.length)
        throw new MmgError(
          `sampler: user ${u} has interacted with all ${this.pool.length} items that occur in the train split, so no negative item can be drawn for them; remove the user or add items`,
          'MMG_E_DATA',
        );
    }
  }

  /** Rebuilds a sampler from state() so that it continues with identical batches. */
  static restore(data: SamplerData, state: SamplerState): TrainSampler {
    const ok =
      state && state.version === 1 && Number.isInteger(state.epoch) && state.epoch >= 0 && Number.isInteger(state.step) && state.step >= 0;
    if (!ok) throw new MmgError(`sampler: expected a version 1 sampler state, got ${JSON.stringify(state)?.slice(0, 200)}`, 'MMG_E_ARG');
    if (state.nRows !== data.train.users.length)
      throw new MmgError(`sampler: the state was saved for ${state.nRows} train rows, this dataset has ${data.train.users.length}`, 'MMG_E_ARG');
    const s = new TrainSampler(data, { seed: state.seed, batchSize: state.batchSize });
    if (state.step >= s.stepsPerEpoch) throw new MmgError(`sampler: expected step < ${s.stepsPerEpoch}, got ${state.step}`, 'MMG_E_ARG');
    s.epochNo = state.epoch;
    s.stepNo = state.step;
    s.shuffleRng = Prng.fromState(state.shuffle);
    s.epochStart = s.shuffleRng.state();
    s.negRng = Prng.fromState(state.negatives);
    if (state.step > 0) s.drawPermutation();
    return s;
  }

  state(): SamplerState {
    return {
      version: 1,
      seed: this.seed,
      batchSize: this.batchSize,
      nRows: this.data.train.users.length,
      epoch: this.epochNo,
      step: this.stepNo,
      // Between epochs the stream is already at the next epoch's start.
      shuffle: this.stepNo === 0 ? this.shuffleRng.state() : ([...this.epochStart] as PrngState),
      negatives: this.negRng.state(),
    };
  }

  get epoch(): number {
    return this.epochNo;
  }

  /** The next batch; after an epoch's last batch the next call starts a new epoch. */
  nextBatch(): SamplerBatch {
    if (this.stepNo === 0) {
      this.epochStart = this.shuffleRng.state();
      this.drawPermutation();
    }
    const perm = this.perm!;
    const from = this.stepNo * this.batchSize;
    const to = Math.min(from + this.batchSize, perm.length);
    const b = to - from;
    const users = new Int32Array(b);
    const pos = new Int32Array(b);
    const neg = new Int32Array(b);
    const { train, trainSets } = this.data;
    const pool = this.pool;
    for (let k = 0; k < b; k++) {
      const r = perm[from + k];
      const u = train.users[r];
      users[k] = u;
      pos[k] = train.items[r];
      let j = pool[this.negRng.int(pool.length)];
      while (csrHas(trainSets, u, j)) j = pool[this.negRng.int(pool.length)];
      neg[k] = j;
    }
    const batch: SamplerBatch = { epoch: this.epochNo, step: this.stepNo, last: this.stepNo === this.stepsPerEpoch - 1, users, pos, neg };
    if (++this.stepNo === this.stepsPerEpoch) {
      this.stepNo = 0;
      this.epochNo++;
      this.perm = null;
    }
    return batch;
  }

  /** The remaining batches of the current epoch (all of them when called at an epoch boundary). */
  *epochBatches(): Generator<SamplerBatch> {
    let b: SamplerBatch;
    do {
      b = this.nextBatch();
      yield b;
    } while (!b.last);
  }

  private drawPermutation(): void {
    const n = this.data.train.users.length;
    const perm = Int32Array.from({ length: n }, (_, r) => r);
    this.shuffleRng.shuffle(perm);
    this.perm = perm;
  }
}
