/** The command line, run as a user runs it (compiled JS in dist/, built by `npm test`'s pretest). */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'lib', 'cli', 'main.js');
// stderr must hold only the command's own messages, with or without Eigen in the build (the
// build says which GEMM it got; loading the addon prints nothing).
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: os.tmpdir() });

describe('mmgraph CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-cli-'));

  test('synth writes an MMRec folder that train, eval and recommend use', () => {
    const data = path.join(dir, 'tiny');
    const s = run('synth', '--preset', 'tiny', '--out', data);
    expect(s.stderr).toBe('');
    expect(s.status).toBe(0);
    expect(fs.existsSync(path.join(data, 'tiny.inter'))).toBe(true);
    fs.writeFileSync(path.join(dir, 'cfg.yaml'), 'n_layers: 1\nlearning_rate: 0.01\ntopk: [5, 10, 20]\nvalid_metric: Recall@20\n');
    const t = run('train', '--model', 'lightgcn', '--data', data, '--epochs', '3', '--out', path.join(dir, 'run'), '--config', path.join(dir, 'cfg.yaml'));
    expect(t.stderr + t.stdout).toMatch(/best epoch/);
    expect(t.stderr).not.toMatch(/mmgraph: /);
    expect(t.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8'));
    expect(summary.modelConfig.n_layers).toBe(1);
    const e = run('eval', '--model-file', path.join(dir, 'run', 'best.mmg'), '--data', data);
    expect(e.stderr).toBe('');
    expect(e.status).toBe(0);
    expect(e.stdout).toMatch(/recall@20\s+0\.\d{4}/);
    const r = execFileSync(process.execPath, [cli, 'recommend', '--model-file', path.join(dir, 'run', 'best.mmg'), '--users', '0,1', '--k', '3', '--json'], { encoding: 'utf8' });
    const parsed = JSON.parse(r);
    expect(parsed).toHaveLength(2);
    expect(parsed[0].items).toHaveLength(3);
  });

  test('bad input gives a one-line error and exit code 1, never a crash', () => {
    for (const args of [['train', '--model', 'nope', '--data', 'x'], ['train', '--model', 'lightgcn'], ['frobnicate'], ['recommend', '--model-file', path.join(dir, 'missing.mmg'), '--users', '1'], ['train', '--bogus']]) {
      const res = run(...args);
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/^mmgraph: /);
      expect(res.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  test('info explains the addon, the GEMM and the CUDA situation', () => {
    const res = run('info');
    expect(res.status).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^native addon: .+mmgraph.*\.node \((prebuilt|built from source|MMGRAPH_ADDON)\)$/m);
    expect(res.stdout).toMatch(/^dense products: (Eigen 3\.4|built-in packed kernel .+), (avx512|avx2|baseline)/m);
    expect(res.stdout).toMatch(/backend cpu: available/);
    expect(res.stdout).toMatch(/^CUDA backend library: .+libmmgraph_cuda\.so/m);
    expect(res.stdout).toMatch(/^NVIDIA driver: .+/m);
    expect(res.stdout).toMatch(/backend cuda: (available|unavailable — .+)/);
    // Whenever the backend library exists but cannot run, the output says what to install.
    if (/backend cuda: unavailable — (CUDA .* libraries not found|CUDA backend loaded but unusable: no CUDA driver)/.test(res.stdout))
      expect(res.stdout).toMatch(/^to use the GPU, install: .+/m);
  });

  test('info as users run it (emulator not enabled): no cuda-emu line, exit 0', () => {
    const res = spawnSync(process.execPath, [cli, 'info'], { encoding: 'utf8', cwd: os.tmpdir(), env: { ...process.env, MMGRAPH_EMULATOR: '0' } });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/backend cuda: /);
    expect(res.stdout).not.toMatch(/cuda-emu/);
    expect(res.stdout).toMatch(/^models: /m);
  });
});
