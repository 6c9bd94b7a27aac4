/** The one bridge from TypeScript ops to native kernels. */
import { check } from '../errors';
import { loadAddon } from '../native/load';
import { Tensor, deviceCode } from '../tensor';

/**
 * MMGRAPH_PROFILE=1 at load time turns on per-op timing (see takeOpProfile below); =shapes keys
 * the entries by op and input shapes and attributes (e.g. to tell a model's GEMMs apart).
 */
const PROFILE = process.env.MMGRAPH_PROFILE === '1' || process.env.MMGRAPH_PROFILE === 'shapes';
const PROFILE_SHAPES = process.env.MMGRAPH_PROFILE === 'shapes';

/**
 * Runs native op `op` on the inputs' device and wraps its outputs. Null inputs are absent optional
 * inputs. Attributes are positional numbers, documented in the op's native contract.
 */
export function runOp(op: string, inputs: ReadonlyArray<Tensor | null>, attrs: readonly number[] = []): Tensor[] {
  return PROFILE ? profiled(op, inputs, attrs) : dispatch(op, inputs, attrs);
}

function dispatch(op: string, inputs: ReadonlyArray<Tensor | null>, attrs: readonly number[]): Tensor[] {
  const first = inputs.find((t) => t !== null);
  check(first, 'MMG_E_ARG', `${op}: expected at least one input tensor`);
  const handles = inputs.map((t) => (t ? t.handle : null));
  const outs = loadAddon().run(op, deviceCode(first.device), handles, attrs as number[]);
  return outs.map((h) => new Tensor(h));
}

/** runOp for ops with exactly one output. */
export function runOp1(op: string, inputs: ReadonlyArray<Tensor | null>, attrs: readonly number[] = []): Tensor {
  return runOp(op, inputs, attrs)[0];
}

/**
 * Per-op timing for benchmarks: with MMGRAPH_PROFILE=1 in the environment at load time, every
 * runOp call's wall time is added to its op's entry (CPU kernels run synchronously, so this is the
 * kernel time plus the N-API crossing; asynchronous device backends would need a sync to be exact).
 * Off by default, and then the only cost is one constant test per call.
 */
export interface OpProfileEntry {
  calls: number;
  ms: number;
}

const profile = new Map<string, OpProfileEntry>();

function profiled(op: string, inputs: ReadonlyArray<Tensor | null>, attrs: readonly number[]): Tensor[] {
  const t0 = process.hrtime.bigint();
  try {
    return dispatch(op, inputs, attrs);
  } finally {
    const key = PROFILE_SHAPES ? `${op} ${inputs.map((t) => (t ? `[${t.shape.join('x')}]` : '-')).join(' ')} (${attrs.join(',')})` : op;
    const e = profile.get(key) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += Number(process.hrtime.bigint() - t0) / 1e6;
    profile.set(key, e);
  }
}

/** Whether MMGRAPH_PROFILE=1 was set when this module loaded. */
export function opProfileEnabled(): boolean {
  return PROFILE;
}

/** The accumulated per-op times since the last reset, largest first; then clears them if reset. */
export function takeOpProfile(reset = true): Array<[string, OpProfileEntry]> {
  const out = [...profile.entries()].sort((a, b) => b[1].ms - a[1].ms);
  if (reset) profile.clear();
  return out;
}
