// Pieces of wire shapes that several scenarios' schemas share: the valley's settings and a deadline.
import { z } from 'zod';

export const VALLEY_LIMITS = {
  captureRate: z.number().min(0).max(1),
  delayMinMs: z.number().int().min(0).max(60_000),
  delayMaxMs: z.number().int().min(0).max(60_000),
  // Slow motion: every crossing takes 1, 3 or 5 times as long (absent: 1).
  slowMotion: z.union([z.literal(1), z.literal(3), z.literal(5)]).optional(),
};

export const DEADLINE_MS = z.number().int().min(10_000).max(3_600_000);

const seatId = z
  .string()
  .min(1)
  .max(8)
  .regex(/^[A-Za-z0-9]+$/);
const messengerNo = z.number().int().min(1).max(1_000_000);

/**
 * What the host may do to a running game: the clock, seats going down and up, and the valley by hand.
 * The one declaration of GameControl: its TypeScript type (scenario.ts) is inferred from this.
 */
export const gameControl = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pause') }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('end') }),
  z.strictObject({ type: z.literal('crash'), seat: seatId }),
  z.strictObject({ type: z.literal('restart'), seat: seatId }),
  z.strictObject({ type: z.literal('hold'), n: messengerNo }),
  z.strictObject({ type: z.literal('release'), n: messengerNo }),
  z.strictObject({ type: z.literal('capture'), n: messengerNo }),
  z.strictObject({ type: z.literal('setCaptureRate'), captureRate: z.number().min(0).max(1) }),
  // The host's signal: every client sends at once (what each would send next).
  z.strictObject({ type: z.literal('go') }),
  // The host shows the class what the next level changes (hidden until then).
  z.strictObject({ type: z.literal('reveal') }),
]);
