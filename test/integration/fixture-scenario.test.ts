// Adding a scenario touches nothing outside its folders: Coin, a scenario only the tests know
// (test/fixtures/coin), is registered in the registries — and nowhere else — and then plays through
// the real server (schemas at the gateway, a student and a bot, a rule refused), the log (the checker
// replays every unit through Coin's own rules), the replay, and the student's seat rendered by the
// pages' own GameSeat through the client registry.
import { Window } from 'happy-dom';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { registerScenario, registerWords, type PlayerView } from '@valley/shared';
import { ERRORS, EVENTS, registerSchemas } from '@valley/shared/protocol';
import { coin, schemas, words, type State } from '../fixtures/coin/scenario.ts';
import { coinClient } from '../fixtures/coin/client.ts';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';
import { root } from '../support/paths.ts';

registerScenario(coin);
registerSchemas(coin.id, schemas);
registerWords(coin.id, words);

const servers: TestServer[] = [];
const clients: Client[] = [];
// Every game replays from its log to the live state, and the checker passes the log.
afterEach(() => replayThenClose(servers.splice(0), clients));
const track = <T extends Client>(c: T): T => (clients.push(c), c);

/** The pages' own modules, loaded into a DOM of happy-dom's (the tests' build has no browser). */
async function pages() {
  const window = new Window({ url: 'http://localhost/play/CODE1?lang=en' }) as unknown as Record<(typeof GLOBALS)[number], unknown> & Window;
  for (const k of GLOBALS) Object.assign(globalThis, { [k]: typeof window[k] === 'function' ? (window[k] as () => unknown).bind(window) : window[k] });
  const load = (path: string) => import(/* @vite-ignore */ `${root}/${path}`);
  const { h, render } = (await import('preact')) as unknown as { h: (...a: unknown[]) => unknown; render: (vnode: unknown, el: unknown) => void };
  const i18n = (await load('client/src/i18n/index.ts')) as { t: (k: string, p?: Record<string, string | number>) => string };
  const registry = (await load('client/src/scenarios/index.ts')) as { registerClient: (id: string, b: unknown) => void };
  registry.registerClient(coin.id, coinClient(h, i18n.t));
  const play = (await load('client/src/pages/Play.tsx')) as { GameSeat: unknown };
  return { window, h, render, GameSeat: play.GameSeat };
}
const GLOBALS = ['window', 'document', 'localStorage', 'location', 'navigator', 'history', 'addEventListener', 'removeEventListener'] as const;
afterAll(() => {
  for (const k of GLOBALS) Reflect.deleteProperty(globalThis, k);
});

describe('a scenario only the tests know, through the registries alone', () => {
  it('plays through the server, bots, the log, the checker, the replay and a rendered seat screen', async () => {
    const server = await startServer();
    servers.push(server);
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const ada = track(await playerClient(server.url, session.code, 'Ada'));
    const cmd = (c: unknown) => host.call(EVENTS.hostCommand, c);

    // Its settings are checked with its own schema at the gateway.
    expect(await cmd({ type: 'setSettings', scenario: 'coin', settings: { ...coin.defaultConfig, deadlineMs: 5 } })).toMatchObject({
      ok: false,
      error: { rule: ERRORS.badMessage, evidence: { path: 'settings.deadlineMs' } },
    });
    expect(await cmd({ type: 'setSettings', scenario: 'coin', settings: coin.defaultConfig })).toEqual({ ok: true });
    expect(await cmd({ type: 'createTable', scenario: 'coin' })).toEqual({ ok: true });
    expect(await cmd({ type: 'setSeat', table: 'T1', seat: 'X', occupant: { type: 'player', playerId: ada.playerId } })).toEqual({ ok: true });
    expect(await cmd({ type: 'setSeat', table: 'T1', seat: 'Y', occupant: { type: 'bot' } })).toEqual({ ok: true });
    expect(await cmd({ type: 'startGames', table: 'T1' })).toEqual({ ok: true });
    await ada.until(() => (ada.view?.game?.view as { scenario?: string } | undefined)?.scenario === 'coin');
    const live = () => server.valley.registry.byId.get(session.sessionId)!;
    const game = () => live().state.tables.T1!.game!.state as State;
    // Only the host controls Coin says it has: a crash is refused at the gateway.
    expect(await cmd({ type: 'controlGame', table: 'T1', control: { type: 'crash', seat: 'X' } })).toEqual({
      ok: false,
      error: { rule: 'game/unsupported-control', evidence: { control: 'crash' } },
    });
    // The bot called at once, through the server's bots and Coin's own bot.
    expect(game().messengers.map((m) => [m.from, m.side])).toEqual([['Y', 'heads']]);

    // The student's action is checked with its schema, decided by its rules, and a second call is refused.
    expect(await ada.call(EVENTS.playerAct, { action: { type: 'call', side: 'edge' } })).toMatchObject({ ok: false, error: { rule: ERRORS.badMessage } });
    expect(await ada.call(EVENTS.playerAct, { action: { type: 'call', side: 'tails' } })).toEqual({ ok: true });
    expect(await ada.call(EVENTS.playerAct, { action: { type: 'call', side: 'heads' } })).toEqual({
      ok: false,
      error: { rule: 'coin/already-called', evidence: { seat: 'X' } },
    });
    await server.clock.advance(1000);
    await ada.until(() => (ada.view?.game?.view as { heard?: string[] } | undefined)?.heard?.length === 1);
    const seen = ada.view as PlayerView;
    expect(seen.game!.view).toMatchObject({ scenario: 'coin', seat: 'X', heard: ['heads'], mayCall: false });
    expect(game().status).toBe('ended');
    expect(live().state.results).toMatchObject([{ table: 'T1', scenario: 'coin', verdict: { arrived: 2, sent: 2 } }]);

    // Its seat screen, from the pages' own GameSeat through the client registry, in its own words.
    const { window, h, render, GameSeat } = await pages();
    const el = window.document.createElement('div');
    window.document.body.appendChild(el);
    render(h(GameSeat, { view: seen }), el);
    expect(el.querySelector('[data-testid="coin-seat"]')?.textContent).toBe('Caller XYou heard: heads');
    // The refusal's explanation is in the catalogue too (the scenario's words joined it).
    const i18n = (await import(/* @vite-ignore */ `${root}/client/src/i18n/index.ts`)) as {
      explain: (e: { rule: string; evidence: Record<string, string> }) => string;
    };
    expect(i18n.explain({ rule: 'coin/already-called', evidence: { seat: 'X' } })).toBe('Seat X has called already: one call each.');
  });
});
