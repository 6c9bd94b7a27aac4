/**
 * What every recommender model provides to the trainer, the evaluator and serving. A model owns
 * named trainable parameters (names follow the reference implementations' state_dict keys, so
 * fixtures and checkpoints line up), constant structures built once from the training data
 * (graphs), a training loss for a batch, and final user/item embeddings for scoring.
 */
import { MmgError } from '../errors';
import type { Tensor, DType, Device } from '../tensor';
import type { Prng } from '../data/prng';
import type { ConfigSchema } from '../nn/schema';
import type { TrainOptions } from '../train/trainer';

/** The training data a model may build constant structures from. */
export interface ModelData {
  nUsers: number;
  nItems: number;
  /** Training interactions, one entry per row (duplicates kept). */
  trainUsers: Int32Array;
  trainItems: Int32Array;
  /** Item features by modality, row i = item i (e.g. 'image' 4096-d, 'text' 384-d). */
  features: ReadonlyMap<string, { data: Float32Array; dim: number }>;
}

export interface ModelContext {
  data: ModelData;
  dtype: DType;
  device: Device;
  rng: Prng;
  /** MMRec divides some regularizers by the configured batch size, not the actual one. */
  trainBatchSize: number;
}

export interface Batch {
  users: Tensor; // int32 [B]
  pos: Tensor; // int32 [B]
  neg: Tensor; // int32 [B]
  size: number;
  /** The same ids on the host, when the batch was built there (the trainer's batches). */
  host?: { users: Int32Array; pos: Int32Array; neg: Int32Array };
  /** Where the tensors live (lets a model re-index a lazy batch without uploading it). */
  device?: Device;
}

export interface LossResult {
  total: Tensor;
  /** Named parts for progress reports (scalar tensors). */
  parts: Record<string, Tensor>;
}

export interface Model {
  readonly name: string;
  /** Hyper-parameters as resolved (defaults filled in), saved with the model. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Trainable parameters by name (requiresGrad tensors). */
  parameters(): Map<string, Tensor>;
  /** Training-mode loss for one batch (runs the forward pass it needs). */
  loss(batch: Batch, rng: Prng): LossResult;
  /** Eval-mode final embeddings for scoring (call under noGrad). users [U,d], items [I,d]. */
  embeddings(): { users: Tensor; items: Tensor };
  /** Frees parameters and constant structures. */
  dispose(): void;
}

export interface ModelFactory {
  name: string;
  description: string;
  /** Which item feature modalities the model needs ([] for ID-only models). */
  modalities: readonly string[];
  defaults: Readonly<Record<string, unknown>>;
  /** Each hyper-parameter's default, range, per-dataset values and doc (lib/nn/schema.ts). */
  schema?: ConfigSchema;
  /**
   * Training options from the model's official yaml (e.g. SMORE's learning_rate_scheduler [0.96, 50]);
   * they sit between mmgraph's defaults (MMRec's overall.yaml) and the user's options.
   */
  trainDefaults?: Partial<Pick<TrainOptions, 'lr' | 'lrScheduler' | 'weightDecay' | 'batchSize' | 'stoppingStep' | 'epochs'>>;
  /** Validates hyper-parameters (range errors name the key and the allowed range). */
  create(config: Record<string, unknown>, ctx: ModelContext): Model;
}

const registry = new Map<string, ModelFactory>();

export function registerModel(f: ModelFactory): void {
  registry.set(f.name, f);
}

export function modelFactory(name: string): ModelFactory {
  const f = registry.get(name.toLowerCase());
  if (!f) {
    const known = [...registry.keys()].join(', ');
    throw new MmgError(`unknown model '${name}': expected one of ${known}`, 'MMG_E_ARG');
  }
  return f;
}

export function modelNames(): string[] {
  return [...registry.keys()];
}
