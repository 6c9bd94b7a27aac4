/**
 * The training loop (protocol.md §5–§7): per epoch, MMRec's sampler, one Adam step per batch with
 * the full forward pass, the LambdaLR schedule, validation every `evalStep` epochs, early stopping
 * on the (optionally 4-decimal-rounded) validation metric, and the test split evaluated only when
 * validation strictly improves (the only test results MMRec ever reports; cost.md R3).
 * Checkpoints: `best.mmg` (the servable model at the best validation epoch) and `last.mmg`
 * (everything needed to resume bit-identically: parameters, Adam state, sampler streams,
 * early-stopping state), both written atomically at the end of each epoch.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MmgError } from '../errors';
import { checkDeviceName, deviceNames, emptyCache, emulatorEnabled } from '../backends';
import { backward, noGrad } from '../autograd/tape';
import { tidy, keep } from '../autograd/scope';
import { type Tensor, type DType, type Device, type DeviceName } from '../tensor';
import { Adam, type AdamState } from '../optim/adam';
import { mmrecLrLambda } from '../optim/schedule';
import { TrainSampler, type SamplerState } from '../data/sampler';
import { round4 } from '../eval/metrics';
import type { Dataset } from '../data/dataset';
import { evaluateSplit, type SplitResult } from '../eval/evaluate_model';
import { modelFactory, type Model, type Batch } from '../models/model';
import { lazyBatch } from '../nn/batch';
import { concatRows } from '../ops/concat_rows';
import { reshape } from '../ops/reshape';
import { Prng, type PrngState } from '../data/prng';
import { coldStartSpec, type ColdStartSpec } from '../data/cold_start';
import { saveModelFile, modelFileTensors } from '../io/model_file';
import { loadCheckpoint, saveCheckpoint } from '../io/checkpoint';
import { modelTrainDefaults, withDatasetValues } from '../config/model_defaults';
import type { DatasetName } from '../nn/schema';
import { ensureDir, removeOrphanTemps } from '../io/atomic';
import * as crypto from 'crypto';

export interface TrainOptions {
  /** Maximum epochs (MMRec: 1000). */
  epochs?: number;
  batchSize?: number;
  lr?: number;
  /** [γ, T]: lr_e = lr·γ^(e/T) (MMRec learning_rate_scheduler). */
  lrScheduler?: [number, number];
  weightDecay?: number;
  /** Stop after stoppingStep + 1 evaluations without strict improvement (MMRec: 20). */
  stoppingStep?: number;
  validMetric?: string;
  topk?: number[];
  evalStep?: number;
  evalBatchSize?: number;
  seed?: number;
  /** Compare validation scores rounded to 4 decimals, as MMRec does. */
  roundMetrics?: boolean;
  dtype?: DType;
  device?: Device;
  /** Folder for best.mmg / last.mmg; none = keep the best model in memory only. */
  checkpointDir?: string;
  /** Continue from checkpointDir/last.mmg when it exists. */
  resume?: boolean;
  /**
   * Empty dataset.features once the model is built (models copy what they need), so the host copy of
   * the raw features (133 MB at Baby size) does not stay alive through training. Only for a caller
   * that owns the dataset and builds no other model from it (the training worker).
   */
  releaseFeatures?: boolean;
  /** Apply the model schema's values for this dataset under the given model config. */
  datasetDefaults?: DatasetName | null;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (e: EpochReport) => void;
}

export interface TrainProgress {
  epoch: number;
  step: number;
  steps: number;
  loss: Record<string, number>;
  stepsPerSec: number;
  etaSec: number;
}

export interface EpochReport {
  epoch: number;
  lr: number;
  loss: Record<string, number>;
  trainSec: number;
  evalSec: number;
  valid: SplitResult | null;
  test: SplitResult | null;
  improved: boolean;
  best: { epoch: number; score: number };
}

