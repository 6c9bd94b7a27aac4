/**
 * Dense GEMM throughput on the shapes of spec/cost.md, all in the same run: the `matmul` op as
 * models call it (default path) against Eigen alone, Eigen at its best SIMD level on this CPU vs
 * capped at AVX2, and the built-in packed kernel (used when Eigen is absent). The naive triple loop runs only on a 64-row block of
 * D1 (it is ~100x slower); its GFLOP/s are for scale, not a full-shape measurement.
 */
import { tensor, type Tensor } from '../lib';
import { loadAddon } from '../lib/native/load';
import { runOp1 } from '../lib/ops/run';
import { Lcg, fmt, machine, timeIt } from './util';

interface Shape {
  name: string;
  m: number;
  k: number;
  n: number;
  transB?: boolean;
}

const SHAPES: Shape[] = [
  { name: 'D1 image projection (7050x4096)·(4096x64)', m: 7050, k: 4096, n: 64 },
  { name: 'D2 text projection (7050x384)·(384x64)', m: 7050, k: 384, n: 64 },
  { name: 'D5/D6 per-node layer (26495x64)·(64x64)', m: 26495, k: 64, n: 64 },
  { name: 'D7 InfoNCE (2048x64)·(2048x64)ᵀ', m: 2048, k: 64, n: 2048, transB: true },
  { name: 'scoring (4096x64)·(7050x64)ᵀ', m: 4096, k: 64, n: 7050, transB: true },
  { name: 'build_sim block (256x4096)·(7050x4096)ᵀ', m: 256, k: 4096, n: 7050, transB: true },
];

const IMPL = { auto: 0, eigen: 1, builtin: 2, naive: 3, eigenAvx2: 4 } as const;

function opGflops(a: Tensor, b: Tensor, s: Shape, reps: number): number {
  const t = timeIt(() => runOp1('matmul', [a, b], [0, s.transB ? 1 : 0]).dispose(), reps);
  return (2 * s.m * s.n * s.k) / t / 1e9;
}

function gflops(a: Tensor, b: Tensor, s: Shape, impl: number, reps: number): number {
  const t = timeIt(() => runOp1('gemm_bench', [a, b], [impl, 0, s.transB ? 1 : 0]).dispose(), reps);
  return (2 * s.m * s.n * s.k) / t / 1e9;
}

export function benchMatmul(): { d1BuiltinOverEigen: number; d1OpOverEigen: number } {
  const simd = loadAddon().buildInfo.gemmSimd;
  console.log(`# matmul (float32) — ${machine()}; default GEMM SIMD level: ${simd}`);
  const rng = new Lcg(1);
  let d1 = 0;
  let d1op = 0;
  for (const s of SHAPES) {
    const a = tensor(rng.fill(new Float32Array(s.m * s.k)), [s.m, s.k]);
    const b = tensor(rng.fill(new Float32Array(s.k * s.n)), s.transB ? [s.n, s.k] : [s.k, s.n]);
    const reps = s.m * s.n * s.k > 1e9 ? 3 : 7;
    const op = opGflops(a, b, s, reps);
    const eigen = gflops(a, b, s, IMPL.eigen, reps);
    const avx2 = gflops(a, b, s, IMPL.eigenAvx2, reps);
    const builtin = gflops(a, b, s, IMPL.builtin, reps);
    if (s.name.startsWith('D1')) {
      d1 = builtin / eigen;
      d1op = op / eigen;
    }
    console.log(
      `${s.name}: matmul op ${fmt(op, 1)}, eigen ${fmt(eigen, 1)} (${simd}), eigen-avx2 ${fmt(avx2, 1)}, built-in ${fmt(builtin, 1)} GFLOP/s; ` +
        `op/eigen ${fmt(op / eigen)}, eigen/eigen-avx2 ${fmt(eigen / avx2)}, built-in/eigen ${fmt(builtin / eigen)}`,
    );
    a.dispose();
    b.dispose();
  }
  // Naive: one 64-row block of D1 only.
  const s: Shape = { name: 'D1 64-row block (64x4096)·(4096x64)', m: 64, k: 4096, n: 64 };
  const a = tensor(rng.fill(new Float32Array(s.m * s.k)), [s.m, s.k]);
  const b = tensor(rng.fill(new Float32Array(s.k * s.n)), [s.k, s.n]);
  const e = gflops(a, b, s, IMPL.eigen, 7), bi = gflops(a, b, s, IMPL.builtin, 7), nv = gflops(a, b, s, IMPL.naive, 3);
  console.log(`${s.name}: eigen ${fmt(e, 1)}, built-in ${fmt(bi, 1)}, naive ${fmt(nv, 2)} GFLOP/s (naive/eigen ${fmt(nv / e, 3)}; single-threaded below 2 MFLOP only, so this block is threaded for eigen/built-in)`);
  a.dispose();
  b.dispose();
  return { d1BuiltinOverEigen: d1, d1OpOverEigen: d1op };
}

if (require.main === module) benchMatmul();
