// The pieces every scenario's settings form is made of: fields bound to one setting each (shown in
// seconds for milliseconds, % for rates), the valley's own fields, and the apply button.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
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

/** The valley's settings, which every scenario has: capture rate, crossing time, deadline. */
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
        {t('host.settings.deadline')} <input type="number" min={10} max={3600} step={10} {...f.num('deadlineMs', 1000)} name="deadline" />
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
