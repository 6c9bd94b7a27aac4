/**
 * Fuzzing the file parsers: .npy headers and payloads, CSV/TSV text, MMRec folders and checkpoint
 * bytes. Each case must end in a correct result or an MmgError (never another exception, a crash
 * or a hang: jest's timeout bounds each property), and a result must be self-consistent.
 */
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tensor } from '../../lib';
import { encodeNpy, parseNpy } from '../../lib/data/npy';
import { csvRecords, readCsv } from '../../lib/data/csv';
import { readMmrec, writeMmrec } from '../../lib/data/mmrec';
import { syntheticDataset } from '../../lib/data/synthetic';
import { loadCheckpoint, saveCheckpoint } from '../../lib/io/checkpoint';
import { cleanly, mutate, mutation, params } from './harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-fuzz-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SIZE: Record<string, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };

describe('fuzz: .npy', () => {
  const valid = [
    encodeNpy(Float32Array.from({ length: 12 }, (_, i) => i / 3), [4, 3]),
    encodeNpy(Float64Array.from([1, -2, 3.5]), [3]),
    encodeNpy(Int32Array.from([7, 8, 9, 10]), [2, 2]),
    encodeNpy(BigInt64Array.from([1n, 2n]), [1, 2]),
  ];
  const headerEnd = (b: Buffer) => 10 + b.readUInt16LE(8);

  test('mutated files load consistently or fail with an MmgError', () => {
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (k, inHeader, muts) => {
        const src = valid[k];
        // Half the cases aim at the header text, where one garbled digit used to give a NaN width.
        const m = inHeader ? muts.map((x) => ({ ...x, at: 10 + (x.at % (headerEnd(src) - 10)) })) : muts;
        const out = cleanly(() => parseNpy(mutate(src, m), 'fuzz.npy'));
        if (!out) return;
        expect(out.shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
        expect(out.data.length).toBe(out.shape.reduce((a, b) => a * b, 1));
        expect(out.data.byteLength).toBe(out.data.length * SIZE[out.dtype]);
      }),
      params(1500),
    );
  });

  test('random header dictionaries never yield a NaN or fractional dimension', () => {
    const token = fc.constantFrom("'descr'", "'<f4'", "'<f8'", "'fortran_order'", "'shape'", 'True', 'False', ':', ',', '(', ')', '{', '}', '3', '-1', 'x', '2.5', ' ', '1e3', "'");
    fc.assert(
      fc.property(fc.array(token, { maxLength: 24 }), fc.nat(64), (toks, payload) => {
        let h = toks.join('');
        h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
        const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
        pre.writeUInt16LE(h.length, 8);
        const out = cleanly(() => parseNpy(Buffer.concat([pre, Buffer.from(h, 'latin1'), Buffer.alloc(payload)]), 'fuzz.npy'));
        if (out) expect(out.shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
      }),
      params(1500),
    );
  });
});

