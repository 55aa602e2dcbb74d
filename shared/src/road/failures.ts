// The road's failures, recomputed from the primary facts a game's state is built from (what each server
// executed, what each client is done with, which messengers still cross, who is down) — never from a
// summary line. The same ids on every screen, in the replay, the log checker and the simulator.
import { label, type Label } from '../diagram.ts';
import type { AnyProtocol, Need } from './protocol.ts';
import { type Executed, type Failure, type Instance, type RoadState, instanceKey, showOp, clientIds, serverIds } from './model.ts';

const crossing = (status: string) => status === 'inFlight' || status === 'held';

/** Two executed lists agree when one is a prefix of the other (compared as command instances, never by x). */
export function prefixOf(a: readonly Executed[], b: readonly Executed[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.client !== b[i]!.client || a[i]!.pos !== b[i]!.pos) return false;
  return true;
}

/** The seats of a need that are down, when that stops progress (all: any of them; majority: too many). */
export function blocking(state: RoadState, need: Need): string[] {
  const down = need.seats.filter((s) => state.down[s] !== undefined);
  if (need.kind === 'all') return down;
  const majority = Math.floor(need.seats.length / 2) + 1;
  return need.seats.length - down.length < majority ? down : [];
}

/** Whether every client is done with every command it has to have executed (or has settled without). */
export function allDone(state: RoadState, protocol: AnyProtocol): boolean {
  return clientIds(state.config).every(
    (c) => (state.done[c]?.length ?? 0) >= protocol.script(state.config, c).length || (protocol.settled?.(state, c) ?? false),
  );
}

const who = (i: Instance, state: RoadState, protocol: AnyProtocol) => {
  const op = protocol.script(state.config, i.client)[i.pos];
  return `${instanceKey(i)} ${op ? showOp(op) : ''}`.trim();
};

/** Every failure this game shows now (at the end: its failures). */
export function failuresOf(state: RoadState, protocol: AnyProtocol): Failure[] {
  const out: Failure[] = [];
  const servers = serverIds(state.config);
  const live = servers.filter((s) => state.down[s] === undefined);

  // executed-twice: one command instance executed more than once by one server.
  for (const s of servers) {
    const seen = new Map<string, Executed>();
    for (const e of state.servers[s]!.executed) {
      const k = instanceKey(e);
      if (seen.has(k)) {
        out.push({ id: 'executed-twice', label: label('road.failure.executed-twice.at', { server: s, command: who(e, state, protocol) }), seat: s, n: e.n });
        break;
      }
      seen.set(k, e);
    }
  }

  // diverged: two live servers whose executed lists are not prefixes of one another.
  for (let i = 0; i < live.length; i++)
    for (let j = i + 1; j < live.length; j++) {
      const a = state.servers[live[i]!]!.executed;
      const b = state.servers[live[j]!]!.executed;
      if (!prefixOf(a, b) && !prefixOf(b, a)) {
        const sameX = state.servers[live[i]!]!.x === state.servers[live[j]!]!.x;
        out.push({
          id: 'diverged',
          label: label(sameX ? 'road.failure.diverged.sameX' : 'road.failure.diverged.at', { a: live[i]!, b: live[j]!, x: state.servers[live[i]!]!.x }),
          seat: live[j]!,
          n: null,
        });
      }
    }

  // lost: a client is done with a command, a live server never executed it, and nothing carrying it still crosses.
  const stillCrossing = new Set<string>();
  for (const m of state.messengers)
    if (crossing(m.status)) {
      const i = protocol.carries(m.payload);
      if (i) stillCrossing.add(instanceKey(i));
    }
  for (const c of clientIds(state.config))
    for (const pos of state.done[c] ?? []) {
      const i = { client: c, pos };
      const k = instanceKey(i);
      if (stillCrossing.has(k)) continue;
      const missing = live.filter((s) => !state.servers[s]!.executed.some((e) => e.client === c && e.pos === pos));
      if (missing.length > 0) {
        const captured = [...state.messengers]
          .reverse()
          .find((m) => m.status !== 'delivered' && !crossing(m.status) && instanceKey(protocol.carries(m.payload) ?? { client: '', pos: -1 }) === k);
        out.push({
          id: 'lost',
          label: label('road.failure.lost.at', { command: who(i, state, protocol), servers: missing.join(', ') }),
          seat: c,
          n: captured?.n ?? null,
        });
      }
    }

  // two-values: two different commands each stored by a majority of servers.
  const chosen = protocol.chosen?.(state) ?? [];
  if (chosen.length >= 2)
    out.push({
      id: 'two-values',
      label: label('road.failure.two-values.at', { first: who(chosen[0]!, state, protocol), second: who(chosen[1]!, state, protocol) }),
      seat: null,
      n: null,
    });

  if (state.status === 'ended' && !allDone(state, protocol)) {
    const blocked = protocol.needs(state).flatMap((need: Need) => blocking(state, need));
    if (blocked.length > 0)
      out.push({ id: 'stuck', label: label('road.failure.stuck.at', { seats: [...new Set(blocked)].join(', ') }), seat: blocked[0]!, n: null });
    else if (
      protocol.decides &&
      !clientIds(state.config).some((c) => (state.done[c]?.length ?? 0) > 0) &&
      servers.every((s) => state.servers[s]!.executed.length === 0)
    )
      out.push({ id: 'no-decision', label: label('road.failure.no-decision.at'), seat: null, n: null });
  }
  return out;
}

/** The host's badge while a game runs: who it waits on (a crashed seat progress needs), if anyone. */
export function waitingOn(state: RoadState, protocol: AnyProtocol): Label | null {
  if (state.status === 'ended' || allDone(state, protocol)) return null;
  const blocked = [...new Set(protocol.needs(state).flatMap((need: Need) => blocking(state, need)))];
  return blocked.length > 0 ? label('road.waiting.crashed', { seats: blocked.join(', ') }) : label('road.waiting');
}
