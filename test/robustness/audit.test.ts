/**
 * Regressions for the outside audit (issue 12): each finding, reproduced as the audit described it,
 * must now end in a clean, specific error (or a correct result): no crash, no hang, no silent
 * wrong answer. The CLI cases run the compiled CLI (dist/, built by `npm test`'s pretest).
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Adam, CsrMatrix, MmgError, empty, full, syntheticDataset, tensor, train, zeros } from '../../lib';
import { loadAddon } from '../../lib/native/load';
import { loadCheckpoint, saveCheckpoint } from '../../lib/io/checkpoint';
import { ensureDir, writeFileAtomic } from '../../lib/io/atomic';
import { encodeNpy, parseNpy } from '../../lib/data/npy';
import { readCsv } from '../../lib/data/csv';
import { readMmrec, writeMmrec } from '../../lib/data/mmrec';
import { rankUsers } from '../../lib/eval/evaluate_model';
import { intFlag, intListFlag, listFlag, parseArgs } from '../../lib/cli/args';
import { resolveSchema } from '../../lib/nn/schema';
import { modelFactory } from '../../lib/models';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'lib', 'cli', 'main.js');
const runCli = (args: string[], timeout = 60000) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: os.tmpdir(), timeout });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-audit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MmgError);
    return `${(e as MmgError).code}: ${(e as Error).message}`;
  }
  return 'no error';
}

describe('shapes: overflow is checked before anything is allocated', () => {
  test.each([
    ['zeros', () => zeros([2 ** 32 + 1, 2 ** 32 - 1])],
    ['zeros 2^32 x 2^32 (wraps to 0 bytes)', () => zeros([2 ** 32, 2 ** 32])],
    ['empty then data()', () => empty([2 ** 32 + 1, 2 ** 32 - 1]).data()],
    ['full', () => full([2 ** 32 + 1, 2 ** 32 - 1], 1)],
    ['four dimensions', () => zeros([2 ** 16, 2 ** 16, 2 ** 16, 2 ** 16], { dtype: 'float64' })],
    ['tensor with a lying shape', () => tensor(new Float32Array(0), [2 ** 32, 2 ** 32])],
  ])('%s → MMG_E_SHAPE', (_, f) => {
    expect(codeOf(f)).toMatch(/^MMG_E_SHAPE: .*(overflows|at most)/);
  });

  test('a shape within the byte limit but beyond memory is MMG_E_OOM, not a crash', () => {
    expect(codeOf(() => zeros([2 ** 20, 2 ** 20, 1024]))).toMatch(/^MMG_E_OOM: out of host memory/);
  });

  test('the native entry points refuse dimensions that do not fit int64 exactly', () => {
    const a = loadAddon() as unknown as { empty: (...x: unknown[]) => unknown };
    expect(codeOf(() => a.empty([2 ** 63], 0, 0, true))).toMatch(/^MMG_E_SHAPE: empty: expected non-negative integer dimensions/);
    expect(codeOf(() => a.empty(['3'], 0, 0, true))).toMatch(/^MMG_E_SHAPE/);
    expect(codeOf(() => a.empty([NaN], 0, 0, true))).toMatch(/^MMG_E_SHAPE/);
  });
});

describe('API arguments', () => {
  test("tensor(['a','b']) is an error, not NaN", () => {
    expect(codeOf(() => tensor(['a', 'b'] as unknown as number[]))).toMatch(/^MMG_E_ARG: tensor: expected numbers, got 'a' at index 0/);
  });
  test('int32 values out of range or fractional are errors, not wrapped or truncated', () => {
    expect(codeOf(() => tensor([2 ** 31], undefined, { dtype: 'int32' }))).toMatch(/int32 values .* got 2147483648 at index 0/);
    expect(codeOf(() => tensor([1.5], undefined, { dtype: 'int32' }))).toMatch(/got 1.5 at index 0/);
    expect(codeOf(() => tensor([2 ** 60], undefined, { dtype: 'int64' }))).toMatch(/int64 values/);
    expect(codeOf(() => full([2], 2 ** 40, { dtype: 'int32' }))).toMatch(/full: expected a int32 value/);
    expect(tensor([-(2 ** 31), 2 ** 31 - 1], undefined, { dtype: 'int32' }).toArray()).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    expect(full([2], 7, { dtype: 'int64' }).toArray()).toEqual([7, 7]);
  });
  test("empty(['3']) is an error, not a string shape", () => {
    expect(codeOf(() => empty(['3'] as unknown as number[]))).toMatch(/^MMG_E_SHAPE: empty: expected a shape of non-negative integers, got \['3'\]/);
    expect(codeOf(() => zeros([-1]))).toMatch(/^MMG_E_SHAPE/);
    expect(codeOf(() => zeros([1.5]))).toMatch(/^MMG_E_SHAPE/);
  });
  test("an unknown device names it ('gpu'), not 'got -1'", () => {
    expect(codeOf(() => zeros([2], { device: 'gpu' as never }))).toBe("MMG_E_DEVICE: device: expected one of cpu, cuda, cuda-emu, got 'gpu'");
  });
  test('fromCoo refuses a fractional index instead of truncating it', () => {
    expect(codeOf(() => CsrMatrix.fromCoo(2, 2, [0.5, 1], [0, 1], [1, 1]))).toMatch(/^MMG_E_DATA: CsrMatrix.fromCoo: expected rows to hold int32 integers, got 0.5 at entry 0/);
    expect(codeOf(() => CsrMatrix.fromCoo(2, 2, [0, 1], [0, 2 ** 31], [1, 1]))).toMatch(/expected cols to hold int32 integers/);
  });
  test('fromCsr refuses a non-monotone indptr and other broken CSR arrays', () => {
    const f = (p: number[], j: number[], n = 2) => () => CsrMatrix.fromCsr(n, 2, Int32Array.from(p), Int32Array.from(j), new Float32Array(j.length));
    expect(codeOf(f([0, 5, 1], [0]))).toMatch(/expected a non-decreasing indptr, got 1 after 5 at row 1/);
    expect(codeOf(f([1, 1, 1], [0]))).toMatch(/indptr\[0\] = 0/);
    expect(codeOf(f([0, 1, 1], [2]))).toMatch(/indices in \[0, 2\), got 2/);
    expect(codeOf(f([0, 2, 2], [1, 0]))).toMatch(/strictly ascending columns/);
    expect(codeOf(f([0, 1, 1], [0, 1]))).toMatch(/indptr\[2\] to equal the 2 indices/);
    const ok = f([0, 1, 2], [1, 0])();
    expect(ok.nnz).toBe(2);
    ok.dispose();
  });
  test('Adam.step on a disposed parameter is an error, not a silent skip', () => {
    const p = tensor([1, 2], [2], { requiresGrad: true, name: 'w' });
    const opt = new Adam([p], { lr: 0.1 });
    p.dispose();
    expect(codeOf(() => opt.step())).toBe("MMG_E_ARG: adam.step: expected live parameters, got a disposed one (#0 'w')");
  });
});

describe('hangs', () => {
  test('an output folder that cannot be created fails at once (no recursive-mkdir loop)', () => {
    expect(codeOf(() => ensureDir('/proc/forbidden/x'))).toMatch(/^MMG_E_ARG: output folder \/proc\/forbidden\/x: cannot create \/proc\/forbidden/);
    const file = path.join(dir, 'plain');
    fs.writeFileSync(file, 'x');
    expect(codeOf(() => ensureDir(path.join(file, 'sub')))).toMatch(/exists and is not a folder/);
  });

  test.each([
    ['train', ['train', '--model', 'bpr-mf', '--data', 'synthetic:tiny', '--epochs', '1', '--out', '/proc/forbidden']],
    ['synth', ['synth', '--preset', 'tiny', '--out', '/proc/forbidden']],
  ])('%s --out /proc/forbidden exits 1 with a message, quickly', (_, args) => {
    const r = runCli(args, 30000);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\/proc\/forbidden.*cannot create/);
  });

  test('eval_batch_size 0 is refused before training (and evaluation refuses it too)', () => {
    const ds = syntheticDataset('tiny');
    expect(codeOf(() => train(ds, 'bpr-mf', {}, { epochs: 1, evalBatchSize: 0 }))).toMatch(/expected evalBatchSize \(eval_batch_size\) to be a positive integer, got 0/);
    const u = zeros([ds.nUsers, 2]);
    const i = zeros([ds.nItems, 2]);
    expect(codeOf(() => rankUsers(ds, u, i, Int32Array.from([0]), 5, 0))).toMatch(/batchSize \(eval_batch_size\) to be a positive integer, got 0/);
  });

  test('a user id that dwarfs the distinct ids is refused; a sparse range warns', () => {
    const d = fs.mkdtempSync(path.join(dir, 'ids-'));
    const rows: string[] = [];
    for (let u = 0; u < 60; u++) for (let k = 0; k < 4; k++) rows.push(`${u === 59 ? 10_000_000 : u}\t${(u + k) % 10}\t1\t0\t${k < 2 ? 0 : k - 1}`);
    fs.writeFileSync(path.join(d, 'x.inter'), ['userID\titemID\trating\ttimestamp\tx_label', ...rows].join('\n') + '\n');
    expect(codeOf(() => readMmrec(d, { name: 'x' }))).toMatch(/user ids run up to 10000000 but only 60 distinct users occur: ids are used as given/);
    fs.writeFileSync(path.join(d, 'x.inter'), ['userID\titemID\trating\ttimestamp\tx_label', ...rows.map((r) => r.replace(/^10000000/, '200'))].join('\n') + '\n');
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const ds = readMmrec(d, { name: 'x' });
      expect(ds.nUsers).toBe(201);
      expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/user ids run up to 200 but only 60 distinct users occur/);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('checkpoints prove their integrity', () => {
  const file = path.join(dir, 'ck.mmg');
  beforeAll(() => saveCheckpoint(file, { kind: 'test', n: 1 }, new Map([['a', tensor([1, 2, 3, 4], [2, 2])], ['b', tensor([5, 6], [2], { dtype: 'float64' })]])));

  test('one changed digit in the header (a tensor offset) is detected by the checksum', () => {
    const buf = Buffer.from(fs.readFileSync(file));
    const text = buf.toString('latin1');
    const at = text.indexOf('"offset":64');
    expect(at).toBeGreaterThan(0);
    buf[at + '"offset":'.length] = '9'.charCodeAt(0);
    const bad = path.join(dir, 'hdr.mmg');
    fs.writeFileSync(bad, buf);
    expect(codeOf(() => loadCheckpoint(bad))).toMatch(/^MMG_E_DATA: .*hdr\.mmg: corrupt model file \(checksum mismatch/);
  });

  /** Rewrites a file's header and recomputes the checksum: what a bug (not a bit flip) could write. */
  function forge(name: string, edit: (h: { tensors: Array<Record<string, unknown>>; dataBytes: number }) => void, dataExtra = 0): string {
    const buf = fs.readFileSync(file);
    const hlen = buf.readUInt32LE(12);
    const h = JSON.parse(buf.toString('utf8', 48, 48 + hlen));
    edit(h);
    const header = Buffer.from(JSON.stringify(h), 'utf8');
    const pre = Buffer.from(buf.subarray(0, 48));
    pre.writeUInt32LE(header.length, 12);
    const data = Buffer.concat([buf.subarray(48 + hlen), Buffer.alloc(dataExtra)]);
    crypto.createHash('sha256').update(pre.subarray(0, 16)).update(header).update(data).digest().copy(pre, 16);
    const out = path.join(dir, name);
    fs.writeFileSync(out, Buffer.concat([pre, header, data]));
    return out;
  }

  test.each([
    ['an offset past the end', (h: { tensors: Array<Record<string, unknown>> }) => void (h.tensors[1].offset = 4096), /outside the data section/],
    ['overlapping tensors', (h: { tensors: Array<Record<string, unknown>> }) => void (h.tensors[1].offset = 0), /overlaps another/],
    ['bytes that do not match the shape', (h: { tensors: Array<Record<string, unknown>> }) => void (h.tensors[0].shape = [4, 4]), /has 16 bytes, expected 64/],
    ['an unknown dtype', (h: { tensors: Array<Record<string, unknown>> }) => void (h.tensors[0].dtype = 'float16'), /dtype "float16"/],
    ['a fractional shape', (h: { tensors: Array<Record<string, unknown>> }) => void (h.tensors[0].shape = [2.5, 2]), /shape \[2.5,2\]/],
    ['a duplicate name', (h: { tensors: Array<Record<string, unknown>> }) => void (h.tensors[1].name = 'a'), /listed twice/],
  ])('a well-checksummed header with %s is refused', (_, edit, msg) => {
    expect(codeOf(() => loadCheckpoint(forge('forged.mmg', edit)))).toMatch(msg);
  });

  test('trailing bytes after the data are refused', () => {
    expect(codeOf(() => loadCheckpoint(forge('tail.mmg', () => undefined, 64)))).toMatch(/expected \d+ data bytes, found \d+/);
  });

  test('orphaned .tmp files of a killed writer are removed by the next write; live writers are left alone', () => {
    const target = path.join(dir, 'orphan', 'last.mmg');
    ensureDir(path.dirname(target));
    const dead = path.join(path.dirname(target), '.last.mmg.999999999.1700000000000.tmp');
    const live = path.join(path.dirname(target), `.last.mmg.${process.ppid}.1700000000000.tmp`);
    fs.writeFileSync(dead, 'partial');
    fs.writeFileSync(live, 'partial');
    writeFileAtomic(target, 'new');
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
  });

  test('resume refuses a model file, another model and another dataset, with messages that say so', () => {
    const out = path.join(dir, 'resume');
    const ds = syntheticDataset('tiny');
    const r = train(ds, 'bpr-mf', {}, { epochs: 1, checkpointDir: out, topk: [5, 10, 20] });
    r.model.dispose?.();
    // best.mmg in place of last.mmg
    fs.copyFileSync(path.join(out, 'last.mmg'), path.join(out, 'last.bak'));
    fs.copyFileSync(path.join(out, 'best.mmg'), path.join(out, 'last.mmg'));
    expect(codeOf(() => train(ds, 'bpr-mf', {}, { epochs: 2, checkpointDir: out, resume: true, topk: [5, 10, 20] }))).toMatch(
      /last\.mmg: expected a resume checkpoint \(kind 'mmgraph-resume', as last\.mmg\), got a 'mmgraph-model' file; cannot resume/,
    );
    fs.copyFileSync(path.join(out, 'last.bak'), path.join(out, 'last.mmg'));
    expect(codeOf(() => train(ds, 'lightgcn', {}, { epochs: 2, checkpointDir: out, resume: true, topk: [5, 10, 20] }))).toMatch(/checkpoint is for model 'bpr-mf', not 'lightgcn'/);
    const other = syntheticDataset('tiny', { seed: 5 });
    expect(codeOf(() => train(other, 'bpr-mf', {}, { epochs: 2, checkpointDir: out, resume: true, topk: [5, 10, 20] }))).toMatch(/checkpoint was trained on another dataset/);
  });
});

