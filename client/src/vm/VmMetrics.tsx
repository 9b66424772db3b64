// A VM's live CPU, memory, disk and network charts with history ranges.
import { graphql } from '../gql/index.ts';
import { errorText, request, subscribe } from '../lib/graphql.ts';
import { MetricsPanel, type ChartSpec } from '../components/MetricsPanel.tsx';
import { metricCharts } from '../components/metric-charts.ts';

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

const VM_CHARTS: ChartSpec[] = metricCharts({ label: 'Available', field: 'memoryAvailableBytes' });
/** A VM without a network card has no traffic to chart. */
const WITHOUT_NIC = VM_CHARTS.filter((chart) => !chart.series.some((s) => s.field.startsWith('net')));

export default function VmMetrics(props: { vmId: string; hasNic: boolean }) {
  return (
    <MetricsPanel
      charts={props.hasNic ? VM_CHARTS : WITHOUT_NIC}
      history={async (from) => {
        const { node } = await request(VmMetricsHistoryDocument, { id: props.vmId, from });
        return node && 'metrics' in node ? node.metrics : undefined;
      }}
      live={(next, error) => subscribe(VmMetricsLiveDocument, { id: props.vmId }, { next: (d) => next(d.vmMetrics), error: (e) => error(errorText(e)) })}
    />
  );
}
