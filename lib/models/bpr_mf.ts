/**
 * BPR-MF (Rendle et al., 2009) as MMRec's BPR model: dot-product scores of free user and item
 * embeddings, BPR loss −log(1e-10 + σ(·)) plus reg_weight·EmbLoss. It is LightGCN with no
 * propagation layers, so it shares that implementation.
 */
import { LightGCN } from './lightgcn';
import { resolveConfig } from './config';
import { registerModel, type ModelFactory } from './model';

export const BPR_MF_DEFAULTS = { embedding_size: 64, reg_weight: 1e-4 } as const;

export const bprMfFactory: ModelFactory = {
  name: 'bpr-mf',
  description: 'BPR-MF: matrix factorization trained with the BPR loss (ID-only baseline)',
  modalities: [],
  defaults: BPR_MF_DEFAULTS,
  create(config, ctx) {
    const cfg = resolveConfig('bpr-mf', BPR_MF_DEFAULTS, config);
    return new LightGCN('bpr-mf', { ...cfg, n_layers: 0 }, ctx);
  },
};
registerModel(bprMfFactory);
