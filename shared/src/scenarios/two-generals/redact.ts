// What a Two Generals game's shared log must not show: the notes the generals typed. Everything else
// in it (times, acknowledgements, decisions) is the game itself and stays.
import { assertNever } from '../../assert.ts';
import type { RedactLabel } from '../../scenario.ts';
import type { Action, Event, Payload } from './model.ts';

function redactPayload(p: Payload, label: RedactLabel): Payload {
  switch (p.type) {
    case 'proposal':
    case 'ack':
      return p;
    case 'note':
      return { type: 'note', text: label('note', p.text) };
    default:
      return assertNever(p);
  }
}

export function redact(e: Event, label: RedactLabel): Event {
  switch (e.type) {
    case 'messengerSent':
      return { ...e, payload: redactPayload(e.payload, label) };
    case 'messengerDelivered':
    case 'messengerCaptured':
    case 'messengerHeld':
    case 'messengerReleased':
    case 'committed':
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
    case 'sendMessenger':
      return { ...a, payload: redactPayload(a.payload, label) };
    case 'commit':
    case 'hold':
    case 'release':
    case 'capture':
      return a;
    default:
      return assertNever(a);
  }
}
