/**
 * A trained model as one .mmg file (lib/io/checkpoint.ts layout): meta = { kind: 'mmgraph-model',
 * modelName, modelConfig, epoch, metrics, nUsers, nItems, userIds?, itemIds?, coldStart? } and tensors
 * `emb.users`, `emb.items` (final embeddings for serving), `seen.indptr`, `seen.indices` (each
 * user's training items, for excludeSeen) and `param.<name>` (trainable parameters, to continue
 * training; omitted with includeParams: false).
 */
import { tensor, type Tensor } from '../tensor';
import type { Dataset } from '../data/dataset';
import { coldStartSpec, type ColdStartSpec } from '../data/cold_start';
import type { SplitResult } from '../eval/evaluate_model';
import { saveCheckpoint } from './checkpoint';

export interface ModelFileMeta {
  kind: 'mmgraph-model';
  modelName: string;
  modelConfig: Record<string, unknown>;
  epoch: number;
  valid: SplitResult | null;
  test: SplitResult | null;
  nUsers: number;
  nItems: number;
  userIds?: string[];
  itemIds?: string[];
  datasetName?: string;
  /** The item cold-start split the model was trained on (rebuilt from it by `mmgraph eval`). */
  coldStart?: ColdStartSpec;
}

export interface SaveModelArgs {
  modelName: string;
  modelConfig: Readonly<Record<string, unknown>>;
  dataset: Dataset;
  epoch: number;
  valid: SplitResult | null;
  test: SplitResult | null;
  params?: ReadonlyMap<string, Tensor>;
  embeddings: { users: Tensor; items: Tensor };
}

export function modelFileTensors(a: SaveModelArgs): Map<string, Tensor> {
  const t = new Map<string, Tensor>();
  t.set('emb.users', a.embeddings.users);
  t.set('emb.items', a.embeddings.items);
  t.set('seen.indptr', tensor(a.dataset.trainSets.indptr, [a.dataset.trainSets.indptr.length], { dtype: 'int32' }));
  t.set('seen.indices', tensor(a.dataset.trainSets.indices, [a.dataset.trainSets.indices.length], { dtype: 'int32' }));
  if (a.params) for (const [k, v] of a.params) t.set(`param.${k}`, v);
  return t;
}

export function saveModelFile(file: string, a: SaveModelArgs): void {
  const meta: ModelFileMeta = {
    kind: 'mmgraph-model',
    modelName: a.modelName,
    modelConfig: { ...a.modelConfig },
    epoch: a.epoch,
    valid: a.valid,
    test: a.test,
    nUsers: a.dataset.nUsers,
    nItems: a.dataset.nItems,
    userIds: a.dataset.idMap?.users,
    itemIds: a.dataset.idMap?.items,
    datasetName: a.dataset.name,
    ...(a.dataset.coldStart ? { coldStart: coldStartSpec(a.dataset) } : {}),
  };
  const tensors = modelFileTensors(a);
  try {
    saveCheckpoint(file, meta, tensors);
  } finally {
    tensors.get('seen.indptr')!.dispose();
    tensors.get('seen.indices')!.dispose();
  }
}
