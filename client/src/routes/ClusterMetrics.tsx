// The dashboard's history of the cluster's CPU and memory, live for the last hour (the totals the
// dashboard's tiles show, each collector interval). Loaded lazily with uPlot.
import { graphql } from '../gql/index.ts';
import { errorText, request, subscribe } from '../lib/graphql.ts';
import { MetricsPanel } from '../components/MetricsPanel.tsx';
import { clusterCharts } from '../components/metric-charts.ts';

const ClusterMetricsHistoryDocument = graphql(`
  query ClusterMetricsHistory($from: DateTime!) {
    clusterMetricsHistory(from: $from) { resolutionSeconds times series { name avg } }
  }
`);
const ClusterMetricsLiveDocument = graphql(`
  subscription ClusterMetricsLive { clusterMetrics { at cpuPercent memoryUsedBytes memoryTotalBytes } }
`);

const CHARTS = clusterCharts();

export default function ClusterMetrics() {
  return (
    <MetricsPanel
      charts={CHARTS}
      history={async (from) => (await request(ClusterMetricsHistoryDocument, { from })).clusterMetricsHistory}
      live={(next, error) => subscribe(ClusterMetricsLiveDocument, {}, { next: (d) => next(d.clusterMetrics), error: (e) => error(errorText(e)) })}
    />
  );
}
