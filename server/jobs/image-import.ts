// Imports an image from an http(s) URL: streamed to the store's incoming/ folder, hashed on the
// way, then checked and accepted like an upload. Every connection (the first, each redirect, a
// host name that now resolves elsewhere) is checked against the address policy.
import { createHash } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Job, PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import { ImageRejectedError } from '../hypervisor/qemu-img.ts';
import type { Logger } from '../log.ts';
import { addressAllowed, checkImportUrl, IMAGE_IMPORT_OPERATION, incomingDir, markImageFailed, publishImage, registerImageFile, removeImageFiles } from '../services/images.ts';
import { INTERRUPTED, TaskRecorder } from '../services/tasks.ts';
import type { TaskRow } from '../../db/types.ts';
import { holdAtStep } from './step-hold.ts';
import { untilWritten } from './transient.ts';
import { IMAGE_QUEUE, ensureImageQueue } from '../queue/image-queue.ts';
import type { JobData } from '../queue/queue.ts';

export interface ImageQueueDeps {
  db: Db;
  pubsub: PubSub;
  boss: PgBoss;
  config: Config;
  log: Logger;
}

const MAX_REDIRECTS = 5;
/** No byte for this long (connecting, waiting for headers, or mid-body) ends the download. */
const IDLE_TIMEOUT_MS = 60_000;
const PROGRESS_INTERVAL_MS = 500;

/** Takes image jobs (imports) from the `images` queue; `workerId` is the worker's (its liveness lock's) id. */
export async function serveImageQueue(deps: ImageQueueDeps, workerId: string, whenAlive: () => Promise<boolean> = async () => true): Promise<void> {
  await ensureImageQueue(deps.boss);
  await deps.boss.work<JobData>(IMAGE_QUEUE, { localConcurrency: 2, batchSize: 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 }, async (jobs: Job<JobData>[]) => {
    for (const job of jobs) {
      // Without its liveness lock the worker starts nothing (another may be recovering its tasks).
      if (!(await whenAlive())) return;
      await runImageJob(deps, job.data.taskId, workerId);
    }
  });
}

/** Runs one image task to its end. It never throws: the task row records the outcome. */
export async function runImageJob(deps: ImageQueueDeps, taskId: string, workerId: string): Promise<void> {
  const { db, log } = deps;
  const task = await db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!task || task.status !== 'queued') return;
  const taskLog = log.child({ requestId: task.request_id, taskId: task.id, operation: task.operation });
  const recorder = new TaskRecorder(db, deps.pubsub, task);
  try {
    if (task.operation !== IMAGE_IMPORT_OPERATION) throw new Error(`Unknown image operation ${task.operation}`);
    await recorder.started(workerId);
    await runImport(deps, recorder);
    // A database restart on the way must not turn a finished import into a stuck or failed one.
    await untilWritten(() => recorder.finished('succeeded'));
  } catch (error) {
    const message = failureMessage(error);
    taskLog.warn({ err: error }, 'image task failed');
    const imageId = (task.params as { imageId?: string }).imageId;
    await Promise.allSettled([
      imageId ? untilWritten(() => markImageFailed(db, imageId, message)).then((image) => image && publishImage(db, deps.pubsub, image)) : Promise.resolve(),
      untilWritten(() => recorder.finished('failed', message)),
    ]);
  }
}

/**
 * Imports marked running by a worker that is gone (killed or crashed) would stay RUNNING, and their
 * images UPLOADING, for ever: the partial download is removed, the image shows ERROR with the
 * reason, the task fails and its job is finished.
 */
export async function recoverInterruptedImports(
  deps: ImageQueueDeps,
  whileDead: (workerId: string, recover: () => Promise<void>) => Promise<boolean>,
  selfId?: string,
): Promise<void> {
  const { db } = deps;
  const running = await db.selectFrom('tasks').selectAll().where('operation', '=', IMAGE_IMPORT_OPERATION).where('status', '=', 'running').where('worker_id', 'is not', null).execute();
  for (const task of running) {
    if (task.worker_id === selfId) continue;
    // Only once its worker counts as dead, and while its lock is held here (see liveness.ts).
    await whileDead(task.worker_id!, () => recoverImport(deps, task));
  }
}

