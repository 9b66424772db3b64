// Child process for the benchmarks: one Hangar API on the database in its environment (DATABASE_URL or
// HANGAR_DATA_DIR), on HOST/PORT. Prints {"url": …} as one JSON line on stdout once listening; stops on SIGTERM.
import { startHangar } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';

const config = loadConfig();
const hangar = await startHangar(config, createLogger(config.logLevel), { migrate: true, processes: ['api'] });
process.stdout.write(`${JSON.stringify({ url: hangar.api!.url })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  hangar.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('hangar-server: stop failed', error);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
