// The host console on a second device: the console offers a one-time pairing code; the other device
// types it in (home page, or a console address opened without the key) and receives the host key.
// The key travels only in request headers and bodies, and is kept in this browser's localStorage.
import { useEffect, useState } from 'preact/hooks';
import { explain, t } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import { hostKey, saveHostKey } from '../storage.ts';
import { ErrorLine } from './common.tsx';

/** The address other devices on the classroom network can reach (the LAN one when opened on localhost). */
export function useLanBase(): string {
  const [base, setBase] = useState(location.origin);
  useEffect(() => {
    if (!['localhost', '127.0.0.1', '[::1]'].includes(location.hostname)) return;
    void fetch('/api/info')
      .then((r) => r.json() as Promise<{ addresses: string[]; port: number }>)
      .then((info) => {
        const lan = info.addresses[0];
        if (lan) setBase(`${location.protocol}//${lan}:${info.port}`);
      })
      .catch(() => {});
  }, []);
  return base;
}

/** On the host console: ask for a pairing code and show it with what to do on the other device. */
export function PairOffer({ sessionId }: { sessionId: string }) {
  const base = useLanBase();
  const [offer, setOffer] = useState<{ pairCode: string; expiresAt: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function ask() {
    const key = hostKey(sessionId);
    if (!key) return;
    setError(null);
    const res = await fetch(`/api/sessions/${sessionId}/pair`, { method: 'POST', headers: { authorization: `Bearer ${key.hostToken}` } }).catch(() => null);
    if (!res?.ok) return setError(explain({ rule: res ? 'auth/bad-token' : 'net/offline' }));
    setOffer((await res.json()) as { pairCode: string; expiresAt: number });
  }
  return (
    <section class="panel pair-offer">
      <button type="button" class="link-button" onClick={ask}>
        ⇄ {t('pair.offer')}
      </button>
      {offer && (
        <>
          <div class="small muted">{t('pair.code')}</div>
          <div class="pair-code" data-testid="pair-code">
            {offer.pairCode.slice(0, 4)} {offer.pairCode.slice(4)}
          </div>
          <p class="small">{t('pair.help', { url: base })}</p>
        </>
      )}
      <ErrorLine text={error} />
    </section>
  );
}

/** On another device: type the pairing code, receive the key, open the console. */
export function PairForm() {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await fetch('/api/pair', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairCode: code }) }).catch(() => null);
    setBusy(false);
    if (!res) return setError(explain({ rule: 'net/offline' }));
    const body = (await res.json().catch(() => ({}))) as { sessionId?: string; code?: string; hostToken?: string; error?: { rule: string } };
    if (!res.ok || !body.sessionId || !body.hostToken || !body.code) return setError(explain(body.error ?? { rule: 'auth/bad-pair-code' }));
    saveHostKey(body.sessionId, { hostToken: body.hostToken, code: body.code });
    const to = `/host/${body.sessionId}`;
    // On the console's own address (opened without the key), load it again now that the key is here.
    if (location.pathname === to) location.reload();
    else navigate(to);
  }
  return (
    <form class="pair-form" onSubmit={submit}>
      <label>
        {t('pair.enter.label')}
        <input name="pairCode" value={code} autocomplete="off" autocapitalize="characters" spellcheck={false} maxLength={12} onInput={(e) => setCode(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={busy || code.trim() === ''}>
        {t('pair.enter.submit')}
      </button>
      <ErrorLine text={error} />
    </form>
  );
}
