// Small building blocks every page uses: loading a query, showing its error, forms whose submit runs a mutation,
// tables with a caption, and the formats of credits and dates (credits are exact decimals from the server).
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` on mount and whenever `deps` change; `reload()` runs it again (after a mutation). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (e: unknown) => live && setState({ data: null, error: messageOf(e), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [n, ...deps]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...state, reload };
}

function messageOf(e: unknown): string {
  if (e instanceof ApiError || e instanceof Error) return e.message;
  return String(e);
}

/** A submit handler that shows its error next to the form and disables the button while it runs. */
export function useAction<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await run(...args);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, act, setError };
}

export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

/** The page's frame: its one h1 and its body, or the load error, or a loading line. */
export function Section<T>(props: { title: string; loaded?: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const { title, loaded } = props;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      {loaded?.error ? <ErrorNote error={loaded.error} /> : null}
      {loaded && !loaded.data && !loaded.error ? <p aria-busy="true">Loading…</p> : null}
      {!loaded || loaded.data ? props.children(loaded?.data as T) : null}
    </section>
  );
}

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  required?: boolean;
  value?: string;
  placeholder?: string;
  autocomplete?: string;
  hint?: string;
  min?: string;
  max?: string;
  maxLength?: number;
  inputMode?: 'numeric' | 'text' | 'email' | 'decimal';
}) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        required={props.required}
        value={props.value}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete}
        min={props.min}
        max={props.max}
        maxLength={props.maxLength ?? 500}
        inputMode={props.inputMode}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint ? (
        <small id={`${id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

export function Select(props: { label: string; name: string; options: [string, string][]; value?: string }) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value}>
        {props.options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The form's named values as strings (a checkbox: "on" when checked). */
export function formValues(e: Event): Record<string, string> {
  e.preventDefault();
  const form = e.currentTarget as HTMLFormElement;
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => {
    if (typeof v === 'string') out[k] = v.trim();
  });
  return out;
}

export function Table(props: { caption: string; head: string[]; rows: ComponentChildren[][]; empty?: string }) {
  if (props.rows.length === 0) return <p class="muted">{props.empty ?? 'Nothing yet.'}</p>;
  return (
    // Scrolls sideways on a narrow screen: a named region the keyboard can focus, so it can scroll it too (WCAG
    // 2.1.1; axe's scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard
    <section class="table-wrap" aria-label={props.caption} tabIndex={0}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j} data-label={props.head[j]}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Credits as the server sends them (a number of credits, exact to 1/10,000), shown with up to 4 decimals. */
export function credits(n: number | string | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const v = typeof n === 'string' ? Number(n) : n;
  return v.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 4 });
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** The session could not be read (the server is down or refused): say so, with the server's message. */
export function Unavailable({ error }: { error: string }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">The console is unavailable</h1>
      <ErrorNote error={error} />
      <p>Reload the page to try again.</p>
    </section>
  );
}
