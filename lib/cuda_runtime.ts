/**
 * Where the CUDA backend's run-time libraries come from on a user's machine.
 *
 * libmmgraph_cuda.so links the shared CUDA runtime, cuBLAS, cuSPARSE and cuFFT (and through them
 * cuBLASLt and nvJitLink) by soname. They are not shipped in the npm package (hundreds of MB, and
 * NVIDIA's licence asks for its own redistribution terms); the user installs them once, either
 * as NVIDIA's pip wheels (`pip install 'cuda-toolkit[cudart,cublas,cusparse,cufft]==13.*'`) or with
 * the CUDA toolkit. Before the backend is opened, each soname the
 * library needs is looked for, in this order:
 *   1. MMGRAPH_CUDA_LIBS: a `pip install --target` dir, or a dir with the libraries (or lib/, lib64/);
 *   2. LD_LIBRARY_PATH's dirs;
 *   3. NVIDIA pip wheels in the active virtualenv/conda env, the user site and the system
 *      site-packages (nvidia/cu13/lib, nvidia/<lib>/lib), and the package's own .cuda-libs/ (a
 *      source checkout, where scripts/ci-cuda.sh installs them);
 *   4. a CUDA toolkit: CUDA_HOME, CUDA_PATH, /usr/local/cuda, /usr/local/cuda-<major>.*;
 *   5. the system linker's own search (ldconfig cache) by soname.
 * Every library found in 1–4 is mapped with RTLD_GLOBAL (addon.openLibrary), dependencies first,
 * so the backend's own dlopen then resolves it by soname; LD_LIBRARY_PATH cannot be changed for a
 * running process, so this is how a wheel install works without the user touching it.
 *
 * The sonames and the minimum driver come from the manifest scripts/build-cuda.js writes next to
 * the library (libmmgraph_cuda.json); without one (an older local build) the CUDA 13 set is assumed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAddon, packageRoot } from './native/load';

/** What scripts/build-cuda.js records about a built libmmgraph_cuda.so. */
export interface CudaManifest {
  /** CUDA toolkit version the library was built with, e.g. "13.0". */
  cuda: string;
  /** Architectures with SASS; the highest also has PTX, which newer GPUs JIT-compile. */
  archs: number[];
  /** Sonames to load, dependencies first. */
  needed: string[];
  /** Oldest NVIDIA Linux driver that runs this CUDA major version. */
  minDriver: string;
}

export interface CudaLibraryInfo {
  soname: string;
  /** The file, when found (or, after loading, the file the system linker mapped). */
  path?: string;
  /** Where it was found: 'MMGRAPH_CUDA_LIBS', 'LD_LIBRARY_PATH', 'pip wheel', 'CUDA toolkit', 'system'. */
  source?: string;
  /** dlopen's words when it was found but did not load, or could not be found at all. */
  error?: string;
}

/** Oldest Linux driver per CUDA major version (NVIDIA's CUDA toolkit release notes, table 3). */
const MIN_DRIVER: Record<string, string> = { '12': '525.60.13', '13': '580.65.06' };

const DEFAULT_MANIFEST: CudaManifest = {
  cuda: '13.0',
  archs: [80, 90],
  needed: ['libcudart.so.13', 'libnvJitLink.so.13', 'libcublasLt.so.13', 'libcublas.so.13', 'libcusparse.so.12', 'libcufft.so.12'],
  minDriver: MIN_DRIVER['13'],
};

/** The manifest next to a backend library (libmmgraph_cuda.json), or the CUDA 13 defaults. */
export function cudaManifest(library: string): CudaManifest & { fromFile: boolean } {
  const file = library.replace(/\.so$/, '.json');
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CudaManifest>;
    if (typeof m.cuda === 'string' && Array.isArray(m.needed) && m.needed.length) {
      const major = m.cuda.split('.')[0];
      return {
        cuda: m.cuda,
        archs: Array.isArray(m.archs) ? m.archs : DEFAULT_MANIFEST.archs,
        needed: m.needed,
        minDriver: m.minDriver ?? MIN_DRIVER[major] ?? 'unknown',
        fromFile: true,
      };
    }
  } catch {
    // no manifest: an older local build
  }
  return { ...DEFAULT_MANIFEST, fromFile: false };
}

function globDirs(parent: string, re: RegExp): string[] {
  try {
    return fs
      .readdirSync(parent)
      .filter((d) => re.test(d))
      .sort()
      .reverse()
      .map((d) => path.join(parent, d));
  } catch {
    return [];
  }
}

