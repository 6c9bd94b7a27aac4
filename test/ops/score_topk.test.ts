import * as fc from 'fast-check';
import { CsrMatrix, MmgError, backward, scoreTopk, tensor } from '../../lib';
import { tidy } from '../../lib/autograd/scope';
import { runOp } from '../../lib/ops/run';
import { json, npy } from '../harness/fixtures';
import { Rng } from '../harness/rng';
import { scoreTopkRef } from '../reference/score_topk';
import { EMU } from '../../lib/testing';

describe('score_topk', () => {
  const rng = new Rng(21);

  function maskCsr(exclude: number[][]): { indptr: Int32Array; indices: Int32Array } {
    const indptr = new Int32Array(exclude.length + 1);
    const flat: number[] = [];
    exclude.forEach((row, r) => {
      flat.push(...row);
      indptr[r + 1] = flat.length;
    });
    return { indptr, indices: Int32Array.from(flat) };
  }

  test('matches a full sort (float64), masked items at -1e10, tiles smaller and larger than the data', () => {
    for (const [b, n, d, k] of [[1, 1, 3, 1], [5, 17, 4, 5], [40, 300, 8, 50], [70, 1100, 16, 20]]) {
      const exclude = Array.from({ length: b }, (_, r) => (r % 3 === 0 ? [] : Array.from({ length: 1 + rng.int(5) }, () => rng.int(n))));
      for (const [ut, it] of [[0, 0], [3, 7], [1000, 5000]]) {
        tidy(() => {
          const u = rng.randn([b, d], 'float64');
          const items = rng.randn([n, d], 'float64');
          const got = scoreTopk(u, items, k, { exclude: maskCsr(exclude), userTile: ut, itemTile: it });
          const ref = scoreTopkRef(u.toArray(), items.toArray(), b, n, d, k, exclude);
          expect(got.indices.shape).toEqual([b, k]);
          expect(got.indices.dtype).toBe('int32');
          const gi = got.indices.toArray(), gv = got.values.toArray();
          for (let r = 0; r < b; r++) {
            expect(gi.slice(r * k, (r + 1) * k)).toEqual(ref.indices[r]);
            for (let q = 0; q < k; q++) expect(Math.abs(gv[r * k + q] - ref.values[r][q])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(ref.values[r][q])));
          }
        });
      }
    }
  });

  test('float32: same items as a reference on float32-rounded scores (no near-ties in this data), values descending', () => {
    tidy(() => {
      const [b, n, d, k] = [33, 500, 64, 50];
      const u = rng.randn([b, d], 'float32');
      const items = rng.randn([n, d], 'float32');
      const got = scoreTopk(u, items, k);
      const ref = scoreTopkRef(u.toArray(), items.toArray(), b, n, d, k, undefined);
      const gi = got.indices.toArray(), gv = got.values.toArray();
      expect(got.values.dtype).toBe('float32');
      let agree = 0;
      for (let r = 0; r < b; r++) {
        for (let q = 1; q < k; q++) expect(gv[r * k + q]).toBeLessThanOrEqual(gv[r * k + q - 1]);
        for (let q = 0; q < k; q++) {
          expect(Math.abs(gv[r * k + q] - ref.values[r][q])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(ref.values[r][q])));
          if (gi[r * k + q] === ref.indices[r][q]) agree++;
        }
      }
      // float32 rounding may swap two nearly equal neighbours; almost every rank must agree.
      expect(agree).toBeGreaterThanOrEqual(b * k - 4);
    });
  });

  // float32 on an x86 CPU with FMA runs the fused register-tile path (native/ops/score_topk_panel.h).
  // Small-integer embeddings make every float32 score exact, so the answer is known exactly even
  // with many ties; the shapes cover partial panels (n not a multiple of 16/32), partial micro
  // blocks (B not a multiple of 6/12), K = 1 and K = n, users with everything masked, and masks that
  // make -1e10 rank.
  test('float32 (fused path): exact on integer embeddings with heavy ties and masks, any tile sizes', () => {
    const intRandn = (rows: number, cols: number, span: number) => {
      const a = new Float32Array(rows * cols);
      for (let q = 0; q < a.length; q++) a[q] = rng.int(2 * span + 1) - span;
      return a;
    };
    // K = 128 and 129 straddle the output step's switch from ranking by counting to a sort (kRankSortMax).
    for (const [b, n, d, k] of [[1, 1, 1, 1], [13, 33, 3, 5], [25, 97, 64, 50], [12, 64, 65, 64], [37, 1000, 16, 50], [7, 40, 8, 40], [9, 400, 5, 128], [9, 400, 5, 129], [4, 300, 7, 300]]) {
      const exclude = Array.from({ length: b }, (_, r) =>
        r % 5 === 1 ? Array.from({ length: n }, (_, i) => i) : r % 5 === 2 ? Array.from({ length: n - Math.min(n, 2) }, (_, i) => i + 1) : Array.from({ length: rng.int(Math.min(n, 40)) }, () => rng.int(n)),
      );
      const uv = intRandn(b, d, 3), iv = intRandn(n, d, 2);
      const ref = scoreTopkRef(uv, iv, b, n, d, k, exclude);
      for (const [ut, it] of [[0, 0], [5, 16], [13, 40], [100000, 100000]]) {
        tidy(() => {
          const got = scoreTopk(tensor(uv, [b, d]), tensor(iv, [n, d]), k, { exclude: maskCsr(exclude), userTile: ut, itemTile: it });
          expect(got.indices.toArray()).toEqual(ref.indices.flat());
          expect(got.values.toArray()).toEqual(ref.values.flat().map(Math.fround));
        });
      }
    }
  });

  test('float32: scores beyond float range saturate to +inf and still rank (ties by index), on every pool thread', () => {
    // Every score is 3e38·3e38 + 3e38·(−3e38): the FMA chain saturates at +inf after its first
    // term and stays there, so all items tie and the lowest indices win. 300 users make several
    // user tiles, run on different pool threads.
    tidy(() => {
      const b = 300;
      const u = tensor(new Float32Array(2 * b).fill(3e38), [b, 2]);
      const items = tensor(Float32Array.from({ length: 2 * 64 }, (_, q) => (q % 2 ? -3e38 : 3e38)), [64, 2]);
      const r = scoreTopk(u, items, 5);
      expect(r.values.toArray().every((v) => v === Infinity)).toBe(true);
      const ix = r.indices.toArray();
      for (let row = 0; row < b; row++) expect(ix.slice(row * 5, row * 5 + 5)).toEqual([0, 1, 2, 3, 4]);
    });
  });

  test('float32: the AVX2 and AVX-512 copies and one or two threads give bit-identical answers', () => {
    // A child process per setting (the SIMD cap and thread count are read once per process), on
    // the compiled library (npm test builds dist/ first).
    const { execFileSync } = require('child_process') as typeof import('child_process');
    const path = require('path') as typeof import('path');
    const script = `
      const { scoreTopk } = require(${JSON.stringify(path.join(__dirname, '../../dist/lib'))});
      const { Rng } = require(${JSON.stringify(path.join(__dirname, '../../dist/test/harness/rng'))});
      const rng = new Rng(5);
      const u = rng.randn([301, 64], 'float32'), it = rng.randn([2047, 64], 'float32');
      const ex = { indptr: Int32Array.from({ length: 302 }, (_, r) => r * 3), indices: Int32Array.from({ length: 903 }, (_, q) => (q * 677) % 2047) };
      const r = scoreTopk(u, it, 50, { exclude: ex });
      const h = require('crypto').createHash('sha256');
      h.update(Buffer.from(Int32Array.from(r.indices.toArray()).buffer)); h.update(Buffer.from(Float32Array.from(r.values.toArray()).buffer));
      process.stdout.write(h.digest('hex'));`;
    const run = (env: Record<string, string>) =>
      execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const base = run({ MMGRAPH_NUM_THREADS: '2' });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(run({ MMGRAPH_NUM_THREADS: '1' })).toBe(base);
    expect(run({ MMGRAPH_NUM_THREADS: '2', MMGRAPH_MAX_SIMD: 'avx2' })).toBe(base);
  });

  test('ties rank the lower item index first; fewer than K unmasked items: masked ones fill in at -1e10 by index', () => {
    tidy(() => {
      // 1 user, 6 items; scores [2, 5, 2, 5, 1, 0]; items 1, 3, 4 masked: unmasked {0, 2, 5} then masked {1, 3, 4}.
      const u = tensor(Float32Array.from([1]), [1, 1]);
      const items = tensor(Float32Array.from([2, 5, 2, 5, 1, 0]), [6, 1]);
      const r = scoreTopk(u, items, 5, { exclude: { indptr: Int32Array.from([0, 3]), indices: Int32Array.from([4, 1, 3]) } });
      expect(r.indices.toArray()).toEqual([0, 2, 5, 1, 3]);
      expect(r.values.toArray()).toEqual([2, 2, 0, -1e10, -1e10]);
      const all = scoreTopk(u, items, 6);
      expect(all.indices.toArray()).toEqual([1, 3, 0, 2, 4, 5]);
      // A user whose every item is masked, a user with an empty mask row, a CsrMatrix as the mask.
      const two = tensor(Float32Array.from([1, -1]), [2, 1]);
      const mask = CsrMatrix.fromCoo(2, 6, [0, 0, 0, 0, 0, 0], [5, 4, 3, 2, 1, 0], [1, 1, 1, 1, 1, 1]);
      const m = scoreTopk(two, items, 3, { exclude: mask });
      expect(m.indices.toArray()).toEqual([0, 1, 2, 5, 4, 0]);
      expect(m.values.toArray()).toEqual([-1e10, -1e10, -1e10, 0, -1, -2]);
      mask.dispose();
    });
  });

  test.each(['basic', 'many_gt', 'gt_masked_dup_gt', 'few_items', 'rounding_half', 'batched_order'])(
    'reproduces MMRec topk_index on fixtures/metrics/%s (scores as U = scores, I = identity)',
    (name) => {
      interface Input { n_users: number; n_items: number; eval_users: number[]; train_items: Record<string, number[]> }
      const input = json<Input>('metrics', name, 'input.json');
      const scores = npy('metrics', name, 'scores.npy');
      const expected = npy('metrics', name, 'topk_index.npy');
      const n = input.n_items;
      const users = input.eval_users;
      tidy(() => {
        const all = scores.data as Float32Array;
        const u = new Float32Array(users.length * n);
        users.forEach((user, r) => u.set(all.subarray(user * n, (user + 1) * n), r * n));
        const eye = new Float32Array(n * n);
        for (let i = 0; i < n; i++) eye[i * n + i] = 1;
        const got = scoreTopk(tensor(u, [users.length, n]), tensor(eye, [n, n]), 50, {
          exclude: maskCsr(users.map((user) => input.train_items[String(user)] ?? [])),
        });
        expect(got.indices.toArray()).toEqual(Array.from(expected.data as BigInt64Array, Number));
      });
    },
  );

  test('random cases against the reference (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 30 }), (b, n, d, kk) => {
        const k = Math.min(kk, n);
        const exclude = Array.from({ length: b }, () => Array.from({ length: rng.int(n + 1) }, () => rng.int(n)));
        return tidy(() => {
          const u = rng.randn([b, d]);
          const items = rng.randn([n, d]);
          const got = scoreTopk(u, items, k, { exclude: maskCsr(exclude), userTile: 1 + rng.int(4), itemTile: 1 + rng.int(8) });
          const ref = scoreTopkRef(u.toArray(), items.toArray(), b, n, d, k, exclude);
          expect(got.indices.toArray()).toEqual(ref.indices.flat());
          return true;
        });
      }),
      { numRuns: 60 },
    );
  });

  test('errors: K > n, K < 1, width mismatch, mask out of range or wrong length, NaN embeddings; not differentiable', () => {
    tidy(() => {
      const u = tensor(new Float32Array(4), [2, 2]);
      const items = tensor(new Float32Array(6), [3, 2]);
      const code = (f: () => unknown) => {
        try {
          f();
        } catch (e) {
          return `${(e as MmgError).code} ${(e as MmgError).message}`;
        }
        return 'no error';
      };
      expect(code(() => scoreTopk(u, items, 4))).toMatch(/^MMG_E_ARG score_topk: expected 1 <= K <= n_items = 3, got K = 4/);
      expect(code(() => scoreTopk(u, items, 0))).toMatch(/^MMG_E_ARG score_topk: expected 1 <= K/);
      expect(code(() => scoreTopk(u, tensor(new Float32Array(3), [3, 1]), 1))).toMatch(/^MMG_E_SHAPE score_topk: expected U and I with the same embedding width/);
      expect(code(() => scoreTopk(u, items, 2, { exclude: { indptr: Int32Array.from([0, 1, 2]), indices: Int32Array.from([0, 3]) } }))).toMatch(
        /^MMG_E_DATA score_topk: expected mask indices in \[0, 3\), got 3 at entry 1 \(row 1\)/,
      );
      expect(code(() => scoreTopk(u, items, 2, { exclude: { indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]) } }))).toMatch(
        /^MMG_E_SHAPE score_topk: expected mask indptr of length B\+1 = 3/,
      );
      const nan = tensor(Float32Array.from([0, 0, 0, NaN, 0, 0]), [3, 2]);
      expect(code(() => scoreTopk(u, nan, 1))).toMatch(/^MMG_E_DATA score_topk: expected finite item embeddings, got nan in row 1/);
      expect(code(() => runOp('score_topk', [u, items, tensor(Int32Array.from([0, 0, 0]), [3])], [1]))).toMatch(/mask_indptr and mask_indices together/);
      const ug = tensor(new Float64Array(4), [2, 2], { requiresGrad: true });
      const r = scoreTopk(ug, tensor(new Float64Array(6), [3, 2]), 2);
      expect(r.values.requiresGrad).toBe(true);
      expect(() => backward(r.values, tensor(new Float64Array(4), [2, 2]))).toThrow(/^score_topk: this op is not differentiable/);
      expect(scoreTopk(u, items, 3).indices.shape).toEqual([2, 3]);
    });
  });

  test('a typed-array mask goes to the embeddings\' device (cuda-emu gives the CPU\'s answer)', () => {
    tidy(() => {
      const u = rng.randn([5, 4], 'float32');
      const items = rng.randn([9, 4], 'float32');
      const mask = maskCsr([[0, 1], [], [8], [2, 3, 4], [5]]);
      const cpu = scoreTopk(u, items, 3, { exclude: mask });
      const emu = scoreTopk(u.to(EMU), items.to(EMU), 3, { exclude: mask });
      expect(emu.indices.device).toBe('cuda-emu');
      expect(emu.indices.toArray()).toEqual(cpu.indices.toArray());
      // The scores agree to rounding only: the emulator models cuBLAS with the generic GEMM, the CPU
      // path keeps one FMA chain per score in registers.
      const ev = emu.values.toArray(), cv = cpu.values.toArray();
      ev.forEach((v, i) => expect(Math.abs(v - cv[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(cv[i]))));
    });
  });
});