export interface TrainResult {
  model: Model;
  modelName: string;
  modelConfig: Record<string, unknown>;
  bestEpoch: number;
  bestValid: SplitResult | null;
  bestTest: SplitResult | null;
  history: EpochReport[];
  stoppedBy: StopReason;
  /** Where the loss stopped being finite (stoppedBy 'nan-loss'); the epoch did not complete. */
  nan?: NanStop;
  /** The options training ran with (defaults, the model's official values, then the caller's). */
  options: EffectiveTrainOptions;
  datasetDefaults: DatasetName | null;
  /** Final user/item embeddings of the best epoch (host copies), for serving. */
  best: { users: Tensor; items: Tensor };
}

export type StopReason = 'early-stopping' | 'max-epochs' | 'abort' | 'nan-loss';

export interface NanStop {
  epoch: number;
  step: number;
  loss: Record<string, number>;
}

export const TRAIN_DEFAULTS: Required<Omit<TrainOptions, 'checkpointDir' | 'signal' | 'onProgress' | 'onEpoch' | 'resume' | 'datasetDefaults' | 'releaseFeatures'>> = {
  epochs: 1000,
  batchSize: 2048,
  lr: 0.001,
  lrScheduler: [1.0, 50],
  weightDecay: 0,
  stoppingStep: 20,
  validMetric: 'recall@20',
  topk: [5, 10, 20, 50],
  evalStep: 1,
  evalBatchSize: 4096,
  seed: 999,
  roundMetrics: true,
  dtype: 'float32',
  device: 'cpu',
};

export type EffectiveTrainOptions = typeof TRAIN_DEFAULTS;

/**
 * mmgraph's defaults (MMRec's overall.yaml), under the model's official values (its yaml, e.g.
 * SMORE's lr schedule), under the caller's options (undefined ones skipped); checked.
 */
export function resolveTrainOptions(modelName: string, options: TrainOptions = {}): EffectiveTrainOptions & TrainOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...TRAIN_DEFAULTS, ...modelTrainDefaults(modelFactory(modelName)), ...given } as EffectiveTrainOptions & TrainOptions;
  checkOptions(o);
  return o;
}

function checkOptions(o: typeof TRAIN_DEFAULTS): void {
  const bad = (k: string, want: string, v: unknown) => {
    // String(NaN) is 'NaN' where JSON.stringify would say null (a YAML .nan read as null).
    throw new MmgError(`train: expected ${k} to be ${want}, got ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`, 'MMG_E_ARG');
  };
  if (!Number.isInteger(o.epochs) || o.epochs < 1) bad('epochs', 'a positive integer', o.epochs);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) bad('batchSize', 'a positive integer', o.batchSize);
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) bad('lr', 'a positive number', o.lr);
  if (!(o.lrScheduler[0] > 0) || !(o.lrScheduler[1] > 0)) bad('lrScheduler', '[γ > 0, T > 0]', o.lrScheduler);
  if (!(o.weightDecay >= 0)) bad('weightDecay', 'a non-negative number', o.weightDecay);
  if (!Number.isInteger(o.stoppingStep) || o.stoppingStep < 0) bad('stoppingStep', 'a non-negative integer', o.stoppingStep);
  if (!Array.isArray(o.topk) || !o.topk.length || o.topk.some((k) => !Number.isInteger(k) || k < 1)) bad('topk', 'a list of positive integers', o.topk);
  if (typeof o.validMetric !== 'string') bad('validMetric', 'a metric name such as recall@20', o.validMetric);
  const m = /^(recall|ndcg|precision|map|hit)@(\d+)$/.exec(o.validMetric.toLowerCase());
  if (!m || !o.topk.includes(Number(m[2]))) bad('validMetric', `one of recall|ndcg|precision|map|hit @ a K in topk [${o.topk}]`, o.validMetric);
  if (!Number.isInteger(o.evalStep) || o.evalStep < 1) bad('evalStep', 'a positive integer', o.evalStep);
  // Checked before training starts: a bad value would otherwise surface only at the first evaluation
  // (and 0 would never finish it).
  if (!Number.isInteger(o.evalBatchSize) || o.evalBatchSize < 1) bad('evalBatchSize (eval_batch_size)', 'a positive integer', o.evalBatchSize);
  if (!Number.isSafeInteger(o.seed)) bad('seed', 'an integer', o.seed);
  if (!Array.isArray(o.lrScheduler) || o.lrScheduler.length !== 2) bad('lrScheduler', '[γ > 0, T > 0]', o.lrScheduler);
  if ((o.device as string) === 'cuda-emu' && !emulatorEnabled()) checkDeviceName('train: device', o.device, 'MMG_E_ARG');
  if (!deviceNames().includes(o.device as DeviceName)) bad('device', `one of ${deviceNames().join(', ')}`, o.device);
  if (o.dtype !== 'float32' && o.dtype !== 'float64') bad('dtype', 'float32 or float64', o.dtype);
}

