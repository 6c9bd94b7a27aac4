/**
 * Training semantics: resuming from last.mmg after an interruption ends exactly where an
 * uninterrupted run ends (same metrics, same parameters), early stopping follows MMRec's rule, and
 * bad options fail with a message naming the option.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { train } from '../../lib/train/trainer';
import { syntheticDataset } from '../../lib/data/synthetic';
import { Recommender } from '../../lib/recommender';
import '../../lib/models';

const ds = syntheticDataset('tiny');
const TOPK = { topk: [5, 10, 20] };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-train-'));

describe('training', () => {
  test('kill after epoch 3 and resume: identical final metrics and parameters (LightGCN, CPU, same seed)', () => {
    const full = train(ds, 'lightgcn', {}, { epochs: 8, batchSize: 64, seed: 5, checkpointDir: tmp(), ...TOPK });
    const dir = tmp();
    // The "kill": an abort after three epochs' worth of steps; last.mmg holds epoch 2's end.
    let steps = 0;
    const ctl = new AbortController();
    const first = train(ds, 'lightgcn', {}, {
      epochs: 8, batchSize: 64, seed: 5, checkpointDir: dir, signal: ctl.signal, ...TOPK,
      onProgress: () => {
        if (++steps === 3 * Math.ceil(ds.train.users.length / 64) + 2) ctl.abort();
      },
    });
    expect(first.stoppedBy).toBe('abort');
    expect(first.history.length).toBe(3);
    first.model.dispose();
    const resumed = train(ds, 'lightgcn', {}, { epochs: 8, batchSize: 64, seed: 5, checkpointDir: dir, resume: true, ...TOPK });
    expect(resumed.history.length).toBe(8);
    expect(resumed.bestEpoch).toBe(full.bestEpoch);
    expect(resumed.bestTest!.unrounded).toEqual(full.bestTest!.unrounded);
    expect(resumed.history.map((h) => h.loss.total)).toEqual(full.history.map((h) => h.loss.total));
    const pa = full.model.parameters();
    const pb = resumed.model.parameters();
    for (const [k, t] of pa) expect(pb.get(k)!.toArray()).toEqual(t.toArray());
    full.model.dispose();
    resumed.model.dispose();
  });

  test('early stopping: stops after stoppingStep + 1 evaluations without strict improvement', () => {
    const r = train(ds, 'bpr-mf', { reg_weight: 0 }, { epochs: 200, batchSize: 64, lr: 0.05, stoppingStep: 2, seed: 1, ...TOPK });
    expect(r.stoppedBy).toBe('early-stopping');
    const last = r.history.length - 1;
    expect(last - r.bestEpoch).toBe(3);
    expect(r.history.slice(r.bestEpoch + 1).every((h) => !h.improved)).toBe(true);
    // Test metrics are recorded exactly at improvements.
    expect(r.history.filter((h) => h.test).map((h) => h.epoch)).toEqual(r.history.filter((h) => h.improved).map((h) => h.epoch));
    r.model.dispose();
  });

  test('the saved best model serves the best epoch and excludes seen items', () => {
    const dir = tmp();
    const r = train(ds, 'lightgcn', {}, { epochs: 3, batchSize: 64, checkpointDir: dir, ...TOPK });
    const rec = Recommender.load(path.join(dir, 'best.mmg'));
    expect(rec.meta.epoch).toBe(r.bestEpoch);
    const [list] = rec.recommend([3], 5);
    expect(list).toHaveLength(5);
    const seen = new Set(Array.from(ds.trainSets.indices.subarray(ds.trainSets.indptr[3], ds.trainSets.indptr[4])));
    for (const x of list) expect(seen.has(x.item as number)).toBe(false);
    for (let i = 1; i < list.length; i++) expect(list[i - 1].score).toBeGreaterThanOrEqual(list[i].score);
    const withSeen = rec.recommend([3], ds.nItems, { excludeSeen: false })[0];
    expect(withSeen).toHaveLength(ds.nItems);
    expect(rec.score(3, [list[0].item])[0]).toBeCloseTo(list[0].score, 5);
    expect(() => rec.recommend([ds.nUsers], 5)).toThrow(/unknown user id/);
    expect(() => rec.recommend([0], 0)).toThrow(/expected k to be an integer/);
    expect(rec.similarItems([0], 3)[0].map((x) => x.item)).not.toContain(0);
    rec.dispose();
    r.model.dispose();
  });

  test('bad options and unknown models are clear errors', () => {
    // Cutoffs the caller chose are checked; the defaults are cut to the catalogue (issue 12).
    expect(() => train(ds, 'lightgcn', {}, { epochs: 1, topk: [5, 50], validMetric: 'recall@5' })).toThrow(/expected every topk cutoff to be at most the number of items \(40\)/);
    expect(() => train(ds, 'lightgcn', {}, { epochs: 0 })).toThrow(/train: expected epochs to be a positive integer, got 0/);
    expect(() => train(ds, 'lightgcn', {}, { validMetric: 'recall@7', ...TOPK })).toThrow(/expected validMetric/);
    expect(() => train(ds, 'lightgcn', {}, { lr: -1, ...TOPK })).toThrow(/expected lr to be a positive number/);
    expect(() => train(ds, 'nope', {}, TOPK)).toThrow(/unknown model 'nope'/);
    expect(() => train(ds, 'lightgcn', { n_layers: 99 }, TOPK)).toThrow(/lightgcn: expected n_layers to be an integer in \[0, 16\], got 99/);
    expect(() => train(ds, 'lightgcn', { dropout: 0.1 }, TOPK)).toThrow(/unknown hyper-parameter 'dropout'/);
  });
});
