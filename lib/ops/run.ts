/** The one bridge from TypeScript ops to native kernels. */
import { check } from '../errors';
import { loadAddon } from '../native/load';
import { Tensor, deviceCode } from '../tensor';

/**
 * Runs native op `op` on the inputs' device and wraps its outputs. Null inputs are absent optional
 * inputs. Attributes are positional numbers, documented in the op's native contract.
 */
export function runOp(op: string, inputs: ReadonlyArray<Tensor | null>, attrs: readonly number[] = []): Tensor[] {
  const first = inputs.find((t) => t !== null);
  check(first, 'MMG_E_ARG', `${op}: expected at least one input tensor`);
  const device = first.device;
  const handles = inputs.map((t) => (t ? t.handle : null));
  const outs = loadAddon().run(op, deviceCode(device), handles, attrs as number[]);
  return outs.map((h) => new Tensor(h));
}

/** runOp for ops with exactly one output. */
export function runOp1(op: string, inputs: ReadonlyArray<Tensor | null>, attrs: readonly number[] = []): Tensor {
  return runOp(op, inputs, attrs)[0];
}
