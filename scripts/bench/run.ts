// `npm run bench`: runs each benchmark in turn and prints `figure NAME VALUE UNIT` lines.
// Settings: BENCH_CONNECTIONS (20), BENCH_DURATION_SECONDS (8), BENCH_WARMUP_SECONDS (2);
// database: BENCH_DATABASE_URL / TEST_DATABASE_URL (a Postgres admin URL), else embedded PGlite.
import { createBenchContext, type BenchContext } from './lib/context.ts';
import { benchMeQuery } from './me-query.ts';

const BENCHMARKS: Array<{ name: string; run: (ctx: BenchContext) => Promise<void> }> = [
  { name: 'me-query', run: benchMeQuery },
];

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
  for (const benchmark of BENCHMARKS) {
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
