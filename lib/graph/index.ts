/** Constant graphs built once per dataset: kNN item graphs, user–item adjacencies, fusion. */
export * from './knn_graph';
export * from './user_item_graph';
export * from './max_pool_fusion';
export * from './semantic_graph';
