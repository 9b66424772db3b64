// The charts a VM's and a host's pages show: the same four, the memory chart's second line aside;
// the dashboard's CPU and memory for the whole cluster.
import { bytes, percent } from '../lib/format.ts';
import type { ChartSpec } from './MetricsPanel.tsx';

const rate = (v: number) => `${bytes(v)}/s`;

/** A chart in bytes per second; its axis reaches at least 1 KiB/s, so idle lines stay at the bottom. */
const rateChart = (title: string, series: ChartSpec['series']): ChartSpec => ({ title, format: rate, softMax: 1024, series });

export function metricCharts(memoryLimit: { label: string; field: string }): ChartSpec[] {
  return [
    { title: 'CPU', format: (v) => percent(v), softMax: 10, series: [{ label: 'CPU', color: '#3b82f6', field: 'cpuPercent' }] },
    {
      title: 'Memory',
      // One decimal where it tells (9.5 GiB, not 9 GiB), none where it does not.
      format: (v) => bytes(v, 1).replace('.0 ', ' '),
      // The axis ends at the memory there is (the host's, the guest's), not a tenth above it.
      ceilingField: memoryLimit.field,
      series: [
        { label: 'Used', color: '#8b5cf6', field: 'memoryUsedBytes' },
        { label: memoryLimit.label, color: '#10b981', field: memoryLimit.field, dash: true },
      ],
    },
    rateChart('Disk', [
      { label: 'Read', color: '#f59e0b', field: 'diskReadBytesPerSecond' },
      { label: 'Write', color: '#ef4444', field: 'diskWriteBytesPerSecond' },
    ]),
    rateChart('Network', [
      { label: 'Received', color: '#06b6d4', field: 'netRxBytesPerSecond' },
      { label: 'Sent', color: '#ec4899', field: 'netTxBytesPerSecond' },
    ]),
  ];
}

/** The dashboard's: the hosts' CPU (weighted by their CPUs) and memory (summed). */
export function clusterCharts(): ChartSpec[] {
  const [cpu, memory] = metricCharts({ label: 'Total', field: 'memoryTotalBytes' });
  return [cpu, memory];
}
