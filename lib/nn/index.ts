/** The model toolkit: parameters, propagation, graphs, MGCN blocks, config schemas. */
export * from './init';
export * from './params';
export * from './propagate';
export * from './schema';
export * from './modal_graphs';
export * from './mgcn_blocks';
export * from './batch';
export * from './mgcn_backbone';