describe('.npy headers are parsed strictly', () => {
  const npy = (header: string, payload = Buffer.alloc(0)) => {
    const h = header + ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
    const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
    pre.writeUInt16LE(h.length, 8);
    return Buffer.concat([pre, Buffer.from(h, 'latin1'), payload]);
  };
  test.each([
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (40, x), }", /non-integer dimension/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (4O, 2), }", /expected ',' or '\)' in shape/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (-40, 32), }", /f\.npy: unreadable .npy header \(shape has a non-integer dimension/],
    ["{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }", /fortran_order is not True or False/],
    ["{'descr': '<f4', 'shape': (2,), }", /descr, fortran_order and shape are required/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", /unexpected key 'extra'/],
    ["{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", /unexpected key 'descr'/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk", /trailing text/],
  ])('%s is refused naming the file', (header, msg) => {
    expect(codeOf(() => parseNpy(npy(header, Buffer.alloc(8)), 'f.npy'))).toMatch(msg);
  });
  test('payload longer than the shape says is refused; numpy-written files still load', () => {
    expect(codeOf(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(8)), 'f.npy'))).toMatch(/does not match the data/);
    const ok = parseNpy(encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]));
    expect(ok.shape).toEqual([3, 2]);
    expect(parseNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", Buffer.alloc(8))).shape).toEqual([]);
  });
});

