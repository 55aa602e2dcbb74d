// Level 2's wire shapes (level 3 plays the same): a client sends, resends and notes acknowledgements,
// a server executes and acknowledges, the valley has its hands.
import { z } from 'zod';
import type { ScenarioSchemas } from '../../protocol/scenario-schemas.ts';
import { messengerNo, roadControls, roadSettings, valleyActions } from '../../road/schemas.ts';
import { LIMITS, type SeatAction } from '../../road/model.ts';
import type { Action, Config } from './protocol.ts';

export const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('send') }),
  z.strictObject({
    type: z.literal('resend'),
    pos: z
      .number()
      .int()
      .min(0)
      .max(LIMITS.script[1] - 1),
  }),
  z.strictObject({ type: z.literal('note'), n: messengerNo }),
  z.strictObject({ type: z.literal('execute'), n: messengerNo }),
  z.strictObject({ type: z.literal('ack'), n: messengerNo }),
  ...valleyActions,
]);

export const schemas = { action, settings: roadSettings({ numbered: z.boolean() }), controls: roadControls } satisfies ScenarioSchemas<
  Action | SeatAction,
  Config
>;
