/**
 * knnGraph at Baby's image size: 7,050 x 4,096 non-negative features (like ReLU CNN output), k = 40,
 * float32. Baseline, same run: the GEMM FLOP the op needs (the upper triangle of X·Xᵀ in 256-row
 * blocks, ≈ n²f plus the diagonal blocks) at the rate Eigen reaches on one such block.
 */
import { knnGraph, tensor } from '../lib';
import { runOp1 } from '../lib/ops/run';
import { Lcg, fmt, lastCpu, loadThreads, machine, timeIt } from './util';

export function benchKnn(): { seconds: number } {
  console.log(`# knnGraph — ${machine()}`);
  const n = 7050, f = 4096, k = 40, block = 256;
  const rng = new Lcg(3);
  const X = tensor(rng.fill(new Float32Array(n * f), 0, 1), [n, f]);
  const seconds = timeIt(() => knnGraph(X, k).dispose(), 3, 1);
  const cpu = lastCpu;
  // Reference rate: one full-width block product (256 x 4096)·(7050 x 4096)ᵀ.
  const blk = tensor(rng.fill(new Float32Array(block * f), 0, 1), [block, f]);
  const tBlk = timeIt(() => runOp1('gemm_bench', [blk, X], [1, 0, 1]).dispose(), 3, 1);
  const rate = (2 * block * n * f) / tBlk;
  let flop = 0;
  for (let i0 = 0; i0 < n; i0 += block) flop += 2 * Math.min(block, n - i0) * (n - i0) * f;
  const gemmOnly = flop / rate;
  console.log(`n=${n}, f=${f}, k=${k}: knnGraph ${fmt(seconds, 3)} s; GEMM-only estimate at Eigen's block rate (${fmt(rate / 1e9, 1)} GFLOP/s) ${fmt(gemmOnly, 3)} s; knn/gemm-only ${fmt(seconds / gemmOnly)}; dense build_sim would be ${fmt((2 * n * n * f) / rate, 2)} s of GEMM alone`);
  console.log(`  knnGraph CPU time ${fmt(cpu, 2)} s → unloaded estimate ${fmt(cpu / loadThreads(), 2)} s on ${loadThreads()} threads`);
  X.dispose();
  blk.dispose();
  return { seconds };
}

if (require.main === module) benchKnn();
