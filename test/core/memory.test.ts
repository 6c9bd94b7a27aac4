import { matmul, add, backward, loadAddon } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { Rng } from '../harness/rng';

describe('memory', () => {
  test('10,000 training-step-like iterations do not grow native memory or RSS', () => {
    const rng = new Rng(5);
    const W = rng.randn([64, 64], 'float32', true);
    const X = rng.randn([512, 64], 'float32');
    const seed = rng.randn([512, 64], 'float32');
    const step = () =>
      tidy(() => {
        const h = matmul(X, W);
        const y = add(h, matmul(h, W));
        backward(y, seed);
        W.grad!.dispose();
        W.grad = null;
      });
    for (let i = 0; i < 500; i++) step(); // warm the allocator cache and V8
    global.gc?.();
    const s0 = loadAddon().memoryStats();
    const rss0 = process.memoryUsage().rss;
    for (let i = 0; i < 10000; i++) step();
    global.gc?.();
    const s1 = loadAddon().memoryStats();
    const rss1 = process.memoryUsage().rss;
    expect(s1.hostInUse).toBe(s0.hostInUse);
    expect(s1.hostCached).toBe(s0.hostCached); // every step reuses cached blocks
    expect(s1.hostCacheHits - s0.hostCacheHits).toBe(s1.hostAllocCalls - s0.hostAllocCalls);
    // Each step touches ~0.5 MB of tensors; a leak of one would be 5 GB. Allow V8 heap noise.
    expect(rss1 - rss0).toBeLessThan(64 * 1024 * 1024);
    W.dispose();
    X.dispose();
    seed.dispose();
  });
});

describe('memory: tensors a program never disposes', () => {
  // The FinalizationRegistry backstop: V8 learns about native memory only in coarse steps
  // (native/napi/tensor_handle.h, account_host_bytes), and that must still be enough pressure for
  // garbage collection to reclaim leaked tensors. 3 GB of 32 MB tensors, never disposed, must not
  // stay resident. Runs without --expose-gc: only the reported memory can trigger collection.
  test('leaked tensors are reclaimed by garbage collection under native-memory pressure', async () => {
    const rng = new Rng(6);
    const x = rng.randn([1024, 64], 'float32');
    const w = rng.randn([64, 8192], 'float32'); // x·w is 1024×8192 float32 = 32 MB
    let peak = 0;
    for (let i = 0; i < 96; i++) {
      matmul(x, w); // result dropped without dispose()
      peak = Math.max(peak, loadAddon().memoryStats().hostInUse);
      await new Promise((r) => setImmediate(r)); // finalizers run between tasks
    }
    expect(peak).toBeLessThan(1.5 * 1024 ** 3);
    x.dispose();
    w.dispose();
  }, 60000);
});
