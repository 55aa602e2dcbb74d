// Pieces every screen uses: the header with the language switch, the error line, a ticking clock.
import { useEffect, useState } from 'preact/hooks';
import { type ComponentChildren } from 'preact';
import { lang, setLang, t } from '../i18n/index.ts';
import { connected } from '../net.ts';
import { TriangleAlert } from 'lucide-preact';

export function Header({ children }: { children?: ComponentChildren }) {
  return (
    <header class="bar">
      <a class="brand" href="/">
        <svg viewBox="0 0 32 20" aria-hidden="true" width="40" height="25">
          <path d="M0 19 L9 3 L16 14 L23 3 L32 19 Z" fill="currentColor" />
        </svg>
        <span>{t('app.name')}</span>
      </a>
      <div class="bar-middle">{children}</div>
      <button type="button" class="lang" aria-label={`${t('lang.label')}: ${t('lang.switch')}`} onClick={() => setLang(lang.value === 'en' ? 'zh' : 'en')}>
        {t('lang.switch')}
      </button>
    </header>
  );
}

export function ErrorLine({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p class="error" role="alert">
      <TriangleAlert /> {text}
    </p>
  );
}

/** While the socket is down: each page says in its own words what a drop means for it. */
export function Offline({ text }: { text: string }) {
  if (connected.value) return null;
  return (
    <p class="offline" role="status">
      {text}
    </p>
  );
}

/** Re-renders every `ms` so countdowns move. */
export function useTick(ms = 250): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** Why the server cannot write its log, from the system's code, in the teacher's words. */
export function storageWhy(code: string): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return t('storage.ENOSPC');
  if (code === 'EIO') return t('storage.EIO');
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return t('storage.denied', { code });
  // Several servers behind one address (VALLEY_REDIS): the directory they share is out of reach.
  if (code === 'EDIRECTORY') return t('storage.directory');
  return t('storage.other', { code });
}
