// The console's side bar: the join code and QR code, the roster, the settings of new tables, the log
// downloads.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { SCENARIO_IDS, scenarioOf, type HostView, type ScenarioId } from '@valley/shared';
import { chooseAddress, useReach } from '../components/Pairing.tsx';
import { seatLabel } from '../components/labels.ts';
import { bundleOf } from '../scenarios/index.ts';
import { explain, lang, t, type Key } from '../i18n/index.ts';
import { hostKey } from '../storage.ts';
import { chooseScenario, command, error, scenarioChoice } from './store.ts';
import { Download } from 'lucide-preact';

/** An address that may wrap only after a '/': each part kept whole, a <wbr> after every slash. */
export function breakAtSlashes(url: string) {
  return url.split(/(?<=\/)(?!\/)/).map((part, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}

export function JoinInfo({ code }: { code: string }) {
  // A teacher on localhost needs the address students' laptops can reach.
  const { base, loopbackOnly, choices } = useReach();
  const [svg, setSvg] = useState('');
  const url = `${base}/join/${code}`;
  useEffect(() => {
    void QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(setSvg);
  }, [url]);
  return (
    <section class="join-info" aria-label={t('host.code')}>
      <div>
        <div class="small muted">{t('host.code')}</div>
        <div class="join-code" data-testid="join-code">
          {code}
        </div>
        {loopbackOnly ? (
          <p class="warn-line" role="status">
            {t('host.loopbackOnly')}
          </p>
        ) : (
          <>
            <div class="small muted">{t('host.joinAt')}</div>
            <div class="join-url">{breakAtSlashes(url)}</div>
          </>
        )}
      </div>
      {/* The SVG comes from the qrcode library, built from our own URL. */}
      {!loopbackOnly && <div class="qr" role="img" aria-label={url} dangerouslySetInnerHTML={{ __html: svg }} />}
      {/* Several interfaces (wired and Wi-Fi, say): the teacher picks the one students' network reaches. */}
      {!loopbackOnly && choices.length > 1 && (
        <label class="address-pick small">
          {t('host.address')}
          <select name="address" value={base} onChange={(e) => chooseAddress(e.currentTarget.value)}>
            {choices.map((c) => (
              <option key={c.base} value={c.base}>
                {c.name ? `${c.base.replace(/^https?:\/\//, '')} (${c.name})` : c.base.replace(/^https?:\/\//, '')}
              </option>
            ))}
          </select>
        </label>
      )}
    </section>
  );
}

export function Roster({ view: v }: { view: HostView }) {
  const [bots, setBots] = useState(true);
  return (
    <section class="panel roster">
      <h2>{t('host.roster', { n: v.players.length })}</h2>
      {v.players.length === 0 && <p class="muted">{t('host.roster.empty')}</p>}
      <ul class="plain roster-list">
        {v.players.map((p) => (
          <li key={p.id}>
            <span class="name">{p.name}</span>
            <span class="muted small">
              {p.seat ? `${p.seat.table} · ${seatLabel(v.tables.find((x) => x.id === p.seat!.table)!.scenario, p.seat.seat)}` : t('host.unseated')}
            </span>
            <button
              type="button"
              class="small-button"
              aria-label={`${t('host.remove')} ${p.name}`}
              onClick={() => confirm(t('host.removeConfirm', { name: p.name })) && command({ type: 'removePlayer', playerId: p.id })}
            >
              {t('host.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div class="row">
        <button type="button" class="primary" onClick={() => command({ type: 'autoSeat', bots, scenario: scenarioChoice.value })}>
          {t('host.autoSeat')}
        </button>
        <label class="check">
          <input type="checkbox" checked={bots} onChange={(e) => setBots(e.currentTarget.checked)} /> {t('host.autoSeat.bots')}
        </label>
      </div>
    </section>
  );
}

/** What new tables play, and that scenario's settings form (its client bundle's). */
export function NewTables({ settings }: { settings: HostView['settings'] }) {
  return (
    <section class="panel settings">
      <label class="inline">
        {t('host.scenario')}
        <select name="scenario" value={scenarioChoice.value} onChange={(e) => chooseScenario(e.currentTarget.value as ScenarioId)}>
          {SCENARIO_IDS.map((id) => (
            <option key={id} value={id}>
              {t(`scenario.${id}`)}
            </option>
          ))}
        </select>
      </label>
      {/* Each scenario's briefing (its words' `<id>.brief`, as on the seats' screens), for the teacher to read out. */}
      <details class="brief">
        <summary>{t('host.brief')}</summary>
        <p>{t(`${scenarioChoice.value}.brief` as Key)}</p>
      </details>
      {scenarioOf(scenarioChoice.value).showcase && (
        <button type="button" onClick={() => command({ type: 'showFailure', scenario: scenarioChoice.value })}>
          {t('host.showFailure')}
        </button>
      )}
      <ScenarioSettings key={scenarioChoice.value} scenario={scenarioChoice.value} settings={settings[scenarioChoice.value]} />
    </section>
  );
}

/** The settings form of the scenario new tables play: its client bundle's, saved as that scenario's. */
function ScenarioSettings({ scenario, settings }: { scenario: ScenarioId; settings: unknown }) {
  const Form = bundleOf(scenario).SettingsForm;
  return <Form settings={settings} save={(s: unknown) => command({ type: 'setSettings', scenario, settings: s })} />;
}

export function DownloadLog({ sessionId, code }: { sessionId: string; code: string }) {
  /** The log (.ndjson) or the class results (.csv), named or anonymised. */
  async function download(what: 'log' | 'results', anonymous: boolean) {
    const key = hostKey(sessionId);
    if (!key) return;
    const path = what === 'log' ? 'log' : 'results.csv';
    // The host key goes in a header, never in a URL that could be shared.
    // The results in the console's language; the log is data, the same in every language.
    const query = new URLSearchParams(anonymous ? { anonymous: '1' } : {});
    if (what === 'results') query.set('lang', lang.value);
    const res = await fetch(`/api/sessions/${sessionId}/${path}${query.size > 0 ? `?${query}` : ''}`, {
      headers: { authorization: `Bearer ${key.hostToken}` },
    });
    if (!res.ok) return (error.value = explain({ rule: 'auth/bad-token' }));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = `valley-${code}${what === 'results' ? '-results' : ''}${anonymous ? '-anonymous' : ''}.${what === 'log' ? 'ndjson' : 'csv'}`;
    a.click();
    URL.revokeObjectURL(a.href);
  }
  return (
    <div class="row">
      <button type="button" class="link-button" onClick={() => download('log', false)}>
        <Download /> {t('host.download')}
      </button>
      <button type="button" class="link-button" onClick={() => download('log', true)}>
        <Download /> {t('host.downloadAnon')}
      </button>
      <button type="button" class="link-button" onClick={() => download('results', false)}>
        <Download /> {t('host.downloadResults')}
      </button>
      <button type="button" class="link-button" onClick={() => download('results', true)}>
        <Download /> {t('host.downloadResultsAnon')}
      </button>
    </div>
  );
}
