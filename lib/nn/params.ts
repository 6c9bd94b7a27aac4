/**
 * A model's trainable parameters, registered once, in the reference implementation's state_dict
 * order (a seeded init draws in that order, so it is reproducible), and held by the model as typed
 * fields: nothing is looked up by string after construction. `map()` is what Model.parameters()
 * returns; `dispose()` frees them all.
 */
import { tensor, type DType, type Device, type Tensor } from '../tensor';
import type { Prng } from '../data/prng';
import { MmgError } from '../errors';
import { linear } from '../ops';
import { linearInit, randn, xavierUniform } from './init';

/** nn.Linear: y = x·Wᵀ + b (b absent for bias-free layers). */
export class Linear {
  constructor(readonly weight: Tensor, readonly bias: Tensor | null) {}
  apply(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

/** One modality's item features as the data layer hands them over (row i = item i). */
export interface FeatureMatrix {
  data: Float32Array;
  dim: number;
}

/** The feature values in a training dtype (float64 copies; float32 is used as is). */
export function featureValues(f: FeatureMatrix, dtype: DType): Float32Array | Float64Array {
  return dtype === 'float64' ? Float64Array.from(f.data) : f.data;
}

/** A constant (non-trainable) feature tensor, e.g. for building kNN graphs. */
export function featureTensor(f: FeatureMatrix, dtype: DType): Tensor {
  return tensor(featureValues(f, dtype), [f.data.length / f.dim, f.dim], { dtype });
}

export class ParamStore {
  private readonly params = new Map<string, Tensor>();

  constructor(private readonly model: string, private readonly rng: Prng, private readonly opts: { dtype: DType; device: Device }) {}

  /** Registers a tensor under its state_dict key. */
  add(name: string, t: Tensor): Tensor {
    if (this.params.has(name)) throw new MmgError(`${this.model}: parameter '${name}' registered twice`, 'MMG_E_ARG');
    t.name = name;
    this.params.set(name, t);
    return t;
  }

  /** nn.Embedding with xavier_uniform_ (MMRec's init for user and item ID embeddings). */
  embedding(name: string, rows: number, dim: number): Tensor {
    return this.add(name, xavierUniform([rows, dim], this.rng, this.opts));
  }

  /** torch.randn parameter (e.g. SMORE's complex filter weights). */
  randn(name: string, shape: number[]): Tensor {
    return this.add(name, randn(shape, this.rng, this.opts));
  }

  /** nn.Linear(inDim, outDim) with PyTorch's default init, registered as `<name>.weight` / `<name>.bias`. */
  linear(name: string, inDim: number, outDim: number, { bias = true } = {}): Linear {
    const l = linearInit(outDim, inDim, this.rng, { ...this.opts, bias });
    this.add(`${name}.weight`, l.weight);
    if (l.bias) this.add(`${name}.bias`, l.bias);
    return new Linear(l.weight, l.bias);
  }

  /**
   * Item features as an embedding table (nn.Embedding.from_pretrained): trainable unless frozen.
   * A frozen table is not registered as a parameter (it is neither optimized nor saved). A
   * trainable one defers its gradient through a linear layer (Tensor.deferGrad), so that Adam
   * updates it without storing a gradient as large as the table.
   */
  features(name: string, f: FeatureMatrix, { trainable = true } = {}): Tensor {
    const t = tensor(featureValues(f, this.opts.dtype), [f.data.length / f.dim, f.dim], { ...this.opts, requiresGrad: trainable });
    if (trainable) {
      t.deferGrad = true;
      return this.add(name, t);
    }
    t.name = name;
    this.constants.push(t);
    return t;
  }

  private readonly constants: Tensor[] = [];

  map(): Map<string, Tensor> {
    return new Map(this.params);
  }

  dispose(): void {
    for (const t of this.params.values()) t.dispose();
    for (const t of this.constants) t.dispose();
  }
}
