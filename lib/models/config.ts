/** Hyper-parameter validation shared by the models: clear errors naming the key and the range. */
import { MmgError } from '../errors';

export function resolveConfig(model: string, defaults: Readonly<Record<string, unknown>>, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(given)) {
    if (!(k in defaults)) throw new MmgError(`${model}: unknown hyper-parameter '${k}' (known: ${Object.keys(defaults).join(', ')})`, 'MMG_E_ARG');
    out[k] = v;
  }
  return out;
}

export function intIn(model: string, cfg: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = cfg[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new MmgError(`${model}: expected ${key} to be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`, 'MMG_E_ARG');
  return v;
}

export function numIn(model: string, cfg: Record<string, unknown>, key: string, min: number, max: number, { openMax = false } = {}): number {
  const v = cfg[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (openMax ? v >= max : v > max))
    throw new MmgError(`${model}: expected ${key} to be a number in [${min}, ${max}${openMax ? ')' : ']'}, got ${JSON.stringify(v)}`, 'MMG_E_ARG');
  return v;
}
