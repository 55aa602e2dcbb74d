// Every scenario's screens, by id: typed against shared's registry, so a scenario without its client
// bundle does not compile. The pages reach a scenario's screens only through here.
import { scenarioWords, type ScenarioId } from '@valley/shared';
import { catalogues } from '../i18n/index.ts';
import type { ClientBundle } from './bundle.ts';
import { acksClient } from './acks/index.ts';
import { naiveClient } from './naive/index.ts';
import { ticketsClient } from './tickets/index.ts';
import { paxosClient } from './paxos/index.ts';
import { serializerClient } from './serializer/index.ts';
import { twoClientsClient } from './two-clients/index.ts';
import { twoGeneralsClient } from './two-generals/index.ts';
import { twoPhaseClient } from './two-phase/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBundle = ClientBundle<any, any, any, any, any>;

export const SCENARIO_CLIENTS: Record<ScenarioId, AnyBundle> = {
  'two-generals': twoGeneralsClient,
  naive: naiveClient,
  serializer: serializerClient,
  'two-phase': twoPhaseClient,
  tickets: ticketsClient,
  acks: acksClient,
  'two-clients': twoClientsClient,
  paxos: paxosClient,
};

/**
 * The screens of a scenario added with shared's registerScenario (a test's fixture); its words join
 * the catalogue too.
 */
export function registerClient(id: string, bundle: AnyBundle) {
  (SCENARIO_CLIENTS as Record<string, AnyBundle>)[id] = bundle;
  const words = (scenarioWords as Record<string, { en: Record<string, string>; zh: Record<string, string> } | undefined>)[id];
  if (words) for (const lang of ['en', 'zh'] as const) Object.assign(catalogues[lang], words[lang]);
}

/** A scenario's screens by its id (a game's own scenario id always has them). */
export function bundleOf(id: string): AnyBundle {
  const b: AnyBundle | undefined = (SCENARIO_CLIENTS as Record<string, AnyBundle>)[id];
  if (!b) throw new Error(`no screens for scenario ${id}`);
  return b;
}
