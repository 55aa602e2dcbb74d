// The real pages past one machine: two Valley nodes (in this process) behind a real haproxy with a real
// redis-server, one data folder shared. A teacher hosts and two students play through HAProxy's one
// address; the node holding the session stops dead mid-game (its sockets cut, its heartbeat left to
// lapse); the other adopts the session from its log, and the pages carry on by themselves. With Redis
// gone, a new session is refused in words.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type ValleyNode } from '@valley/server/nodes/node';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { requireEngines, startHaproxy, startRedis, type Engine } from '../../scripts/bench/engines.ts';
import { LAPTOP, PROJECTOR, buildClient, fill, haveChromium, launch, screenshot } from '../support/browser.ts';

describe.skipIf(!haveChromium)('the pages through HAProxy on two nodes, in Chromium', () => {
  let redis: Engine | null = null;
  let haproxy: Engine | null = null;
  let browser: Browser | null = null;
  const nodes = new Map<string, ValleyNode>();

  beforeAll(async () => {
    requireEngines();
    const clientDir = await buildClient();
    redis = await startRedis();
    const dataDir = await mkdtemp(join(tmpdir(), 'valley-e2e-nodes-'));
    for (const name of ['a', 'b']) {
      const node = await startNode({
        redisUrl: redis.url,
        name,
        port: 0,
        host: '127.0.0.1',
        ttlMs: 1500,
        valley: { dataDir, clientDir, logger: pino({ level: 'silent' }) },
      });
      nodes.set(name, node);
    }
    haproxy = await startHaproxy([...nodes].map(([name, n]) => ({ name, address: n.address })));
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await haproxy?.stop();
    await Promise.allSettled([...nodes.values()].map((n) => n.close()));
    await redis?.stop();
  }, 30_000);

  const open = async (size: { width: number; height: number }, path: string): Promise<Page> => {
    const p = await (await browser!.newContext({ viewport: size })).newPage();
    p.setDefaultTimeout(45_000);
    await p.goto(haproxy!.url + path);
    return p;
  };

  it('a game goes on when the node holding its session dies: the other adopts it, and the pages resume by themselves', async () => {
    const host = await open(PROJECTOR, '/?lang=en');
    await host.getByRole('button', { name: en['home.host.submit'] }).click();
    await host.getByTestId('join-code').waitFor();
    const code = (await host.getByTestId('join-code').textContent())!.trim();
    await host.locator('input[name=capture]').fill('0');
    await host.locator('input[name=delayMin]').fill('0.3');
    await host.locator('input[name=delayMax]').fill('0.5');
    await host.getByRole('button', { name: en['host.settings.apply'] }).click();
    await host.getByText(en['host.settings.saved']).waitFor();

    const join = async (T: typeof en, lang: string, name: string) => {
      const p = await open(LAPTOP, `/join/${code}?lang=${lang}`);
      await p.getByLabel(T['home.join.name']).fill(name);
      await p.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
      await p.waitForURL(/\/play\//);
      await p.getByText(T['lobby.waitSeat']).waitFor();
      return p;
    };
    const a = await join(en, 'en', 'Ada');
    const b = await join(zh, 'zh', '小博');
    await host.getByText('小博').first().waitFor();
    await host.getByRole('button', { name: en['host.autoSeat'] }).click();
    await host.getByRole('article').first().waitFor();
    await host.getByRole('button', { name: en['host.startAll'] }).click();

    await a.getByRole('combobox', { name: en['tg.propose.title'] }).selectOption('7');
    await a.getByRole('button', { name: en['tg.propose.send'] }).click();
    await b.getByText(fill(zh['tg.msg.proposal'], { time: '07:00' })).waitFor();
    await screenshot(b, 'nodes-seat-B-before-zh-laptop');

    // The holder stops dead: every socket cut, its heartbeat left to lapse (nothing said to Redis).
    const [holderName, holder] = [...nodes].find(([, n]) => n.valley.registry.byCode.has(code))!;
    const [, other] = [...nodes].find(([name]) => name !== holderName)!;
    await holder.front.close();
    holder.directory.close();
    await holder.valley.close();
    nodes.delete(holderName);

    // The pages reconnect through HAProxy, reach the other node, which adopts the session; B acknowledges.
    await expect.poll(() => other.valley.registry.byCode.has(code), { timeout: 30_000 }).toBe(true);
    // Both students' pages are back in their seats there (an action sent before its page has resumed
    // is refused as from no one, as after any reconnection).
    const sessionId = other.valley.registry.byCode.get(code)!.id;
    const seated = () => [...other.valley.io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith(`player:${sessionId}:`)).length;
    await expect.poll(seated, { timeout: 30_000 }).toBe(2);
    await b.getByRole('button', { name: fill(zh['tg.ack'], { n: 1 }) }).click();
    await a.getByText(fill(en['tg.msg.ack'], { n: 1 })).waitFor();
    await screenshot(a, 'nodes-seat-A-after-en-laptop');
    await b.getByRole('button', { name: fill(zh['tg.decide.attack'], { time: '07:00' }) }).click();
    await b.getByText(fill(zh['tg.decided.attack'], { time: '07:00' })).waitFor();
    await a.getByRole('button', { name: fill(en['tg.decide.attack'], { time: '07:00' }) }).click();
    await a.getByText(fill(en['tg.outcome.victory'], { time: '07:00' })).waitFor();
    await b.getByText(fill(zh['tg.outcome.victory'], { time: '07:00' })).waitFor();
    await screenshot(b, 'nodes-seat-B-after-zh-laptop');
    await host.getByText(en['host.offline']).waitFor({ state: 'detached' });
    await screenshot(host, 'nodes-host-after-en-projector');
  });

  it('with Redis gone, a teacher asking for a session is told the shared directory cannot be reached', async () => {
    await redis!.stop();
    for (const [lang, T] of [
      ['en', en],
      ['zh', zh],
    ] as const) {
      const home = await open(LAPTOP, `/?lang=${lang}`);
      await home.getByRole('button', { name: T['home.host.submit'] }).click();
      await home.getByText(fill(T['home.storageError'], { why: T['storage.directory'] })).waitFor();
      await screenshot(home, `nodes-no-redis-${lang}-laptop`);
      await home.context().close();
    }
  });
});
