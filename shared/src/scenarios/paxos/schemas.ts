// Paxos' wire shapes: every seat's actions and a table's settings, checked at the gateway.
// The TypeScript types are the rules' own (model.ts); `satisfies` keeps the two in step.
import { z } from 'zod';
import type { ScenarioSchemas } from '../../protocol/scenario-schemas.ts';
import { DEADLINE_MS, VALLEY_LIMITS } from '../../protocol/common.ts';
import { MAX_ROUND } from './ballot.ts';
import { LIMITS, VALUE_MAX, type Action, type Config } from './model.ts';

// A finite number within ±MAX_ROUND passes: what a student can type in the round field (0, -1, 2.5)
// reaches the rules, which refuse it in words (paxos/bad-round) where the schema could only say it
// did not understand the message.
const round = z.number().min(-MAX_ROUND).max(MAX_ROUND);
const messengerNo = z.number().int().min(1).max(1_000_000);
const recipients = z
  .array(
    z
      .string()
      .min(1)
      .max(4)
      .regex(/^[A-Za-z0-9]+$/),
  )
  .min(1)
  .max(7);
// Values are counted again by the rules (characters, visibility); this bounds the size.
const value = z.string().max(VALUE_MAX * 2);

export const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('prepare'), round, to: recipients }),
  z.strictObject({ type: z.literal('accept'), round, value, to: recipients }),
  z.strictObject({ type: z.literal('promise'), n: messengerNo }),
  z.strictObject({ type: z.literal('refuse'), n: messengerNo }),
  z.strictObject({ type: z.literal('acceptProposal'), n: messengerNo }),
  z.strictObject({ type: z.literal('declare'), value }),
  z.strictObject({ type: z.literal('hold'), n: messengerNo }),
  z.strictObject({ type: z.literal('release'), n: messengerNo }),
  z.strictObject({ type: z.literal('capture'), n: messengerNo }),
]);

export const settings = z
  .strictObject({
    ...VALLEY_LIMITS,
    proposers: z.number().int().min(LIMITS.proposers[0]).max(LIMITS.proposers[1]),
    acceptors: z.number().int().min(LIMITS.acceptors[0]).max(LIMITS.acceptors[1]),
    learners: z.number().int().min(LIMITS.learners[0]).max(LIMITS.learners[1]),
    mode: z.enum(['strict', 'free']),
    deadlineMs: DEADLINE_MS,
    valley: z.boolean(),
    stopEach: z.boolean().optional(),
  })
  .refine((s) => s.delayMinMs <= s.delayMaxMs, { message: 'delayMinMs must not exceed delayMaxMs' });

// The clock, acceptors crashing and restarting, and the valley by hand.
export const schemas = {
  action,
  settings,
  controls: ['pause', 'resume', 'end', 'crash', 'restart', 'hold', 'release', 'capture', 'setCaptureRate'],
} satisfies ScenarioSchemas<Action, Config>;
