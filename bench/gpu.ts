/**
 * GPU benchmarks (issue: CUDA backend §3). Runs only where the CUDA backend is usable; elsewhere it
 * prints why it was skipped and exits 0. Every figure is a fraction of the device's theoretical
 * peak, read at run time from its clocks (cuda/backend.cu peak_desc), or of a device-to-device
 * copy measured in the same run:
 *   - matmul at D1 (7050×4096)·(4096×64) and the scoring shape: GFLOP/s vs FP32 peak;
 *   - spmm on a Baby-sized Â (N = 26,495, nnz ≈ 237k, d = 64): effective GB/s vs peak and vs a
 *     device copy of the same byte count;
 *   - adam over 31.6M parameters (SMORE's size): GB/s (7 × 4 bytes per element) vs peak;
 *   - linear_input_adam on the image table against matmul + adam, adam_multi against one adam per
 *     tensor: ms and their ratio;
 *   - scoreTopk for all 19,445 users × 7,050 items, K = 50, and knnGraph 7,050 × 4,096, k = 40: ms.
 *
 *   node dist/bench/gpu.js                 # on a machine with a GPU and build-cuda/ built
 *   MMGRAPH_BENCH_DEVICE=cuda-emu node dist/bench/gpu.js   # dry run of the same code on the host
 *                                           # emulator (host timings: NOT GPU figures)
 */
import { CsrMatrix, backends, knnGraph, scoreTopk, spmm, synchronize, tensor, type Device, type Tensor } from '../lib';
import { runOp, runOp1 } from '../lib/ops/run';
import { EMU, enableEmulator } from '../lib/testing';
import { Lcg, babyAdjacency, babyTrainMask, fmt } from './util';

