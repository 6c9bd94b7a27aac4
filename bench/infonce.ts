/**
 * infonce_loss_grad at SMORE's and GUME's shape ([2048×64] float32, τ = 0.2): the float32 tile path
 * (attr impl 0, the default) against the general-gemm path (impl 1), alternating in one process,
 * each as the minimum over many calls of wall and of process CPU time (the machine is shared: the
 * minimum is the least disturbed call). Also the D1 GEMM ([7050×4096]·[4096×64]) in the same run,
 * so the times can be read as ratios. `node dist/bench/infonce.js [n] [d] [rounds]`; bench/run.ts
 * runs it at [2048×64]. Prints; never asserts timings.
 */
import { tensor, type Tensor } from '../lib';
import { runOp, runOp1 } from '../lib/ops/run';
import { Lcg, machine } from './util';

function minTimes(fn: () => void, reps: number): { wall: number; cpu: number } {
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const s = process.hrtime.bigint();
    fn();
    wall = Math.min(wall, Number(process.hrtime.bigint() - s) / 1e6);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e3);
  }
  return { wall, cpu };
}

export function benchInfonce(n = 2048, d = 64, rounds = 6): { tile: number; general: number } {
  console.log(`\nmmgraph bench/infonce: ${machine()}`);
  const rng = new Lcg(5);
  const mk = (r: number, c: number): Tensor => tensor(rng.fill(new Float32Array(r * c)) as Float32Array, [r, c]);
  const a = mk(n, d), b = mk(n, d);
  const X = mk(7050, 4096), W = mk(4096, 64);
  const grad = (impl: number) => () => runOp('infonce_loss_grad', [a, b], [0.2, impl]).forEach((t) => t.dispose());
  const d1 = () => runOp1('matmul', [X, W], [0, 0]).dispose();
  for (let i = 0; i < 3; i++) [grad(0), grad(1), d1].forEach((f) => f());
  const best = { tile: { wall: Infinity, cpu: Infinity }, general: { wall: Infinity, cpu: Infinity }, d1: { wall: Infinity, cpu: Infinity } };
  const fold = (k: keyof typeof best, t: { wall: number; cpu: number }) => {
    best[k] = { wall: Math.min(best[k].wall, t.wall), cpu: Math.min(best[k].cpu, t.cpu) };
  };
  for (let r = 0; r < rounds; r++) {
    fold('tile', minTimes(grad(0), 10));
    fold('general', minTimes(grad(1), 10));
    fold('d1', minTimes(d1, 3));
  }
  const f = (t: { wall: number; cpu: number }) => `wall ${t.wall.toFixed(2)} ms, cpu ${t.cpu.toFixed(2)} ms`;
  console.log(`infonce_loss_grad [${n}×${d}] float32, min over ${rounds * 10} calls each:`);
  console.log(`  tile path (impl 0):    ${f(best.tile)}`);
  console.log(`  general path (impl 1): ${f(best.general)}`);
  console.log(`  D1 GEMM:               ${f(best.d1)} = ${((2 * 7050 * 4096 * 64) / best.d1.wall / 1e6).toFixed(1)} GFLOP/s`);
  console.log(`  tile / general: wall ${(best.tile.wall / best.general.wall).toFixed(3)}, cpu ${(best.tile.cpu / best.general.cpu).toFixed(3)}`);
  console.log(`  / D1 GEMM (wall): tile ${(best.tile.wall / best.d1.wall).toFixed(3)}, general ${(best.general.wall / best.d1.wall).toFixed(3)}`);
  for (const t of [a, b, X, W]) t.dispose();
  return { tile: best.tile.wall, general: best.general.wall };
}

if (require.main === module) benchInfonce(Number(process.argv[2] ?? 2048), Number(process.argv[3] ?? 64), Number(process.argv[4] ?? 6));
