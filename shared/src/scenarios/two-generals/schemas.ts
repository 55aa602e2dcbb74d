// Two Generals' wire shapes: a general's actions and the class's settings, checked at the gateway.
// The TypeScript types are the rules' own (model.ts); `satisfies` keeps the two in step.
import { z } from 'zod';
import type { ScenarioSchemas } from '../../protocol/scenario-schemas.ts';
import { DEADLINE_MS, VALLEY_LIMITS } from '../../protocol/common.ts';
import { BOT_BUDGET, NOTE_MAX, type Action, type Config } from './model.ts';

const hour = z.number().int().min(0).max(23);

export const payload = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('proposal'), time: hour }),
  z.strictObject({ type: z.literal('ack'), of: z.number().int().min(1).max(1_000_000) }),
  // Characters are counted again by the rules (code points); this bounds the UTF-16 length.
  z.strictObject({ type: z.literal('note'), text: z.string().max(NOTE_MAX * 2) }),
]);

const messengerNo = z.number().int().min(1).max(1_000_000);

export const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sendMessenger'), payload }),
  z.strictObject({
    type: z.literal('commit'),
    decision: z.discriminatedUnion('type', [z.strictObject({ type: z.literal('attack'), time: hour }), z.strictObject({ type: z.literal('hold') })]),
  }),
  // The valley seat's hands.
  z.strictObject({ type: z.literal('hold'), n: messengerNo }),
  z.strictObject({ type: z.literal('release'), n: messengerNo }),
  z.strictObject({ type: z.literal('capture'), n: messengerNo }),
]);

export const settings = z
  .strictObject({
    ...VALLEY_LIMITS,
    deadlineMs: DEADLINE_MS,
    botBudget: z.number().int().min(BOT_BUDGET.min).max(BOT_BUDGET.max),
    valley: z.boolean().optional(),
    stopEach: z.boolean().optional(),
  })
  .refine((s) => s.delayMinMs <= s.delayMaxMs, { message: 'delayMinMs must not exceed delayMaxMs' });

// The host has the clock and the valley's hands (a general does not crash).
export const schemas = { action, settings, controls: ['pause', 'resume', 'end', 'hold', 'release', 'capture'] } satisfies ScenarioSchemas<Action, Config>;