interface ResumeState {
  epoch: number;
  bestScore: number;
  bestEpoch: number;
  badEpochs: number;
  bestValid: SplitResult | null;
  bestTest: SplitResult | null;
  history: EpochReport[];
  sampler: SamplerState;
  adam: Omit<AdamState, 'm' | 'v'>;
  dropoutRng: PrngState;
}

/**
 * The values of scalar tensors. On a device they are gathered into one tensor and read in one
 * copy: each read drains the stream, so one per step instead of one per loss part (issue 11).
 */
function readScalars(ts: Tensor[]): number[] {
  if (ts.length === 1 || ts.every((t) => t.device === 'cpu') || !ts.every((t) => t.dtype === ts[0].dtype && t.size === 1))
    return ts.map((t) => t.item());
  return noGrad(() => tidy(() => concatRows(ts.map((t) => reshape(t, [1, 1]))).toArray()));
}

export function train(dataset: Dataset, modelName: string, modelConfig: Record<string, unknown> = {}, options: TrainOptions = {}): TrainResult {
  const o = resolveTrainOptions(modelName, options);
  // The default cutoffs that a small catalogue cannot fill are dropped (as `mmgraph eval` does);
  // cutoffs the caller chose are kept and checked.
  if (options.topk === undefined && o.topk.some((k) => k > dataset.nItems) && o.topk.some((k) => k <= dataset.nItems))
    o.topk = o.topk.filter((k) => k <= dataset.nItems);
  if (Math.max(...o.topk) > dataset.nItems)
    throw new MmgError(`train: expected every topk cutoff to be at most the number of items (${dataset.nItems}), got topk [${o.topk}]; pass smaller cutoffs`, 'MMG_E_ARG');
  const factory = modelFactory(modelName);
  for (const m of factory.modalities)
    if (!dataset.features.has(m))
      throw new MmgError(`${factory.name}: needs '${m}' item features, but the dataset has ${[...dataset.features.keys()].join(', ') || 'none'}`, 'MMG_E_DATA');
  const datasetDefaults = o.datasetDefaults ?? null;
  const model = factory.create(withDatasetValues(factory, datasetDefaults, modelConfig), {
    data: { nUsers: dataset.nUsers, nItems: dataset.nItems, trainUsers: dataset.train.users, trainItems: dataset.train.items, features: dataset.features },
    dtype: o.dtype,
    device: o.device,
    rng: new Prng(o.seed, 'init'),
    trainBatchSize: o.batchSize,
  });
  // Graph construction (kNN work buffers, feature copies) leaves blocks no training step reuses.
  emptyCache();
  if (o.releaseFeatures) dataset.features.clear();
  const params = model.parameters();
  const optimizer = new Adam([...params.values()], { lr: o.lr, weightDecay: o.weightDecay });
  let sampler = new TrainSampler(dataset, { batchSize: o.batchSize, seed: o.seed });
  let dropoutRng = new Prng(o.seed, 'dropout');

  const schedule = mmrecLrLambda(o.lrScheduler[0], o.lrScheduler[1]);
  const metricKey = o.validMetric.toLowerCase();
  let state: ResumeState = {
    epoch: 0, bestScore: -1, bestEpoch: -1, badEpochs: 0, bestValid: null, bestTest: null, history: [],
    sampler: sampler.state(), adam: { lr: o.lr, betas: [0.9, 0.999], eps: 1e-8, weightDecay: o.weightDecay, step: [] }, dropoutRng: dropoutRng.state(),
  };
  const lastFile = o.checkpointDir ? path.join(o.checkpointDir, 'last.mmg') : null;
  const bestFile = o.checkpointDir ? path.join(o.checkpointDir, 'best.mmg') : null;
  if (o.checkpointDir) {
    // Before the first epoch: an unusable folder fails now, not after an epoch of work.
    ensureDir(o.checkpointDir, 'checkpoint folder');
    for (const f of [lastFile!, bestFile!]) removeOrphanTemps(f);
  }
  let best: { users: Tensor; items: Tensor } | null = null;

  if (o.resume && lastFile && fs.existsSync(lastFile)) {
    const ck = loadCheckpoint<{ kind?: string; resume: ResumeState; modelName: string; coldStart?: ColdStartSpec; dataset?: DatasetFingerprint }>(lastFile);
    const refuse = (why: string) => {
      for (const t of ck.tensors.values()) t.dispose();
      return new MmgError(`${lastFile}: ${why}; cannot resume from it (delete it or choose another --out to start afresh)`, 'MMG_E_DATA');
    };
    if (ck.meta.kind !== 'mmgraph-resume' || !ck.meta.resume || typeof ck.meta.resume !== 'object')
      throw refuse(`expected a resume checkpoint (kind 'mmgraph-resume', as last.mmg), got a '${String(ck.meta.kind)}' file`);
    if (ck.meta.modelName !== factory.name)
      throw refuse(`checkpoint is for model '${ck.meta.modelName}', not '${factory.name}'`);
    for (const [name, p] of params) {
      const saved = ck.tensors.get(`param.${name}`);
      if (saved && (saved.dtype !== p.dtype || saved.shape.join(',') !== p.shape.join(',')))
        throw refuse(`parameter '${name}' is [${saved.shape.join(', ')}] ${saved.dtype} there but [${p.shape.join(', ')}] ${p.dtype} in this model (another dataset or configuration)`);
    }
    const split = (c: ColdStartSpec | undefined) => (c ? `the item cold-start split (fraction ${c.fraction}, seed ${c.seed})` : 'the normal split');
    if (JSON.stringify(ck.meta.coldStart ?? null) !== JSON.stringify(coldStartSpec(dataset) ?? null))
      throw new MmgError(`${lastFile}: checkpoint was trained on ${split(ck.meta.coldStart)}, not ${split(coldStartSpec(dataset))}`, 'MMG_E_DATA');
    const fp = datasetFingerprint(dataset);
    if (ck.meta.dataset && (ck.meta.dataset.nUsers !== fp.nUsers || ck.meta.dataset.nItems !== fp.nItems || ck.meta.dataset.train !== fp.train))
      throw refuse(`checkpoint was trained on another dataset (${ck.meta.dataset.nUsers} users × ${ck.meta.dataset.nItems} items, training rows ${ck.meta.dataset.train.slice(0, 12)}), not this one (${fp.nUsers} × ${fp.nItems}, ${fp.train.slice(0, 12)})`);
    for (const [name, p] of params) {
      const saved = ck.tensors.get(`param.${name}`);
      if (!saved) throw new MmgError(`${lastFile}: checkpoint lacks parameter '${name}'`, 'MMG_E_DATA');
      p.write(saved.toTypedArray());
    }
    optimizer.loadStateDict({
      ...ck.meta.resume.adam,
      m: [...params.keys()].map((n) => ck.tensors.get(`adam.m.${n}`) ?? null),
      v: [...params.keys()].map((n) => ck.tensors.get(`adam.v.${n}`) ?? null),
    });
    state = ck.meta.resume;
    sampler = TrainSampler.restore(dataset, state.sampler);
    dropoutRng = Prng.fromState(state.dropoutRng as PrngState);
    if (ck.tensors.has('best.users')) best = { users: keep(ck.tensors.get('best.users')!), items: keep(ck.tensors.get('best.items')!) };
    for (const [k, t] of ck.tensors) if (!k.startsWith('best.')) t.dispose();
  }

  let stoppedBy: TrainResult['stoppedBy'] = 'max-epochs';
  let nan: NanStop | undefined;
  for (let epoch = state.epoch; epoch < o.epochs; epoch++) {
    if (o.signal?.aborted) {
      stoppedBy = 'abort';
      break;
    }
    const lr = o.lr * schedule(epoch);
    optimizer.setLr(lr);
    const t0 = Date.now();
    const sums: Record<string, number> = {};
    const steps = sampler.stepsPerEpoch;
    let step = 0;
    while (step < steps) {
      if (o.signal?.aborted) break;
      const b = sampler.nextBatch();
      const parts = tidy(() => {
        // Indices checked on the host here and uploaded only if the model reads them as they are.
        const batch: Batch = lazyBatch(b.users, b.pos, b.neg, dataset.nUsers, dataset.nItems, o.device);
        const res = model.loss(batch, dropoutRng);
        backward(res.total);
        const names = Object.keys(res.parts);
        const read = readScalars([res.total, ...names.map((k) => res.parts[k])]);
        const values: Record<string, number> = { total: read[0] };
        names.forEach((k, i) => (values[k] = read[i + 1]));
        return values;
      });
      // As MMRec: a non-finite loss ends the run; the best epoch so far (and its checkpoints) stands.
      if (!Number.isFinite(parts.total)) {
        nan = { epoch, step, loss: parts };
        optimizer.zeroGrad();
        break;
      }
      optimizer.step();
      optimizer.zeroGrad();
      for (const [k, v] of Object.entries(parts)) sums[k] = (sums[k] ?? 0) + v;
      step++;
      if (o.onProgress) {
        const sec = (Date.now() - t0) / 1000;
        const sps = step / Math.max(sec, 1e-9);
        o.onProgress({ epoch, step, steps, loss: parts, stepsPerSec: sps, etaSec: (steps - step) / sps });
      }
    }
    if (o.signal?.aborted) {
      stoppedBy = 'abort';
      break;
    }
    if (nan) {
      stoppedBy = 'nan-loss';
      break;
    }
    const trainSec = (Date.now() - t0) / 1000;
    const loss = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(step, 1)]));

    let valid: SplitResult | null = null;
    let test: SplitResult | null = null;
    let improved = false;
    const t1 = Date.now();
    if ((epoch + 1) % o.evalStep === 0) {
      // The full-graph forward needs other block sizes than a training step: without handing the
      // step's cached blocks back first, its fresh blocks would add to them at the run's peak.
      emptyCache();
      // Ranked where the model lives (rankUsers): a GPU run reads back only the top-K ids. Copies
      // (on the same device), since a model may hand out its parameters themselves (BPR-MF).
      const emb = noGrad(() => tidy(() => {
        const e = model.embeddings();
        return { users: e.users.to(e.users.device), items: e.items.to(e.items.device) };
      }));
      valid = evaluateSplit(dataset, 'valid', emb.users, emb.items, { topk: o.topk, batchSize: o.evalBatchSize });
      const raw = valid.unrounded[metricKey];
      const score = o.roundMetrics ? round4(raw) : raw;
      if (score > state.bestScore) {
        improved = true;
        state.bestScore = score;
        state.bestEpoch = epoch;
        state.badEpochs = 0;
        test = evaluateSplit(dataset, 'test', emb.users, emb.items, { topk: o.topk, batchSize: o.evalBatchSize });
        state.bestValid = valid;
        state.bestTest = test;
        best?.users.dispose();
        best?.items.dispose();
        // Kept on the host (saving, the returned model); a device copy is not needed any more.
        const onHost = emb.users.device === 'cpu';
        best = onHost ? { users: keep(emb.users), items: keep(emb.items) } : { users: keep(emb.users.to('cpu')), items: keep(emb.items.to('cpu')) };
        if (!onHost) {
          emb.users.dispose();
          emb.items.dispose();
        }
        if (bestFile) saveModelFile(bestFile, { modelName: factory.name, modelConfig: model.config, dataset, epoch, valid, test, params, embeddings: best });
      } else {
        state.badEpochs++;
        emb.users.dispose();
        emb.items.dispose();
      }
    }
    // Drop the evaluation's blocks too; the next epoch's first steps cache their own again.
    if ((epoch + 1) % o.evalStep === 0) emptyCache();
    const evalSec = (Date.now() - t1) / 1000;
    const report: EpochReport = { epoch, lr, loss, trainSec, evalSec, valid, test, improved, best: { epoch: state.bestEpoch, score: state.bestScore } };
    state.history.push(report);
    state.epoch = epoch + 1;
    state.sampler = sampler.state();
    state.dropoutRng = dropoutRng.state();
    if (lastFile) saveResume(lastFile, factory.name, coldStartSpec(dataset), state, params, optimizer, best, datasetFingerprint(dataset));
    o.onEpoch?.(report);
    if (state.badEpochs > o.stoppingStep) {
      stoppedBy = 'early-stopping';
      break;
    }
  }
  if (!best) {
    const e = noGrad(() => tidy(() => {
      const x = model.embeddings();
      return { users: x.users.to('cpu'), items: x.items.to('cpu') };
    }));
    best = { users: keep(e.users), items: keep(e.items) };
  }
  optimizer.dispose();
  return {
    model, modelName: factory.name, modelConfig: { ...model.config }, bestEpoch: state.bestEpoch, bestValid: state.bestValid,
    bestTest: state.bestTest, history: state.history, stoppedBy, best, ...(nan ? { nan } : {}), datasetDefaults,
    options: Object.fromEntries(Object.keys(TRAIN_DEFAULTS).map((k) => [k, o[k as keyof EffectiveTrainOptions]])) as EffectiveTrainOptions,
  };
}

