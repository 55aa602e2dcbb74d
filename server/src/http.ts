// HTTP: create a session, health, the host's log download, and the built client.
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { stringify } from 'csv-stringify/sync';
import { anonymiseLog, normaliseCode, parseLog, resultsTable } from '@valley/shared';
import { ERRORS } from '@valley/shared/protocol';
import type { Clock } from './clock.ts';
import { WindowCounter, type Limits } from './limits.ts';
import { PAIR_CODE, PairingDesk, REQUEST_ID } from './pairing.ts';
import type { Registry } from './sessions/registry.ts';
import { hashToken, sameHash } from './sessions/tokens.ts';
import { SESSION_ID, StorageError, type LogStore } from './store.ts';

export function createHttpApp(opts: {
  registry: Registry;
  store: LogStore;
  limits: Limits;
  clock: Clock;
  clientDir: string | null;
  examplesDir: string | null;
  log: Logger;
  /** The address the server listens on (0.0.0.0 or :: for every interface), once it listens. */
  bound?: () => string | null;
  /** This machine's network interfaces (os.networkInterfaces() unless a test gives its own). */
  interfaces?: () => Interfaces;
  /** The address students are given, when it is not this machine's own (VALLEY_PUBLIC_URL). */
  publicUrl?: string;
  /**
   * One of several workers (cluster/): pairing comes to this one for every session, so a host key of a
   * session another worker holds is checked against its log's header on the shared data folder.
   */
  pairsForOthers?: boolean;
}): Express {
  const { registry, store, limits, clock, clientDir, examplesDir, log } = opts;
  const app = express();
  app.disable('x-powered-by');
  const creates = new WindowCounter(limits.sessionsPerAddress, 60_000);
  const pairing = new PairingDesk();
  // Pairing requests per address: a page asks once, not a thousand times.
  const pairTries = new WindowCounter(limits.pairsPerAddress, 60_000);
  const refuse = (res: express.Response, status: number, rule: string) => void res.status(status).json({ error: { rule, evidence: {} } });

  /** The live session a request's Bearer host key opens, or null. */
  const hostOf = (req: express.Request) => {
    const id = String(req.params.id ?? '');
    const s = SESSION_ID.test(id) ? registry.byId.get(id) : undefined;
    const token = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(req.get('authorization') ?? '')?.[1];
    return s && token && s.checkHost(token) ? { s, token } : null;
  };

  /** The session a pairing grant's Bearer host key opens: one held here, or (as a worker) any on disk. */
  const pairingHostOf = async (req: express.Request): Promise<{ sessionId: string; code: string; token: string } | null> => {
    const host = hostOf(req);
    if (host) return { sessionId: host.s.id, code: host.s.code, token: host.token };
    const id = String(req.params.id ?? '');
    const token = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(req.get('authorization') ?? '')?.[1];
    if (!opts.pairsForOthers || !token || !SESSION_ID.test(id) || registry.byId.has(id)) return null;
    const header = await store.header(id);
    return header && sameHash(hashToken(token), header.hostTokenHash) ? { sessionId: id, code: header.code, token } : null;
  };

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, sessions: registry.byId.size, broken: registry.broken.length });
  });

  // Where students' laptops can reach this server: the host screen shows it when opened on localhost.
  // Bound to loopback only, no other machine can reach it: then there is no address to project.
  // With several interfaces (wired and Wi-Fi, say) the console lets the teacher pick the one to project.
  app.get('/api/info', (req, res) => {
    const reach = reachable(opts.bound?.() ?? null, (opts.interfaces ?? networkInterfaces)());
    res.json({
      addresses: reach.interfaces.map((i) => i.address),
      interfaces: reach.interfaces,
      port: req.socket.localPort,
      loopbackOnly: reach.loopbackOnly,
      ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    });
  });

  app.post('/api/sessions', async (req, res) => {
    if (!creates.hit(req.socket.remoteAddress ?? '?')) {
      res.status(429).json({ error: { rule: ERRORS.rateLimited, evidence: {} } });
      return;
    }
    let made: Awaited<ReturnType<Registry['create']>>;
    try {
      made = await registry.create();
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      // A full disk, a read-only folder, a server run as a user who may not write there: said plainly.
      log.error({ code: err.code, err: err.message }, 'cannot create a session log');
      res.status(507).json({ error: { rule: ERRORS.storage, evidence: { code: err.code } } });
      return;
    }
    res.status(201).json({ sessionId: made.session.id, code: made.session.code, hostToken: made.hostToken });
  });

  // The host console on a second device. The new device asks for a pairing code and shows it...
  app.post('/api/pair/requests', (req, res) => {
    if (!pairTries.hit(req.socket.remoteAddress ?? '?')) return refuse(res, 429, ERRORS.tooManyAttempts);
    res.status(201).json(pairing.request(clock.now()));
  });

  // ...the teacher types it into the console, whose key is in the header (the code is worth nothing
  // to anyone who reads it off the projector: the key goes only to the device holding the request)...
  app.post('/api/sessions/:id/pair', express.json({ limit: '1kb' }), async (req, res) => {
    const host = await pairingHostOf(req);
    if (!host) return refuse(res, 403, ERRORS.badToken);
    const raw: unknown = (req.body as { pairCode?: unknown } | undefined)?.pairCode;
    const code = typeof raw === 'string' && raw.length <= 32 ? normaliseCode(raw) : '';
    // Unknown, used, expired and malformed codes get the same answer.
    if (!PAIR_CODE.test(code) || !pairing.grant(code, host, clock.now())) return refuse(res, 404, ERRORS.badPairCode);
    log.info({ session: host.sessionId }, 'host console paired with another device');
    res.json({ ok: true });
  });

  // ...and the new device, asking every few seconds with its secret request id, receives the key once.
  app.post('/api/pair/collect', express.json({ limit: '1kb' }), (req, res) => {
    const id: unknown = (req.body as { requestId?: unknown } | undefined)?.requestId;
    const r = typeof id === 'string' && REQUEST_ID.test(id) ? pairing.collect(id, clock.now()) : 'gone';
    if (r === 'gone') return refuse(res, 404, ERRORS.badPairCode);
    if (r === 'waiting') return void res.json({ waiting: true });
    // Alone, a session that is gone since the grant gives nothing; a worker cannot tell for another's.
    if (!opts.pairsForOthers && !registry.byId.has(r.sessionId)) return refuse(res, 404, ERRORS.badPairCode);
    res.json({ sessionId: r.sessionId, code: r.code, hostToken: r.hostToken });
  });

  // The host downloads the log; the token travels in a header, never in the URL.
  app.get('/api/sessions/:id/log', async (req, res) => {
    const host = hostOf(req);
    if (!host) return refuse(res, 403, ERRORS.badToken);
    const s = host.s;
    await s.idle();
    const anonymous = asksAnonymous(req.originalUrl);
    let text = await store.read(s.id);
    if (anonymous) {
      const a = anonymiseLog(text);
      if (!a.ok) {
        res.status(500).json({ error: { rule: ERRORS.internal, evidence: { line: a.line } } });
        return;
      }
      text = a.text;
    }
    // attachment() sets a type from the file name's extension, which .ndjson has not: the type goes second.
    res.attachment(`valley-${s.code}${anonymous ? '-anonymous' : ''}.ndjson`);
    res.type('application/x-ndjson');
    res.send(text);
  });

  // The class results for a spreadsheet, one row per finished game: as the log, only with the host key.
  // csv-stringify quotes every field that needs it and prefixes ' to any cell a spreadsheet would run
  // as a formula (= + - @ at its start): a student's name is data, never a formula.
  app.get('/api/sessions/:id/results.csv', async (req, res) => {
    const host = hostOf(req);
    if (!host) return refuse(res, 403, ERRORS.badToken);
    const s = host.s;
    await s.idle();
    const anonymous = asksAnonymous(req.originalUrl);
    let results = s.state.results;
    if (anonymous) {
      // From the anonymised log, so a value a student typed reads as its neutral label there too.
      const a = anonymiseLog(await store.read(s.id));
      const parsed = a.ok ? parseLog(a.text) : null;
      if (!a.ok || !parsed?.ok) {
        res.status(500).json({ error: { rule: ERRORS.internal, evidence: { line: a.ok ? 0 : a.line } } });
        return;
      }
      results = parsed.state.results;
    }
    const csv = stringify(resultsTable(results, { anonymised: anonymous, lang: asksLang(req.originalUrl) }), {
      escape_formulas: true,
      record_delimiter: 'windows',
    });
    res.attachment(`valley-${s.code}-results${anonymous ? '-anonymous' : ''}.csv`);
    res.type('text/csv; charset=utf-8');
    // A byte-order mark, so a spreadsheet reads the names' accents and Chinese as UTF-8.
    res.send(`\uFEFF${csv}`);
  });

  // Recorded example games anyone may replay, logged in or not.
  if (examplesDir && existsSync(examplesDir)) {
    app.use('/examples', express.static(examplesDir, { index: false, maxAge: '1h' }));
  }

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { rule: 'http/not-found', evidence: {} } });
  });

  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h', immutable: false }));
    // Every page of the single-page client is index.html; the client routes by path.
    app.get('/{*splat}', (_req, res) => {
      res.set('Cache-Control', 'no-cache');
      res.sendFile(join(clientDir, 'index.html'));
    });
  } else {
    log.warn({ clientDir }, 'no built client found: only the API is served');
  }
  // Errors answer with a code, never a stack trace; they are logged once here.
  app.use((err: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status ?? 500;
    if (status >= 500) log.error({ err: err.message }, 'http request failed');
    // A body too large or not JSON is the sender's mistake, and said so.
    const rule = status === 404 ? 'http/not-found' : status === 413 ? ERRORS.tooLarge : status < 500 ? ERRORS.badMessage : ERRORS.internal;
    res.status(status).json({ error: { rule, evidence: {} } });
  });
  return app;
}

