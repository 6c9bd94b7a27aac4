/**
 * Shared settings of the fuzz suite. Every property is seeded (FUZZ_SEED, default 12) so a failure
 * reproduces; FUZZ_SCALE multiplies the number of runs (default 1: the whole suite in well under a
 * minute, as part of `npm test`; raise it for a longer hunt: FUZZ_SCALE=20 npx jest test/fuzz).
 */
import * as fc from 'fast-check';
import { MmgError } from '../../lib/errors';
import { propertySeed } from '../harness/seed_properties';

export const SEED = propertySeed();
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

export function params(runs: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: Math.max(1, Math.round(runs * SCALE)), endOnFailure: true };
}

/**
 * Runs `f`: returns its result, or undefined when it threw an MmgError (a clean, specific error).
 * Anything else thrown (a TypeError, a RangeError from a typed array, …) fails the property.
 */
export function cleanly<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof MmgError && e.message.length > 0) return undefined;
    throw new Error(`expected a result or an MmgError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  }
}

/** Byte-level mutations of a valid file: flips, overwrites, cuts, insertions, appended junk. */
export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('digit' as const), at: fc.nat(), byte: fc.constantFrom(...'0123456789-x.,() '.split('').map((c) => c.charCodeAt(0))) }),
);
export type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

export function mutate(buf: Buffer, muts: readonly Mutation[]): Buffer {
  let b = Buffer.from(buf);
  for (const m of muts) {
    if (b.length === 0) break;
    const at = m.at % (b.length + (m.kind === 'insert' ? 1 : 0));
    if (m.kind === 'flip') b[at] ^= 1 << m.bit;
    else if (m.kind === 'set' || m.kind === 'digit') b[at] = m.byte;
    else if (m.kind === 'cut') b = b.subarray(0, at);
    else b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
  }
  return b;
}
