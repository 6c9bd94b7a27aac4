/**
 * Jest setup (every test file): fast-check's properties outside the fuzz suite are seeded too.
 * Unseeded, fast-check draws a new seed per run; a property body that takes its tensors from a
 * file's shared Rng then leaves that Rng in a different state each run, and every later test of
 * the file sees different data: a test could pass on one run and fail on the next. FUZZ_SEED
 * (default 12; the fuzz suite reads the same value) picks another seed for a longer hunt.
 */
import * as fc from 'fast-check';

/** FUZZ_SEED as an integer, or 12; anything else stops the run with a message saying so. */
export function propertySeed(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw.trim() === '') return 12;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got '${raw}'`);
  return seed;
}

fc.configureGlobal({ seed: propertySeed() });
