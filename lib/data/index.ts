/** Datasets: MMRec folders, plain CSV/TSV, synthetic presets, splits and the training sampler. */
export type { Dataset, Interactions, Csr, FeatureMatrix, IdMap, DatasetReport } from './dataset';
export { itemTrainCounts, userTrainCounts, userItemSets, groupByUser, csrHas } from './dataset';
export { readMmrec, writeMmrec, type ReadMmrecOptions, type WriteMmrecOptions } from './mmrec';
export { readCsv, type ReadCsvOptions } from './csv';
export { splitLabels, splitCounts, applySplit, type SplitMode, type SplitOptions } from './split';
export { syntheticDataset, SYNTHETIC_PRESETS, type SyntheticOptions, type SyntheticPreset } from './synthetic';
export { TrainSampler, type SamplerState, type SamplerBatch, type SamplerOptions, type SamplerData } from './sampler';
export { Prng, type PrngState } from './prng';
export { readNpy, parseNpy, encodeNpy, type NpyArray } from './npy';
export { itemColdStart, pickColdItems, applyColdStartSpec, coldStartSpec, COLD_START_DEFAULTS, type ItemColdStartOptions, type ItemColdStart, type ColdStartSpec } from './cold_start';
