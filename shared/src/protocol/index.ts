// Wire messages between browsers/bots and the server, declared once as zod schemas. The gateway
// checks every inbound message against these before anything else sees it. Kept on a subpath so the
// student's page does not carry zod unless it needs it.
import { z } from 'zod';
import { NOTE_MAX } from '../scenarios/two-generals/model.ts';
import { MAX_TABLES } from '../session/commands.ts';
import { MAX_ROUND } from '../scenarios/paxos/ballot.ts';
import { LIMITS, VALUE_MAX } from '../scenarios/paxos/model.ts';

import { MAX_WATCHED } from './events.ts';
export { ERRORS, EVENTS, MAX_WATCHED } from './events.ts';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const token = z.string().min(16).max(128).regex(/^[A-Za-z0-9_-]+$/);
const hour = z.number().int().min(0).max(23);

/** `watch`: the tables this screen shows in detail from the start (null or absent: all; see hostWatch). */
export const hostAttach = z.strictObject({ sessionId: id, hostToken: token, watch: z.lazy(() => watchList).optional() });
export const playerJoin = z.strictObject({ code: z.string().min(1).max(16), name: z.string().max(200) });
export const playerResume = z.strictObject({ code: z.string().min(1).max(16), token });

export const tgPayload = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('proposal'), time: hour }),
  z.strictObject({ type: z.literal('ack'), of: z.number().int().min(1).max(1_000_000) }),
  // Characters are counted again by the rules (code points); this bounds the UTF-16 length.
  z.strictObject({ type: z.literal('note'), text: z.string().max(NOTE_MAX * 2) }),
]);

export const tgAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sendMessenger'), payload: tgPayload }),
  z.strictObject({
    type: z.literal('commit'),
    decision: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('attack'), time: hour }),
      z.strictObject({ type: z.literal('hold') }),
    ]),
  }),
]);

const round = z.number().int().min(1).max(MAX_ROUND);
const messengerNo = z.number().int().min(1).max(1_000_000);
const recipients = z.array(z.string().min(1).max(4).regex(/^[A-Za-z0-9]+$/)).min(1).max(7);
// Values are counted again by the rules (characters, visibility); this bounds the size.
const value = z.string().max(VALUE_MAX * 2);

export const paxosAction = z.discriminatedUnion('type', [
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

/** Every scenario's actions, by scenario id: the gateway picks the schema of the seat's table. */
export const actionSchemas: Record<string, z.ZodType> = { 'two-generals': tgAction, paxos: paxosAction };

/**
 * An action, with an optional id the client picks (unique per action it sends): a retry with the same
 * id after a lost acknowledgement is answered again with the first answer, and not applied twice.
 * `view: true` asks for what the action changed on the student's screen in the answer (a ScreenPatch:
 * one message instead of an answer and then a redraw).
 */
export const playerAct = z.strictObject({ action: z.unknown(), id: id.optional(), view: z.literal(true).optional() });

/** How many of a student's latest action ids the server remembers for answering retries. */
export const ACTION_IDS_KEPT = 64;

export const tgSettings = z.strictObject({
  captureRate: z.number().min(0).max(1),
  delayMinMs: z.number().int().min(0).max(60_000),
  delayMaxMs: z.number().int().min(0).max(60_000),
  deadlineMs: z.number().int().min(10_000).max(3_600_000),
  botBudget: z.number().int().min(1).max(50),
}).refine((s) => s.delayMinMs <= s.delayMaxMs, { message: 'delayMinMs must not exceed delayMaxMs' });

const valley = {
  captureRate: z.number().min(0).max(1),
  delayMinMs: z.number().int().min(0).max(60_000),
  delayMaxMs: z.number().int().min(0).max(60_000),
};

export const paxosSettings = z
  .strictObject({
    ...valley,
    proposers: z.number().int().min(LIMITS.proposers[0]).max(LIMITS.proposers[1]),
    acceptors: z.number().int().min(LIMITS.acceptors[0]).max(LIMITS.acceptors[1]),
    learners: z.number().int().min(LIMITS.learners[0]).max(LIMITS.learners[1]),
    mode: z.enum(['strict', 'free']),
    deadlineMs: z.number().int().min(10_000).max(3_600_000),
    valley: z.boolean(),
  })
  .refine((s) => s.delayMinMs <= s.delayMaxMs, { message: 'delayMinMs must not exceed delayMaxMs' });

/** Every scenario's settings, by scenario id. */
export const settingsSchemas: Record<string, z.ZodType> = { 'two-generals': tgSettings, paxos: paxosSettings };

const tableId = z.string().regex(/^T[0-9]{1,4}$/).refine((t) => Number(t.slice(1)) <= MAX_TABLES);
const seatName = z.string().min(1).max(8).regex(/^[A-Za-z0-9]+$/);
const occupant = z.union([
  z.strictObject({ type: z.literal('player'), playerId: id }),
  z.strictObject({ type: z.literal('bot') }),
  z.null(),
]);

const scenario = z.string().min(1).max(32).regex(/^[a-z-]+$/);
const seatId = z.string().min(1).max(8).regex(/^[A-Za-z0-9]+$/);
const gameControl = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pause') }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('end') }),
  z.strictObject({ type: z.literal('crash'), seat: seatId }),
  z.strictObject({ type: z.literal('restart'), seat: seatId }),
  z.strictObject({ type: z.literal('hold'), n: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ type: z.literal('release'), n: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ type: z.literal('capture'), n: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ type: z.literal('setCaptureRate'), captureRate: z.number().min(0).max(1) }),
]);

export const hostCommand = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('createTable'), scenario }),
  z.strictObject({ type: z.literal('setSeat'), table: tableId, seat: seatName, occupant }),
  z.strictObject({ type: z.literal('autoSeat'), bots: z.boolean(), scenario }),
  z.strictObject({ type: z.literal('removePlayer'), playerId: id }),
  // The settings' own schema depends on the scenario: the gateway checks them with settingsSchemas.
  z.strictObject({ type: z.literal('setSettings'), scenario, settings: z.unknown() }),
  z.strictObject({ type: z.literal('startGames'), table: tableId.nullable() }),
  z.strictObject({ type: z.literal('controlGame'), table: tableId, control: gameControl }),
]);

const watchList = z.array(tableId).max(MAX_WATCHED).nullable();
export const hostWatch = z.strictObject({ tables: watchList });

export type Reply<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: { rule: string; evidence: Record<string, string | number> } };
