/**
 * Device parity cases: for every kernel the CUDA backend (and its cuda-emu twin) registers, random
 * inputs on which it must agree with the CPU kernel, per-dtype tolerances, and bad inputs whose
 * errors must match the CPU's. Used by test/cuda/emu_parity.test.ts (cuda-emu, every CI run) and
 * test/gpu/parity.test.ts (real CUDA, where a GPU exists).
 *
 * How to add a test for a new op: create test/cuda/cases/<stem>.ts exporting `cases: OpCase[]`
 * with one entry per kernel name the op registers (forward and backward). Nothing else to edit:
 * the files are found by listing the folder, and emu_parity fails when an emu kernel has no case.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runOp } from '../../lib/ops/run';
import { tensor, type DType, type Device, type Tensor } from '../../lib/tensor';
import { Rng } from '../harness/rng';

export interface Sample {
  /** CPU tensors; the parity test copies them to the device under test. Null = absent optional input. */
  inputs: Array<Tensor | null>;
  attrs?: number[];
  /** What the sample exercises, shown when it fails. */
  what: string;
  /**
   * For samples whose exact outputs are 0 (both sides then return rounding noise): the magnitude
   * errors are scaled by at least, i.e. the outputs' size on ordinary inputs. Default: none.
   */
  floor?: number;
}

export interface OpCase {
  kernel: string;
  dtypes: DType[];
  /** Scaled max error (max|a−b| / max|cpu|) allowed between device and CPU outputs, per dtype. */
  tol: Partial<Record<DType, number>>;
  /** Why the tolerance is what it is (summation order, FMA, library arithmetic...). */
  why: string;
  samples(rng: Rng, dtype: DType): Sample[];
  /** Inputs the CPU kernel rejects; the device must reject them with the same code and message. */
  bad?(rng: Rng): Sample[];
  /**
   * Outputs compared only through a property (e.g. a top-k's indices up to ties): returns an error
   * text or null. Outputs not listed are compared with `tol`.
   */
  custom?: Record<number, (cpu: Tensor[], dev: Tensor[], sample: Sample) => string | null>;
  /** Inputs an in-place kernel writes (e.g. adam's param, m, v): compared after the run with `tol`. */
  inPlace?: number[];
}

export function loadCases(): OpCase[] {
  const dir = path.join(__dirname, 'cases');
  const out: OpCase[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.ts')) continue;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    out.push(...(require(path.join(dir, f)) as { cases: OpCase[] }).cases);
  }
  return out;
}

/** Random float tensor of a shape (normal entries). */
export function randn(rng: Rng, shape: number[], dtype: DType): Tensor {
  return rng.randn(shape, dtype);
}

/** Random integer tensor with entries in [0, n). */
export function randint(rng: Rng, shape: number[], n: number, dtype: DType = 'int32'): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: size }, () => rng.int(n)), shape, { dtype });
}

export function maxScaledError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-30): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let ref = floor;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
    if (!Number.isNaN(d)) diff = Math.max(diff, d);
    if (Number.isFinite(b[i])) ref = Math.max(ref, Math.abs(b[i]));
  }
  return diff / ref;
}

/**
 * Runs a sample on the CPU and on `device`, and returns every disagreement as text (empty when they
 * agree). Device outputs are copied back with toArray(), so this works for 'cuda' as well.
 */
export function compareSample(c: OpCase, s: Sample, device: Device, dtype: DType): string[] {
  const problems: string[] = [];
  const devInputs = s.inputs.map((t) => (t ? t.to(device) : null));
  const cpu = runOp(c.kernel, s.inputs, s.attrs ?? []);
  const dev = runOp(c.kernel, devInputs, s.attrs ?? []);
  const where = `${c.kernel} [${dtype}] ${s.what}`;
  if (cpu.length !== dev.length) problems.push(`${where}: ${dev.length} outputs on ${device}, ${cpu.length} on cpu`);
  for (let i = 0; i < Math.min(cpu.length, dev.length); i++) {
    if (dev[i].device !== device) problems.push(`${where}: output ${i} is on ${dev[i].device}, not ${device}`);
    if (cpu[i].dtype !== dev[i].dtype || cpu[i].shape.join() !== dev[i].shape.join()) {
      problems.push(`${where}: output ${i} is ${dev[i].dtype}[${dev[i].shape}] on ${device}, ${cpu[i].dtype}[${cpu[i].shape}] on cpu`);
      continue;
    }
    const custom = c.custom?.[i];
    if (custom) {
      const e = custom(cpu, dev, s);
      if (e) problems.push(`${where}: output ${i}: ${e}`);
      continue;
    }
    const tol = cpu[i].dtype === 'float32' || cpu[i].dtype === 'float64' ? (c.tol[cpu[i].dtype] ?? 0) : 0;
    const err = maxScaledError(dev[i].toArray(), cpu[i].toArray(), s.floor);
    if (!(err <= tol)) problems.push(`${where}: output ${i} scaled error ${err.toExponential(3)} > ${tol}`);
  }
  for (const k of c.inPlace ?? []) {
    const a = s.inputs[k];
    const d = devInputs[k];
    if (!a || !d) continue;
    const tol = a.dtype === 'float32' || a.dtype === 'float64' ? (c.tol[a.dtype] ?? 0) : 0;
    const err = maxScaledError(d.toArray(), a.toArray());
    if (!(err <= tol)) problems.push(`${where}: in-place input ${k} scaled error ${err.toExponential(3)} > ${tol}`);
  }
  return problems;
}

/** Runs a bad sample on both devices; returns a disagreement (or a missing error) as text. */
export function compareError(c: OpCase, s: Sample, device: Device): string | null {
  const catchIt = (fn: () => unknown): { code: string; message: string } | null => {
    try {
      fn();
      return null;
    } catch (e) {
      const err = e as { code?: string; message: string };
      return { code: err.code ?? 'none', message: err.message };
    }
  };
  const cpu = catchIt(() => runOp(c.kernel, s.inputs, s.attrs ?? []));
  const devInputs = s.inputs.map((t) => (t ? t.to(device) : null));
  const dev = catchIt(() => runOp(c.kernel, devInputs, s.attrs ?? []));
  if (!cpu) return `${c.kernel} ${s.what}: the CPU kernel accepted it (fix the case)`;
  if (!dev) return `${c.kernel} ${s.what}: ${device} accepted what cpu rejects (${cpu.message})`;
  if (cpu.code !== dev.code || cpu.message !== dev.message)
    return `${c.kernel} ${s.what}: cpu says ${cpu.code} "${cpu.message}", ${device} says ${dev.code} "${dev.message}"`;
  return null;
}
