// A time-series chart (uPlot). Imported only by lazily loaded screens, so uPlot stays out of the
// first page load.
import { createEffect, onCleanup, onMount } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { isDark } from '../lib/theme.ts';

export interface ChartSeries {
  label: string;
  color: string;
  /** Drawn dashed (e.g. the maximum beside the average). */
  dash?: boolean;
}

/** times in epoch seconds; one array of values per series, null where there is no sample. */
export type ChartData = [number[], ...(number | null)[][]];

/**
 * The y axis's width from its widest label (measured in the axis's font), so no label is cut:
 * a fixed width cut "976.6 KiB/s" to "'6.6 KiB/s".
 */
function fitLabels(u: uPlot, values: string[] | null, axisIndex: number, cycle: number): number {
  // uPlot keeps the font as [css font scaled to the device's pixels, size] once the chart is built.
  const axis = u.axes[axisIndex] as unknown as { _size?: number; font?: [string, number]; ticks?: { size?: number }; gap?: number };
  // uPlot asks again while the layout settles: keep the first answer rather than grow each time.
  if (cycle > 1 && axis._size) return axis._size;
  const ticks = axis.ticks?.size ?? 10;
  let widest = 0;
  if (values?.length) {
    u.ctx.font = axis.font?.[0] ?? '12px system-ui, sans-serif';
    for (const v of values) widest = Math.max(widest, u.ctx.measureText(v).width / devicePixelRatio);
    // What the axis shows, for tests and for reading the chart without the canvas.
    u.root.dataset.yLabels = values.join('|');
    u.root.dataset.yFont = u.ctx.font;
  }
  return Math.ceil(ticks + (axis.gap ?? 5) + widest + 8);
}

export function Chart(props: {
  title: string;
  series: ChartSeries[];
  data: ChartData;
  format: (v: number) => string;
  height?: number;
  min?: number;
  /** The y axis reaches at least this far, so idle lines stay at the bottom rather than fill the chart. */
  softMax?: number;
  /** The y axis ends here (a host's memory): read at each redraw. */
  max?: number;
  /** The time window shown (epoch seconds); default: the data's own span. */
  window?: () => [number, number];
}) {
  let box!: HTMLDivElement;
  let plot: uPlot | undefined;

  const build = () => {
    plot?.destroy();
    const axisColor = isDark() ? '#9aa4b1' : '#5b6470';
    const gridColor = isDark() ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.08)';
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };
    plot = new uPlot(
      {
        width: Math.max(200, box.clientWidth),
        height: props.height ?? 180,
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
        hooks: { setScale: [(u, key) => void (key === 'y' && (u.root.dataset.yMax = String(u.scales.y.max)))] },
        scales: {
          x: { time: true, range: (_u, min, max) => props.window?.() ?? [min, max] },
          y: { range: (_u, min, max) => [props.min ?? Math.min(0, min ?? 0), props.max != null && props.max > 0 ? props.max : Math.max((max ?? 0) * 1.1, props.softMax ?? 1)] },
        },
        axes: [axis, { ...axis, size: fitLabels, values: (_u, splits) => splits.map((v) => props.format(v)) }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            dash: s.dash ? [4, 4] : undefined,
            fill: s.dash ? undefined : `${s.color}22`,
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => (v == null ? '—' : props.format(v)),
          })),
        ],
      },
      props.data as uPlot.AlignedData,
      box,
    );
  };

  onMount(() => {
    build();
    const observer = new ResizeObserver(() => plot?.setSize({ width: Math.max(200, box.clientWidth), height: props.height ?? 180 }));
    observer.observe(box);
    onCleanup(() => observer.disconnect());
  });
  // New points: the same chart takes the data; a theme change draws it anew in the other colours.
  createEffect(() => plot?.setData(props.data as uPlot.AlignedData));
  createEffect((prev) => {
    const dark = isDark();
    if (prev !== undefined && prev !== dark) build();
    return dark;
  });
  onCleanup(() => plot?.destroy());

  return (
    <figure class="chart" data-points={props.data[0].length} aria-label={props.title}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} class="chart-plot" />
    </figure>
  );
}
