/** Locates ../shared/fixtures (CI clones the project with shared/ beside it; MMGRAPH_SHARED overrides). */
import * as fs from 'fs';
import * as path from 'path';
import { readNpy, npyToNumbers, type NpyArray } from '../../lib/data/npy';

export const sharedDir = process.env.MMGRAPH_SHARED ?? path.resolve(__dirname, '..', '..', '..', 'shared');
export const fixturesDir = path.join(sharedDir, 'fixtures');

export function fixture(...parts: string[]): string {
  const p = path.join(fixturesDir, ...parts);
  if (!fs.existsSync(p)) throw new Error(`fixture missing: ${p} (set MMGRAPH_SHARED to the shared/ folder)`);
  return p;
}
export function npy(...parts: string[]): NpyArray {
  return readNpy(fixture(...parts));
}
export function npyNumbers(...parts: string[]): number[] {
  return npyToNumbers(npy(...parts));
}
export function json<T = unknown>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(fixture(...parts), 'utf8')) as T;
}
