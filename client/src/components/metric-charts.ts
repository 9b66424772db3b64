// The charts a VM's and a host's pages show: the same four, the memory chart's second line aside.
import { bytes, percent } from '../lib/format.ts';
import type { ChartSpec } from './MetricsPanel.tsx';

const rate = (v: number) => `${bytes(v)}/s`;

export function metricCharts(memoryLimit: { label: string; field: string }): ChartSpec[] {
  return [
    { title: 'CPU', format: (v) => percent(v), softMax: 10, series: [{ label: 'CPU', color: '#3b82f6', field: 'cpuPercent' }] },
    {
      title: 'Memory',
      format: (v) => bytes(v, 0),
      series: [
        { label: 'Used', color: '#8b5cf6', field: 'memoryUsedBytes' },
        { label: memoryLimit.label, color: '#10b981', field: memoryLimit.field, dash: true },
      ],
    },
    {
      title: 'Disk',
      format: rate,
      softMax: 1024,
      series: [
        { label: 'Read', color: '#f59e0b', field: 'diskReadBytesPerSecond' },
        { label: 'Write', color: '#ef4444', field: 'diskWriteBytesPerSecond' },
      ],
    },
    {
      title: 'Network',
      format: rate,
      softMax: 1024,
      series: [
        { label: 'Received', color: '#06b6d4', field: 'netRxBytesPerSecond' },
        { label: 'Sent', color: '#ec4899', field: 'netTxBytesPerSecond' },
      ],
    },
  ];
}
