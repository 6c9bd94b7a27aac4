/** `mmgraph train --cold-start items` and `mmgraph eval --cold-start` end to end on synthetic:tiny (compiled CLI in dist/). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCheckpoint } from '../../lib/io/checkpoint';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'lib', 'cli', 'main.js');
const run = (...args: string[]) => {
  const res = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: os.tmpdir() });
  return { ...res, stderr: res.stderr.split('\n').filter((l) => !/was built without Eigen/.test(l)).join('\n') };
};

describe('mmgraph cold-start flags', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-cold-'));
  const cfg = path.join(dir, 'cfg.yaml');
  fs.writeFileSync(cfg, 'n_layers: 1\nlearning_rate: 0.01\ntopk: [5, 10, 20]\n');
  const coldRun = path.join(dir, 'cold');
  const warmRun = path.join(dir, 'warm');
  const train = (out: string, ...extra: string[]) =>
    run('train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--epochs', '3', '--quiet', '--config', cfg, '--out', out, ...extra);

  beforeAll(() => {
    for (const [out, extra] of [[coldRun, ['--cold-start', 'items', '--cold-fraction', '0.25', '--cold-seed', '11']], [warmRun, []]] as const) {
      const t = train(out, ...extra);
      expect(t.stderr).not.toMatch(/mmgraph: /);
      expect(t.status).toBe(0);
    }
  });

  test('train --cold-start items records the split in summary.json and in best.mmg / last.mmg', () => {
    const summary = JSON.parse(fs.readFileSync(path.join(coldRun, 'summary.json'), 'utf8'));
    expect(summary.coldStart).toMatchObject({ kind: 'items', fraction: 0.25, seed: 11, nColdItems: 10 });
    expect(summary.coldStart.movedRows.valid + summary.coldStart.movedRows.test).toBeGreaterThan(0);
    expect(summary.coldStart.coldItemsTest.nUsers).toBeGreaterThan(0);
    const spec = { kind: 'items', fraction: 0.25, seed: 11, nColdItems: 10 };
    expect(loadCheckpoint(path.join(coldRun, 'best.mmg')).meta.coldStart).toEqual(spec);
    expect(loadCheckpoint(path.join(coldRun, 'last.mmg')).meta.coldStart).toEqual(spec);
    const warm = JSON.parse(fs.readFileSync(path.join(warmRun, 'summary.json'), 'utf8'));
    expect(warm.coldStart).toBeUndefined();
    expect(loadCheckpoint(path.join(warmRun, 'best.mmg')).meta.coldStart).toBeUndefined();
  });

  test('eval --cold-start of a cold-start model: its own split, cold-item metrics next to all rows, user groups', () => {
    const summary = JSON.parse(fs.readFileSync(path.join(coldRun, 'summary.json'), 'utf8'));
    const e = run('eval', '--model-file', path.join(coldRun, 'best.mmg'), '--data', 'synthetic:tiny', '--topk', '5,10,20', '--cold-start', '--json');
    expect(e.stderr).toBe('');
    expect(e.status).toBe(0);
    const r = JSON.parse(e.stdout);
    expect(r.coldStart).toEqual({ kind: 'items', fraction: 0.25, seed: 11, nColdItems: 10 });
    // Same split as in training: the metrics match what training reported at the best epoch.
    for (const k of ['recall@20', 'ndcg@20', 'recall@10']) {
      expect(r.all[k]).toBe(summary.bestTest.rounded[k]);
      expect(r.coldItems[k]).toBe(summary.coldStart.coldItemsTest.rounded[k]);
    }
    expect(r.coldItems.users).toBe(summary.coldStart.coldItemsTest.nUsers);
    expect(r.coldItems.users).toBeLessThan(r.all.users);
    expect(r.userGroups.map((g: { label: string }) => g.label)).toEqual(['≤5', '6–10', '11–20', '>20']);
    expect(r.userGroups.reduce((s: number, g: { users: number }) => s + g.users, 0)).toBe(r.all.users);
    expect(r.coldItemsNote).toBeUndefined();

    const text = run('eval', '--model-file', path.join(coldRun, 'best.mmg'), '--data', 'synthetic:tiny', '--topk', '5,10,20', '--cold-start');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/item cold-start split the model was trained on \(10 of 40 items cold, fraction 0\.25, seed 11\)/);
    expect(text.stdout).toMatch(/metric\s+all rows\s+cold items/);
    expect(text.stdout).toMatch(new RegExp(`recall@20\\s+${r.all['recall@20'].toFixed(4)}\\s+${r.coldItems['recall@20'].toFixed(4)}`));
    expect(text.stdout).toMatch(/≤5\s+\d+\s+(\d\.\d{4}|-)\s+(\d\.\d{4}|-)/);

    // Without --cold-start it still evaluates its own split (cold-item column, no groups).
    const plain = run('eval', '--model-file', path.join(coldRun, 'best.mmg'), '--data', 'synthetic:tiny', '--topk', '5,10,20');
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/cold items/);
    expect(plain.stdout).not.toMatch(/user sparsity/);
  });

  test('eval --cold-start of a normally trained model explains item cold-start and reports the user groups', () => {
    const e = run('eval', '--model-file', path.join(warmRun, 'best.mmg'), '--data', 'synthetic:tiny', '--topk', '5,10,20', '--cold-start', '--user-groups', '4,9');
    expect(e.stderr).toBe('');
    expect(e.status).toBe(0);
    expect(e.stdout).toMatch(/item cold-start: not available for this model.*--cold-start items/);
    expect(e.stdout).not.toMatch(/cold items\n/);
    expect(e.stdout).toMatch(/user sparsity/);
    for (const g of ['≤4', '5–9', '>9']) expect(e.stdout).toMatch(new RegExp(`\\n${g}\\s+\\d+`));
    const j = JSON.parse(run('eval', '--model-file', path.join(warmRun, 'best.mmg'), '--data', 'synthetic:tiny', '--topk', '5,10,20', '--cold-start', '--json').stdout);
    expect(j.coldItems).toBeNull();
    expect(j.coldItemsNote).toMatch(/--cold-start items/);
    const summary = JSON.parse(fs.readFileSync(path.join(warmRun, 'summary.json'), 'utf8'));
    expect(j.all['recall@20']).toBe(summary.bestTest.rounded['recall@20']);
  });

  test('bad flags and mismatched data or checkpoints: one-line errors, exit code 1', () => {
    const cases: Array<[string[], RegExp]> = [
      [['train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--cold-start', 'users'], /expected --cold-start items, got 'users'/],
      [['train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--cold-fraction', '0.3'], /--cold-fraction goes with --cold-start items/],
      [['train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--cold-start', 'items', '--cold-fraction', '1.5'], /expected --cold-fraction to be a number in \(0, 1\)/],
      [['train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--cold-start', 'items', '--cold-seed', 'x'], /expected --cold-seed to be an integer/],
      [['eval', '--model-file', path.join(warmRun, 'best.mmg'), '--data', 'synthetic:tiny', '--user-groups', '5'], /--user-groups goes with --cold-start/],
      [['eval', '--model-file', path.join(warmRun, 'best.mmg'), '--data', 'synthetic:tiny', '--topk', '5', '--cold-start', '--user-groups', '10,5'], /expected --user-groups as increasing/],
      // Same sizes, other interactions: the saved training sets do not match the rebuilt split.
      [['eval', '--model-file', path.join(coldRun, 'best.mmg'), '--data', 'synthetic:tiny:5', '--topk', '5', '--cold-start'], /not the dataset it was trained on/],
      [['train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--quiet', '--config', cfg, '--out', warmRun, '--resume', '--cold-start', 'items'], /checkpoint was trained on the normal split, not the item cold-start split/],
    ];
    for (const [args, want] of cases) {
      const res = run(...args);
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/^mmgraph: /);
      expect(res.stderr).toMatch(want);
      expect(res.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });
});
