// Type-level checks of the client registry, compiled with the client (never imported): each expected
// error below must be one, so a registry that stopped catching a missing piece fails the build.
import type { ScenarioId } from '@valley/shared';
import type { ClientBundle } from './bundle.ts';
import { SCENARIO_CLIENTS } from './index.ts';
import { twoGeneralsClient } from './two-generals/index.ts';

const { paxos: _paxos, ...withoutPaxos } = SCENARIO_CLIENTS;
// @ts-expect-error a scenario registered without its client bundle
void (withoutPaxos satisfies Record<ScenarioId, ClientBundle>);

const { Seat: _seat, ...noSeat } = twoGeneralsClient;
// @ts-expect-error a client bundle without its seat screen
void (noSeat satisfies ClientBundle);
