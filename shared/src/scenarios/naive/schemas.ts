// Level 1's wire shapes: a client sends, a server executes, the valley has its hands.
import { z } from 'zod';
import type { ScenarioSchemas } from '../../protocol/scenario-schemas.ts';
import { messengerNo, roadControls, roadSettings, valleyActions } from '../../road/schemas.ts';
import type { SeatAction } from '../../road/model.ts';
import type { Action, Config } from './protocol.ts';

export const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('send') }),
  z.strictObject({ type: z.literal('execute'), n: messengerNo }),
  ...valleyActions,
]);

export const schemas = { action, settings: roadSettings({}), controls: roadControls } satisfies ScenarioSchemas<Action | SeatAction, Config>;
