/** Importing this registers every model with the registry (lib/models/model.ts). */
export * from './model';
export { LightGCN, lightgcnFactory, LIGHTGCN_SCHEMA, LIGHTGCN_DEFAULTS, type LightGcnConfig } from './lightgcn';
export { bprMfFactory, BPR_MF_SCHEMA, BPR_MF_DEFAULTS } from './bpr_mf';
export { Smore, smoreFactory, SMORE_SCHEMA, SMORE_DEFAULTS, type SmoreConfig, type SmoreGraphs, type SmoreForward } from './smore';
export { Gume, gumeFactory, GUME_SCHEMA, GUME_DEFAULTS, GUME_ALIASES, type GumeConfig, type GumeGraphs, type GumeOptions, type GumeNoiseSource, type GumeForward } from './gume';
export { Mgcn, mgcnFactory, MGCN_SCHEMA, type MgcnConfig } from './mgcn';
export { Synergraph, synergraphFactory, SYNERGRAPH_SCHEMA, type SynergraphConfig } from './synergraph';
export { Singer, singerFactory, singerGraphs, SINGER_SCHEMA, type SingerConfig, type SingerGraphs, type SingerForward } from './singer';
