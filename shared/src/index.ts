// @valley/shared: the game itself, pure and deterministic — no I/O, no timers, no randomness of its own.
export * from './assert.ts';
export * from './valley.ts';
export * from './scenario.ts';
export * from './scenarios/index.ts';
export * as tg from './scenarios/two-generals/index.ts';
export { twoGenerals } from './scenarios/two-generals/index.ts';
export * as px from './scenarios/paxos/index.ts';
export { paxos } from './scenarios/paxos/index.ts';
export * from './session/model.ts';
export * from './session/names.ts';
export * from './session/reduce.ts';
export * from './session/commands.ts';
export * from './session/views.ts';
export * from './log/format.ts';
export * from './protocol/events.ts';
export * from './sim.ts';
export * from './log/verify.ts';
