/** Parameter initializers with PyTorch's formulas (the random stream is ours, seeded). */
import { tensor, type Tensor, type DType, type Device } from '../tensor';
import { Prng } from '../data/prng';

export interface InitOptions {
  dtype?: DType;
  device?: Device;
  name?: string;
}

function uniform(shape: number[], bound: number, rng: Prng, opts: InitOptions): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = opts.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) vals[i] = (2 * rng.uniform() - 1) * bound;
  return tensor(vals, shape, { dtype: opts.dtype ?? 'float32', device: opts.device, requiresGrad: true, name: opts.name });
}

/** torch.nn.init.xavier_uniform_: U(±sqrt(6 / (fan_in + fan_out))) with fan_in = cols, fan_out = rows. */
export function xavierUniform(shape: [number, number], rng: Prng, opts: InitOptions = {}): Tensor {
  return uniform(shape, Math.sqrt(6 / (shape[0] + shape[1])), rng, opts);
}

/** nn.Linear's default: weight and bias U(±1/sqrt(fan_in)). Weight shape [out, in]. */
export function linearInit(outDim: number, inDim: number, rng: Prng, opts: InitOptions & { bias?: boolean } = {}): { weight: Tensor; bias: Tensor | null } {
  const bound = 1 / Math.sqrt(inDim);
  const weight = uniform([outDim, inDim], bound, rng, { ...opts, name: opts.name ? `${opts.name}.weight` : undefined });
  const bias = opts.bias === false ? null : uniform([outDim], bound, rng, { ...opts, name: opts.name ? `${opts.name}.bias` : undefined });
  return { weight, bias };
}

/** torch.randn */
export function randn(shape: number[], rng: Prng, opts: InitOptions = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = opts.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) vals[i] = rng.normal();
  return tensor(vals, shape, { dtype: opts.dtype ?? 'float32', device: opts.device, requiresGrad: true, name: opts.name });
}
