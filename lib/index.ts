/** mmgraph public API. */
export { MmgError, type MmgErrorCode } from './errors';
export { Tensor, tensor, zeros, empty, full, scalar, type DType, type Device, type TensorOptions } from './tensor';
export { tidy, keep, disposeAll } from './autograd/scope';
export { backward, noGrad, isGradEnabled } from './autograd/tape';
export * from './ops';
export { Adam, type AdamOptions, type AdamState } from './optim/adam';
export { LambdaLR, mmrecLrLambda } from './optim/schedule';
export { CsrMatrix, type CsrDType, type FromCooOptions } from './sparse/csr';
export * from './graph';
export { loadAddon } from './native/load';
export { backends, useDevice, defaultDevice, cudaLibraryPath, synchronize, memoryStats, emptyCache, type BackendInfo, type BackendUnavailableCode } from './backends';
export * from './data';
export * from './eval';
export * from './models';
export { train, TRAIN_DEFAULTS, type TrainOptions, type TrainProgress, type EpochReport, type TrainResult } from './train/trainer';
export { trainAsync, type TrainAsyncOptions, type TrainSummary } from './train/train_async';
export { loadDataset, datasetLabel } from './data/source';
export { Recommender, type Id, type Recommendation, type RecommendOptions } from './recommender';
