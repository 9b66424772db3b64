#!/usr/bin/env -S node --max-semi-space-size=8
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase } from '../db/connection.ts';
import { startHangar, type Hangar } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { recordAudit } from './services/audit.ts';
import { createUser } from './services/users.ts';
import { addHost } from './services/hosts.ts';
import { checkHostUri } from './services/libvirt-uri.ts';
import { buildRepository } from './services/repository-build.ts';
import { ADMINISTRATOR_ROLE, ALL_PRIVILEGES } from './services/privileges.ts';

const USAGE = `Usage: hangar <command>

  start                      migrate, register this machine's libvirt as host "local" when it answers,
                             then run the API, a worker and the metrics collector in one process
  api                        run the GraphQL API (run \`hangar migrate\` first)
  collector                  sample every host's statistics (hosts are shared out between collectors)
  worker [--host NAME ...]   run host operations for the named hosts (all hosts, also ones added later, without --host)
  host add --name N --uri URI [--domain-type kvm|qemu]
                             connect to libvirt at URI and add it as a host
  migrate                    apply database migrations
  repository build DIR        write a simplestreams index (DIR/streams/v1/) for the images in DIR, to
                             serve DIR with any web server and add its URL as a repository
  user create --admin --email E --name N
                             create a user (an administrator with --admin); the password is read
                             from HANGAR_USER_PASSWORD or, with --password-stdin, from standard input
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  switch (command) {
    case 'start':
      return serve(await startHangar(config, log, { migrate: true, processes: ['api', 'worker', 'collector'], registerLocalHost: true }), config, log);
    case 'api':
      return serve(await startHangar(config, log, { migrate: false, processes: ['api'] }), config, log);
    case 'collector':
      return serve(await startHangar(config, log, { migrate: false, processes: ['collector'] }), config, log);
    case 'worker': {
      const { values } = parseArgs({ args: rest, options: { host: { type: 'string', multiple: true } } });
      return serve(await startHangar(config, log, { migrate: false, processes: ['worker'], workerHosts: values.host ?? [] }), config, log);
    }
    case 'host':
      return hostCommand(rest, config, log);
    case 'migrate': {
      const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      const applied = await migrateToLatest(db);
      await db.destroy();
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      return 0;
    }
    case 'user':
      return userCommand(rest, config);
    case 'repository':
      return repositoryCommand(rest);
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
}

/** Runs until SIGTERM or SIGINT, then shuts down gracefully. */
function serve(hangar: Hangar, config: Config, log: Logger): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const forced = setTimeout(() => {
        log.error('shutdown took too long; exiting');
        resolve(1);
      }, config.shutdownTimeoutMs + 5000);
      forced.unref();
      await hangar.stop();
      clearTimeout(forced);
      log.info('stopped');
      resolve(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

async function userCommand(args: string[], config: Config): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { admin: { type: 'boolean' }, email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  });
  if (positionals[0] !== 'create' || !values.email || !values.name) {
    console.error(USAGE);
    return 2;
  }
  const password = values['password-stdin'] ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : process.env.HANGAR_USER_PASSWORD;
  if (!password) {
    console.error('Give the password in HANGAR_USER_PASSWORD or on standard input with --password-stdin');
    return 2;
  }
  const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(db);
    const roleIds = values.admin ? [(await db.selectFrom('roles').select('id').where('name', '=', ADMINISTRATOR_ROLE).executeTakeFirstOrThrow()).id] : undefined;
    // The shell is trusted like an administrator (it holds the database credentials).
    const now = new Date();
    const shell = { userId: '', user: { id: '', email: 'shell', name: 'shell', disabled: false, created_at: now, updated_at: now }, privileges: new Set(ALL_PRIVILEGES), sessionId: null, tokenId: null };
    const user = await createUser(db, shell, { email: values.email, name: values.name, password, roleIds });
    await recordAudit(db, { actor_id: null, actor_name: 'shell', action: 'createUser', target_type: 'User', target_id: user.id, request_id: `cli-${process.pid}-${Date.now()}`, ip: null, result: 'ok', detail: { admin: Boolean(values.admin), email: user.email } });
    console.log(`created ${values.admin ? 'administrator' : 'user'} ${user.email} (${user.id})`);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await db.destroy();
  }
}

async function repositoryCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals[0] !== 'build' || positionals.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const dir = positionals[1]!;
  try {
    const { products, skipped } = await buildRepository(dir, (path) => console.log(`reading ${path}`));
    for (const s of skipped) console.error(`left out ${s.path}: ${s.reason}`);
    console.log(`wrote ${dir}/streams/v1/index.json: ${products.length} image${products.length === 1 ? '' : 's'}`);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

async function hostCommand(args: string[], config: Config, log: Logger): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { name: { type: 'string' }, uri: { type: 'string' }, 'domain-type': { type: 'string' } } });
  if (positionals[0] !== 'add' || !values.name || !values.uri) {
    console.error(USAGE);
    return 2;
  }
  // A refused URI is refused before anything starts (addHost checks it again).
  try {
    checkHostUri(values.uri, config);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const hangar = await startHangar(config, log, { migrate: true, processes: [] });
  try {
    const domainType = values['domain-type'] as 'kvm' | 'qemu' | undefined;
    if (!hangar.boss) throw new Error('no job queue was opened'); // processes: [] opens one
    const host = await addHost(hangar.db, hangar.boss, config, { name: values.name, uri: values.uri, domainType });
    await recordAudit(hangar.db, { actor_id: null, actor_name: 'shell', action: 'addHost', target_type: 'Host', target_id: host.id, request_id: `cli-${process.pid}-${Date.now()}`, ip: null, result: 'ok', detail: { name: host.name, uri: host.uri } });
    console.log(`added host ${host.name} (${host.uri}, ${host.domain_type}: ${host.domain_type_reason})`);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await hangar.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
