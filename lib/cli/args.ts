/** A small argv parser: `--key value`, `--key=value`, `--flag`, positionals. Unknown flags are errors. */
import { MmgError } from '../errors';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], known: Record<string, 'string' | 'boolean'>): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const kind = known[key];
    if (!kind) throw new MmgError(`unknown option --${key} (known: ${Object.keys(known).map((k) => `--${k}`).join(', ')})`, 'MMG_E_ARG');
    if (kind === 'boolean') {
      flags.set(key, true);
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new MmgError(`option --${key} needs a value`, 'MMG_E_ARG');
    flags.set(key, value);
  }
  return { positionals, flags };
}

export function intFlag(args: ParsedArgs, key: string, dflt: number): number {
  const v = args.flags.get(key);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new MmgError(`--${key}: expected an integer, got '${v}'`, 'MMG_E_ARG');
  return n;
}
