// The pieces every scenario's settings form is made of: fields bound to one setting each (shown in
// seconds for milliseconds, % for rates), the valley's own fields, and the apply button.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { SLOW_MOTION, STOP_LIMIT_MS } from '@valley/shared';
import { percent } from '../format.ts';
import { t } from '../i18n/index.ts';

export function useSettings<S extends Record<string, unknown>>(initial: S, save: (s: S) => Promise<boolean>) {
  const [s, setS] = useState(initial);
  const [saved, setSaved] = useState(false);
  const num = (k: keyof S & string, scale: number) => ({
    name: k,
    value: (s[k] as number) / scale,
    onInput: (e: Event) => {
      setSaved(false);
      const raw = Number((e.currentTarget as HTMLInputElement).value) * scale;
      // Milliseconds and counts are whole numbers; the capture rate keeps two decimals.
      setS({ ...s, [k]: k === 'captureRate' ? Math.round(raw * 100) / 100 : Math.round(raw) });
    },
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(await save(s));
  };
  return { s, setS, num, submit, saved, setSaved };
}

export type SettingsState<S extends Record<string, unknown>> = ReturnType<typeof useSettings<S>>;

/** The valley's settings, which every scenario has: capture rate, crossing time and its slow motion, deadline. */
export function ValleyFields<S extends { captureRate: number } & Record<string, unknown>>({ f }: { f: SettingsState<S> }) {
  return (
    <>
      <label>
        {t('host.settings.capture', { p: percent(f.s.captureRate) })}
        <input type="range" min={0} max={100} step={5} {...f.num('captureRate', 0.01)} name="capture" value={Math.round(f.s.captureRate * 100)} />
      </label>
      <fieldset>
        <legend>{t('host.settings.delay')}</legend>
        <label class="inline">
          {t('host.settings.delayMin')} <input type="number" min={0} max={60} step={0.1} {...f.num('delayMinMs', 1000)} name="delayMin" />
        </label>
        <label class="inline">
          {t('host.settings.delayMax')} <input type="number" min={0} max={60} step={0.1} {...f.num('delayMaxMs', 1000)} name="delayMax" />
        </label>
      </fieldset>
      <label class="inline">
        {t('host.settings.slowMotion')}{' '}
        <select
          name="slowMotion"
          value={String(f.s.slowMotion ?? 1)}
          onChange={(e) => {
            f.setSaved(false);
            f.setS({ ...f.s, slowMotion: Number(e.currentTarget.value) });
          }}
        >
          {SLOW_MOTION.map((k) => (
            <option key={k} value={String(k)}>
              {t(`host.settings.slowMotion.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="inline">
        {t('host.settings.deadline')} <input type="number" min={10} max={3600} step={10} {...f.num('deadlineMs', 1000)} name="deadline" />
      </label>
    </>
  );
}

/** The valley seat, for a scenario that has one: whether a student plays it, and whether it stops every messenger. */
export function ValleySeatFields<S extends { valley?: boolean; stopEach?: boolean } & Record<string, unknown>>({ f }: { f: SettingsState<S> }) {
  const set = (p: Partial<S>) => {
    f.setSaved(false);
    f.setS({ ...f.s, ...p });
  };
  return (
    <>
      <label class="check">
        <input type="checkbox" name="valley" checked={f.s.valley === true} onChange={(e) => set({ valley: e.currentTarget.checked } as Partial<S>)} />{' '}
        {t('host.settings.valleySeat')}
      </label>
      <label class="check">
        <input
          type="checkbox"
          name="stopEach"
          checked={f.s.stopEach === true}
          disabled={f.s.valley !== true}
          onChange={(e) => set({ stopEach: e.currentTarget.checked } as Partial<S>)}
        />{' '}
        {t('host.settings.stopEach', { s: STOP_LIMIT_MS / 1000 })}
      </label>
    </>
  );
}

/** A settings form: its heading, the scenario's fields, and the apply button with its confirmation. */
export function SettingsFrame<S extends Record<string, unknown>>({ f, children }: { f: SettingsState<S>; children: ComponentChildren }) {
  return (
    <form onSubmit={f.submit}>
      <h2>{t('host.settings')}</h2>
      {children}
      <button type="submit">{t('host.settings.apply')}</button>
      {f.saved && <p class="muted small">{t('host.settings.saved')}</p>}
    </form>
  );
}
