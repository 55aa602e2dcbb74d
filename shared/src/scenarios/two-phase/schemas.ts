// Level 5's wire shapes: a client asks, commands, releases and finishes; a server answers the
// messenger it names, resends its grant or (free mode) revokes it; the valley has its hands.
import { z } from 'zod';
import type { ScenarioSchemas } from '../../protocol/scenario-schemas.ts';
import { messengerNo, roadControls, roadSettings, valleyActions } from '../../road/schemas.ts';
import type { SeatAction } from '../../road/model.ts';
import type { Action, Config } from './protocol.ts';

export const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ask') }),
  z.strictObject({ type: z.literal('command') }),
  z.strictObject({ type: z.literal('unlock'), server: z.string().min(1).max(8), try: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ type: z.literal('finish') }),
  z.strictObject({ type: z.literal('grant'), n: messengerNo }),
  z.strictObject({ type: z.literal('refuse'), n: messengerNo }),
  z.strictObject({ type: z.literal('execute'), n: messengerNo }),
  z.strictObject({ type: z.literal('drop'), n: messengerNo }),
  z.strictObject({ type: z.literal('free'), n: messengerNo }),
  z.strictObject({ type: z.literal('regrant') }),
  z.strictObject({ type: z.literal('revoke') }),
  ...valleyActions,
]);

export const schemas = { action, settings: roadSettings({}), controls: roadControls } satisfies ScenarioSchemas<Action | SeatAction, Config>;
