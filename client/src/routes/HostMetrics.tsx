// A host's live CPU, memory, disk and network charts with history ranges.
import { graphql } from '../gql/index.ts';
import { errorText, request, subscribe } from '../lib/graphql.ts';
import { MetricsPanel, type ChartSpec } from '../components/MetricsPanel.tsx';
import { metricCharts } from '../components/metric-charts.ts';

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

const HOST_CHARTS: ChartSpec[] = metricCharts({ label: 'Total', field: 'memoryTotalBytes' });

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
