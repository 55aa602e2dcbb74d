// Wire messages between browsers/bots and the server, declared once as zod schemas. The gateway
// checks every inbound message against these before anything else sees it. Kept on a subpath so the
// student's page does not carry zod unless it needs it.
import { z } from 'zod';
import { MAX_TABLE_IDS } from '../session/commands.ts';

import { gameControl } from './common.ts';
import { MAX_WATCHED } from './events.ts';
export { ERRORS, EVENTS, MAX_WATCHED } from './events.ts';

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const token = z
  .string()
  .min(16)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/);

/** `watch`: the tables this screen shows in detail from the start (null or absent: all; see hostWatch). */
export const hostAttach = z.strictObject({ sessionId: id, hostToken: token, watch: z.lazy(() => watchList).optional() });
export const playerJoin = z.strictObject({ code: z.string().min(1).max(16), name: z.string().max(200) });
export const playerResume = z.strictObject({ code: z.string().min(1).max(16), token });

/**
 * An action, with an optional id the client picks (unique per action it sends): a retry with the same
 * id after a lost acknowledgement is answered again with the first answer, and not applied twice.
 * `view: true` asks for what the action changed on the student's screen in the answer (a ScreenPatch:
 * one message instead of an answer and then a redraw).
 */
export const playerAct = z.strictObject({ action: z.unknown(), id: id.optional(), view: z.literal(true).optional() });

/** How many of a student's latest action ids the server remembers for answering retries. */
export const ACTION_IDS_KEPT = 64;

export { registerSchemas, scenarioSchemas, type ScenarioSchemas } from './scenario-schemas.ts';

const tableId = z
  .string()
  .regex(/^T[0-9]{1,4}$/)
  .refine((t) => Number(t.slice(1)) <= MAX_TABLE_IDS);
const seatName = z
  .string()
  .min(1)
  .max(8)
  .regex(/^[A-Za-z0-9]+$/);
const occupant = z.union([z.strictObject({ type: z.literal('player'), playerId: id }), z.strictObject({ type: z.literal('bot') }), z.null()]);

const scenario = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z-]+$/);
export const hostCommand = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('createTable'), scenario }),
  z.strictObject({ type: z.literal('setSeat'), table: tableId, seat: seatName, occupant }),
  z.strictObject({ type: z.literal('autoSeat'), bots: z.boolean(), scenario }),
  z.strictObject({ type: z.literal('removePlayer'), playerId: id }),
  // The settings' own schema depends on the scenario: the gateway checks them with settingsSchemas.
  z.strictObject({ type: z.literal('setSettings'), scenario, settings: z.unknown() }),
  z.strictObject({ type: z.literal('startGames'), table: tableId.nullable() }),
  z.strictObject({ type: z.literal('controlGame'), table: tableId, control: gameControl }),
  z.strictObject({ type: z.literal('nextLevel'), table: tableId }),
  z.strictObject({ type: z.literal('showFailure'), scenario }),
  z.strictObject({ type: z.literal('sameValleyNext'), table: tableId }),
  z.strictObject({ type: z.literal('removeTable'), table: tableId }),
  z.strictObject({ type: z.literal('clearResults') }),
]);

const watchList = z.array(tableId).max(MAX_WATCHED).nullable();
export const hostWatch = z.strictObject({ tables: watchList });

export type Reply<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: { rule: string; evidence: Record<string, string | number> } };