async function recoverImport(deps: ImageQueueDeps, task: TaskRow): Promise<void> {
  const { db, pubsub, boss, config, log } = deps;
  const now = await db.selectFrom('tasks').select(['status', 'worker_id']).where('id', '=', task.id).executeTakeFirst();
  if (now?.status !== 'running' || now.worker_id !== task.worker_id) return;
  log.warn({ taskId: task.id, deadWorker: task.worker_id }, 'recovering an import whose worker died');
  await rm(downloadPath(config, task.id), { force: true });
  const imageId = (task.params as { imageId?: string }).imageId;
  const image = imageId ? await markImageFailed(db, imageId, INTERRUPTED) : undefined;
  if (image) {
    // The worker may have died after moving the download into the store: the image is not
    // ready, so no file of it may stay.
    await removeImageFiles(config, image.id);
    await publishImage(db, pubsub, image);
  }
  await new TaskRecorder(db, pubsub, task).finished('failed', INTERRUPTED);
  if (task.job_id) await boss.complete(IMAGE_QUEUE, task.job_id, { recovered: true }).catch(() => {});
}

/** Where an import's download is written until it is checked and accepted. */
function downloadPath(config: Config, taskId: string): string {
  return join(incomingDir(config), `${taskId}.download`);
}

function failureMessage(error: unknown): string {
  if (error instanceof ImageRejectedError) return `The file was refused: ${error.message}`;
  return (error as Error).message || String(error);
}

async function runImport({ db, config, pubsub }: ImageQueueDeps, recorder: TaskRecorder): Promise<void> {
  const params = recorder.task.params as { imageId: string; url: string };
  const temp = downloadPath(config, recorder.task.id);
  try {
    await recorder.step(0, { state: 'running', progress: 0 });
    if (config.testStepHoldDir) await holdAtStep(config.testStepHoldDir, IMAGE_IMPORT_OPERATION, 0);
    await mkdir(incomingDir(config), { recursive: true });
    let last = 0;
    const { bytes, sha256 } = await downloadFile(params.url, temp, {
      allowedNetworks: config.importAllowedNetworks,
      maxBytes: config.imageMaxBytes,
      onProgress: (received, total) => {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        void recorder
          .step(0, total ? { progress: Math.min(99, (received / total) * 100), message: `${mib(received)} of ${mib(total)} MiB` } : { message: `${mib(received)} MiB downloaded` })
          .catch(() => {});
      },
    });
    await recorder.step(0, { state: 'done', progress: 100, message: `${mib(bytes)} MiB, sha256 ${sha256}` });
    await recorder.step(1, { state: 'running' });
    if (config.testStepHoldDir) await holdAtStep(config.testStepHoldDir, IMAGE_IMPORT_OPERATION, 1);
    const image = await registerImageFile(db, config, { imageId: params.imageId, ownerId: null, source: params.url }, temp, { sha256 });
    await publishImage(db, pubsub, image);
    await recorder.step(1, { state: 'done', progress: 100, message: `${image.format}, ${mib(Number(image.virtual_size_bytes))} MiB virtual size` });
  } finally {
    await rm(temp, { force: true });
  }
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Resolves like dns.lookup, refusing a name when any of its addresses is not allowed. */
export function guardedLookup(allowedNetworks: readonly string[]): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { family: options.family ?? 0, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const refused = addresses.find((a) => !addressAllowed(a.address, allowedNetworks));
      if (refused) return callback(new DownloadError(`${hostname} resolves to ${refused.address}, a private, loopback or otherwise non-public address`));
      if (!addresses.length) return callback(new DownloadError(`${hostname} has no address`));
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  }) as LookupFunction;
}

