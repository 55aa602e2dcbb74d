// The wire shapes every road level shares: its settings (a level adds its own fields), the valley
// seat's hands, and the host controls a road game supports.
import { z } from 'zod';
import { DEADLINE_MS, VALLEY_LIMITS } from '../protocol/common.ts';
import type { GameControl } from '../scenario.ts';
import { LIMITS, OPS, REFLECTION_MAX } from './model.ts';

export const messengerNo = z.number().int().min(1).max(1_000_000);
export const op = z.enum(OPS);

export const roadShape = {
  ...VALLEY_LIMITS,
  clients: z.number().int().min(LIMITS.clients[0]).max(LIMITS.clients[1]),
  servers: z.number().int().min(LIMITS.servers[0]).max(LIMITS.servers[1]),
  start: z.number().int().min(LIMITS.start[0]).max(LIMITS.start[1]),
  scripts: z.array(z.array(op).min(LIMITS.script[0]).max(LIMITS.script[1])).length(LIMITS.clients[1]),
  mode: z.enum(['strict', 'free']),
  deadlineMs: DEADLINE_MS,
  valley: z.boolean(),
  stopEach: z.boolean(),
  resendMs: z.number().int().min(1000).max(60_000),
};

/** A level's settings: the shared ones and its own, with the delays in order. */
export const roadSettings = <S extends z.ZodRawShape>(extra: S) =>
  z
    .strictObject({ ...roadShape, ...extra })
    .refine((s) => (s as { delayMinMs: number }).delayMinMs <= (s as { delayMaxMs: number }).delayMaxMs, { message: 'delayMinMs must not exceed delayMaxMs' });

/** The actions every road level shares: the valley seat's hands, and every seat's guess and one line. */
export const valleyActions = [
  z.strictObject({ type: z.literal('hold'), n: messengerNo }),
  z.strictObject({ type: z.literal('release'), n: messengerNo }),
  z.strictObject({ type: z.literal('capture'), n: messengerNo }),
  z.strictObject({ type: z.literal('predict'), agree: z.boolean() }),
  // Characters are counted again by the rules; this bounds the UTF-16 length.
  z.strictObject({ type: z.literal('reflect'), text: z.string().max(REFLECTION_MAX * 4) }),
] as const;

/** The clock, seats crashing and restarting, and the valley by hand. */
export const roadControls: readonly GameControl['type'][] = [
  'pause',
  'resume',
  'end',
  'crash',
  'restart',
  'hold',
  'release',
  'capture',
  'setCaptureRate',
  'go',
  'reveal',
];
