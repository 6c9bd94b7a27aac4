/**
 * How the CUDA backend's run-time libraries are found (lib/cuda_runtime.ts) and what a user is told
 * when they are missing. Runs without a GPU: the libraries are stand-in files, never loaded.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cudaInstallHint, cudaManifest, cudaSearchDirs, findCudaLibraries, versionAtLeast } from '../../lib/cuda_runtime';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-cudart-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(vars)) {
    saved[k] = process.env[k];
    if (vars[k] === undefined) delete process.env[k];
    else process.env[k] = vars[k];
  }
  try {
    return fn();
  } finally {
    for (const k of Object.keys(saved)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

describe('CUDA run-time libraries', () => {
  test('the manifest next to the library is read; without one the CUDA 13 set is assumed', () => {
    const lib = path.join(tmp, 'm1', 'libmmgraph_cuda.so');
    fs.mkdirSync(path.dirname(lib), { recursive: true });
    fs.writeFileSync(lib, '');
    const none = cudaManifest(lib);
    expect(none.fromFile).toBe(false);
    expect(none.needed).toContain('libcublas.so.13');
    expect(none.needed.indexOf('libcublasLt.so.13')).toBeLessThan(none.needed.indexOf('libcublas.so.13'));
    fs.writeFileSync(lib.replace(/\.so$/, '.json'), JSON.stringify({ cuda: '12.4', archs: [80, 90], needed: ['libcudart.so.12'] }));
    const m = cudaManifest(lib);
    expect(m).toMatchObject({ fromFile: true, cuda: '12.4', needed: ['libcudart.so.12'], minDriver: '525.60.13' });
  });

  test('MMGRAPH_CUDA_LIBS (a pip --target dir) is searched first, then LD_LIBRARY_PATH', () => {
    const target = path.join(tmp, 'target');
    const wheel = path.join(target, 'nvidia', 'cu13', 'lib');
    const ldp = path.join(tmp, 'ldp');
    fs.mkdirSync(wheel, { recursive: true });
    fs.mkdirSync(ldp, { recursive: true });
    fs.writeFileSync(path.join(wheel, 'libcublas.so.13'), '');
    fs.writeFileSync(path.join(ldp, 'libcublas.so.13'), '');
    fs.writeFileSync(path.join(ldp, 'libcufft.so.12'), '');
    const manifest = { cuda: '13.0', archs: [80, 90], needed: ['libcublas.so.13', 'libcufft.so.12', 'libmmgraph_nowhere.so.99'], minDriver: '580.65.06' };
    const found = withEnv({ MMGRAPH_CUDA_LIBS: target, LD_LIBRARY_PATH: ldp }, () => findCudaLibraries(manifest));
    expect(found).toEqual([
      { soname: 'libcublas.so.13', path: path.join(wheel, 'libcublas.so.13'), source: 'MMGRAPH_CUDA_LIBS' },
      { soname: 'libcufft.so.12', path: path.join(ldp, 'libcufft.so.12'), source: 'LD_LIBRARY_PATH' },
      { soname: 'libmmgraph_nowhere.so.99' },
    ]);
    const dirs = withEnv({ MMGRAPH_CUDA_LIBS: undefined, LD_LIBRARY_PATH: '', CUDA_HOME: '/opt/my-cuda' }, () => cudaSearchDirs('13'));
    expect(dirs.map((d) => d.source)).not.toContain('MMGRAPH_CUDA_LIBS');
    expect(dirs).toContainEqual({ dir: '/opt/my-cuda/lib64', source: 'CUDA toolkit' });
  });

  test('missing libraries make the backend unavailable with their names and the command that installs them', () => {
    const lib = path.join(tmp, 'm2', 'libmmgraph_cuda.so');
    fs.mkdirSync(path.dirname(lib), { recursive: true });
    fs.writeFileSync(lib, 'not loaded: the missing library is reported first');
    fs.writeFileSync(
      lib.replace(/\.so$/, '.json'),
      JSON.stringify({ cuda: '13.0', archs: [80, 90], needed: ['libmmgraph_nowhere.so.99'], minDriver: '580.65.06' }),
    );
    withEnv({ MMGRAPH_CUDA_LIB: lib }, () =>
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { backends, cudaReport } = require('../../lib/backends') as typeof import('../../lib/backends');
        const cuda = backends()[1];
        expect(cuda).toMatchObject({ available: false, code: 'no-cuda-libs', library: lib });
        expect(cuda.reason).toMatch(/^CUDA 13\.0 libraries not found: libmmgraph_nowhere\.so\.99 \(pip install 'cuda-toolkit\[cudart,cublas,cusparse,cufft\]==13\.\*'/);
        const r = cudaReport();
        expect(r.libs).toHaveLength(1);
        expect(r.libs![0].error).toMatch(/libmmgraph_nowhere\.so\.99/);
      }),
    );
  });

  test('install hint and driver comparison', () => {
    const m = { cuda: '13.0', archs: [80, 90], needed: [], minDriver: '580.65.06' };
    expect(cudaInstallHint(m)).toMatch(/cuda-toolkit\[cudart,cublas,cusparse,cufft\]==13\.\*.*MMGRAPH_CUDA_LIBS.*CUDA 13\.x toolkit/);
    expect(versionAtLeast('580.82.07', '580.65.06')).toBe(true);
    expect(versionAtLeast('580.65.06', '580.65.06')).toBe(true);
    expect(versionAtLeast('575.57.08', '580.65.06')).toBe(false);
    expect(versionAtLeast('1000', '580.65.06')).toBe(true);
  });
});
