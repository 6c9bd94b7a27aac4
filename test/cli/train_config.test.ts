/**
 * `mmgraph train` with official-style configurations, run as a user runs it (compiled JS in dist/):
 * a yaml grid trained and tabulated (and not retrained when rerun), --select-on test labelled,
 * --seeds as mean ± sd, --dataset-defaults (given or inferred from the folder name) in summary.json,
 * MMRec-only keys ignored and misspelled keys refused, and a NaN loss reported with its exit code.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'lib', 'cli', 'main.js');
const run = (...args: string[]) => {
  const res = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: os.tmpdir() });
  return { ...res, stderr: res.stderr.split('\n').filter((l) => !/was built without Eigen/.test(l)).join('\n') };
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-cfgcli-'));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const TINY = file('tiny.yaml', 'topk: [5, 10, 20]\ntrain_batch_size: 64\n');
const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));
const SMORE_YAML = path.join(__dirname, '..', 'config', 'fixtures', 'SMORE.yaml');

/** Runs the CLI and sends it Ctrl-C (SIGINT) once stdout matches `when`. */
function runUntil(args: string[], when: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: os.tmpdir() });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!sent && when.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('mmgraph train with MMRec configurations', () => {
  test('a 2×1 yaml grid: one table line per combination, the winner marked, rerun reuses every finished run', () => {
    const cfg = file('LightGCN.yaml', 'embedding_size: 64\nis_multimodal_model: False\nn_layers: [1, 2]\nreg_weight: 1e-04\nhyper_parameters: ["n_layers"]\n');
    const out = path.join(dir, 'grid');
    const args = ['train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--config', `${cfg},${TINY}`, '--epochs', '2', '--out', out, '--quiet'];
    const t = run(...args);
    expect(t.stderr).toBe('');
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/ignoring MMRec keys lightgcn does not use: is_multimodal_model/);
    expect(t.stdout).toMatch(/grid: 2 combinations × 1 seed = 2 runs; winner selected on validation/);
    expect(t.stdout).toMatch(/selected on validation recall@20/);
    const csv = fs.readFileSync(path.join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv.filter((l) => l.includes(',*,'))).toHaveLength(1);
    const summary = read(path.join(out, 'summary.json'));
    expect(summary).toMatchObject({ kind: 'grid', selectedOn: 'validation', testSelected: false, ignoredKeys: ['is_multimodal_model'], axes: ['n_layers'] });
    expect(summary.trainOptions.lrScheduler).toEqual([1, 50]);
    const table = read(path.join(out, 'results.json'));
    expect(table.rows).toHaveLength(2);
    expect(summary.winner.index).toBe(table.winner);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/Hyper-parameter grid/);
    const again = run(...args);
    expect(again.status).toBe(0);
    expect(again.stdout.match(/finished earlier, reusing/g)).toHaveLength(2);
    expect(again.stdout).toMatch(/0 run\(s\) trained now, 2 reused/);
  });

  test('the official SMORE.yaml runs unchanged as a 128-combination grid; Ctrl-C stops it and the same command continues it', async () => {
    const out = path.join(dir, 'smore');
    const args = ['train', '--model', 'smore', '--data', 'synthetic:tiny', '--config', `${SMORE_YAML},${TINY}`, '--epochs', '1', '--out', out, '--quiet'];
    const first = await runUntil(args, /\[3\/128\]/);
    expect(first.stdout).toMatch(/ignoring MMRec keys smore does not use: temperature, lambda_coeff/);
    expect(first.stdout).toMatch(/grid: 128 combinations × 1 seed = 128 runs; winner selected on validation/);
    expect(first.stdout).toMatch(/\[1\/128\] n_ui_layers=3, image_knn_k=10, text_knn_k=10, reg_weight=0\.00001, dropout_rate=0 · seed 999 → runs\//);
    expect(first.stdout).toMatch(/interrupted: rerun the same command to continue/);
    expect(first.code).toBe(130);
    const table = read(path.join(out, 'results.json'));
    expect(table.rows).toHaveLength(128);
    expect(table.rows.slice(0, 2).map((r: { status: string }) => r.status)).toEqual(['done', 'done']);
    expect(table.rows.slice(2).every((r: { runs: unknown[] }) => r.runs.length === 0)).toBe(true);
    expect(fs.readFileSync(path.join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(129);

    const second = await runUntil(args, /\[4\/128\]/);
    expect(second.code).toBe(130);
    expect(second.stdout).toMatch(/\[1\/128\] [^\n]* finished earlier, reusing runs\//);
    expect(second.stdout).toMatch(/\[2\/128\] [^\n]*dropout_rate=0\.1 · seed 999: finished earlier, reusing/);
    expect(second.stdout).toMatch(/\[3\/128\] n_ui_layers=3, image_knn_k=10, text_knn_k=10, reg_weight=0\.0001, dropout_rate=0 · seed 999 → runs\//);
    expect(read(path.join(out, 'results.json')).rows[2].status).toBe('done');
  });

  test('--select-on test and --seeds: labelled test-selected, mean ± sd over seeds', () => {
    const out = path.join(dir, 'seeds');
    const t = run('train', '--model', 'bpr-mf', '--data', 'synthetic:tiny', '--config', TINY, '--epochs', '1', '--seeds', '1,2', '--select-on', 'test', '--out', out, '--quiet');
    expect(t.stderr).toBe('');
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/TEST-SELECTED/);
    expect(t.stdout).toMatch(/mean ± sd over seeds 1, 2/);
    expect(t.stdout).toMatch(/0\.\d{4} ± 0\.\d{4}/);
    expect(fs.readFileSync(path.join(out, 'results.csv'), 'utf8')).toMatch(/winner \(TEST-SELECTED on test recall@20\)/);
    expect(read(path.join(out, 'summary.json'))).toMatchObject({ testSelected: true, seeds: [1, 2] });
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/test-selected/i);
  });

  test('--dataset-defaults, given or inferred from an MMRec folder named sports, is printed and recorded', () => {
    // synthetic:small: SynerGraph's Sports top-K of 30 needs more than tiny's 40 items.
    const given = path.join(dir, 'dd');
    const t = run('train', '--model', 'synergraph', '--data', 'synthetic:small', '--epochs', '1', '--dataset-defaults', 'sports', '--out', given, '--quiet');
    expect(t.stderr).toBe('');
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/dataset defaults: sports \(--dataset-defaults\): knn_k 30/);
    const s = read(path.join(given, 'summary.json'));
    expect(s.datasetDefaults).toBe('sports');
    expect(s.modelConfig.knn_k).toBe(30);
    expect(s.trainOptions.lrScheduler).toEqual([0.96, 50]);

    const data = path.join(dir, 'sports');
    expect(run('synth', '--preset', 'small', '--out', data).status).toBe(0);
    fs.renameSync(path.join(data, 'small.inter'), path.join(data, 'sports.inter'));
    const inferred = path.join(dir, 'inferred');
    const u = run('train', '--model', 'synergraph', '--data', data, '--config', file('k.yaml', 'knn_k: 12\n'), '--epochs', '1', '--out', inferred, '--quiet');
    expect(u.stderr).toBe('');
    expect(u.status).toBe(0);
    expect(u.stdout).toMatch(/dataset defaults: sports \(inferred from the folder name; --dataset-defaults none turns this off\): \(none\); set by the config instead: knn_k/);
    expect(read(path.join(inferred, 'summary.json'))).toMatchObject({ datasetDefaults: 'sports', modelConfig: { knn_k: 12 } });
    const off = run('train', '--model', 'synergraph', '--data', data, '--epochs', '1', '--dataset-defaults', 'none', '--out', path.join(dir, 'off'), '--quiet');
    expect(off.status).toBe(0);
    expect(read(path.join(dir, 'off', 'summary.json'))).toMatchObject({ datasetDefaults: null, modelConfig: { knn_k: 10 } });
  });

  test('a misspelled key fails in one line naming the closest key; nothing is trained', () => {
    const out = path.join(dir, 'typo');
    const t = run('train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--config', file('bad.yaml', 'lambda_coeff: 0.9\nn_layer: 2\n'), '--out', out);
    expect(t.status).toBe(1);
    expect(t.stderr.trim()).toBe("mmgraph: bad.yaml: unknown key 'n_layer' for lightgcn (did you mean 'n_layers'?); valid keys: embedding_size, n_layers, reg_weight and the training keys epochs, train_batch_size, learning_rate, learning_rate_scheduler, weight_decay, stopping_step, valid_metric, topk, eval_step, eval_batch_size, seed, hyper_parameters");
    expect(fs.existsSync(out)).toBe(false);
  });

  test('NaN loss: a warning with epoch and step; the best epoch is kept (exit 0), or exit 1 when no epoch completed', () => {
    const later = path.join(dir, 'nan-later');
    const a = run('train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--config', `${TINY},${file('decay.yaml', 'learning_rate_scheduler: [1.0e+30, 1]\n')}`, '--epochs', '4', '--out', later, '--quiet');
    expect(a.status).toBe(0);
    expect(a.stderr).toMatch(/^warning: the loss became NaN at epoch 1, step \d+; training stopped and kept the best result so far \(epoch 0\)/);
    expect(read(path.join(later, 'summary.json'))).toMatchObject({ stoppedBy: 'nan-loss', bestEpoch: 0, nan: { epoch: 1 } });
    expect(fs.existsSync(path.join(later, 'best.mmg'))).toBe(true);

    const first = path.join(dir, 'nan-first');
    const b = run('train', '--model', 'lightgcn', '--data', 'synthetic:tiny', '--config', `${TINY},${file('huge.yaml', 'learning_rate: 1.0e+30\n')}`, '--epochs', '2', '--out', first, '--quiet');
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/warning: the loss became NaN at epoch 0, step \d+; training stopped and no epoch completed, so there is no result/);
    expect(read(path.join(first, 'summary.json'))).toMatchObject({ stoppedBy: 'nan-loss', bestEpoch: -1, history: [] });
  });
});
