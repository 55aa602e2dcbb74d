// The road to Paxos: the model, engine, views and words every level composes.
export * from './model.ts';
export * from './protocol.ts';
export * from './ctx.ts';
export * from './engine.ts';
export * from './failures.ts';
export * from './view.ts';
export * from './simulation.ts';
export { roadWords } from './words.ts';
