import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process, served at /metrics. */
export interface Metrics {
  registry: Registry;
  ingests: Counter<'status' | 'format' | 'channel'>;
  rejections: Counter<'reason'>;
  ingestDuration: Histogram<'status' | 'format'>;
  ingestComponents: Counter<'format'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    ingests: new Counter({ name: 'patchpath_ingest_total', help: 'SBOM uploads by outcome (accepted, duplicate, rejected), format and channel (rest, graphql, cli)', labelNames: ['status', 'format', 'channel'], registers: [registry] }),
    rejections: new Counter({ name: 'patchpath_ingest_rejections_total', help: 'Rejected uploads by reason (the code of the first problem)', labelNames: ['reason'], registers: [registry] }),
    ingestDuration: new Histogram({
      name: 'patchpath_ingest_duration_seconds',
      help: 'Time to parse, normalise and store one SBOM',
      labelNames: ['status', 'format'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    ingestComponents: new Counter({ name: 'patchpath_ingest_components_total', help: 'Components stored', labelNames: ['format'], registers: [registry] }),
    httpRequests: new Counter({ name: 'patchpath_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({ name: 'patchpath_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], registers: [registry] }),
  };
}