describe('fuzz: CSV/TSV', () => {
  test('RFC 4180 round trip: any fields, quoted where needed, parse back exactly', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', '1', ',', '"', '\n', '\r\n', ' ', ';', '\t', 'é'), maxLength: 6 });
    const quote = (f: string) => (/[",\r\n]/.test(f) || f === '' || f.trim() !== f ? `"${f.replace(/"/g, '""')}"` : f);
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (recs, crlf) => {
        const text = recs.map((r) => r.map(quote).join(',')).join(crlf ? '\r\n' : '\n') + '\n';
        const back = [...csvRecords(text, ',', 'f.csv')].map(([, f]) => f);
        expect(back).toEqual(recs);
      }),
      params(1000),
    );
  });

  test('random interaction files load consistently or fail with an MmgError', () => {
    const chunk = fc.constantFrom('u1', 'u2', 'u3', 'i1', 'i2', '"u1"', '"i,2"', ',', ',', '\n', '\n', '\t', ';', '"', ' ', '12', '1e3', 'abc', '2020-01-01', '\r\n', 'user', 'item', 'timestamp');
    let n = 0;
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 60 }), (parts) => {
        const f = path.join(dir, `c${n++ % 8}.csv`);
        fs.writeFileSync(f, parts.join(''));
        const ds = cleanly(() => readCsv(f));
        if (!ds) return;
        for (const s of [ds.train, ds.valid, ds.test])
          for (let r = 0; r < s.users.length; r++) {
            expect(s.users[r]).toBeLessThan(ds.nUsers);
            expect(s.items[r]).toBeLessThan(ds.nItems);
          }
        expect(ds.idMap!.users.length).toBe(ds.nUsers);
        expect(ds.idMap!.users.every((u) => !u.startsWith('"'))).toBe(true);
      }),
      params(1000),
    );
  });
});

describe('fuzz: MMRec folders', () => {
  const base = path.join(dir, 'base');
  beforeAll(() => writeMmrec(syntheticDataset('tiny'), base));
  const inter = () => fs.readFileSync(path.join(base, 'tiny.inter'));
  const feat = () => fs.readFileSync(path.join(base, 'image_feat.npy'));

  test('mutated .inter files and features load consistently or fail with an MmgError', () => {
    const interBuf = inter();
    const featBuf = feat();
    const text = fs.readFileSync(path.join(base, 'text_feat.npy'));
    let n = 0;
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      fc.assert(
        fc.property(fc.array(mutation, { maxLength: 3 }), fc.array(mutation, { maxLength: 2 }), (mi, mf) => {
          const d = path.join(dir, `m${n++ % 4}`);
          fs.mkdirSync(d, { recursive: true });
          fs.writeFileSync(path.join(d, 'tiny.inter'), mutate(interBuf, mi.map((m) => ({ ...m, at: m.at % 4000 }))));
          fs.writeFileSync(path.join(d, 'image_feat.npy'), mutate(featBuf, mf));
          fs.writeFileSync(path.join(d, 'text_feat.npy'), text);
          const ds = cleanly(() => readMmrec(d, { name: 'tiny' }));
          if (!ds) return;
          for (const s of [ds.train, ds.valid, ds.test])
            for (let r = 0; r < s.users.length; r++) {
              expect(s.users[r]).toBeLessThan(ds.nUsers);
              expect(s.items[r]).toBeLessThan(ds.nItems);
            }
          for (const f of ds.features.values()) {
            expect(f.data.length).toBe(ds.nItems * f.dim);
            expect(f.data.every(Number.isFinite)).toBe(true);
          }
        }),
        params(300),
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('fuzz: checkpoint bytes', () => {
  const file = path.join(dir, 'ck.mmg');
  beforeAll(() =>
    saveCheckpoint(
      file,
      { kind: 'mmgraph-resume', modelName: 'lightgcn', resume: { epoch: 3, bestEpoch: 2 } },
      new Map([
        ['param.user_emb', tensor(Float32Array.from({ length: 24 }, (_, i) => i), [6, 4])],
        ['adam.m.user_emb', tensor(new Float64Array(5), [5], { dtype: 'float64' })],
        ['seen.indptr', tensor([0, 1, 2], [3], { dtype: 'int32' })],
      ]),
    ),
  );

  test('every changed file is refused with an MmgError; the original loads', () => {
    const orig = fs.readFileSync(file);
    const bad = path.join(dir, 'bad.mmg');
    fc.assert(
      fc.property(fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (inHeader, muts) => {
        const hlen = orig.readUInt32LE(12);
        const m = inHeader ? muts.map((x) => ({ ...x, at: x.at % (48 + hlen) })) : muts;
        const buf = mutate(orig, m);
        fs.writeFileSync(bad, buf);
        const ck = cleanly(() => loadCheckpoint(bad));
        if (buf.equals(orig)) {
          expect(ck).toBeDefined();
          expect(ck!.tensors.get('param.user_emb')!.toArray()[5]).toBe(5);
        } else expect(ck).toBeUndefined();
        if (ck) for (const t of ck.tensors.values()) t.dispose();
      }),
      params(1000),
    );
  });
});
