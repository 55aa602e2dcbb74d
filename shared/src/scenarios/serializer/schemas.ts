// Level 4's wire shapes: a client sends and takes its confirmation; the serializer forwards, resends,
// confirms and takes what comes back; a server executes or acknowledges again; the valley has its hands.
import { z } from 'zod';
import type { ScenarioSchemas } from '../../protocol/scenario-schemas.ts';
import { messengerNo, roadControls, roadSettings, valleyActions } from '../../road/schemas.ts';
import { LIMITS, type SeatAction } from '../../road/model.ts';
import type { Action, Config } from './protocol.ts';

// Any short seat name and script position parse: one no client sent is refused by the rules, by name.
const instance = {
  client: z.string().min(1).max(8),
  pos: z
    .number()
    .int()
    .min(0)
    .max(LIMITS.script[1] - 1),
};

export const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('send') }),
  z.strictObject({ type: z.literal('take'), n: messengerNo }),
  z.strictObject({ type: z.literal('forward'), ...instance }),
  z.strictObject({ type: z.literal('resend') }),
  z.strictObject({ type: z.literal('confirm'), ...instance }),
  z.strictObject({ type: z.literal('execute'), n: messengerNo }),
  z.strictObject({ type: z.literal('ack'), n: messengerNo }),
  ...valleyActions,
]);

export const schemas = { action, settings: roadSettings({}), controls: roadControls } satisfies ScenarioSchemas<Action | SeatAction, Config>;
