// Level 6's wire shapes: a client asks, proposes and executes; a server issues, stores, runs, nacks or
// sets aside. A ticket is any number here: the rules refuse one that is not a positive whole number.
import { z } from 'zod';
import type { ScenarioSchemas } from '../../protocol/scenario-schemas.ts';
import { messengerNo, roadControls, roadSettings, valleyActions } from '../../road/schemas.ts';
import type { SeatAction } from '../../road/model.ts';
import type { Action, Config } from './protocol.ts';

const onMessenger = (type: 'issue' | 'store' | 'run' | 'nack' | 'ignore') => z.strictObject({ type: z.literal(type), n: messengerNo });

export const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ask'), t: z.number() }),
  z.strictObject({ type: z.literal('propose'), client: z.string().max(8), pos: z.number().int().min(0).max(99) }),
  z.strictObject({ type: z.literal('execute') }),
  onMessenger('issue'),
  onMessenger('store'),
  onMessenger('run'),
  onMessenger('nack'),
  onMessenger('ignore'),
  ...valleyActions,
]);

export const schemas = {
  action,
  settings: roadSettings({ nack: z.boolean(), paxos: z.boolean() }),
  controls: roadControls,
} satisfies ScenarioSchemas<Action | SeatAction, Config>;
