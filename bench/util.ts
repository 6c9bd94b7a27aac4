/** Shared benchmark helpers: timing (median of repeats after a warm-up) and deterministic data. */
import { loadAddon } from '../lib/native/load';

/**
 * Median seconds of `reps` runs of fn, after `warmup` untimed runs. Also records the process CPU
 * time of the median run (all threads): on a shared machine the wall time stretches with other
 * load, while CPU-seconds / threads estimates the wall time of an unloaded run (see lastCpu).
 */
export let lastCpu = 0;
export function timeIt(fn: () => void, reps = 5, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: Array<[number, number]> = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const s = process.hrtime.bigint();
    fn();
    const wall = Number(process.hrtime.bigint() - s) / 1e9;
    const c = process.cpuUsage(c0);
    t.push([wall, (c.user + c.system) / 1e6]);
  }
  t.sort((a, b) => a[0] - b[0]);
  const [wall, cpu] = t[Math.floor(t.length / 2)];
  lastCpu = cpu;
  return wall;
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
  return `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} logical CPUs, pool threads ${loadAddon().numThreads()}, gemm ${info.gemm} (${info.gemmSimd}), CPU features: ${info.cpuFeatures}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`;
}

export const fmt = (x: number, digits = 2): string => x.toFixed(digits);

export function loadThreads(): number {
  return loadAddon().numThreads();
}

/**
 * A Baby-sized symmetric bipartite adjacency Â (U = 19,445 users, I = 7,050 items, E = 118,551
 * interactions, popular items drawn more often), every value 0.1: the spmm benchmarks' matrix.
 */
export function babyAdjacency(rng: Lcg): { n: number; rows: Int32Array; cols: Int32Array; vals: Float32Array } {
  const U = 19445, I = 7050, E = 118551;
  const rows = new Int32Array(2 * E), cols = new Int32Array(2 * E);
  for (let e = 0; e < E; e++) {
    const u = Math.floor(rng.next() * U);
    const i = Math.floor(I * rng.next() ** 2); // popular items get more interactions
    rows[2 * e] = u;
    cols[2 * e] = U + i;
    rows[2 * e + 1] = U + i;
    cols[2 * e + 1] = u;
  }
  return { n: U + I, rows, cols, vals: new Float32Array(2 * E).fill(0.1) };
}

/** The scoring benchmarks' mask: 118,551 random train items spread evenly over `users` users (CSR). */
export function babyTrainMask(rng: Lcg, users: number, items: number, e = 118551): { indptr: Int32Array; indices: Int32Array } {
  const indptr = new Int32Array(users + 1), indices = new Int32Array(e);
  for (let u = 0; u < users; u++) indptr[u + 1] = Math.round(((u + 1) * e) / users);
  for (let q = 0; q < e; q++) indices[q] = Math.floor(rng.next() * items);
  return { indptr, indices };
}
