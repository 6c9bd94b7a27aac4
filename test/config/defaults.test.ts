/**
 * The layers under a user's settings: the models' official training values (SMORE, GUME, MGCN,
 * SynerGraph, SINGER decay the learning rate by [0.96, 50]; LightGCN and BPR-MF keep [1.0, 50]) and
 * the published per-dataset values (chosen by name or inferred from an MMRec folder's name).
 */
import { modelFactory, modelNames } from '../../lib/models';
import { resolveTrainOptions, train } from '../../lib/train/trainer';
import { datasetValues, inferDatasetName, modelTrainDefaults, parseDatasetDefaults, withDatasetValues } from '../../lib/config/model_defaults';
import { schemaDefaults } from '../../lib/nn/schema';
import { syntheticDataset } from '../../lib/data/synthetic';

describe('per-model training defaults', () => {
  test('learning-rate decay follows each official yaml', () => {
    const want: Record<string, [number, number]> = {
      smore: [0.96, 50], gume: [0.96, 50], mgcn: [0.96, 50], synergraph: [0.96, 50], singer: [0.96, 50], lightgcn: [1.0, 50], 'bpr-mf': [1.0, 50],
    };
    for (const name of modelNames()) {
      expect(want[name]).toBeDefined();
      expect([name, resolveTrainOptions(name).lrScheduler]).toEqual([name, want[name]]);
    }
    expect(modelTrainDefaults(modelFactory('lightgcn'))).toEqual({});
  });

  test("the user's options win over the model's", () => {
    expect(resolveTrainOptions('smore', { lrScheduler: [1.0, 50] }).lrScheduler).toEqual([1.0, 50]);
    expect(resolveTrainOptions('smore', { lrScheduler: undefined }).lrScheduler).toEqual([0.96, 50]);
    expect(() => resolveTrainOptions('smore', { lrScheduler: [0, 50] })).toThrow(/lrScheduler/);
  });
});

describe('per-dataset defaults', () => {
  test('names: --dataset-defaults values and MMRec folder names', () => {
    expect(parseDatasetDefaults('Sports')).toBe('sports');
    expect(parseDatasetDefaults('none')).toBeNull();
    expect(() => parseDatasetDefaults('toys')).toThrow(/expected one of baby, sports, clothing, elec or none, got 'toys'/);
    expect(inferDatasetName('/data/mmrec/clothing')).toBe('clothing');
    expect(inferDatasetName('data/Baby/')).toBe('baby');
    expect(inferDatasetName('data/baby_small')).toBeNull();
    expect(inferDatasetName('synthetic:tiny')).toBeNull();
  });

  test('SynerGraph on sports trains with top-K 30 (spec/synergraph.md), recorded in the result; a given value wins', () => {
    const ds = syntheticDataset('tiny');
    const opts = { epochs: 1, batchSize: 64, topk: [5, 10, 20] };
    const r = train(ds, 'synergraph', {}, { ...opts, datasetDefaults: 'sports' });
    expect(r.datasetDefaults).toBe('sports');
    expect(r.modelConfig.knn_k).toBe(30);
    expect(r.options.lrScheduler).toEqual([0.96, 50]);
    r.model.dispose();
    const own = train(ds, 'synergraph', { knn_k: 12 }, { ...opts, datasetDefaults: 'sports' });
    expect(own.modelConfig.knn_k).toBe(12);
    own.model.dispose();
    const none = train(ds, 'synergraph', {}, opts);
    expect(none.datasetDefaults).toBeNull();
    expect(none.modelConfig.knn_k).toBe(10);
    none.model.dispose();
  });

  test('withDatasetValues keeps odd keys as plain own properties', () => {
    const f = modelFactory('synergraph');
    const given = JSON.parse('{"__proto__": 1}');
    const out = withDatasetValues(f, 'baby', given);
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'knn_k']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  // The expected rows are the published tables (spec/smore.md §5, spec/gume.md §5).
  const smore = modelFactory('smore');
  test('SMORE: the README table for Baby, Sports and Clothing', () => {
    expect(smore.schema).toBeDefined();
    const row = (d: 'baby' | 'sports' | 'clothing') => ({ ...schemaDefaults(smore.schema!), ...datasetValues(smore, d) });
    const pick = (o: Record<string, unknown>) => ({ n_ui_layers: o.n_ui_layers, n_layers: o.n_layers, image_knn_k: o.image_knn_k, text_knn_k: o.text_knn_k, cl_loss: o.cl_loss, reg_weight: o.reg_weight, dropout_rate: o.dropout_rate });
    expect(pick(row('baby'))).toEqual({ n_ui_layers: 4, n_layers: 1, image_knn_k: 40, text_knn_k: 15, cl_loss: 0.01, reg_weight: 1e-4, dropout_rate: 0.1 });
    expect(pick(row('sports'))).toEqual({ n_ui_layers: 3, n_layers: 1, image_knn_k: 10, text_knn_k: 10, cl_loss: 0.03, reg_weight: 1e-4, dropout_rate: 0 });
    expect(pick(row('clothing'))).toEqual({ n_ui_layers: 3, n_layers: 1, image_knn_k: 40, text_knn_k: 10, cl_loss: 0.01, reg_weight: 1e-5, dropout_rate: 0 });
  });
  const gume = modelFactory('gume');
  test("GUME: GUME.yaml's per-dataset blocks", () => {
    expect(gume.schema).toBeDefined();
    const row = (d: 'baby' | 'sports' | 'clothing' | 'elec') => {
      const o = { ...schemaDefaults(gume.schema!), ...datasetValues(gume, d) };
      return [o.n_layers, o.bm_temp, o.um_loss, o.um_temp, o.vt_loss];
    };
    expect(row('baby')).toEqual([2, 0.4, 0.01, 0.1, 0.1]);
    expect(row('sports')).toEqual([1, 0.2, 0.01, 0.1, 0.01]);
    expect(row('clothing')).toEqual([1, 0.2, 0.1, 0.2, 0.001]);
    expect(row('elec')).toEqual([1, 0.2, 0.1, 0.2, 0.1]);
  });
});
