/**
 * The command line's argv parser: Node's util.parseArgs in strict mode. `--key value`,
 * `--key=value` and boolean `--flag` only; an unknown option (long or short), a stray positional
 * argument, a value given to a boolean (`--quiet=false`) or a missing value is an MmgError
 * (MMG_E_ARG) naming it. Values are never coerced here: intFlag reads strict decimal integers.
 */
import { parseArgs as nodeParseArgs } from 'util';
import { MmgError } from '../errors';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], known: Record<string, 'string' | 'boolean'>): ParsedArgs {
  const names = Object.keys(known);
  const list = names.map((k) => `--${k}`).join(', ');
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = Object.create(null);
  for (const k of names) options[k] = { type: known[k] };
  // -h is the one short option: the usual way to ask a command for its help.
  if (known.help === 'boolean') options.help.short = 'h';
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (e) {
    throw new MmgError(explain(e as Error & { code?: string }, argv, known, list), 'MMG_E_ARG');
  }
  const flags = new Map<string, string | true>();
  for (const k of names) {
    if (!Object.prototype.hasOwnProperty.call(parsed.values, k)) continue;
    const v = (parsed.values as Record<string, unknown>)[k];
    if (v === undefined) continue;
    flags.set(k, known[k] === 'boolean' ? true : String(v));
  }
  return { positionals: [], flags };
}

/** util.parseArgs' messages, restated for the command line (they mention "Option" and "positional"). */
function explain(e: Error & { code?: string }, argv: string[], known: Record<string, 'string' | 'boolean'>, list: string): string {
  const msg = e.message;
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const m = /Unknown option '([^']+)'/.exec(msg);
      return `unknown option ${m ? m[1] : '?'} (known: ${list})`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const m = /Unexpected argument '([^']*)'/.exec(msg);
      return `unexpected argument ${m ? `'${m[1]}'` : ''}: options take the form --name value (known: ${list})`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const m = /Option '(?:-\w, )?--([^ ']+)/.exec(msg);
      const key = m?.[1];
      if (key && known[key] === 'boolean') return `option --${key} is a switch and takes no value (write --${key}, or leave it out)`;
      if (key) {
        const i = argv.findIndex((a) => a === `--${key}`);
        const next = i >= 0 ? argv[i + 1] : undefined;
        if (next !== undefined && next.startsWith('-')) return `option --${key} needs a value, got '${next}' (write --${key}=${next} if that is the value)`;
        return `option --${key} needs a value`;
      }
      return msg;
    }
    default:
      return msg;
  }
}

/** A strict decimal integer flag (no hex, exponents, blanks or fractions); `dflt` when absent. */
export function intFlag(args: ParsedArgs, key: string, dflt: number): number {
  const v = args.flags.get(key);
  if (v === undefined) return dflt;
  const s = String(v);
  const n = /^[-+]?\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n)) throw new MmgError(`--${key}: expected a decimal integer, got '${v}'`, 'MMG_E_ARG');
  return n;
}

/** A comma-separated list flag: at least one entry, none empty (`--users ,` is an error). */
export function listFlag(args: ParsedArgs, key: string): string[] | undefined {
  const v = args.flags.get(key);
  if (v === undefined) return undefined;
  const parts = String(v).split(',').map((s) => s.trim());
  if (!parts.length || parts.some((p) => p === ''))
    throw new MmgError(`--${key}: expected a comma-separated list without empty entries, got '${v}'`, 'MMG_E_ARG');
  return parts;
}

/** A comma-separated list of integers ≥ `min` (strict decimal, as intFlag). */
export function intListFlag(args: ParsedArgs, key: string, min = 1): number[] | undefined {
  const parts = listFlag(args, key);
  if (!parts) return undefined;
  return parts.map((p) => {
    const n = /^[-+]?\d+$/.test(p) ? Number(p) : NaN;
    if (!Number.isSafeInteger(n) || n < min)
      throw new MmgError(`--${key}: expected a comma-separated list of integers >= ${min}, got '${args.flags.get(key)}'`, 'MMG_E_ARG');
    return n;
  });
}
