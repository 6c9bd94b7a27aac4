/** Importing this registers every model with the registry (lib/models/model.ts). */
export * from './model';
export { LightGCN, lightgcnFactory } from './lightgcn';
export { bprMfFactory } from './bpr_mf';
export { Smore, smoreFactory } from './smore';
export { Gume, gumeFactory, GUME_DEFAULTS, GUME_ALIASES, type GumeGraphs, type GumeOptions, type GumeNoiseSource, type GumeForward } from './gume';
export { Mgcn, mgcnFactory, MGCN_SCHEMA, type MgcnConfig } from './mgcn';
export { Synergraph, synergraphFactory, SYNERGRAPH_SCHEMA, type SynergraphConfig } from './synergraph';
export { Singer, singerFactory, singerGraphs, SINGER_SCHEMA, type SingerConfig, type SingerGraphs, type SingerForward } from './singer';
