/**
 * MMRec configuration files read verbatim: the official SMORE.yaml (written from spec/smore.md §5)
 * and overall.yaml (protocol.md §9) become a 128-combination grid in MMRec's loop order, keys the
 * model does not use are listed as ignored, and misspelled or hostile keys fail with a suggestion.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readRunConfig, buildRunConfig } from '../../lib/config/mmrec_yaml';
import { expandGrid, meanSd, parseSeeds } from '../../lib/config/grid';
import { closestName, editDistance } from '../../lib/config/suggest';
import { modelFactory } from '../../lib/models';

const FIX = path.join(__dirname, 'fixtures');
const smore = modelFactory('smore');
const lightgcn = modelFactory('lightgcn');
const tmpFile = (name: string, text: string) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-cfg-')), name);
  fs.writeFileSync(f, text);
  return f;
};

describe('MMRec yaml', () => {
  test('SMORE.yaml: the five hyper_parameters lists make 128 combinations in itertools.product order', () => {
    const cfg = readRunConfig([path.join(FIX, 'SMORE.yaml')], smore);
    expect(cfg.axes.map((a) => a.name)).toEqual(['n_ui_layers', 'image_knn_k', 'text_knn_k', 'reg_weight', 'dropout_rate']);
    expect(cfg.ignored.map((i) => i.key).sort()).toEqual(['lambda_coeff', 'temperature']);
    // A list-valued training option is a value, not a grid.
    expect(cfg.train).toEqual({ lr: 0.001, lrScheduler: [0.96, 50] });
    expect(cfg.model).toEqual({ embedding_size: 64, n_layers: 1, cl_loss: 0.01 });
    expect(cfg.seeds).toBeNull();
    const combos = expandGrid(cfg);
    expect(combos).toHaveLength(128);
    // Nested loops, first key outermost, written out independently of expandGrid.
    const expected: Array<Record<string, number>> = [];
    for (const n_ui_layers of [3, 4])
      for (const image_knn_k of [10, 15, 20, 40])
        for (const text_knn_k of [10, 15, 20, 40])
          for (const reg_weight of [1e-5, 1e-4])
            for (const dropout_rate of [0, 0.1]) expected.push({ n_ui_layers, image_knn_k, text_knn_k, reg_weight, dropout_rate });
    expect(combos.map((c) => c.values)).toEqual(expected);
    expect(combos.map((c) => c.index)).toEqual(expected.map((_, i) => i));
    expect(combos[77].model).toEqual({ embedding_size: 64, n_layers: 1, cl_loss: 0.01, ...expected[77] });
  });

  test('overall.yaml then SMORE.yaml: later files win, seed list read, MMRec-only keys listed once as ignored', () => {
    const cfg = readRunConfig([path.join(FIX, 'overall.yaml'), path.join(FIX, 'SMORE.yaml')], smore);
    expect(cfg.seeds).toEqual([999]);
    expect(cfg.train.lrScheduler).toEqual([0.96, 50]); // SMORE.yaml over overall's [1.0, 50]
    expect(cfg.train).toMatchObject({ epochs: 1000, stoppingStep: 20, batchSize: 2048, weightDecay: 0, evalStep: 1, topk: [5, 10, 20, 50], validMetric: 'recall@20', evalBatchSize: 4096 });
    const ignored = cfg.ignored.map((i) => i.key);
    expect(new Set(ignored).size).toBe(ignored.length);
    for (const k of ['gpu_id', 'use_gpu', 'learner', 'metrics', 'USER_ID_FIELD', 'end2end', 'lambda_coeff', 'temperature']) expect(ignored).toContain(k);
    expect(expandGrid(cfg)).toHaveLength(128);
  });

  test('misspelled and unknown keys fail naming the closest valid key', () => {
    const cases: Array<[string, RegExp]> = [
      ['image_knn_kk: 10\n', /unknown key 'image_knn_kk' for smore \(did you mean 'image_knn_k'\?\)/],
      ['learning_rat: 0.01\n', /did you mean 'learning_rate'/],
      ['dropuot_rate: 0.1\n', /did you mean 'dropout_rate'/],
      ['completely_unrelated_thing: 1\n', /unknown key 'completely_unrelated_thing' for smore; valid keys: .*image_knn_k/],
      ['hyper_parameters: ["n_ui_layer"]\nn_ui_layers: [3, 4]\n', /hyper_parameters names 'n_ui_layer', which no config file sets \(did you mean 'n_ui_layers'\?\)/],
      ['learner: sgd\n', /learner "sgd" is not supported: mmgraph trains with Adam only/],
      ['clip_grad_norm: {max_norm: 5}\n', /clip_grad_norm .* is not supported/],
      ['valid_metric: [Recall@20, NDCG@20]\n', /valid_metric cannot take several values/],
      ['model: lightgcn\n', /the file is for model 'lightgcn', but --model is 'smore'/],
      ['seed: [1, two]\n', /expected seed to be an integer or a list of integers/],
    ];
    for (const [text, re] of cases) expect(() => readRunConfig([tmpFile('SMORE.yaml', text)], smore)).toThrow(re);
  });

  test('constructor and __proto__ are unknown keys, in yaml and JSON, and pollute nothing', () => {
    for (const [name, text] of [['a.yaml', 'constructor: 1\n'], ['b.yaml', '__proto__: {polluted: 1}\n'], ['c.json', '{"__proto__": {"polluted": 1}}'], ['d.json', '{"toString": 3}']]) {
      expect(() => readRunConfig([tmpFile(name, text)], lightgcn)).toThrow(/unknown key '(constructor|__proto__|toString)' for lightgcn/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Through the parsed-entries entry point too (a grid over such a key must not reach an object prototype).
    expect(() => buildRunConfig([{ file: 'x.yaml', entries: [['__proto__', [1, 2]]] }], lightgcn)).toThrow(/unknown key '__proto__'/);
  });

  test('a key of another mmgraph model is ignored, not an error; JSON camelCase training keys work', () => {
    const cfg = readRunConfig([tmpFile('x.json', JSON.stringify({ knn_k: 10, image_knn_k: 40, lr: 0.01, lrScheduler: [[1, 50], [0.96, 50]] }))], lightgcn);
    expect(cfg.ignored.map((i) => i.key)).toEqual(['knn_k', 'image_knn_k']);
    expect(cfg.train).toEqual({ lr: 0.01 });
    expect(cfg.axes).toEqual([{ name: 'lrScheduler', target: 'train', key: 'lrScheduler', values: [[1, 50], [0.96, 50]] }]);
    expect(expandGrid(cfg).map((c) => c.train.lrScheduler)).toEqual([[1, 50], [0.96, 50]]);
  });

  test('an empty file is an empty config; a non-mapping is an error', () => {
    expect(readRunConfig([tmpFile('e.yaml', '# nothing\n')], lightgcn)).toMatchObject({ model: {}, train: {}, axes: [], seeds: null });
    expect(() => readRunConfig([tmpFile('l.yaml', '- 1\n- 2\n')], lightgcn)).toThrow(/expected a mapping/);
  });
});

describe('suggestions, seeds, statistics', () => {
  test('edit distance counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('dropuot', 'dropout')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    expect(closestName('N_UI_LAYERS', ['n_layers', 'n_ui_layers'])).toBe('n_ui_layers');
    expect(closestName('xyz', ['n_layers', 'reg_weight'])).toBeNull();
  });

  test('--seeds parsing and mean ± sample sd', () => {
    expect(parseSeeds('1, 2,3')).toEqual([1, 2, 3]);
    for (const bad of ['', '1,x', '1.5', '2,2']) expect(() => parseSeeds(bad)).toThrow(/--seeds/);
    const s = meanSd([1, 2, 3, 6]);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + 0 + 9) / 3), 12);
    expect(meanSd([0.5])).toEqual({ mean: 0.5, sd: 0, n: 1 });
  });
});