function timeDevice(fn: () => void, reps: number): number {
  fn();
  synchronize();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = process.hrtime.bigint();
    fn();
    synchronize();
    t.push(Number(process.hrtime.bigint() - s) / 1e9);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

function onDevice(a: Float32Array | Float64Array, shape: number[], device: Device): Tensor {
  return tensor(a, shape, { device });
}

export function benchGpu(): void {
  const device = (process.env.MMGRAPH_BENCH_DEVICE ?? 'cuda') as Device;
  if (device === EMU) enableEmulator();  // a dry run on the host emulator (a test device)
  const cuda = backends().find((b) => b.name === 'cuda')!;
  if (device === 'cuda' && !cuda.available) {
    console.log(`# gpu — skipped: no usable CUDA backend (${cuda.code}: ${cuda.reason}). No GPU figure measured.`);
    return;
  }
  if (device !== 'cuda' && device !== EMU) throw new Error(`MMGRAPH_BENCH_DEVICE: expected cuda or cuda-emu, got ${device}`);
  const peak = /peak (\d+) GB\/s, (\d+) FP32 GFLOP\/s/.exec(cuda.detail ?? '');
  const peakGBs = device === 'cuda' && peak ? Number(peak[1]) : NaN;
  const peakGF = device === 'cuda' && peak ? Number(peak[2]) : NaN;
  console.log(
    device === 'cuda'
      ? `# gpu — ${cuda.detail}`
      : '# gpu — cuda-emu DRY RUN: the kernels\' bodies on host launchers; these are host timings, not GPU figures',
  );
  const frac = (x: number, p: number) => (Number.isFinite(p) ? ` = ${fmt((100 * x) / p, 1)}% of peak` : '');
  const rng = new Lcg(11);

  // matmul
  for (const [name, m, k, n, tb] of [
    ['D1 (7050x4096)·(4096x64)', 7050, 4096, 64, false],
    ['scoring (4096x64)·(7050x64)ᵀ', 4096, 64, 7050, true],
  ] as Array<[string, number, number, number, boolean]>) {
    const a = onDevice(rng.fill(new Float32Array(m * k)), [m, k], device);
    const b = onDevice(rng.fill(new Float32Array(k * n)), tb ? [n, k] : [k, n], device);
    const t = timeDevice(() => runOp1('matmul', [a, b], [0, tb ? 1 : 0]).dispose(), 10);
    const gf = (2 * m * n * k) / t / 1e9;
    console.log(`matmul ${name}: ${fmt(t * 1e3, 3)} ms, ${fmt(gf, 1)} GFLOP/s${frac(gf, peakGF)}`);
    a.dispose();
    b.dispose();
  }

  // spmm vs a device copy of the same bytes (reshape copies device to device)
  {
    const d = 64;
    const g = babyAdjacency(rng);
    const N = g.n;
    const host = CsrMatrix.fromCoo(N, N, g.rows, g.cols, g.vals, { duplicates: 'sum' });
    const A = host.to(device);
    const X = onDevice(rng.fill(new Float32Array(N * d)), [N, d], device);
    const bytes = 4 * (N + 1) + 8 * A.nnz + 4 * A.nnz * d + 4 * N * d;
    const t = timeDevice(() => spmm(A, X).dispose(), 20);
    const C = onDevice(new Float32Array(Math.ceil(bytes / 8)), [Math.ceil(bytes / 8)], device);
    const tc = timeDevice(() => runOp1('reshape', [C], [C.shape[0]]).dispose(), 20);
    const gbs = bytes / t / 1e9, gbc = (2 * 4 * C.shape[0]) / tc / 1e9;
    console.log(`spmm N=${N}, nnz=${A.nnz}, d=${d}: ${fmt(t * 1e3, 3)} ms, ${fmt(gbs, 1)} GB/s${frac(gbs, peakGBs)}; device copy ${fmt(gbc, 1)} GB/s (read+write); spmm/copy ${fmt(gbs / gbc)}`);
    for (const x of [host, A, X, C]) x.dispose();
  }

  // adam over SMORE's parameter count
  {
    const n = 31_600_000;
    const mk = () => onDevice(new Float32Array(n).fill(0.5), [n], device);
    const [p, g, m, v] = [mk(), mk(), mk(), mk()];
    let step = 0;
    const t = timeDevice(() => void runOp('adam', [p, g, m, v], [1e-3, 0.9, 0.999, 1e-8, 0, ++step]), 10);
    const gbs = (28 * n) / t / 1e9;
    console.log(`adam ${n} float32 parameters: ${fmt(t * 1e3, 3)} ms, ${fmt(gbs, 1)} GB/s${frac(gbs, peakGBs)}`);
    for (const x of [p, g, m, v]) x.dispose();
  }

  // The image table's update: linear_input_adam against the unfused matmul (dX stored) + adam.
  {
    const [n, k, o] = [7050, 4096, 64];
    const rnd = new Lcg(7);
    const mk = (shape: number[]) => onDevice(Float32Array.from({ length: shape[0] * shape[1] }, () => rnd.next() - 0.5), shape, device);
    const [p, m, v, dy, w] = [mk([n, k]), mk([n, k]), mk([n, k]), mk([n, o]), mk([o, k])];
    let step = 0;
    const attrs = () => [1e-3, 0.9, 0.999, 1e-8, 0, ++step];
    const tf = timeDevice(() => void runOp('linear_input_adam', [p, dy, w, m, v], attrs()), 10);
    const tu = timeDevice(() => {
      const g = runOp1('matmul', [dy, w], [0, 0]);
      runOp('adam', [p, g, m, v], attrs());
      g.dispose();
    }, 10);
    console.log(`linear_input_adam [${n}×${k}] from dY [${n}×${o}]: ${fmt(tf * 1e3, 3)} ms; matmul + adam ${fmt(tu * 1e3, 3)} ms; fused / unfused ${fmt(tf / tu)}`);
    for (const x of [p, m, v, dy, w]) x.dispose();
  }

  // adam_multi against one adam launch per tensor, over SMORE's parameters but the feature tables.
  {
    const shapes = [[19445, 64], [7050, 64], [64, 4096], [64], [64, 384], [64], [2, 33, 64], [2, 33, 64], [64, 64], [64], [64, 64], [64]];
    const groups = shapes.map((s) => [0, 1, 2, 3].map(() => onDevice(new Float32Array(s.reduce((a, b) => a * b, 1)).fill(0.5), s, device)));
    const hyper = [1e-3, 0.9, 0.999, 1e-8, 0];
    const tm = timeDevice(() => void runOp('adam_multi', groups.flat(), [...hyper, ...shapes.map(() => 1)]), 20);
    const ts = timeDevice(() => groups.forEach((g) => runOp('adam', g, [...hyper, 1])), 20);
    console.log(`adam over ${shapes.length} tensors: adam_multi (one launch) ${fmt(tm * 1e3, 3)} ms; one adam each ${fmt(ts * 1e3, 3)} ms`);
    for (const x of groups.flat()) x.dispose();
  }

  // scoreTopk, all users
  {
    const U = 19445, I = 7050, d = 64, K = 50;
    const users = onDevice(rng.fill(new Float32Array(U * d)), [U, d], device);
    const items = onDevice(rng.fill(new Float32Array(I * d)), [I, d], device);
    const { indptr, indices } = babyTrainMask(rng, U, I);
    const t = timeDevice(() => {
      const r = scoreTopk(users, items, K, { exclude: { indptr, indices } });
      r.indices.dispose();
      r.values.dispose();
    }, 5);
    console.log(`scoreTopk ${U} users × ${I} items, d=${d}, K=${K}: ${fmt(t * 1e3, 1)} ms (score GEMM ${fmt((2 * U * I * d) / t / 1e9, 1)} GFLOP/s effective)`);
    users.dispose();
    items.dispose();
  }

  // knnGraph at Baby's image size
  {
    const n = 7050, f = 4096, k = 40;
    const X = onDevice(rng.fill(new Float32Array(n * f), 0, 1), [n, f], device);
    const t = timeDevice(() => knnGraph(X, k).dispose(), 3);
    console.log(`knnGraph ${n} × ${f}, k=${k}: ${fmt(t * 1e3, 1)} ms`);
    X.dispose();
  }
}

if (require.main === module) benchGpu();
