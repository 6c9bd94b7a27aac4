/**
 * The constant graphs the MGCN family builds once from the training data and the initial
 * features: Â and R̂ from the interactions, and one sym-normalized cosine kNN graph per modality
 * (protocol §11). Built on the host in the training dtype, then moved to the model's device.
 */
import { knnGraph } from '../graph/knn_graph';
import { userItemGraph, type UserItemGraphMode } from '../graph/user_item_graph';
import { csrOnDevice, type CsrMatrix } from '../sparse/csr';
import type { DType, Device } from '../tensor';
import { MmgError } from '../errors';
import type { ModelData } from '../models/model';
import { featureTensor } from './params';

export interface UiGraphs {
  /** Â, (U+I)×(U+I), users first. */
  adj: CsrMatrix;
  /** R̂ = Â[users, items]. */
  R: CsrMatrix;
}

/** `itemItem` (host, I×I) fills Â's item–item block before the degrees are taken (GUME's S_sem). */
export function uiGraphs(data: ModelData, mode: UserItemGraphMode, dtype: DType, device: Device, itemItem?: CsrMatrix): UiGraphs {
  const g = userItemGraph(data.nUsers, data.nItems, data.trainUsers, data.trainItems, mode, { dtype: dtype as 'float32' | 'float64', itemItem });
  return { adj: csrOnDevice(g.adj, device), R: csrOnDevice(g.R, device) };
}

/** The item features of each named modality, or an error naming what is missing. */
export function requireFeatures(model: string, data: ModelData, modalities: readonly string[]): Map<string, { data: Float32Array; dim: number }> {
  const out = new Map<string, { data: Float32Array; dim: number }>();
  for (const m of modalities) {
    const f = data.features.get(m);
    if (!f) throw new MmgError(`${model}: expected '${m}' item features (have: ${[...data.features.keys()].join(', ') || 'none'})`, 'MMG_E_ARG');
    out.set(m, f);
  }
  return out;
}

/** kNN graph (k neighbours, self included) of one modality's features, on the host. */
export function modalKnnGraph(model: string, f: { data: Float32Array; dim: number }, k: number, dtype: DType, nItems: number): CsrMatrix {
  if (k > nItems) throw new MmgError(`${model}: expected a kNN k of at most the number of items (${nItems}), got ${k}`, 'MMG_E_ARG');
  const x = featureTensor(f, dtype);
  try {
    return knnGraph(x, k);
  } finally {
    x.dispose();
  }
}
