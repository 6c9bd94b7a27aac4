/** Runs train() inside a worker thread (see train_async.ts); talks to the parent by messages. */
import { parentPort, workerData } from 'worker_threads';
import { loadDataset } from '../data/source';
import { train, type TrainOptions } from './trainer';
import { SharedAbort } from './abort_flag';
import '../models';

interface Job {
  data: string;
  model: string;
  modelConfig: Record<string, unknown>;
  options: Omit<TrainOptions, 'signal' | 'onProgress' | 'onEpoch'>;
  abort: SharedArrayBuffer;
  progressEverySteps: number;
}

const job = workerData as Job;
try {
  const dataset = loadDataset(job.data);
  parentPort!.postMessage({ type: 'dataset', name: dataset.name, nUsers: dataset.nUsers, nItems: dataset.nItems, nTrain: dataset.train.users.length });
  const abort = new SharedAbort(job.abort);
  const result = train(dataset, job.model, job.modelConfig, {
    ...job.options,
    signal: abort.asSignal(),
    onProgress: (p) => {
      if (p.step % job.progressEverySteps === 0 || p.step === p.steps) parentPort!.postMessage({ type: 'progress', progress: p });
    },
    onEpoch: (e) => parentPort!.postMessage({ type: 'epoch', report: e }),
  });
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
    },
  });
  result.model.dispose();
} catch (e) {
  const err = e as Error & { code?: string };
  parentPort!.postMessage({ type: 'error', message: err.message, code: err.code ?? 'MMG_E_INTERNAL', stack: err.stack });
}