/** Identifies the training data a resume checkpoint belongs to: sizes and a hash of the training rows. */
interface DatasetFingerprint {
  nUsers: number;
  nItems: number;
  train: string;
}

function datasetFingerprint(ds: Dataset): DatasetFingerprint {
  const h = crypto.createHash('sha256');
  h.update(Buffer.from(ds.train.users.buffer, ds.train.users.byteOffset, ds.train.users.byteLength));
  h.update(Buffer.from(ds.train.items.buffer, ds.train.items.byteOffset, ds.train.items.byteLength));
  return { nUsers: ds.nUsers, nItems: ds.nItems, train: h.digest('hex') };
}

function saveResume(file: string, modelName: string, coldStart: ColdStartSpec | undefined, state: ResumeState, params: Map<string, Tensor>, optimizer: Adam, best: { users: Tensor; items: Tensor } | null, dataset: DatasetFingerprint): void {
  const { m, v, ...adam } = optimizer.stateView();
  const tensors = new Map<string, Tensor>();
  [...params.keys()].forEach((n, i) => {
    tensors.set(`param.${n}`, params.get(n)!);
    if (m[i]) tensors.set(`adam.m.${n}`, m[i]!);
    if (v[i]) tensors.set(`adam.v.${n}`, v[i]!);
  });
  if (best) {
    tensors.set('best.users', best.users);
    tensors.set('best.items', best.items);
  }
  saveCheckpoint(file, { kind: 'mmgraph-resume', modelName, ...(coldStart ? { coldStart } : {}), dataset, resume: { ...state, adam } }, tensors);
}

export { modelFileTensors };
