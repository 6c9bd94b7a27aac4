/**
 * Property tests of shape arithmetic and the API's argument checks: whatever is passed, the answer
 * is a correct tensor or an MmgError with a code, never a crash, a wrapped size or a NaN.
 */
import * as fc from 'fast-check';
import { CsrMatrix, MmgError, empty, full, tensor, zeros, type DType } from '../../lib';
import { resolveSchema } from '../../lib/nn/schema';
import { modelFactory, modelNames } from '../../lib/models';
import { cleanly, params } from './harness';

const dims = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 63, -1, 0.5, NaN, Infinity));
const BYTES: Record<string, number> = { float32: 4, float64: 8, int32: 4, int64: 8 };

describe('fuzz: shapes', () => {
  test('creation either gives the exact size or MMG_E_SHAPE / MMG_E_OOM, before allocating', () => {
    fc.assert(
      fc.property(fc.array(dims, { maxLength: 5 }), fc.constantFrom<DType>('float32', 'float64', 'int32', 'int64'), fc.constantFrom('zeros', 'empty', 'full'), (shape, dtype, fn) => {
        const valid = shape.length <= 4 && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
        const bytes = valid ? shape.reduce((a, b) => a * b, BYTES[dtype]) : NaN;
        // Shapes that fit the 2^52-byte limit but not this machine would really allocate: skip them.
        if (valid && bytes > 2 ** 24 && bytes <= 2 ** 52) return;
        let t;
        try {
          t = fn === 'zeros' ? zeros(shape, { dtype }) : fn === 'empty' ? empty(shape, { dtype }) : full(shape, 3, { dtype });
        } catch (e) {
          expect(e).toBeInstanceOf(MmgError);
          expect(['MMG_E_SHAPE', 'MMG_E_OOM']).toContain((e as MmgError).code);
          expect(valid && bytes <= 2 ** 24).toBe(false);
          return;
        }
        expect(valid && bytes <= 2 ** 24).toBe(true);
        expect(t.size).toBe(bytes / BYTES[dtype]);
        expect(t.data().length).toBe(t.size);
        if (fn !== 'empty' && t.size > 0) expect(Number(t.data()[t.size - 1])).toBe(fn === 'zeros' ? 0 : 3);
        t.dispose();
      }),
      params(2000),
    );
  });
});

describe('fuzz: tensor() values', () => {
  test('values are stored exactly or refused; nothing turns into NaN, wraps or truncates', () => {
    const value = fc.oneof(fc.double(), fc.integer(), fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), fc.string({ maxLength: 2 }), fc.constantFrom(null, undefined, true, {}, [], 1n, 2 ** 31, -(2 ** 31) - 1, 0.5));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), fc.constantFrom<DType>('float32', 'float64', 'int32', 'int64'), (vals, dtype) => {
        const t = cleanly(() => tensor(vals as number[], undefined, { dtype }));
        if (!t) return;
        const back = t.toArray();
        vals.forEach((v, i) => {
          expect(typeof v === 'number' || typeof v === 'bigint').toBe(true);
          const want = dtype === 'float32' ? Math.fround(Number(v)) : Number(v);
          if (Number.isNaN(want)) expect(back[i]).toBeNaN();
          else expect(back[i]).toBe(want);
        });
        t.dispose();
      }),
      params(2000),
    );
  });

  test('CSR constructors validate their indices', () => {
    const idx = fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constantFrom(0.5, 2 ** 31, NaN));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.array(fc.tuple(idx, idx), { maxLength: 8 }), (nr, nc, pairs) => {
        const m = cleanly(() => CsrMatrix.fromCoo(nr, nc, pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map(() => 1)));
        if (m) {
          expect(pairs.every(([r, c]) => Number.isInteger(r) && r >= 0 && r < nr && Number.isInteger(c) && c >= 0 && c < nc)).toBe(true);
          m.dispose();
        }
      }),
      params(1000),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 6 }), fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 6 }), (nr, p, j) => {
        const m = cleanly(() => CsrMatrix.fromCsr(nr, 4, Int32Array.from(p), Int32Array.from(j), new Float32Array(j.length)));
        if (!m) return;
        expect(p[0]).toBe(0);
        for (let r = 0; r < nr; r++) expect(p[r + 1]).toBeGreaterThanOrEqual(p[r]);
        expect(p[nr]).toBe(j.length);
        m.dispose();
      }),
      params(1000),
    );
  });
});

describe('fuzz: hyper-parameter configs', () => {
  const key = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'n_layers', 'embedding_size', 'reg_weight', 'knn_k', 'lambda_coeff', 'x');
  const val = fc.oneof(fc.integer({ min: -3, max: 100 }), fc.double(), fc.string({ maxLength: 3 }), fc.constantFrom(null, true, [], {}, [1, 2]));
  const cfg = fc.array(fc.tuple(key, val), { maxLength: 4 }).map((kv) => JSON.parse(JSON.stringify(Object.fromEntries(kv.map(([k, v]) => [k, v])))) as Record<string, unknown>);
  const withProto = fc.array(fc.tuple(key, val), { maxLength: 4 }).map((kv) => JSON.parse(`{${kv.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v ?? null)}`).join(',')}}`) as Record<string, unknown>);

  test('only own, known keys pass; the result has no inherited surprises', () => {
    const schemas = modelNames().map((n) => modelFactory(n)).filter((f) => f.schema);
    expect(schemas.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.oneof(cfg, withProto), fc.nat(), (given, k) => {
        const f = schemas[k % schemas.length];
        const s = cleanly(() => resolveSchema(f.name, f.schema!, given));
        if (s) {
          expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
          for (const g of Object.keys(given)) expect(Object.prototype.hasOwnProperty.call(f.schema, g)).toBe(true);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      params(1500),
    );
  });
});
