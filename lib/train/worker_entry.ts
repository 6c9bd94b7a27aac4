/** Runs train() inside a worker thread (see train_async.ts); talks to the parent by messages. */
import { parentPort, workerData } from 'worker_threads';
import { loadDataset } from '../data/source';
import { itemColdStart, type ItemColdStartOptions } from '../data/cold_start';
import { evaluateColdStart } from '../eval/evaluate_model';
import { train, TRAIN_DEFAULTS, type TrainOptions } from './trainer';
import { SharedAbort } from './abort_flag';
import '../models';

interface Job {
  data: string;
  model: string;
  modelConfig: Record<string, unknown>;
  options: Omit<TrainOptions, 'signal' | 'onProgress' | 'onEpoch'>;
  abort: SharedArrayBuffer;
  progressEverySteps: number;
  coldStart?: ItemColdStartOptions;
}

const job = workerData as Job;
try {
  const loaded = loadDataset(job.data);
  const dataset = job.coldStart ? itemColdStart(loaded, job.coldStart) : loaded;
  parentPort!.postMessage({ type: 'dataset', name: dataset.name, nUsers: dataset.nUsers, nItems: dataset.nItems, nTrain: dataset.train.users.length });
  const abort = new SharedAbort(job.abort);
  const result = train(dataset, job.model, job.modelConfig, {
    ...job.options,
    releaseFeatures: true, // this worker owns the dataset; cold-start evaluation below needs no features
    signal: abort.asSignal(),
    onProgress: (p) => {
      if (p.step % job.progressEverySteps === 0 || p.step === p.steps) parentPort!.postMessage({ type: 'progress', progress: p });
    },
    onEpoch: (e) => parentPort!.postMessage({ type: 'epoch', report: e }),
  });
  // The cold-item metrics of the best epoch, next to bestTest (which counts every test row).
  const coldStartSummary = () => {
    const { kind, fraction, seed, nColdItems, movedRows } = dataset.coldStart!;
    const coldItemsTest = result.bestEpoch < 0
      ? null
      : evaluateColdStart(dataset, 'test', result.best.users, result.best.items, { topk: job.options.topk ?? TRAIN_DEFAULTS.topk }).coldItems;
    return { kind, fraction, seed, nColdItems, movedRows, coldItemsTest };
  };
  parentPort!.postMessage({
    type: 'done',
    summary: {
      modelName: result.modelName,
      modelConfig: result.modelConfig,
      bestEpoch: result.bestEpoch,
      bestValid: result.bestValid,
      bestTest: result.bestTest,
      history: result.history,
      stoppedBy: result.stoppedBy,
      ...(result.nan ? { nan: result.nan } : {}),
      datasetDefaults: result.datasetDefaults,
      trainOptions: result.options,
      ...(dataset.coldStart ? { coldStart: coldStartSummary() } : {}),
    },
  });
  result.model.dispose();
} catch (e) {
  const err = e as Error & { code?: string };
  parentPort!.postMessage({ type: 'error', message: err.message, code: err.code ?? 'MMG_E_INTERNAL', stack: err.stack });
}
