/** Shared benchmark helpers: timing (median of repeats after a warm-up) and deterministic data. */
import { loadAddon } from '../lib/native/load';

/** Median seconds of `reps` runs of fn, after `warmup` untimed runs. */
export function timeIt(fn: () => void, reps = 5, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e9);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

/** Deterministic uniform [0, 1) stream (a 32-bit LCG: enough for synthetic benchmark data). */
export class Lcg {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s / 4294967296;
  }
  fill(a: Float32Array | Float64Array, lo = -0.5, hi = 0.5): typeof a {
    for (let i = 0; i < a.length; i++) a[i] = lo + (hi - lo) * this.next();
    return a;
  }
}

export function machine(): string {
  const info = loadAddon().buildInfo;
  const os = require('os') as typeof import('os');
  return `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} logical CPUs, pool threads ${loadAddon().numThreads()}, gemm ${info.gemm}, CPU features: ${info.cpuFeatures}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`;
}

export const fmt = (x: number, digits = 2): string => x.toFixed(digits);