export interface DownloadOptions {
  allowedNetworks: readonly string[];
  maxBytes: number;
  onProgress?: (bytes: number, total: number | null) => void;
}

/**
 * Streams the URL's body to dest (created, must not exist), following up to 5 redirects, each
 * checked again. Returns the size and sha256. A partial dest is removed on failure.
 */
export async function downloadFile(rawUrl: string, dest: string, options: DownloadOptions): Promise<{ bytes: number; sha256: string; url: string }> {
  let url = checkUrl(rawUrl, options.allowedNetworks);
  for (let redirects = 0; ; redirects++) {
    const response = await get(url, options.allowedNetworks);
    const status = response.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status)) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new DownloadError(`The server answered ${status} without a Location`);
      if (redirects >= MAX_REDIRECTS) throw new DownloadError(`More than ${MAX_REDIRECTS} redirects`);
      let next: string;
      try {
        next = new URL(location, url).href;
      } catch {
        throw new DownloadError('The server redirected to an invalid URL');
      }
      url = checkUrl(next, options.allowedNetworks);
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new DownloadError(`The server answered ${status} ${response.statusMessage ?? ''}`.trim());
    }
    const declared = response.headers['content-length'] ? Number(response.headers['content-length']) : null;
    const total = declared !== null && Number.isFinite(declared) ? declared : null;
    if (total !== null && total > options.maxBytes) {
      response.destroy();
      throw new DownloadError(`The file is ${mib(total)} MiB, over the limit of ${mib(options.maxBytes)} MiB (HANGAR_IMAGE_MAX_BYTES)`);
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > options.maxBytes) return callback(new DownloadError(`The file is over the limit of ${mib(options.maxBytes)} MiB (HANGAR_IMAGE_MAX_BYTES)`));
        hash.update(chunk);
        options.onProgress?.(bytes, total);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(response, meter, createWriteStream(dest, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(dest, { force: true });
      if (error instanceof DownloadError) throw error;
      throw new DownloadError(`The download broke off after ${mib(bytes)} MiB: ${(error as Error).message}`);
    }
    if (total !== null && bytes !== total) {
      await rm(dest, { force: true });
      throw new DownloadError(`The download broke off after ${mib(bytes)} of ${mib(total)} MiB`);
    }
    return { bytes, sha256: hash.digest('hex'), url: url.href };
  }
}

function checkUrl(raw: string, allowedNetworks: readonly string[]): URL {
  try {
    return checkImportUrl(raw, allowedNetworks);
  } catch (error) {
    throw new DownloadError(`${(error as Error).message} (${raw.slice(0, 200)})`);
  }
}

/** One GET on a fresh connection whose address is checked once connected (literal IPs skip lookup). */
function get(url: URL, allowedNetworks: readonly string[]): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'GET',
      agent: false,
      lookup: guardedLookup(allowedNetworks),
      headers: { 'user-agent': 'Hangar image import', accept: '*/*', 'accept-encoding': 'identity' },
      timeout: IDLE_TIMEOUT_MS,
    });
    request.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const address = socket.remoteAddress;
        if (!address || !addressAllowed(address, allowedNetworks)) {
          request.destroy(new DownloadError(`The connection went to ${address ?? 'an unknown address'}, a private, loopback or otherwise non-public address`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new DownloadError(`No answer from ${url.host} for ${IDLE_TIMEOUT_MS / 1000} s`)));
    request.on('error', (error) => reject(error instanceof DownloadError ? error : new DownloadError(`Cannot download from ${url.host}: ${describe(error)}`)));
    request.on('response', resolve);
    request.end();
  });
}

function describe(error: Error & { code?: string; cause?: unknown }): string {
  if (error.cause instanceof DownloadError) return error.cause.message;
  return error.code ? `${error.message}` : error.message;
}
