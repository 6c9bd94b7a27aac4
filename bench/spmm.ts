/**
 * spmm bandwidth on a synthetic Baby-sized bipartite graph Â (U = 19,445, I = 7,050, E = 118,551
 * interactions with skewed item popularity, nnz = 2E ≈ 237k), d = 64, float32. The baseline is a
 * memcpy (TypedArray.set, one thread) of the same number of bytes, measured in the same run.
 * Bytes counted for spmm: indptr + indices + values + one X row per non-zero + Y.
 */
import { CsrMatrix, spmm, tensor } from '../lib';
import { Lcg, babyAdjacency, fmt, lastCpu, loadThreads, machine, timeIt } from './util';

export function benchSpmm(): { ratio: number } {
  console.log(`# spmm — ${machine()}`);
  const d = 64;
  const rng = new Lcg(2);
  const g = babyAdjacency(rng);
  const N = g.n;
  const A = CsrMatrix.fromCoo(N, N, g.rows, g.cols, g.vals, { duplicates: 'sum' });
  const X = tensor(rng.fill(new Float32Array(N * d)), [N, d]);
  const nnz = A.nnz;
  const bytes = 4 * (N + 1) + 8 * nnz + 4 * nnz * d + 4 * N * d;
  const tSpmm = timeIt(() => spmm(A, X).dispose(), 21, 3);
  const cpuSpmm = lastCpu;
  const src = new Uint8Array(bytes), dst = new Uint8Array(bytes);
  src.fill(1);
  const tCopy = timeIt(() => dst.set(src), 21, 3);
  const cpuCopy = lastCpu;
  const gbS = bytes / tSpmm / 1e9, gbC = bytes / tCopy / 1e9;
  const ratio = tCopy / tSpmm;
  console.log(`N=${N}, nnz=${nnz}, d=${d}: spmm ${fmt(tSpmm * 1e3, 3)} ms = ${fmt(gbS)} GB/s; memcpy of ${fmt(bytes / 1e6, 1)} MB ${fmt(tCopy * 1e3, 3)} ms = ${fmt(gbC)} GB/s; spmm/memcpy ${fmt(ratio)}`);
  console.log(`  (${fmt((2 * nnz * d) / tSpmm / 1e9)} GFLOP/s; backward uses the same kernel on the cached transpose)`);
  console.log(`  CPU time: spmm ${fmt(cpuSpmm * 1e3, 3)} ms over ${loadThreads()} threads (unloaded estimate ${fmt((cpuSpmm / loadThreads()) * 1e3, 3)} ms), memcpy ${fmt(cpuCopy * 1e3, 3)} ms on 1 thread; CPU-time ratio memcpy/(spmm per thread) ${fmt(cpuCopy / (cpuSpmm / loadThreads()))}`);
  A.dispose();
  X.dispose();
  return { ratio };
}

if (require.main === module) benchSpmm();
