// A host's live CPU, memory, disk and network charts with history ranges.
import { graphql } from '../gql/index.ts';
import { errorText, request, subscribe } from '../lib/graphql.ts';
import { bytes, percent } from '../lib/format.ts';
import { MetricsPanel, type ChartSpec } from '../components/MetricsPanel.tsx';

const HostMetricsHistoryDocument = graphql(`
  query HostMetricsHistory($id: ID!, $from: DateTime!) {
    node(id: $id) { ... on Host { metrics(from: $from) { resolutionSeconds times series { name avg } } } }
  }
`);
const HostMetricsLiveDocument = graphql(`
  subscription HostMetricsLive($id: ID!) {
    hostMetrics(id: $id) { hostId at cpuPercent memoryUsedBytes memoryTotalBytes diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond vmsRunning }
  }
`);

const rate = (v: number) => `${bytes(v)}/s`;

const HOST_CHARTS: ChartSpec[] = [
  { title: 'CPU', format: (v) => percent(v), softMax: 10, series: [{ label: 'CPU', color: '#3b82f6', field: 'cpuPercent' }] },
  {
    title: 'Memory',
    format: (v) => bytes(v, 0),
    series: [
      { label: 'Used', color: '#8b5cf6', field: 'memoryUsedBytes' },
      { label: 'Total', color: '#10b981', field: 'memoryTotalBytes', dash: true },
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

export default function HostMetrics(props: { hostId: string }) {
  return (
    <MetricsPanel
      charts={HOST_CHARTS}
      history={async (from) => {
        const { node } = await request(HostMetricsHistoryDocument, { id: props.hostId, from });
        return node && 'metrics' in node ? node.metrics : undefined;
      }}
      live={(next, error) => subscribe(HostMetricsLiveDocument, { id: props.hostId }, { next: (d) => next(d.hostMetrics), error: (e) => error(errorText(e)) })}
    />
  );
}
