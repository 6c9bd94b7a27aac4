/** Constant graphs built once per dataset: kNN and co-occurrence item graphs, user–item adjacencies, fusion and mixing. */
export * from './knn_graph';
export * from './user_item_graph';
export * from './max_pool_fusion';
export * from './semantic_graph';
export * from './cooccurrence_graph';
export * from './mix_graphs';
