// Every scenario's wire shapes, by id: the gateway checks a seat's action and a class's settings with
// its scenario's. Typed against the rules' registry, so a scenario registered without its schemas does
// not compile (and zod stays out of the student's page: this lives on the protocol subpath).
import type { z } from 'zod';
import type { GameControl } from '../scenario.ts';
import type { ScenarioId } from '../scenarios/index.ts';
import { schemas as acks } from '../scenarios/acks/schemas.ts';
import { schemas as naive } from '../scenarios/naive/schemas.ts';
import { schemas as tickets } from '../scenarios/tickets/schemas.ts';
import { schemas as paxos } from '../scenarios/paxos/schemas.ts';
import { schemas as serializer } from '../scenarios/serializer/schemas.ts';
import { schemas as twoClients } from '../scenarios/two-clients/schemas.ts';
import { schemas as twoGenerals } from '../scenarios/two-generals/schemas.ts';
import { schemas as twoPhase } from '../scenarios/two-phase/schemas.ts';

/** A scenario's schemas: each parses to the rules' own types. */
export interface ScenarioSchemas<Action = unknown, Config = unknown> {
  action: z.ZodType<Action>;
  settings: z.ZodType<Config>;
  /** The host controls its games support: any other is refused at the gateway. */
  controls: readonly GameControl['type'][];
}

export const scenarioSchemas = {
  'two-generals': twoGenerals,
  naive,
  serializer,
  'two-phase': twoPhase,
  tickets,
  acks,
  'two-clients': twoClients,
  paxos,
} satisfies Record<ScenarioId, ScenarioSchemas>;

/** The schemas of a scenario added with registerScenario (a test's fixture). */
export function registerSchemas(id: string, schemas: ScenarioSchemas) {
  (scenarioSchemas as Record<string, ScenarioSchemas>)[id] = schemas;
}
