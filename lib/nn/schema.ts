/**
 * One place per model for its hyper-parameters: each key's default, allowed range (or values),
 * per-dataset defaults where the sources give them, and a one-line doc. Models resolve their config
 * through it (typed), the CLI and summaries read defaults from it, and errors name the key and
 * the allowed range.
 */
import { MmgError } from '../errors';

/** Datasets with published per-dataset settings (MMRec's Amazon sets). */
export const KNOWN_DATASETS = ['baby', 'sports', 'clothing', 'elec'] as const;
export type DatasetName = (typeof KNOWN_DATASETS)[number];

interface Common<T> {
  default: T;
  doc: string;
  /** Values that replace the default on a given dataset (sources: each model's official yaml/README or spec). */
  datasets?: Partial<Record<DatasetName, T>>;
}
export interface IntSpec extends Common<number> {
  type: 'int';
  min: number;
  max: number;
}
export interface NumSpec extends Common<number> {
  type: 'number';
  min: number;
  max: number;
  /** The range excludes max ([min, max)). */
  openMax?: boolean;
}
export interface EnumSpec<V extends string = string> extends Common<V> {
  type: 'enum';
  values: readonly V[];
}
export interface BoolSpec extends Common<boolean> {
  type: 'bool';
}
export type ParamSpec = IntSpec | NumSpec | EnumSpec | BoolSpec;
export type ConfigSchema = Readonly<Record<string, ParamSpec>>;

export type ResolvedConfig<S extends ConfigSchema> = {
  readonly [K in keyof S]: S[K] extends EnumSpec<infer V> ? V : S[K] extends BoolSpec ? boolean : number;
};

/** Identity with inference: keeps enum value unions literal. */
export function defineSchema<S extends ConfigSchema>(s: S): S {
  return s;
}

export const int = (def: number, min: number, max: number, doc: string, datasets?: IntSpec['datasets']): IntSpec => ({ type: 'int', default: def, min, max, doc, datasets });
export const num = (def: number, min: number, max: number, doc: string, opts: { openMax?: boolean; datasets?: NumSpec['datasets'] } = {}): NumSpec =>
  ({ type: 'number', default: def, min, max, doc, ...opts });
export const oneOf = <V extends string>(def: V, values: readonly V[], doc: string): EnumSpec<V> => ({ type: 'enum', default: def, values, doc });
export const flag = (def: boolean, doc: string): BoolSpec => ({ type: 'bool', default: def, doc });

/** The defaults, with a dataset's own values applied when one is named. */
export function schemaDefaults<S extends ConfigSchema>(schema: S, dataset?: DatasetName): ResolvedConfig<S> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) out[k] = dataset && s.datasets?.[dataset] !== undefined ? s.datasets[dataset] : s.default;
  return out as ResolvedConfig<S>;
}

function describe(s: ParamSpec): string {
  switch (s.type) {
    case 'int':
      return `an integer in [${s.min}, ${s.max}]`;
    case 'number':
      return `a number in [${s.min}, ${s.max}${s.openMax ? ')' : ']'}`;
    case 'enum':
      return `one of ${s.values.map((v) => `'${v}'`).join(', ')}`;
    case 'bool':
      return 'true or false';
  }
}

function valid(s: ParamSpec, v: unknown): boolean {
  switch (s.type) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= s.min && v <= s.max;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && v >= s.min && (s.openMax ? v < s.max : v <= s.max);
    case 'enum':
      return typeof v === 'string' && (s.values as readonly string[]).includes(v);
    case 'bool':
      return typeof v === 'boolean';
  }
}

/**
 * Defaults (per dataset when named) overlaid with `given`; every value checked against its spec.
 * Unknown keys (own properties only; `__proto__`-style keys included) are errors naming the known ones.
 */
export function resolveSchema<S extends ConfigSchema>(model: string, schema: S, given: Record<string, unknown>, dataset?: DatasetName): ResolvedConfig<S> {
  const out: Record<string, unknown> = { ...schemaDefaults(schema, dataset) };
  for (const k of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(schema, k))
      throw new MmgError(`${model}: unknown hyper-parameter '${k}' (known: ${Object.keys(schema).join(', ')})`, 'MMG_E_ARG');
    out[k] = given[k];
  }
  for (const [k, s] of Object.entries(schema)) {
    if (!valid(s, out[k])) throw new MmgError(`${model}: expected ${k} to be ${describe(s)}, got ${typeof out[k] === 'number' ? String(out[k]) : JSON.stringify(out[k])}`, 'MMG_E_ARG');
  }
  return out as ResolvedConfig<S>;
}
