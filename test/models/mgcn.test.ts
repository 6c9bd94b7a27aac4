/** MGCN against the official code (fixtures/mgcn), float64 and float32; config errors. */
import { Mgcn } from '../../lib/models/mgcn';
import { json } from '../harness/fixtures';
import { describeMgcnFixture, tinyContext } from '../harness/mgcn_fixture';

const cfg = json<Record<string, number>>('mgcn', 'config.json');
const config = { embedding_size: cfg.embedding_size, n_ui_layers: cfg.n_ui_layers, n_layers: cfg.n_layers, knn_k: cfg.knn_k, reg_weight: cfg.reg_weight, cl_loss: cfg.cl_loss };

describeMgcnFixture('MGCN', (dtype) => new Mgcn(config, tinyContext(dtype)));

describe('MGCN configuration', () => {
  test.each([
    [{ n_layers: -1 }, /^mgcn: expected n_layers to be an integer in \[0, 16\], got -1/],
    [{ cl_loss: Number.NaN }, /^mgcn: expected cl_loss to be a number in/],
    [{ knn_k: 41 }, /^mgcn: expected a kNN k of at most the number of items \(40\), got 41/],
    [{ knn: 10 }, /^mgcn: unknown hyper-parameter 'knn'/],
  ])('%j is refused', (given, msg) => {
    expect(() => new Mgcn(given, tinyContext('float64'))).toThrow(msg);
  });
});
