// What each student's screen is sent: whole when they join or come back, then numbered patches of
// what changed — only for the students an event can change, a few hundred per turn of the event loop.
import type { Server } from 'socket.io';
import { diffScreen, playerView, playerViewInputs, type PlayerView, type ScreenPatch } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import type { Clock } from '../clock.ts';
import type { Change, LiveSession } from '../sessions/session.ts';
import { emitToRoom } from '../wire.ts';

export const playerRoom = (sessionId: string, playerId: string) => `player:${sessionId}:${playerId}`;

/** Students' screens brought up to date per turn of the event loop; the rest on the next. */
const REDRAW_SLICE = 200;

export class PlayerScreens {
  constructor(
    private io: Server,
    private clock: Clock,
  ) {}

  /** Per session, the last screen each student's screens were brought to, and its version. */
  private screens = new WeakMap<LiveSession, Map<string, { view: PlayerView; v: number; from?: unknown[] }>>();

  screensOf(s: LiveSession) {
    let m = this.screens.get(s);
    if (!m) this.screens.set(s, (m = new Map()));
    return m;
  }

  /**
   * Bring a student's screen up to date: the patch from the last version sent to now, or null when
   * nothing they can see changed (or nobody holds a screen of theirs yet).
   */
  advance(s: LiveSession, playerId: string): ScreenPatch | null {
    const last = this.screensOf(s).get(playerId);
    if (!last) return null;
    // Drawn from the very same state already (the answer to a student's action carried it, and the
    // redraw that follows finds nothing new at their table): nothing to compute.
    const from = playerViewInputs(s.state, playerId);
    if (last.from?.every((x, i) => x === from[i])) return null;
    const view = playerView(s.state, playerId);
    if (!view) return null;
    const ops = diffScreen(last.view, view);
    if (!ops) {
      last.from = from;
      return null;
    }
    this.screensOf(s).set(playerId, { view, v: last.v + 1, from });
    return { from: last.v, to: last.v + 1, ops };
  }

  /** Redraw the screens a change touched. Called by sessions, coalesced per turn of the event loop. */
  changed(s: LiveSession, change: Change) {
    for (const id of change.removed) {
      this.screensOf(s).delete(id);
      this.redraw.get(s)?.delete(id);
      this.io.to(playerRoom(s.id, id)).emit(EVENTS.playerRemoved);
      this.io.in(playerRoom(s.id, id)).disconnectSockets(true);
    }
    let todo = this.redraw.get(s);
    if (!todo) this.redraw.set(s, (todo = new Set()));
    const idle = todo.size === 0;
    for (const id of change.players) if (!change.removed.has(id)) todo.add(id);
    if (idle) this.redrawSome(s);
  }

  /** Per session, the students whose screens are still to be brought up to date. */
  private redraw = new WeakMap<LiveSession, Set<string>>();

  /**
   * A student is sent only what changed on their screen, and nothing when nothing did: at a table of
   * seven, a messenger reaching one acceptor changes a few lines of one screen. A few hundred screens
   * per turn of the event loop, the rest on the next: a hall's burst never holds everything else up
   * for long, and a screen left for the next turn is drawn from the state as it is then.
   */
  private redrawSome(s: LiveSession) {
    const todo = this.redraw.get(s)!;
    const now = this.clock.now();
    let k = 0;
    for (const id of todo) {
      if (k++ >= REDRAW_SLICE) break;
      todo.delete(id);
      const patch = this.advance(s, id);
      if (patch) emitToRoom(this.io, playerRoom(s.id, id), EVENTS.playerView, { now, patch });
    }
    if (todo.size > 0) setImmediate(() => this.redrawSome(s));
  }
}
