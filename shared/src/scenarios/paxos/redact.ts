// What a Paxos game's shared log must not show: the values proposers typed, wherever they travel —
// in Accept and Accepted messengers, in a Promise that reports an earlier proposal, in acceptances,
// the chosen value, a learner's declaration, and the evidence of a rule broken in free mode.
// One label per distinct value, so the replay still shows which proposals agree (P2c).
import { assertNever } from '../../assert.ts';
import type { RedactLabel } from '../../scenario.ts';
import type { Action, Event, Payload } from './model.ts';

const value = (v: string, label: RedactLabel) => label('value', v);

function redactPayload(p: Payload, label: RedactLabel): Payload {
  switch (p.type) {
    case 'prepare':
    case 'nack':
      return p;
    case 'promise':
      return p.accepted ? { ...p, accepted: { ...p.accepted, value: value(p.accepted.value, label) } } : p;
    case 'accept':
    case 'accepted':
      return { ...p, value: value(p.value, label) };
    default:
      return assertNever(p);
  }
}

// The evidence fields of the Paxos rules that carry a value (accept-wrong-value's `required`,
// declare-without-majority's `value`); the others are ballots, seats and counts.
const VALUE_EVIDENCE = ['value', 'required'];

export function redact(e: Event, label: RedactLabel): Event {
  switch (e.type) {
    case 'messengerSent':
      return { ...e, payload: redactPayload(e.payload, label) };
    case 'accepted':
    case 'valueChosen':
    case 'declared':
      return { ...e, value: value(e.value, label) };
    case 'ruleBroken': {
      const evidence = { ...e.evidence };
      for (const k of VALUE_EVIDENCE) {
        const v = evidence[k];
        if (typeof v === 'string') evidence[k] = value(v, label);
      }
      return { ...e, evidence };
    }
    case 'messengerDelivered':
    case 'messengerCaptured':
    case 'messengerLost':
    case 'messengerHeld':
    case 'messengerReleased':
    case 'promised':
    case 'crashed':
    case 'restarted':
    case 'captureRateChanged':
    case 'paused':
    case 'resumed':
    case 'gameEnded':
      return e;
    default:
      return assertNever(e);
  }
}

export function redactAction(a: Action, label: RedactLabel): Action {
  switch (a.type) {
    case 'accept':
    case 'declare':
      return { ...a, value: value(a.value, label) };
    case 'prepare':
    case 'promise':
    case 'refuse':
    case 'acceptProposal':
    case 'hold':
    case 'release':
    case 'capture':
      return a;
    default:
      return assertNever(a);
  }
}
