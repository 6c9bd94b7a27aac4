/**
 * trainAsync: training in a worker thread, so the caller's event loop stays free (a server keeps
 * answering, a CLI can redraw its progress bar and catch Ctrl-C). Progress and per-epoch reports
 * arrive through callbacks; an AbortSignal stops training at the next step, keeping what the
 * checkpoints already saved.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { MmgError, type MmgErrorCode } from '../errors';
import type { EffectiveTrainOptions, EpochReport, NanStop, StopReason, TrainOptions, TrainProgress } from './trainer';
import type { DatasetName } from '../nn/schema';
import type { SplitResult } from '../eval/evaluate_model';
import type { ColdStartSpec, ItemColdStartOptions } from '../data/cold_start';
import { SharedAbort } from './abort_flag';

export interface TrainSummary {
  modelName: string;
  modelConfig: Record<string, unknown>;
  bestEpoch: number;
  bestValid: SplitResult | null;
  bestTest: SplitResult | null;
  history: EpochReport[];
  stoppedBy: StopReason;
  /** stoppedBy 'nan-loss': the epoch and step where the loss stopped being finite. */
  nan?: NanStop;
  /** Per-dataset model values applied (lib/config/model_defaults.ts), or null. */
  datasetDefaults: DatasetName | null;
  /** The training options the run used, defaults included. */
  trainOptions: EffectiveTrainOptions;
  /** With options.coldStart: the split, and the best epoch's test metrics counting only cold-item rows. */
  coldStart?: ColdStartSpec & { movedRows: { valid: number; test: number }; coldItemsTest: SplitResult | null };
}

export interface TrainAsyncOptions extends Omit<TrainOptions, 'onProgress' | 'onEpoch'> {
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (e: EpochReport) => void;
  onDataset?: (d: { name: string; nUsers: number; nItems: number; nTrain: number }) => void;
  /** Post a progress message every N steps (default 1). */
  progressEverySteps?: number;
  /** Train on the item cold-start split of the data (lib/data/cold_start.ts). */
  coldStart?: ItemColdStartOptions;
}

function workerScript(): string {
  const here = path.join(__dirname, 'worker_entry.js');
  if (fs.existsSync(here)) return here;
  // Running from TypeScript sources (tests): use the compiled copy that `npm run build:ts` makes.
  const dist = path.resolve(__dirname, '..', '..', 'dist', 'lib', 'train', 'worker_entry.js');
  if (fs.existsSync(dist)) return dist;
  throw new MmgError(`trainAsync: compiled worker not found at ${here} or ${dist}; run \`npm run build:ts\``, 'MMG_E_LOAD');
}

/** Trains `model` on the dataset named by `data` (see lib/data/source.ts) in a worker thread. */
export function trainAsync(data: string, model: string, modelConfig: Record<string, unknown> = {}, options: TrainAsyncOptions = {}): Promise<TrainSummary> {
  const { onProgress, onEpoch, onDataset, signal, progressEverySteps, coldStart, ...rest } = options;
  const abort = new SharedAbort();
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript(), {
      workerData: { data, model, modelConfig, options: rest, abort: abort.buffer, progressEverySteps: progressEverySteps ?? 1, coldStart },
    });
    const onAbort = () => abort.abort();
    if (signal) {
      if (signal.aborted) abort.abort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (m: { type: string; [k: string]: unknown }) => {
      if (m.type === 'progress') onProgress?.(m.progress as TrainProgress);
      else if (m.type === 'epoch') onEpoch?.(m.report as EpochReport);
      else if (m.type === 'dataset') onDataset?.(m as never);
      else if (m.type === 'done') finish(() => resolve(m.summary as TrainSummary));
      else if (m.type === 'error') {
        const err = new MmgError(m.message as string, m.code as MmgErrorCode);
        finish(() => reject(err));
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new MmgError(`trainAsync: the training worker exited with code ${code}`, 'MMG_E_INTERNAL'))));
  });
}
