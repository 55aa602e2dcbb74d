// Pieces of wire shapes that several scenarios' schemas share: the valley's settings and a deadline.
import { z } from 'zod';

export const VALLEY_LIMITS = {
  captureRate: z.number().min(0).max(1),
  delayMinMs: z.number().int().min(0).max(60_000),
  delayMaxMs: z.number().int().min(0).max(60_000),
};

export const DEADLINE_MS = z.number().int().min(10_000).max(3_600_000);
