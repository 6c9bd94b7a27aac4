/**
 * Finds and loads the native addon. Tries, in order: MMGRAPH_ADDON (an explicit path), the local
 * build (build/Release), and a prebuild for this platform (prebuilds/<platform>-<arch>/). When
 * nothing loads, throws one error listing what was tried and what to do.
 *
 * Which GEMM a source build got is said once, by the build itself (scripts/gyp-info.js), and by
 * `mmgraph info`; loading stays silent so every command's stderr carries only its own messages.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MmgError } from '../errors';
import type { NativeAddon } from './types';

export const packageRoot = findRoot(__dirname);

function findRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'binding.gyp'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', '..');
}

let cached: NativeAddon | undefined;
let cachedPath = '';

/** The file the addon was loaded from (after loadAddon()). */
export function addonPath(): string {
  loadAddon();
  return cachedPath;
}

export function loadAddon(): NativeAddon {
  if (cached) return cached;
  const tried: string[] = [];
  const candidates: Array<() => NativeAddon> = [];
  if (process.env.MMGRAPH_ADDON) {
    const p = path.resolve(process.env.MMGRAPH_ADDON);
    candidates.push(() => {
      tried.push(`MMGRAPH_ADDON=${p}`);
      cachedPath = require.resolve(p);
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      return require(p) as NativeAddon;
    });
  }
  candidates.push(() => {
    tried.push(`node-gyp-build(${packageRoot}): build/Release, build/Debug, prebuilds/${process.platform}-${process.arch}`);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const build = require('node-gyp-build') as { (dir: string): unknown; path(dir: string): string };
    cachedPath = build.path(packageRoot);
    return build(packageRoot) as NativeAddon;
  });
  const errors: string[] = [];
  for (const c of candidates) {
    try {
      const addon = c();
      addon.setErrorClass(MmgError);
      cached = addon;
      const cap = process.env.MMGRAPH_MAX_SIMD;
      if (cap && !['baseline', 'sse2', 'avx2', 'avx512'].includes(cap))
        process.emitWarning(`MMGRAPH_MAX_SIMD=${JSON.stringify(cap)} is not one of baseline, sse2, avx2, avx512: ignored (no cap)`, {
          code: 'MMGRAPH_BAD_SIMD_CAP',
        });
      return addon;
    } catch (e) {
      errors.push(`  - ${tried[tried.length - 1]}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new MmgError(
    [
      `mmgraph: could not load the native addon for ${process.platform}-${process.arch}, Node ${process.version}.`,
      'Tried:',
      ...errors,
      'Possible solutions:',
      '  - Build it from source: `npm rebuild mmgraph` (needs python3, make and a C++17 compiler).',
      '  - Install Eigen 3.4 headers (Debian: `apt-get install libeigen3-dev`) for faster dense products; the build works without them.',
      '  - Point MMGRAPH_ADDON at a built mmgraph.node.',
    ].join('\n'),
    'MMG_E_LOAD',
  );
}
