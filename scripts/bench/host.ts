// The teacher's side in the benchmark: creates a session over HTTP, attaches to it over socket.io,
// seats and starts tables, and (when asked) starts a new game at each table whose game has ended.
import { io as connect, type Socket } from 'socket.io-client';
import type { HostTable, HostView } from '@valley/shared';
import { EVENTS, type Reply } from '@valley/shared/protocol';

/** How many table cards a projector shows at once. */
const ON_SCREEN = 12;

export class Host {
  socket: Socket;
  view: HostView | null = null;
  tables = new Map<string, HostTable>();
  restartAfterMs: number | null = null;
  restarts = 0;
  restartErrors = 0;
  attachedAt = 0;
  private restarting = new Set<string>();

  private constructor(
    readonly url: string,
    readonly session: { sessionId: string; code: string; hostToken: string },
  ) {
    this.socket = connect(url, {
      transports: ['websocket'],
      query: { s: session.sessionId },
      forceNew: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    this.socket.on(EVENTS.hostView, (m: { view: HostView }) => this.onView(m.view));
    this.socket.on(EVENTS.hostTable, (m: { tables: HostTable[] }) => m.tables.forEach((t) => this.onTable(t)));
    // After a server restart the host screen attaches again with its token.
    this.socket.io.on('reconnect', () => void this.attach().catch(() => {}));
  }

  static async open(url: string): Promise<Host> {
    const res = await fetch(`${url}/api/sessions`, { method: 'POST' });
    if (res.status !== 201) throw new Error(`create session: ${res.status}`);
    const host = new Host(url, (await res.json()) as { sessionId: string; code: string; hostToken: string });
    await host.attach();
    return host;
  }

  get code() {
    return this.session.code;
  }

  async attach() {
    // Like the host page on a projector: the first dozen tables on screen in detail, the rest by status.
    const watch = Array.from({ length: ON_SCREEN }, (_, i) => `T${i + 1}`);
    const r = (await this.socket
      .timeout(20_000)
      .emitWithAck(EVENTS.hostAttach, { sessionId: this.session.sessionId, hostToken: this.session.hostToken, watch })) as Reply<{
      view: HostView;
    }>;
    if (!r.ok) throw new Error(`attach: ${JSON.stringify(r.error)}`);
    this.attachedAt = Date.now();
    this.onView(r.view);
  }

  private onView(v: HostView) {
    this.view = v;
    this.tables = new Map(v.tables.map((t) => [t.id, t]));
    for (const t of v.tables) this.maybeRestart(t);
  }

  private onTable(t: HostTable) {
    this.tables.set(t.id, t);
    this.maybeRestart(t);
  }

  private maybeRestart(t: HostTable) {
    if (this.restartAfterMs === null || !t.game || this.restarting.has(t.id)) return;
    if (t.game.status !== 'ended') return;
    this.restarting.add(t.id);
    setTimeout(() => {
      // Told to stop starting games meanwhile: leave the table as it is.
      if (this.restartAfterMs === null) return void this.restarting.delete(t.id);
      void this.command({ type: 'startGames', table: t.id })
        .then((r) => {
          if (r.ok) this.restarts++;
          else this.restartErrors++;
        })
        .catch(() => this.restartErrors++)
        .finally(() => this.restarting.delete(t.id));
    }, this.restartAfterMs);
  }

  async command(cmd: Record<string, unknown>): Promise<Reply> {
    return (await this.socket.timeout(30_000).emitWithAck(EVENTS.hostCommand, cmd)) as Reply;
  }

  async must(cmd: Record<string, unknown>) {
    const r = await this.command(cmd);
    if (!r.ok) throw new Error(`${String(cmd.type)}: ${JSON.stringify(r.error)}`);
  }

  close() {
    this.restartAfterMs = null;
    this.socket.close();
  }
}