describe('CSV/TSV per RFC 4180', () => {
  const csv = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const body = (rows: string[]) => ['user,item', ...rows].join('\n') + '\n';
  const base = ['u1,a', 'u1,b', 'u1,c', 'u2,a', 'u2,b', 'u2,c'];

  test('"u1" and u1 are one user; a quoted comma stays inside the id; "" is a quote', () => {
    const ds = readCsv(csv('q.csv', body(['"u1",a', 'u1,"b,c"', 'u1,"say ""hi"""', '"u2",a', 'u2,b', 'u2,c'])));
    expect(ds.idMap!.users).toEqual(['u1', 'u2']);
    expect(ds.idMap!.items).toEqual(['a', 'b,c', 'say "hi"', 'b', 'c']);
  });
  test('a quoted field may span lines; line numbers in errors stay right', () => {
    const ds = readCsv(csv('ml.csv', body(['u1,"multi\nline"', ...base.slice(1)])));
    expect(ds.idMap!.items[0]).toBe('multi\nline');
    expect(codeOf(() => readCsv(csv('ml2.csv', body(['u1,"multi\nline"', 'u1,', ...base.slice(2)]))))).toMatch(/ml2\.csv:4: empty item id/);
  });
  test('unbalanced quotes and stray quotes are errors naming the line', () => {
    expect(codeOf(() => readCsv(csv('u.csv', body([...base, 'u3,"open']))))).toMatch(/u\.csv:8: unterminated quoted field/);
    expect(codeOf(() => readCsv(csv('s.csv', body([...base, 'u3,ab"c']))))).toMatch(/s\.csv:8: a quote inside the unquoted field/);
    expect(codeOf(() => readCsv(csv('t.csv', body([...base, 'u3,"ab"c']))))).toMatch(/t\.csv:8: unexpected "c" after a closing quote/);
  });
  test('non-numeric timestamps are errors even without asking for a chronological split', () => {
    const rows = ['user,item,timestamp', 'a,x,1', 'a,y,yesterday', 'a,z,3'];
    expect(codeOf(() => readCsv(csv('ts.csv', rows.join('\n'))))).toMatch(/ts\.csv:3: timestamp 'yesterday' is neither a number nor an ISO 8601 date/);
    expect(codeOf(() => readCsv(csv('ts2.csv', 'user,item,timestamp\na,x,0x10\na,y,2\na,z,3\n')))).toMatch(/timestamp '0x10'/);
  });
  test('a timestamped file is split chronologically by default (latest rows are validation, then test)', () => {
    const rows = ['user,item,timestamp'];
    for (const u of ['a', 'b']) for (let k = 0; k < 10; k++) rows.push(`${u},i${k},${k === 3 ? '1960-01-02T00:00:00Z' : 1000 + (9 - k) * 86400 * 1000 * 366}`);
    const ds = readCsv(csv('chrono.csv', rows.join('\n')));
    // Timestamps decrease with k (k = 0 is the latest), except k = 3 (1960), which is the oldest of all.
    expect(ds.idMap!.items[ds.valid.items[0]]).toBe('i1');
    expect(ds.idMap!.items[ds.test.items[0]]).toBe('i0');
    expect(readCsv(csv('chrono.csv', rows.join('\n')), { split: { mode: 'random', seed: 3 } }).train.users.length).toBe(16);
  });
});

