/**
 * The README's API section, run against the package entry point (lib/index.ts = package.json
 * "main"): every name the README imports from 'mmgraph' is exported, and its example works as
 * written (with a tiny dataset and few epochs).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as mmgraph from '../../lib';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README API', () => {
  test("every name the README imports from 'mmgraph' is exported by the package entry", () => {
    const imported = [...readme.matchAll(/import \{([^}]+)\} from 'mmgraph'/g)].flatMap((m) => m[1].split(',').map((s) => s.trim()).filter(Boolean));
    expect(imported.length).toBeGreaterThanOrEqual(3);
    expect(imported.filter((name) => !(name in mmgraph))).toEqual([]);
  });

  test('the example trains, saves, loads and serves', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-readme-'));
    const data = mmgraph.loadDataset('synthetic:tiny');
    const result = mmgraph.train(data, 'lightgcn', { n_layers: 2 }, { epochs: 2, checkpointDir: dir, topk: [5, 10, 20] });
    expect(result.bestTest?.rounded['recall@20']).toBeGreaterThan(0);
    result.model.dispose();
    const rec = mmgraph.Recommender.load(path.join(dir, 'best.mmg'));
    const lists = rec.recommend([0, 1], 10);
    expect(lists).toHaveLength(2);
    expect(lists[0]).toHaveLength(10);
    expect(rec.similarItems([3], 5)[0]).toHaveLength(5);
    expect(rec.score(0, [1, 2, 3])).toHaveLength(3);
    expect(mmgraph.modelNames()).toEqual(expect.arrayContaining(['bpr-mf', 'lightgcn', 'smore', 'gume']));
  });
});
