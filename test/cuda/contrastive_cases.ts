/**
 * Builders for the parity cases of the contrastive losses (test/cuda/cases/{infonce_loss,
 * circle_loss,anchor_infonce}.ts): the bad inputs their plans reject alike, and the sample whose
 * similarity matrix spans several chunks.
 */
import type { Sample } from './cases';
import { randn } from './cases';
import { tensor, type DType, type Tensor } from '../../lib/tensor';
import type { Rng } from '../harness/rng';

/** A random float tensor of a shape (float32 unless given). */
export type Rand = (shape: number[], dtype?: DType) => Tensor;
/** The backward's inputs after the forward's, for n rows (none for the forward). */
export type Extra = (n: number, dtype?: DType) => Tensor[];

/**
 * The bad inputs every contrastive loss rejects: `shapes` (the op's own mismatched shapes), then
 * float32 next to float64, 1-D inputs, each of `badAttrs` (complete attribute lists) on valid
 * [3, 2] inputs, and int32 inputs; `attrs` are valid attributes. The tensors are drawn in this
 * order (`shapes` first, by the caller), so a case keeps its random inputs.
 */
export function badLossInputs(f: Rand, extra: Extra, attrs: number[], shapes: Sample, badAttrs: Array<[number[], string]>): Sample[] {
  const int32 = () => tensor([1, 2], [1, 2], { dtype: 'int32' });
  return [
    shapes,
    { inputs: [f([3, 2]), f([3, 2], 'float64'), ...extra(3)], attrs, what: 'dtypes differ' },
    { inputs: [f([6]), f([6]), ...extra(6)], attrs, what: '1-D inputs' },
    ...badAttrs.map(([a, what]): Sample => ({ inputs: [f([3, 2]), f([3, 2]), ...extra(3)], attrs: a, what })),
    { inputs: [int32(), int32(), ...extra(1)], attrs, what: 'int32' },
  ];
}

/** More than one similarity chunk (64 MiB of S per chunk): `count` inputs of [4100, 4]. */
export function severalChunks(rng: Rng, dtype: DType, count: number, attrs: number[], what: string): Sample {
  return { inputs: Array.from({ length: count }, () => randn(rng, [4100, 4], dtype)), attrs, what: `${what}: several chunks` };
}
