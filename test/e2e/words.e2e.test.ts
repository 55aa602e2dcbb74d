// Explanations where the class looks, in Chromium, in English and Chinese: a free-mode Paxos game
// where two values are chosen says on the host's card and on the debrief which rule broke and how each
// value came to be chosen; a round of 0 gets a sentence; the crash banner goes at the end. A Two
// Generals seat sees its messenger's card change when the acknowledgement arrives, and a debrief that
// says "you", spells every rung out and says why the game was won. The games are driven by socket
// players in fake time; the pages are opened as those players (their key in localStorage).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { px, tg } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { en } from '../../client/src/i18n/en.ts';
import { render } from '../../client/src/i18n/render.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, launch, screenshot } from '../support/browser.ts';
import { clientDist } from '../support/paths.ts';
import { createSession, hostClient, playerClient, runningTable, startServer, type Client, type TestServer } from '../support/server.ts';

const catalogues = { en, zh };
type Lang = keyof typeof catalogues;
type Player = Awaited<ReturnType<typeof playerClient>>;

describe.skipIf(!haveChromium)('explanations where the class looks, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const clients: Client[] = [];
  const keep = <T extends Client>(c: T) => (clients.push(c), c);

  beforeAll(async () => {
    server = await startServer({ clientDir: clientDist });
    browser = await launch();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await server?.close();
  });

  async function openAs(size: typeof LAPTOP, path: string, storage: Record<string, unknown>): Promise<Page> {
    const context = await browser.newContext({ viewport: size });
    const set = Object.entries(storage).map(([k, v]) => `localStorage.setItem(${JSON.stringify(k)}, ${JSON.stringify(JSON.stringify(v))});`);
    await context.addInitScript({ content: set.join('\n') });
    const p = await context.newPage();
    p.setDefaultTimeout(30_000);
    await p.goto(server.url + path);
    return p;
  }
  const asPlayer = (code: string, c: Player, name: string, lang: Lang) =>
    openAs(LAPTOP, `/play/${code}?lang=${lang}`, { [`valley.player.${code}`]: { token: c.token, playerId: c.playerId, name } });
  const act = async (c: Client, action: unknown) => expect(await c.call(EVENTS.playerAct, { action })).toMatchObject({ ok: true });
  const step = () => server.clock.advance(1000);

  for (const lang of ['en', 'zh'] as const) {
    it(`free-mode Paxos: two values chosen, explained on the host card and the debrief (${lang})`, async () => {
      const T = catalogues[lang];
      const say = (key: string, params: Record<string, string | number>) => render(T, key, params);
      const session = await createSession(server.url);
      const host = keep(await hostClient(server.url, session));
      const names = ['Pia', 'Bo', 'Ari', 'Bea', 'Cal'];
      const players: Player[] = [];
      for (const n of names) players.push(keep(await playerClient(server.url, session.code, n)));
      const settings = { ...px.defaultConfig, proposers: 2, acceptors: 3, learners: 0, mode: 'free', captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000 };
      for (const cmd of [
        { type: 'setSettings', scenario: 'paxos', settings },
        { type: 'autoSeat', bots: false, scenario: 'paxos' },
        { type: 'startGames', table: null },
      ])
        expect(await host.call(EVENTS.hostCommand, cmd)).toMatchObject({ ok: true });
      const view = (c: Client) => c.view?.game?.view as px.PaxosView | undefined;
      for (const c of players) await c.until(() => view(c)?.status === 'running');
      const at = (seat: string) => players.find((c) => view(c)!.seat === seat)!;
      const nameOf = (seat: string) => names[players.indexOf(at(seat))]!;
      const lastIn = (seat: string, type: string) =>
        view(at(seat))!
          .inbox.filter((m) => m.payload.type === type)
          .at(-1)!.n;

      // A's ballot 1.A: all promise, a1 and a2 accept dawn: dawn is chosen.
      await act(at('A'), { type: 'prepare', round: 1, to: ['a1', 'a2', 'a3'] });
      await step();
      for (const a of ['a1', 'a2', 'a3']) await act(at(a), { type: 'promise', n: lastIn(a, 'prepare') });
      await step();
      await act(at('A'), { type: 'accept', round: 1, value: 'dawn', to: ['a1', 'a2'] });
      await step();
      for (const a of ['a1', 'a2']) await act(at(a), { type: 'acceptProposal', n: lastIn(a, 'accept') });
      await step();
      // B's ballot 2.B: a2 reports dawn, B proposes noon anyway (free mode lets it), a2 and a3 accept.
      await act(at('B'), { type: 'prepare', round: 2, to: ['a2', 'a3'] });
      await step();
      for (const a of ['a2', 'a3']) await act(at(a), { type: 'promise', n: lastIn(a, 'prepare') });
      await step();
      await act(at('B'), { type: 'accept', round: 2, value: 'noon', to: ['a2', 'a3'] });
      await step();
      for (const a of ['a2', 'a3']) await act(at(a), { type: 'acceptProposal', n: lastIn(a, 'accept') });
      await step();

      // The host's card says it in words, on the card itself (not in a tooltip).
      const hostPage = await openAs(PROJECTOR, `/host/${session.sessionId}?lang=${lang}`, {
        [`valley.host.${session.sessionId}`]: { hostToken: session.hostToken, code: session.code },
      });
      const card = hostPage.locator('article.table-card').first();
      const broke = say('px.broke.paxos/accept-wrong-value', { seat: 'B', value: 'noon', required: 'dawn', from: '1.A' });
      const ignored = say('px.why.ignored', { proposer: 'B', value: 'noon', required: 'dawn', earlier: '1.A', from: 'a2' });
      await card.locator('.why-chosen').getByText(broke).waitFor();
      expect(await card.locator('.why-chosen').getByText(ignored).isVisible()).toBe(true);
      expect(
        await card
          .locator('.why-chosen')
          .getByText(say('px.why.free', { proposer: 'A', ballot: '1.A', value: 'dawn', promisers: 'a1, a2, a3' }))
          .isVisible(),
      ).toBe(true);
      await screenshot(hostPage, `words-paxos-free-host-${lang}-projector`);

      // Proposer A's seat, still playing: a round of 0 is refused in a sentence, and its button is not the primary one.
      const A = await asPlayer(session.code, at('A'), nameOf('A'), lang);
      await A.locator('input[name=round]').fill('0');
      const send0 = A.getByRole('button', { name: fill(T['px.prepare.send'], { ballot: '0.A' }) });
      expect(await send0.getAttribute('class')).not.toContain('primary');
      await send0.click();
      await A.getByRole('alert')
        .getByText(fill(T['rule.paxos/bad-round'], { round: 0 }))
        .waitFor();
      expect(await A.locator('body').innerText()).not.toContain(T['rule.protocol/bad-message']);
      await screenshot(A, `words-paxos-round0-${lang}-laptop`);

      // An acceptor crashed when the game ends: its debrief has no crash banner.
      const a1 = await asPlayer(session.code, at('a1'), nameOf('a1'), lang);
      expect(await host.call(EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'crash', seat: 'a1' } })).toEqual({ ok: true });
      await a1.getByText(T['px.crashed']).waitFor();
      expect(await host.call(EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'end' } })).toEqual({ ok: true });
      await a1.locator('.debrief').waitFor();
      expect(await a1.getByText(T['px.crashed']).count()).toBe(0);

      // The debrief: why each value, and the rule broken, said of who broke it.
      const why = A.locator('.debrief .why-chosen');
      await why.getByText(broke).waitFor();
      await why.getByText(ignored).waitFor();
      await why.getByText(say('px.why.majority', { value: 'noon', ballot: '2.B', proposer: 'B', acceptors: 'a2, a3', k: 2, n: 3 })).waitFor();
      await A.getByText(say('px.debrief.unsafe', { first: 'dawn', b1: '1.A', second: 'noon', b2: '2.B' })).waitFor();
      await screenshot(A, `words-paxos-free-debrief-${lang}-laptop`);
      for (const p of [hostPage, A, a1]) await p.context().close();
    });

    it(`Two Generals: the acknowledged card, and a debrief that says "you" and why it was won (${lang})`, async () => {
      const T = catalogues[lang];
      const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 600_000 };
      const { session, a, b } = await runningTable(server.url, settings, ['Ada L.', 'Ben'], keep);
      const A = await asPlayer(session.code, a, 'Ada L.', lang);
      await A.getByText(T['tg.propose.title']).waitFor();
      await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } });
      await step();
      await act(b, { type: 'sendMessenger', payload: { type: 'ack', of: 1 } });
      const card = A.locator('.outbox .message.sent');
      await card.getByText(T['tg.outbox.unknown']).waitFor();
      await step();
      // The acknowledgement is back: A's messenger #1 arrived, and its card says so.
      await card.getByText(fill(T['tg.outbox.acknowledged'], { ack: 2, t: '0:02' })).waitFor();
      expect(await card.getAttribute('class')).toContain('is-acknowledged');
      await screenshot(A, `words-tg-acknowledged-${lang}-laptop`);

      // A acknowledges the acknowledgement; both attack at 06:00.
      await act(a, { type: 'sendMessenger', payload: { type: 'ack', of: 2 } });
      await step();
      await act(b, { type: 'commit', decision: { type: 'attack', time: 6 } });
      await act(a, { type: 'commit', decision: { type: 'attack', time: 6 } });
      await A.locator('.debrief').waitFor();
      const ladder = A.locator('ol.ladder');
      const up = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
      const B = T['seat.B'];
      const plan = fill(T['tg.ladder.plan.other'], { seat: B });
      const rung2 = up(fill(T['tg.ladder.that.you'], { what: plan }));
      const rung3 = up(fill(T['tg.ladder.that.other'], { seat: B, what: fill(T['tg.ladder.that.you'], { what: plan }) }));
      await ladder.getByText(fill(T['tg.ladder.rung'], { k: 2, sentence: rung2 })).waitFor();
      await ladder.getByText(fill(T['tg.ladder.rung'], { k: 3, sentence: rung3 })).waitFor();
      expect(await ladder.innerText()).not.toContain('…');
      const outcome = A.locator('.outcome');
      await outcome.getByText(fill(T['tg.why.victory'], { time: '06:00' })).waitFor();
      await outcome.getByText(up(fill(T['tg.why.lastLink'], { sender: T['tg.you'], n: 3 }))).waitFor();
      await screenshot(A, `words-tg-debrief-${lang}-laptop`);
      await A.context().close();
    });
  }
});
