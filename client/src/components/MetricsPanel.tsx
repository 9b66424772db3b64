// Live charts with history ranges, for a VM or a host: the last hour follows live samples; longer
// ranges show the stored rollups (average per point). Loaded lazily with uPlot.
import { createEffect, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { Chart, type ChartData, type ChartSeries } from './Chart.tsx';
import { errorText, reconnects } from '../lib/graphql.ts';
import { Alert } from './ui.tsx';

export interface History {
  resolutionSeconds: number;
  times: number[];
  series: { name: string; avg: (number | null)[] }[];
}

export interface ChartSpec {
  title: string;
  format: (v: number) => string;
  /** See Chart's softMax. */
  softMax?: number;
  /** The y axis ends at this field's latest value (a host's memory ends at its memory). */
  ceilingField?: string;
  series: (ChartSeries & { field: string })[];
}

const RANGES = [
  { id: '1h', label: '1 hour', seconds: 3600, live: true },
  { id: '24h', label: '24 hours', seconds: 86400, live: false },
  { id: '7d', label: '7 days', seconds: 7 * 86400, live: false },
  { id: '30d', label: '30 days', seconds: 30 * 86400, live: false },
] as const;

interface Columns {
  times: number[];
  values: Record<string, (number | null)[]>;
}

export function MetricsPanel(props: {
  charts: ChartSpec[];
  history: (fromIso: string) => Promise<History | undefined>;
  /** Subscribes to live samples (`at` ISO time and the fields); returns the function that stops. */
  live: (next: (sample: { at: string } & Record<string, unknown>) => void, error: (message: string) => void) => () => void;
}) {
  const fields = () => props.charts.flatMap((c) => c.series.map((s) => s.field));
  const empty = (): Columns => ({ times: [], values: Object.fromEntries(fields().map((f) => [f, []])) });
  const [range, setRange] = createSignal<(typeof RANGES)[number]>(RANGES[0]);
  const [data, setData] = createSignal<Columns>(empty());
  const [error, setError] = createSignal<string>();
  const [resolution, setResolution] = createSignal<number>();

  const load = async () => {
    const r = range();
    try {
      const h = await props.history(new Date(Date.now() - r.seconds * 1000).toISOString());
      if (!h || r !== range()) return;
      const loaded: Columns = { times: h.times.slice(), values: Object.fromEntries(fields().map((f) => [f, h.series.find((s) => s.name === f)?.avg.slice() ?? h.times.map(() => null)])) };
      // Live samples that came while the history loaded stay, after it.
      setData((prev) => {
        if (!r.live) return loaded;
        const last = loaded.times.at(-1) ?? -Infinity;
        const from = prev.times.findIndex((t) => t > last);
        if (from === -1) return loaded;
        return { times: [...loaded.times, ...prev.times.slice(from)], values: Object.fromEntries(fields().map((f) => [f, [...loaded.values[f], ...(prev.values[f] ?? []).slice(from)]])) };
      });
      setResolution(h.resolutionSeconds);
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  };
  createEffect(on([range, reconnects], () => void load()));

  createEffect(() => {
    if (!range().live) return;
    const stop = props.live(
      (sample) => {
        const t = new Date(sample.at).getTime() / 1000;
        setData((prev) => {
          if (prev.times.length && t <= prev.times[prev.times.length - 1]) return prev;
          const cutoff = t - range().seconds;
          let start = 0;
          while (start < prev.times.length && prev.times[start] < cutoff) start++;
          const values: Columns['values'] = {};
          for (const f of fields()) {
            const v = sample[f];
            values[f] = [...(prev.values[f] ?? []).slice(start), typeof v === 'number' ? v : null];
          }
          return { times: [...prev.times.slice(start), t], values };
        });
      },
      (message) => setError(message),
    );
    onCleanup(stop);
  });

  // The whole range is shown, up to now, however few points it has yet.
  const window = (): [number, number] => {
    const now = Date.now() / 1000;
    return [now - range().seconds, now];
  };
  const columns = (spec: ChartSpec): ChartData => [data().times, ...spec.series.map((s) => data().values[s.field] ?? [])];
  const ceiling = (spec: ChartSpec): number | undefined => {
    const values = spec.ceilingField ? data().values[spec.ceilingField] : undefined;
    for (let i = (values?.length ?? 0) - 1; i >= 0; i--) if (values![i] != null) return values![i]!;
    return undefined;
  };

  return (
    <div class="metrics">
      <div class="toolbar" role="group" aria-label="Time range">
        <For each={RANGES}>
          {(r) => (
            <button type="button" class={range().id === r.id ? '' : 'secondary'} aria-pressed={range().id === r.id} onClick={() => setRange(r)}>
              {r.label}
            </button>
          )}
        </For>
        <span class="muted small">
          {range().live ? 'Live' : 'History'}
          <Show when={resolution()}> · one point per {resolution()} s</Show>
          <Show when={data().times.length === 0}> · no samples yet</Show>
        </span>
      </div>
      <Alert message={error()} />
      <div class="charts">
        <For each={props.charts}>{(spec) => <Chart title={spec.title} series={spec.series} data={columns(spec)} format={spec.format} min={0} softMax={spec.softMax} max={ceiling(spec)} window={window} />}</For>
      </div>
    </div>
  );
}
