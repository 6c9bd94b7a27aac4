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
