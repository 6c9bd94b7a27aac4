/**
 * BPR-MF (Rendle et al., 2009) as MMRec's BPR model: dot-product scores of free user and item
 * embeddings, BPR loss −log(1e-10 + σ(·)) plus reg_weight·EmbLoss. It is LightGCN with no
 * propagation layers, so it shares that implementation (and its schema, less n_layers).
 */
import { LightGCN, LIGHTGCN_SCHEMA } from './lightgcn';
import { defineSchema, resolveSchema, schemaDefaults } from '../nn';
import { registerModel, type ModelFactory } from './model';

export const BPR_MF_SCHEMA = defineSchema({ embedding_size: LIGHTGCN_SCHEMA.embedding_size, reg_weight: LIGHTGCN_SCHEMA.reg_weight });
export const BPR_MF_DEFAULTS = schemaDefaults(BPR_MF_SCHEMA);

export const bprMfFactory: ModelFactory = {
  name: 'bpr-mf',
  description: 'BPR-MF: matrix factorization trained with the BPR loss (ID-only baseline)',
  modalities: [],
  defaults: BPR_MF_DEFAULTS,
  schema: BPR_MF_SCHEMA,
  create(config, ctx) {
    return new LightGCN('bpr-mf', { ...resolveSchema('bpr-mf', BPR_MF_SCHEMA, config), n_layers: 0 }, ctx);
  },
};
registerModel(bprMfFactory);
