// Every scenario's screens, by id: typed against shared's registry, so a scenario without its client
// bundle does not compile. The pages reach a scenario's screens only through here.
import type { ScenarioId } from '@valley/shared';
import type { ClientBundle } from './bundle.ts';
import { paxosClient } from './paxos/index.ts';
import { twoGeneralsClient } from './two-generals/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBundle = ClientBundle<any, any, any, any, any>;

export const SCENARIO_CLIENTS: Record<ScenarioId, AnyBundle> = {
  'two-generals': twoGeneralsClient,
  paxos: paxosClient,
};

/** A scenario's screens by its id (a game's own scenario id always has them). */
export function bundleOf(id: string): AnyBundle {
  const b: AnyBundle | undefined = (SCENARIO_CLIENTS as Record<string, AnyBundle>)[id];
  if (!b) throw new Error(`no screens for scenario ${id}`);
  return b;
}
