// `npm run bench`: runs each benchmark in turn and prints `figure NAME VALUE UNIT` lines.
// Settings: BENCH_CONNECTIONS (20), BENCH_DURATION_SECONDS (8), BENCH_WARMUP_SECONDS (2);
// database: BENCH_DATABASE_URL / TEST_DATABASE_URL (a Postgres admin URL), else embedded PGlite.
// BENCH_ONLY: comma-separated benchmark names to run (default all: me-query, dispatch, vm-start, deploy, migrate, hotplug, clone, snapshot, backup, collector, fanout, client-bundle, fleet).
import { benchBackup } from './backup.ts';
import { benchClientBundle } from './client-bundle.ts';
import { benchClone } from './clone.ts';
import { benchCollector } from './collector.ts';
import { benchDeploy } from './deploy.ts';
import { benchDispatch } from './dispatch.ts';
import { benchFanout } from './fanout.ts';
import { benchFleet } from './fleet.ts';
import { benchHotplug } from './hotplug.ts';
import { createBenchContext, type BenchContext } from './lib/context.ts';
import { benchMeQuery } from './me-query.ts';
import { benchMigrate } from './migrate.ts';
import { benchSnapshot } from './snapshot.ts';
import { benchVmStart } from './vm-start.ts';

const BENCHMARKS: Array<{ name: string; run: (ctx: BenchContext) => Promise<void> }> = [
  { name: 'me-query', run: benchMeQuery },
  { name: 'dispatch', run: benchDispatch },
  { name: 'vm-start', run: benchVmStart },
  { name: 'deploy', run: benchDeploy },
  { name: 'migrate', run: benchMigrate },
  { name: 'hotplug', run: benchHotplug },
  { name: 'clone', run: benchClone },
  { name: 'snapshot', run: benchSnapshot },
  { name: 'backup', run: benchBackup },
  { name: 'collector', run: benchCollector },
  { name: 'fanout', run: benchFanout },
  { name: 'client-bundle', run: benchClientBundle },
  // Heavy (200 real domains, a burst of 20 deploys): run it on a quiet machine.
  { name: 'fleet', run: benchFleet },
];
const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const unknown = only.filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length) throw new Error(`BENCH_ONLY names unknown benchmarks: ${unknown.join(', ')}`);
const selected = only.length ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS;

const ctx = createBenchContext();
const { connections, durationSeconds, warmupSeconds, pipelining } = ctx.settings;
ctx.note(`bench: node ${process.version}, autocannon with ${connections} connections, pipelining ${pipelining}, ${warmupSeconds} s warm-up + ${durationSeconds} s measured per target`);

let interrupted = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write(`bench: ${signal}, cleaning up\n`);
  ctx.cleanup().finally(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

let failed = false;
const started = performance.now();
try {
  for (const benchmark of selected) {
    ctx.note(`bench: ${benchmark.name}`);
    await benchmark.run(ctx);
  }
} catch (error) {
  failed = true;
  process.stderr.write(`bench FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await ctx.cleanup();
}
ctx.note(`bench: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;
