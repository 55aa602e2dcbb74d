// The host console on a second device: the new device (home page, or a console address opened
// without the key) asks for a pairing code and shows it; the teacher types it into the console; the
// new device then receives the host key. The key travels only in request headers and bodies, and is
// kept in this browser's localStorage; a code read off the projector gives nobody else anything.
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { explain, t } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import { hostKey, saveHostKey } from '../storage.ts';
import { ErrorLine } from './common.tsx';
import { ArrowLeftRight } from 'lucide-preact';

/** The address other devices on the classroom network can reach (the LAN one when opened on localhost). */
export function useLanBase(): string {
  return useReach().base;
}

export interface Reach {
  base: string;
  loopbackOnly: boolean;
  /** Every address students may reach the server at (several interfaces: wired, Wi-Fi), as bases; the teacher picks one. */
  choices: { base: string; name: string }[];
}

/** The teacher's pick among several addresses, remembered by this browser (the address, not a key). */
const ADDRESS_KEY = 'valley.address';
const info = signal<{ addresses: { name: string; address: string }[]; port: number; loopbackOnly: boolean; publicUrl: string | null } | null>(null);
const picked = signal<string | null>(localStorage.getItem(ADDRESS_KEY));
let asked = false;

/** Project this address (and its QR code) from now on, in this browser. */
export function chooseAddress(base: string) {
  picked.value = base;
  localStorage.setItem(ADDRESS_KEY, base);
}

const isLoopback = (host: string) => ['localhost', '127.0.0.1', '[::1]'].includes(host);

/**
 * Where students can reach this server: the page's own address, or — opened on localhost — the
 * machine's address on the classroom network; with several such addresses, the one the teacher
 * picked (the first until then, or the page's own when it is one of them). `loopbackOnly` when the
 * server listens on this computer alone (HOST=127.0.0.1), so no address would work from a student's laptop.
 */
export function useReach(): Reach {
  useEffect(() => {
    if (asked) return;
    asked = true;
    void fetch('/api/info')
      .then(
        (r) =>
          r.json() as Promise<{
            addresses: string[];
            interfaces?: { name: string; address: string }[];
            port: number;
            loopbackOnly?: boolean;
            publicUrl?: string;
          }>,
      )
      .then((i) => {
        info.value = {
          addresses: i.interfaces ?? i.addresses.map((address) => ({ name: '', address })),
          port: i.port,
          loopbackOnly: i.loopbackOnly === true,
          publicUrl: i.publicUrl ?? null,
        };
      })
      .catch(() => (asked = false));
  }, []);
  const i = info.value;
  const own = location.origin;
  const local = isLoopback(location.hostname);
  if (!i) return { base: own, loopbackOnly: false, choices: [] };
  // The address the school gives students (a load balancer in front of several servers): that one.
  if (i.publicUrl) return { base: i.publicUrl, loopbackOnly: false, choices: [] };
  if (i.loopbackOnly) return { base: own, loopbackOnly: local, choices: [] };
  const choices = i.addresses.map((a) => ({ base: `${location.protocol}//${a.address}:${i.port}`, name: a.name }));
  // Opened at one of the machine's addresses with no other to choose from: that address.
  if (!local && choices.length < 2) return { base: own, loopbackOnly: false, choices: [] };
  const base = choices.find((c) => c.base === picked.value)?.base ?? choices.find((c) => c.base === own)?.base ?? choices[0]?.base ?? own;
  return { base, loopbackOnly: false, choices: choices.length > 1 ? choices : [] };
}

/** On the host console: the code another device shows, typed in here, lets that device host too. */
export function PairOffer({ sessionId }: { sessionId: string }) {
  const base = useLanBase();
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function grant(e: Event) {
    e.preventDefault();
    const key = hostKey(sessionId);
    if (!key) return;
    setError(null);
    setDone(false);
    const res = await fetch(`/api/sessions/${sessionId}/pair`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.hostToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pairCode: code }),
    }).catch(() => null);
    if (!res) return setError(explain({ rule: 'net/offline' }));
    const body = (await res.json().catch(() => ({}))) as { error?: { rule: string } };
    if (!res.ok) return setError(explain(body.error ?? { rule: 'auth/bad-pair-code' }));
    setCode('');
    setDone(true);
  }
  return (
    <section class="panel pair-offer">
      <button type="button" class="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        <ArrowLeftRight /> {t('pair.offer')}
      </button>
      {open && (
        <form class="pair-form" onSubmit={grant}>
          <p class="small">{t('pair.offer.help', { url: base })}</p>
          <label>
            {t('pair.offer.label')}
            <input
              name="pairCode"
              value={code}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              maxLength={12}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={code.trim() === ''}>
            {t('pair.offer.submit')}
          </button>
        </form>
      )}
      {done && <p class="small ok-line">{t('pair.offer.done')}</p>}
      <ErrorLine text={error} />
    </section>
  );
}

/** How often a device waiting to be let in asks whether it has been. */
const COLLECT_MS = 2000;

/** On another device: ask for a code, show it, and open the console once the host has typed it in. */
export function PairForm() {
  const [ask, setAsk] = useState<{ requestId: string; pairCode: string; expiresAt: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function request() {
    setBusy(true);
    setError(null);
    const res = await fetch('/api/pair/requests', { method: 'POST' }).catch(() => null);
    setBusy(false);
    if (!res) return setError(explain({ rule: 'net/offline' }));
    const body = (await res.json().catch(() => ({}))) as { requestId?: string; pairCode?: string; expiresAt?: number; error?: { rule: string } };
    if (!res.ok || !body.requestId || !body.pairCode || !body.expiresAt) return setError(explain(body.error ?? { rule: 'server/internal' }));
    setAsk({ requestId: body.requestId, pairCode: body.pairCode, expiresAt: body.expiresAt });
  }
  useEffect(() => {
    if (!ask) return;
    let stopped = false;
    const poll = async () => {
      if (stopped) return;
      const res = await fetch('/api/pair/collect', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requestId: ask.requestId }),
      }).catch(() => null);
      if (stopped) return;
      const body = res
        ? ((await res.json().catch(() => ({}))) as { waiting?: boolean; sessionId?: string; code?: string; hostToken?: string })
        : { waiting: true };
      if (body.sessionId && body.code && body.hostToken) {
        saveHostKey(body.sessionId, { hostToken: body.hostToken, code: body.code });
        const to = `/host/${body.sessionId}`;
        // On the console's own address (opened without the key), load it again now that the key is here.
        if (location.pathname === to) location.reload();
        else navigate(to);
        return;
      }
      if (res && res.status === 404) {
        // Expired (five minutes): offer a new code.
        setAsk(null);
        setError(explain({ rule: 'auth/bad-pair-code' }));
        return;
      }
      timer = setTimeout(poll, COLLECT_MS);
    };
    let timer = setTimeout(poll, COLLECT_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ask]);
  if (!ask) {
    return (
      <div class="pair-form">
        <button type="button" onClick={request} disabled={busy}>
          {t('pair.enter.submit')}
        </button>
        <ErrorLine text={error} />
      </div>
    );
  }
  return (
    <div class="pair-wait" role="status">
      <div class="small muted">{t('pair.code')}</div>
      <div class="pair-code" data-testid="pair-code">
        {ask.pairCode.slice(0, 4)} {ask.pairCode.slice(4)}
      </div>
      <p class="small">{t('pair.enter.wait')}</p>
    </div>
  );
}
