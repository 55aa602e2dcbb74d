// A student's retried actions: the last ACTION_IDS_KEPT action ids of each student with the answer
// each got, so an action sent again with the same id (its answer lost) is answered again, not applied
// twice. The ids are in the log with their units, so this memory is rebuilt after a restart.
import { canonical, type LogEvent, type Refusal } from '@valley/shared';
import { ACTION_IDS_KEPT, ERRORS } from '@valley/shared/protocol';

type Result = { ok: true } | { ok: false; error: Refusal };

interface Entry {
  /** The action as first sent, keys sorted. */
  action: string;
  /** The first answer. */
  first: Promise<Result>;
  /** What a retry is answered (the first answer, unless a failed flush must be tried again). */
  answer: () => Promise<Result>;
}

export class ActionIds {
  private byPlayer = new Map<string, Map<string, Entry>>();

  /** The answer for a retry of this id, or null if the id is new; an id reused for another action is refused. */
  answered(playerId: string, id: string, raw: unknown): Promise<Result> | null {
    const prior = this.byPlayer.get(playerId)?.get(id);
    if (!prior) return null;
    if (prior.action !== canonical(raw)) return Promise.resolve({ ok: false, error: { rule: ERRORS.badMessage, evidence: { problem: 'id-reused' } } });
    return prior.answer();
  }

  remember(playerId: string, id: string, raw: unknown, answer: Promise<Result>) {
    let ids = this.byPlayer.get(playerId);
    if (!ids) this.byPlayer.set(playerId, (ids = new Map()));
    ids.delete(id);
    ids.set(id, { action: canonical(raw), first: answer, answer: () => answer });
    // Forget the oldest beyond the last ACTION_IDS_KEPT (a Map iterates in insertion order).
    if (ids.size > ACTION_IDS_KEPT) ids.delete(ids.keys().next().value!);
  }

  /** An action the disk did not take never happened: a retry with its id is tried afresh. */
  forget(playerId: string, id: string, first: Promise<Result>) {
    const ids = this.byPlayer.get(playerId);
    if (ids?.get(id)?.first === first) ids.delete(id);
  }

  /** From now on a retry of this id is answered by `answer` (a flush tried again). */
  reanswer(playerId: string, id: string, first: Promise<Result>, answer: () => Promise<Result>) {
    const e = this.byPlayer.get(playerId)?.get(id);
    if (e?.first === first) e.answer = answer;
  }

  /** After recovery: the action ids the log kept, each answered as it was (it was applied). */
  rememberFromLog(events: readonly LogEvent[]) {
    const ok = Promise.resolve<Result>({ ok: true });
    for (const e of events) {
      const c = e.unit?.cause;
      if (c?.type === 'act' && typeof c.id === 'string') this.remember(c.player, c.id, c.action, ok);
    }
  }
}