export type Interfaces = ReturnType<typeof networkInterfaces>;

/** This machine's non-internal IPv4 addresses, each with its interface's name: what a classroom network can reach. */
export function lanInterfaces(ifaces: Interfaces = networkInterfaces()): { name: string; address: string }[] {
  return Object.entries(ifaces).flatMap(([name, list]) =>
    (list ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => ({ name, address: i.address })),
  );
}

export const lanAddresses = (ifaces: Interfaces = networkInterfaces()): string[] => lanInterfaces(ifaces).map((i) => i.address);

/**
 * The addresses students can reach, given the one the server listens on: every interface's for
 * 0.0.0.0 or ::, none for loopback (no other machine reaches it), and only its own for one address.
 */
export function reachable(bound: string | null, ifaces: Interfaces): { interfaces: { name: string; address: string }[]; loopbackOnly: boolean } {
  const all = lanInterfaces(ifaces);
  if (bound !== null && /^(127\.|::1$|::ffff:127\.)/.test(bound)) return { interfaces: [], loopbackOnly: true };
  if (bound === null || bound === '0.0.0.0' || bound === '::' || bound === '::ffff:0.0.0.0') return { interfaces: all, loopbackOnly: false };
  const v4 = bound.replace(/^::ffff:/, '');
  // An IPv6 address of its own: the page's own address is the one to show.
  if (v4.includes(':')) return { interfaces: [], loopbackOnly: false };
  return { interfaces: all.filter((i) => i.address === v4).concat(all.some((i) => i.address === v4) ? [] : [{ name: '', address: v4 }]), loopbackOnly: false };
}

/**
 * Whether a log download asks for the anonymised log. Any query parameter whose name mentions "anon",
 * whatever its case, shape or value (`anonymous=1` as the console sends it, but also repeated,
 * `anonymous[]=1`, `Anonymous=1`, `anonymous=true`, `anonymised`, even `anonymous=0`), asks for it: a
 * request spelled a little differently must never get the students' names, so only a request with no such
 * parameter gets the named log. The raw query is read (`&` or `;` between parameters), not Express's
 * parsed one, whose shape depends on the query parser's settings.
 */
/** The language a download asks for (`?lang=zh`), English otherwise: anything else is not a language we have. */
export function asksLang(url: string): 'en' | 'zh' {
  const q = url.indexOf('?');
  return q >= 0 && new URLSearchParams(url.slice(q + 1)).get('lang') === 'zh' ? 'zh' : 'en';
}

export function asksAnonymous(url: string): boolean {
  const q = url.indexOf('?');
  if (q < 0) return false;
  const params = new URLSearchParams(url.slice(q + 1).replace(/;/g, '&'));
  return [...params.keys()].some((k) => /anon/i.test(k));
}
