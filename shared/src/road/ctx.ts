// What a level's rules work with while deciding one action: the state, and the few steps every level
// takes — sending messengers through the valley, finding a messenger that reached a seat, and a rule
// that strict mode refuses and free mode lets through, flagged.
import { messengerFate, messengerIndex } from '../valley.ts';
import type { Refusal } from '../scenario.ts';
import { type CoreEvent, type Messenger, type Op, type Role, type RoadConfig, type RoadState, clientIds, serverIds } from './model.ts';

export type Ruled<E> = { ok: true; broken: E[] } | { ok: false; refusal: Refusal };

export class Ctx<C extends RoadConfig, P, M, X = never> {
  private nextN: number;

  constructor(
    readonly state: RoadState<C, P, M>,
    readonly at: number,
    private readonly scriptOf: (config: C, client: string) => Op[],
    private readonly roles: Readonly<Record<string, Role>>,
  ) {
    this.nextN = state.messengers.length + 1;
  }

  get config(): C {
    return this.state.config;
  }
  get clients() {
    return clientIds(this.state.config);
  }
  get servers() {
    return serverIds(this.state.config);
  }

  /** Messengers to each recipient, numbered in sending order, each with its own fate from the seed. */
  send(from: string, to: readonly string[], payload: P, answers: number | null = null): CoreEvent<P, M>[] {
    return to.map((recipient) => {
      const n = this.nextN++;
      return { type: 'messengerSent', n, from, to: recipient, payload, fate: messengerFate(this.state.seed, n, this.state.config), answers };
    });
  }

  messenger(n: number): Messenger<P> | undefined {
    return this.state.messengers[messengerIndex(this.state.messengers, n)];
  }

  /** Messenger n, if it reached this seat. */
  delivered(seat: string, n: number): Messenger<P> | undefined {
    const m = this.messenger(n);
    return m?.to === seat && m.status === 'delivered' ? m : undefined;
  }

  /** Whether this seat has dealt with messenger n already. */
  handled(seat: string, n: number): boolean {
    return this.state.handled[seat]?.includes(n) ?? false;
  }

  /** The messengers that reached this seat, oldest first. */
  inbox(seat: string): Messenger<P>[] {
    return this.state.messengers.filter((m) => m.to === seat && m.status === 'delivered');
  }

  /** The messengers this seat sent. */
  sent(seat: string): Messenger<P>[] {
    return this.state.messengers.filter((m) => m.from === seat);
  }

  mem(seat: string): M {
    return this.state.mem[seat]!;
  }

  script(client: string): Op[] {
    return this.scriptOf(this.state.config, client);
  }

  done(client: string): number[] {
    return this.state.done[client] ?? [];
  }

  alive(seat: string): boolean {
    return this.state.down[seat] === undefined;
  }

  role(seat: string): Role | null {
    return this.roles[seat] ?? null;
  }

  /**
   * A protocol rule: in strict mode breaking it is refused with its evidence; in free mode the action
   * goes through and the breach is recorded for the debrief to show.
   */
  rule(seat: string, ok: boolean, id: string, evidence: Record<string, string | number>): Ruled<CoreEvent<P, M> | X> {
    if (ok) return { ok: true, broken: [] };
    if (this.state.config.mode === 'strict') return { ok: false, refusal: { rule: id, evidence } };
    return { ok: true, broken: [{ type: 'ruleBroken', seat, rule: id, evidence }] };
  }
}
