/**
 * Grids as MMRec runs them: the Cartesian product of the axes, the first axis the outermost loop
 * and the last varying fastest (itertools.product), each combination a full, independent run per
 * seed. Also the seed list and the mean ± sd summary of repeated runs.
 */
import { createHash } from 'crypto';
import { MmgError } from '../errors';
import type { TrainOptions } from '../train/trainer';
import type { GridAxis, RunConfig } from './mmrec_yaml';

export interface Combination {
  /** 0-based position in product order. */
  index: number;
  /** Axis name → the value this combination takes (file names, for tables). */
  values: Record<string, unknown>;
  model: Record<string, unknown>;
  train: Partial<TrainOptions>;
}

const setOwn = (o: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** Every combination of the axes over the fixed values (one combination when there are no axes). */
export function expandGrid(cfg: Pick<RunConfig, 'model' | 'train' | 'axes'>): Combination[] {
  const count = cfg.axes.reduce((n, a) => n * a.values.length, 1);
  if (count > 100000) throw new MmgError(`grid: ${count} combinations is more than 100000; narrow the lists`, 'MMG_E_ARG');
  const out: Combination[] = [];
  for (let index = 0; index < count; index++) {
    const model: Record<string, unknown> = {};
    for (const k of Object.keys(cfg.model)) setOwn(model, k, cfg.model[k]);
    const train: Record<string, unknown> = { ...cfg.train };
    const values: Record<string, unknown> = {};
    // Mixed-radix digits of index, the last axis least significant.
    let rest = index;
    const picks: Array<[GridAxis, unknown]> = [];
    for (let a = cfg.axes.length - 1; a >= 0; a--) {
      const axis = cfg.axes[a];
      picks.unshift([axis, axis.values[rest % axis.values.length]]);
      rest = Math.floor(rest / axis.values.length);
    }
    for (const [axis, v] of picks) {
      setOwn(values, axis.name, v);
      setOwn(axis.target === 'model' ? model : train, axis.key, v);
    }
    out.push({ index, values, model, train: train as Partial<TrainOptions> });
  }
  return out;
}

/** `--seeds 1,2,3` → [1, 2, 3] (distinct integers). */
export function parseSeeds(s: string): number[] {
  const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
  const seeds = parts.map(Number);
  if (!seeds.length || seeds.some((x) => !Number.isInteger(x))) throw new MmgError(`--seeds: expected a comma-separated list of integers, got '${s}'`, 'MMG_E_ARG');
  if (new Set(seeds).size !== seeds.length) throw new MmgError(`--seeds: expected distinct seeds, got '${s}'`, 'MMG_E_ARG');
  return seeds;
}

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function meanSd(xs: number[]): { mean: number; sd: number; n: number } {
  const n = xs.length;
  if (!n) return { mean: NaN, sd: NaN, n: 0 };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** JSON with sorted keys, so equal settings give equal text whatever order they were built in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A short stable id of a run's full settings (its folder name in a grid). */
export function runId(settings: unknown): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex').slice(0, 12);
}
