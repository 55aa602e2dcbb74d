// Every scenario's words, by id: the pages join them into their catalogue. Typed against the scenario
// registry, so a scenario registered without its words does not compile.
import type { Words } from '../words.ts';
import type { ScenarioId } from './index.ts';
import { words as acks } from './acks/words.ts';
import { words as naive } from './naive/words.ts';
import { words as tickets } from './tickets/words.ts';
import { words as paxos } from './paxos/words.ts';
import { words as serializer } from './serializer/words.ts';
import { words as twoClients } from './two-clients/words.ts';
import { words as twoGenerals } from './two-generals/words.ts';
import { words as twoPhase } from './two-phase/words.ts';

export const scenarioWords = {
  'two-generals': twoGenerals,
  naive,
  serializer,
  'two-phase': twoPhase,
  tickets,
  acks,
  'two-clients': twoClients,
  paxos,
} satisfies Record<ScenarioId, Words>;

/** The words of a scenario added with registerScenario (a test's fixture). */
export function registerWords(id: string, words: Words) {
  (scenarioWords as Record<string, Words>)[id] = words;
}
