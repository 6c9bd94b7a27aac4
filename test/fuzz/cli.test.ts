/**
 * Fuzzing the command line: random argument vectors through the strict parser in-process (many),
 * and through the real CLI process (a few, each with a timeout): every run ends with exit 0 on a
 * valid command or exit 1 with a one-line "mmgraph: …" message; never a signal, a hang, a stack
 * trace, or exit 0 on invalid input.
 */
import { spawnSync } from 'child_process';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs, intFlag, listFlag } from '../../lib/cli/args';
import { cleanly, params } from './harness';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'lib', 'cli', 'main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmg-fuzz-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const KNOWN = { model: 'string', data: 'string', epochs: 'string', quiet: 'boolean', resume: 'boolean', users: 'string', help: 'boolean' } as const;
const token = fc.oneof(
  fc.constantFrom('--model', '--data', '--epochs', '--quiet', '--resume', '--users', '--help', '-h', '-x', '--', '-', '--quiet=false', '--resume=no', '--epochs=0x2', '--epochs=-1', '--users=,', '--model=', '--constructor', '--__proto__', '--toString'),
  fc.constantFrom('lightgcn', '3', '0x2', '1e3', ',', 'a,b', '', ' ', 'synthetic:tiny', '-5', 'NaN'),
  fc.string({ maxLength: 6 }),
);

describe('fuzz: argv parser', () => {
  test('only known options come back, with a value of the right kind; nothing positional', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
        const a = cleanly(() => parseArgs(argv, KNOWN));
        if (!a) return;
        expect(a.positionals).toEqual([]);
        for (const [k, v] of a.flags) {
          expect(Object.prototype.hasOwnProperty.call(KNOWN, k)).toBe(true);
          expect(KNOWN[k as keyof typeof KNOWN] === 'boolean' ? v === true : typeof v === 'string').toBe(true);
          // A switch is on only when written bare (or as -h, help's one short form).
          if (v === true) expect(argv.some((x) => x === `--${k}` || (k === 'help' && /^-h+$/.test(x)))).toBe(true);
        }
        const e = cleanly(() => intFlag(a, 'epochs', 1));
        if (e !== undefined && a.flags.has('epochs')) expect(String(a.flags.get('epochs')).trim()).toMatch(/^[-+]?\d+$/);
        const u = cleanly(() => listFlag(a, 'users'));
        if (u) expect(u.every((s) => s.length > 0)).toBe(true);
      }),
      params(3000),
    );
  });
});

describe('fuzz: the CLI process', () => {
  // Never a dataset that exists: no case may start a long training run; synth may succeed.
  const arg = fc.oneof(
    fc.constantFrom('--model', '--data', '--epochs', '--out', '--users', '--model-file', '--topk', '--k', '--preset', '--config', '--seed', '--quiet', '--resume', '--help', '-x', 'stray', '--quiet=false'),
    fc.constantFrom('lightgcn', 'bpr-mf', 'nope', 'synthetic:nope', '/nonexistent/x', '/proc/forbidden', '0x2', '-5', ',', '1,,2', 'tiny', '3', '__proto__'),
  );
  const command = fc.constantFrom('train', 'eval', 'recommend', 'synth', 'info', 'bogus');

  test('random command lines end cleanly and in time', () => {
    let n = 0;
    fc.assert(
      fc.property(command, fc.array(arg, { maxLength: 7 }), (cmd, rest) => {
        const args = [cmd, ...rest];
        // synth --out must stay inside the test folder.
        const outAt = args.indexOf('--out');
        if (cmd === 'synth' && outAt >= 0 && args[outAt + 1] && !args[outAt + 1].startsWith('/')) args[outAt + 1] = path.join(dir, `s${n++}`);
        const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, timeout: 30000, env: { ...process.env, MMGRAPH_QUIET: '1' } });
        expect({ args, signal: r.signal, error: r.error?.message }).toEqual({ args, signal: null, error: undefined });
        expect([0, 1]).toContain(r.status);
        expect(r.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m); // no stack trace
        if (r.status === 1) expect(r.stderr).toMatch(/^mmgraph: \S/m);
        if (r.status === 0) {
          const valid = args.includes('--help') || cmd === 'info' || cmd === 'synth';
          expect({ args, valid }).toEqual({ args, valid: true });
        }
      }),
      params(16),
    );
  });
});