describe('CLI arguments are parsed strictly', () => {
  const known = { epochs: 'string', quiet: 'boolean', resume: 'boolean', users: 'string', topk: 'string' } as const;
  test.each([
    [['-x'], /unknown option -x/],
    [['--nope', '1'], /unknown option --nope/],
    [['stray'], /unexpected argument 'stray'/],
    [['--epochs', '3', 'stray'], /unexpected argument 'stray'/],
    [['--quiet=false'], /option --quiet is a switch and takes no value/],
    [['--resume=no'], /option --resume is a switch and takes no value/],
    [['--epochs'], /option --epochs needs a value/],
    [['--epochs', '--quiet'], /option --epochs needs a value, got '--quiet'/],
  ])('%j is an error', (argv, msg) => {
    expect(codeOf(() => parseArgs(argv, known))).toMatch(msg);
  });
  test('numbers are strict decimals; lists have no empty entries', () => {
    const a = (argv: string[]) => parseArgs(argv, known);
    expect(codeOf(() => intFlag(a(['--epochs', '0x2']), 'epochs', 1))).toMatch(/--epochs: expected a decimal integer, got '0x2'/);
    expect(codeOf(() => intFlag(a(['--epochs', '1e3']), 'epochs', 1))).toMatch(/decimal integer/);
    expect(codeOf(() => intFlag(a(['--epochs', ' ']), 'epochs', 1))).toMatch(/decimal integer/);
    expect(intFlag(a(['--epochs=-3']), 'epochs', 1)).toBe(-3);
    expect(intFlag(a(['--epochs', '12']), 'epochs', 1)).toBe(12);
    expect(codeOf(() => listFlag(a(['--users', ',']), 'users'))).toMatch(/--users: expected a comma-separated list without empty entries, got ','/);
    expect(codeOf(() => intListFlag(a(['--topk', '-5']), 'topk'))).toMatch(/needs a value, got '-5'/);
    expect(codeOf(() => intListFlag(a(['--topk=-5']), 'topk'))).toMatch(/--topk: expected a comma-separated list of integers >= 1, got '-5'/);
    expect(intListFlag(a(['--topk', '5,10']), 'topk')).toEqual([5, 10]);
    expect(a(['--quiet', '--resume']).flags.get('quiet')).toBe(true);
  });
  test('constructor and __proto__ are unknown hyper-parameters', () => {
    const f = modelFactory('lightgcn');
    expect(codeOf(() => resolveSchema(f.name, f.schema!, JSON.parse('{"constructor": 1}')))).toMatch(/unknown hyper-parameter 'constructor'/);
    expect(codeOf(() => resolveSchema(f.name, f.schema!, JSON.parse('{"__proto__": {"n_layers": 2}}')))).toMatch(/unknown hyper-parameter '__proto__'/);
  });

  test('end to end: bad flags, a foreign config model: key, prototype keys, --users ,', () => {
    const cfg = (name: string, text: string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const train = (...extra: string[]) => runCli(['train', '--model', 'bpr-mf', '--data', 'synthetic:tiny', '--epochs', '1', '--out', path.join(dir, 'cli'), ...extra]);
    const cases: Array<[string[], RegExp]> = [
      [['-x'], /unknown option -x/],
      [['stray'], /unexpected argument 'stray'/],
      [['--quiet=false'], /--quiet is a switch/],
      [['--epochs', '0x2'], /--epochs: expected a decimal integer, got '0x2'/],
      [['--config', cfg('m.yaml', 'model: lightgcn\n')], /the file is for model 'lightgcn', but --model is 'bpr-mf'/],
      [['--config', cfg('c.json', '{"constructor": 1}')], /unknown key 'constructor' for bpr-mf/],
      [['--config', cfg('p.json', '{"__proto__": {"x": 1}}')], /unknown key '__proto__' for bpr-mf/],
      [['--config', cfg('n.yaml', 'eval_batch_size: 0\n')], /evalBatchSize \(eval_batch_size\) to be a positive integer, got 0/],
      [['--config', cfg('t.yaml', 'topk: "20"\n')], /expected topk to be a list of positive integers, got "20"/],
      [['--config', cfg('v.yaml', 'valid_metric: 5\n')], /expected validMetric to be a metric name/],
      [['--config', cfg('nan.yaml', 'learning_rate: .nan\n')], /expected lr to be a positive number, got NaN/],
      [['--device', 'gpu'], /expected device to be one of cpu, cuda, cuda-emu, got "gpu"/],
    ];
    for (const [extra, msg] of cases) {
      const r = train(...extra);
      expect([extra, r.status, r.stderr]).toEqual([extra, 1, expect.stringMatching(msg)]);
    }
    // Outside the test build (no MMGRAPH_EMULATOR=1) --device offers the public devices only.
    const publicOnly = (...extra: string[]) =>
      spawnSync(process.execPath, [cli, 'train', '--model', 'bpr-mf', '--data', 'synthetic:tiny', '--epochs', '1', '--out', path.join(dir, 'cli'), ...extra], {
        encoding: 'utf8', cwd: os.tmpdir(), timeout: 60000, env: { ...process.env, MMGRAPH_EMULATOR: '0' },
      });
    expect(publicOnly('--device', 'gpu').stderr).toMatch(/expected device to be one of cpu, cuda, got "gpu"/);
    expect(publicOnly('--device', 'cuda-emu').stderr).toMatch(/device 'cuda-emu' .* is not enabled: set MMGRAPH_EMULATOR=1/);
    expect(runCli(['recommend', '--model-file', 'x.mmg', '--users', ',']).stderr).toMatch(/--users: expected a comma-separated list/);
  });

  test('synth then train on the folder works with defaults (one .inter file, tiny preset topk)', () => {
    const data = path.join(dir, 'x');
    expect(runCli(['synth', '--preset', 'tiny', '--out', data]).status).toBe(0);
    const r = runCli(['train', '--model', 'bpr-mf', '--data', data, '--epochs', '1', '--quiet', '--out', path.join(dir, 'x-run')]);
    expect(r.stderr).not.toMatch(/mmgraph:/);
    expect(r.status).toBe(0);
    const w = path.join(dir, 'w');
    writeMmrec(syntheticDataset('tiny'), w, { name: 'other' });
    expect(readMmrec(w).name).toBe('other');
  });
});
