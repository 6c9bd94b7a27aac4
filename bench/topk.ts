/**
 * scoreTopk for a full Baby evaluation: 19,445 users x 7,050 items, d = 64, K = 50, float32, with
 * 118,551 masked train items. Baseline, same run: the bare score GEMM in MMRec's 5 batches of 4,096
 * users (materialized [4096, 7050] matrices, no masking, no selection).
 */
import { scoreTopk, tensor } from '../lib';
import { runOp1 } from '../lib/ops/run';
import { Lcg, babyTrainMask, fmt, lastCpu, loadThreads, machine, timeIt } from './util';

export function benchTopk(): { seconds: number } {
  console.log(`# scoreTopk — ${machine()}`);
  const U = 19445, I = 7050, d = 64, K = 50, E = 118551;
  const rng = new Lcg(4);
  const users = tensor(rng.fill(new Float32Array(U * d)), [U, d]);
  const items = tensor(rng.fill(new Float32Array(I * d)), [I, d]);
  const { indptr, indices } = babyTrainMask(rng, U, I, E);
  const seconds = timeIt(() => {
    const r = scoreTopk(users, items, K, { exclude: { indptr, indices } });
    r.indices.dispose();
    r.values.dispose();
  }, 5, 1);
  const cpu = lastCpu;
  const batches: Array<ReturnType<typeof tensor>> = [];
  for (let b0 = 0; b0 < U; b0 += 4096) {
    const n = Math.min(4096, U - b0);
    batches.push(tensor((users.data() as Float32Array).slice(b0 * d, (b0 + n) * d), [n, d]));
  }
  const tGemm = timeIt(() => {
    for (const b of batches) runOp1('matmul', [b, items], [0, 1]).dispose();
  }, 5, 1);
  console.log(`B=${U}, n=${I}, d=${d}, K=${K}: scoreTopk ${fmt(seconds * 1e3, 1)} ms; score GEMM alone (5 batches) ${fmt(tGemm * 1e3, 1)} ms (${fmt((2 * U * I * d) / tGemm / 1e9, 1)} GFLOP/s); topk/gemm ${fmt(seconds / tGemm)}`);
  console.log(`  scoreTopk CPU time ${fmt(cpu * 1e3, 1)} ms → unloaded estimate ${fmt((cpu / loadThreads()) * 1e3, 1)} ms on ${loadThreads()} threads; score GEMM CPU time ${fmt(lastCpu * 1e3, 1)} ms`);
  for (const t of [users, items, ...batches]) t.dispose();
  return { seconds };
}

if (require.main === module) benchTopk();
