// One load run with autocannon: a warm-up run, then the measured run, with the same settings for every target.
import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  /** Seconds of the measured run. */
  durationSeconds: number;
  /** Seconds of the warm-up run before it (not measured). */
  warmupSeconds: number;
  pipelining: number;
}

export interface LoadTarget {
  name: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** When given, every response body must equal it (counted as mismatches otherwise). */
  expectBody?: string;
}

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

export class LoadError extends Error {}

async function run(target: LoadTarget, settings: LoadSettings, seconds: number, label: string): Promise<autocannon.Result> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections: settings.connections,
    pipelining: settings.pipelining,
    duration: seconds,
    timeout: 10,
    ...(target.expectBody !== undefined ? { expectBody: target.expectBody } : {}),
  });
  const problems: string[] = [];
  if (result.non2xx) problems.push(`${result.non2xx} non-2xx responses (4xx ${result['4xx']}, 5xx ${result['5xx']})`);
  if (result.errors) problems.push(`${result.errors} errors (${result.timeouts} timeouts)`);
  if (result.mismatches) problems.push(`${result.mismatches} responses with an unexpected body`);
  if (result.requests.total === 0) problems.push('no responses at all');
  if (problems.length) throw new LoadError(`${target.name} ${label}: ${problems.join(', ')}; figures would be meaningless`);
  return result;
}

export async function measure(target: LoadTarget, settings: LoadSettings): Promise<LoadResult> {
  if (settings.warmupSeconds > 0) await run(target, settings, settings.warmupSeconds, 'warm-up');
  const result = await run(target, settings, settings.durationSeconds, 'measured run');
  return { rps: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, requests: result.requests.total };
}
