// The browser app: one page per route; the host console is loaded only when a host opens it,
// so a student's page stays small.
import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { lang } from './i18n/index.ts';
import { Home } from './pages/Home.tsx';
import { Play } from './pages/Play.tsx';
import { path, route } from './router.ts';

function LazyHost({ sessionId }: { sessionId: string | null }) {
  const [Page, setPage] = useState<ComponentType<{ sessionId: string | null }> | null>(null);
  useEffect(() => {
    void import('./pages/Host.tsx').then((m) => setPage(() => m.Host));
  }, []);
  return Page ? <Page sessionId={sessionId} /> : null;
}

function LazyReplay() {
  const [Page, setPage] = useState<ComponentType | null>(null);
  useEffect(() => {
    void import('./pages/Replay.tsx').then((m) => setPage(() => m.Replay));
  }, []);
  return Page ? <Page /> : null;
}

function App() {
  void lang.value; // re-render every page when the language changes
  const r = route(path.value);
  switch (r.page) {
    case 'home':
      return <Home code={r.code} />;
    case 'play':
      return <Play code={r.code} />;
    case 'host':
      return <LazyHost sessionId={r.sessionId} />;
    case 'hostNew':
      return <LazyHost sessionId={null} />;
    case 'replay':
      return <LazyReplay />;
  }
}

render(<App />, document.getElementById('app')!);

// The app's own Chinese font (see --cjk in style.css): Noto Sans SC as a variable font, one set of files for
// every weight, split by unicode-range so a page downloads only the slices its characters fall in. Its
// @font-face rules are ~50 kB gzipped, so they load beside the page instead of holding up its first paint.
void import('@fontsource-variable/noto-sans-sc');
