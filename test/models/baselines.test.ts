/**
 * What the graph adds: on the synthetic 'small' preset, LightGCN beats BPR-MF on test Recall@20 and
 * NDCG@20 under the same protocol, seed and learning rate (MMRec settings otherwise).
 */
import { train } from '../../lib/train/trainer';
import { syntheticDataset } from '../../lib/data/synthetic';
import '../../lib/models';

test('LightGCN beats BPR-MF on synthetic small', () => {
  const ds = syntheticDataset('small');
  const opts = { epochs: 40, stoppingStep: 10, lr: 0.01, seed: 999 };
  const lgcn = train(ds, 'lightgcn', {}, opts);
  const mf = train(ds, 'bpr-mf', {}, opts);
  const a = lgcn.bestTest!.rounded;
  const b = mf.bestTest!.rounded;
  expect(a['recall@20']).toBeGreaterThan(b['recall@20']);
  expect(a['ndcg@20']).toBeGreaterThan(b['ndcg@20']);
  lgcn.model.dispose();
  mf.model.dispose();
});