/** nvidia/<x>/lib dirs under a site-packages (or pip --target) dir. */
function wheelLibDirs(site: string): string[] {
  return globDirs(path.join(site, 'nvidia'), /.*/).map((d) => path.join(d, 'lib'));
}

function sitePackages(): string[] {
  const out: string[] = [];
  const pyLibs = (prefix: string) =>
    globDirs(path.join(prefix, 'lib'), /^python3\.\d+$/).flatMap((d) => [path.join(d, 'site-packages'), path.join(d, 'dist-packages')]);
  for (const prefix of [process.env.VIRTUAL_ENV, process.env.CONDA_PREFIX, path.join(os.homedir(), '.local'), '/usr/local', '/usr', '/opt/conda'])
    if (prefix) out.push(...pyLibs(prefix));
  out.push('/usr/lib/python3/dist-packages');
  return out;
}

/** Candidate directories with the source label each reports, in search order. */
export function cudaSearchDirs(major: string): Array<{ dir: string; source: string }> {
  const out: Array<{ dir: string; source: string }> = [];
  const add = (source: string, dirs: string[]) => dirs.forEach((dir) => out.push({ dir, source }));
  const explicit = process.env.MMGRAPH_CUDA_LIBS;
  if (explicit) {
    const r = path.resolve(explicit);
    add('MMGRAPH_CUDA_LIBS', [r, path.join(r, 'lib'), path.join(r, 'lib64'), ...wheelLibDirs(r)]);
  }
  add('LD_LIBRARY_PATH', (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean));
  add('pip wheel', [...sitePackages().flatMap(wheelLibDirs), ...wheelLibDirs(path.join(packageRoot, '.cuda-libs'))]);
  const toolkits = [process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda', ...globDirs('/usr/local', new RegExp(`^cuda-${major}\\.`))];
  add(
    'CUDA toolkit',
    toolkits.filter((t): t is string => !!t).flatMap((t) => [path.join(t, 'lib64'), path.join(t, 'targets', `${os.arch() === 'arm64' ? 'sbsa' : 'x86_64'}-linux`, 'lib')]),
  );
  return out;
}

/** Finds every library the backend needs (without loading anything). */
export function findCudaLibraries(manifest: CudaManifest): CudaLibraryInfo[] {
  const dirs = cudaSearchDirs(manifest.cuda.split('.')[0]);
  return manifest.needed.map((soname) => {
    for (const { dir, source } of dirs) {
      const p = path.join(dir, soname);
      if (fs.existsSync(p)) return { soname, path: p, source };
    }
    return { soname };
  });
}

/**
 * Maps every needed library, dependencies first: the ones found by path, the rest by soname
 * through the system search. Returns each one's outcome; missing ones carry dlopen's error.
 */
export function preloadCudaLibraries(manifest: CudaManifest): CudaLibraryInfo[] {
  const addon = loadAddon();
  return findCudaLibraries(manifest).map((lib) => {
    const r = addon.openLibrary(lib.path ?? lib.soname);
    if (r.ok) return { ...lib, path: r.path, source: lib.source ?? 'system' };
    return { ...lib, error: r.error };
  });
}

/** The NVIDIA kernel driver's version (e.g. "580.82.07"), or undefined when no driver is loaded. */
export function nvidiaDriverVersion(): string | undefined {
  try {
    const m = /Kernel Module(?:\s+for\s+\S+)?\s+([0-9][0-9.]+)/.exec(fs.readFileSync('/proc/driver/nvidia/version', 'utf8'));
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** Numeric comparison of dotted versions ("580.65.06" vs "575.51.03"). */
export function versionAtLeast(have: string, need: string): boolean {
  const a = have.split('.').map(Number), b = need.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0, y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * The exact command that installs the libraries: NVIDIA's `cuda-toolkit` metapackage pins wheel
 * versions that belong together (cuSPARSE and cuFFT have their own version numbers, 12.x under
 * CUDA 13, and both pull nvJitLink). Any 13.x runtime works with a CUDA 13 build.
 */
export function cudaInstallHint(manifest: CudaManifest): string {
  const major = manifest.cuda.split('.')[0];
  return (
    `pip install 'cuda-toolkit[cudart,cublas,cusparse,cufft]==${major}.*' (in the Python environment active when mmgraph runs, ` +
    `or add --target DIR and set MMGRAPH_CUDA_LIBS=DIR), or install the CUDA ${major}.x toolkit (found through CUDA_HOME or /usr/local/cuda)`
  );
}
