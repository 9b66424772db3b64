// A VM's live CPU, memory, disk and network charts with history ranges.
import { graphql } from '../gql/index.ts';
import { errorText, request, subscribe } from '../lib/graphql.ts';
import { bytes, percent } from '../lib/format.ts';
import { MetricsPanel, type ChartSpec } from '../components/MetricsPanel.tsx';

const VmMetricsHistoryDocument = graphql(`
  query VmMetricsHistory($id: ID!, $from: DateTime!, $to: DateTime) {
    node(id: $id) { ... on Vm { metrics(from: $from, to: $to) { resolutionSeconds times series { name avg } } } }
  }
`);
const VmMetricsLiveDocument = graphql(`
  subscription VmMetricsLive($id: ID!) {
    vmMetrics(id: $id) {
      vmId at cpuPercent memoryUsedBytes memoryAvailableBytes
      diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond
    }
  }
`);

const rate = (v: number) => `${bytes(v)}/s`;

export const VM_CHARTS: ChartSpec[] = [
  { title: 'CPU', format: (v) => percent(v), softMax: 10, series: [{ label: 'CPU', color: '#3b82f6', field: 'cpuPercent' }] },
  {
    title: 'Memory',
    format: (v) => bytes(v, 0),
    series: [
      { label: 'Used', color: '#8b5cf6', field: 'memoryUsedBytes' },
      { label: 'Available', color: '#10b981', field: 'memoryAvailableBytes', dash: true },
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

export default function VmMetrics(props: { vmId: string }) {
  return (
    <MetricsPanel
      charts={VM_CHARTS}
      history={async (from) => {
        const { node } = await request(VmMetricsHistoryDocument, { id: props.vmId, from });
        return node && 'metrics' in node ? node.metrics : undefined;
      }}
      live={(next, error) => subscribe(VmMetricsLiveDocument, { id: props.vmId }, { next: (d) => next(d.vmMetrics), error: (e) => error(errorText(e)) })}
    />
  );
}
