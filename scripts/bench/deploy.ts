// Deploy from an image through Hangar against the same steps by hand, in the same run:
//   Hangar: createVm(imageId, guest) sent → `virsh domstate` says running (deploy_ms), and → the
//   task succeeded, i.e. the guest agent answered (deploy_agent_ready_s);
//   by hand: qemu-img create (overlay on the same cached image, at the VM's disk size, as Hangar
//   makes it) + genisoimage (the same cloud-init documents) + virsh define + virsh start → running
//   (manual_deploy_ms), each command typed into one bash (see OperatorShell).
// Both are timed by the same domstate poll, through one long-lived virsh (see DomainStateProbe):
// neither side pays for process starts from this process, which hosts the Hangar under test.
// Rounds alternate the order; one unmeasured deploy first caches the image on the host.
// Then overlay creation through Hangar's storage layer on a 1 GiB and a 10 GiB image.
// Settings: BENCH_DEPLOY_ROUNDS (3), BENCH_OVERLAY_ROUNDS (9).
import { execFile, spawn } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cloudInitDocuments, hashPassword } from '../../server/hypervisor/cloud-init.ts';
import { domainXml } from '../../server/hypervisor/domain-xml.ts';
import { hypervisorFor } from '../../server/hypervisor/libvirt-hypervisor.ts';
import type { BenchContext } from './lib/context.ts';
import { DomainStateProbe, LIBVIRT_URI, payloadOf, sleep, startLibvirtHangar, timeToRunning, virsh, type LibvirtHangar } from './lib/libvirt-hangar.ts';
import { median } from './lib/stats.ts';

export const TARGET_RATIO = 1.2;
const GiB = 1024 ** 3;
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const SIZE = { vcpus: 1, memoryMb: 512, diskGb: 4 };
const GUEST = { hostname: 'bench', username: 'bench', password: 'bench-password-1', timezone: 'UTC' };

async function testImage(): Promise<string> {
  const { stdout } = await run('bash', [join(root, 'scripts', 'build-test-image')], { maxBuffer: 1 << 20 });
  return stdout.trim();
}

export async function uploadImage(h: LibvirtHangar, path: string): Promise<string> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: 'mutation($input: ImageInput!, $file: Upload!) { uploadImage(input: $input, file: $file) { __typename ... on Image { id } ... on Error { message } } }', variables: { input: { name: 'bench image', cloudInit: true }, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', await openAsBlob(path), 'bench.qcow2');
  const response = await fetch(`${h.url}/graphql`, { method: 'POST', body: form, headers: { cookie: h.cookie, 'x-hangar-csrf': '1' } });
  const body = (await response.json()) as any;
  if (body.data?.uploadImage?.__typename !== 'Image') throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return body.data.uploadImage.id;
}

/**
 * The by-hand commands typed into one bash, as an operator does: each tool starts from a small
 * shell. Spawned from this process (Hangar runs in it, hundreds of MB), every tool would first
 * cost a fork that blocks for tens of milliseconds, which no operator pays.
 */
export class OperatorShell {
  private readonly child = spawn('bash', ['--noprofile', '--norc'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  private out = '';
  private err = '';
  private count = 0;
  private wake: (() => void) | null = null;

  constructor() {
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((this.out += chunk), this.wake?.()));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((this.err += chunk), this.wake?.()));
    this.child.on('close', () => this.wake?.());
  }

  /** Runs one command line (arguments quoted for bash); throws with its stderr when it fails. */
  async run(...argv: string[]): Promise<void> {
    const token = `done-${process.pid}-${this.count++}`;
    this.out = '';
    this.err = '';
    this.child.stdin.write(`${argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')} </dev/null; echo "${token} $?"\n`);
    let match: RegExpExecArray | null;
    while (!(match = new RegExp(`^${token} (\\d+)$`, 'm').exec(this.out))) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the operator shell ended: ${this.err}`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (match[1] !== '0') throw new Error(`${argv.slice(0, 2).join(' ')} failed (${match[1]}): ${this.err.trim()}`);
  }

  close(): void {
    this.child.stdin.end();
  }
}

export async function benchDeploy(ctx: BenchContext): Promise<void> {
  const rounds = Math.round(Number(process.env.BENCH_DEPLOY_ROUNDS ?? 3));
  if (!Number.isFinite(rounds) || rounds < 1) throw new Error(`BENCH_DEPLOY_ROUNDS must be at least 1, not ${process.env.BENCH_DEPLOY_ROUNDS}`);
  const imagePath = await testImage();
  const h = await startLibvirtHangar();
  const probe = new DomainStateProbe();
  const operator = new OperatorShell();
  const workDir = `/var/lib/libvirt/images/hangar-bench-${process.pid}`;
  const leftovers = new Set<string>();
  try {
    ctx.note(`deploy: Hangar at ${h.url}; image ${imagePath}; ${rounds} rounds`);
    const imageId = await uploadImage(h, imagePath);
    const deployViaHangar = async () => {
      let domain: string | null = null;
      let taskId = '';
      const sent = performance.now();
      const deployMs = await timeToRunning(
        () => domain,
        async () => {
          const payload = payloadOf(await h.call(`mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, { i: { name: 'bench deploy', ...SIZE, imageId, guest: GUEST } }));
          domain = Buffer.from(payload.vm.id, 'base64').toString('utf8').split(':')[1];
          leftovers.add(payload.vm.id);
          taskId = payload.task.id;
        },
        120_000,
        10,
        probe,
      );
      const task = await h.taskDone(taskId, 15 * 60_000, 100);
      const agentMs = performance.now() - sent;
      if (task.status !== 'SUCCEEDED') throw new Error(`deploy task ${task.status}: ${task.error}`);
      return { deployMs, agentMs, vmId: [...leftovers].pop()! };
    };
    const deleteVm = async (vmId: string) => {
      const payload = payloadOf(await h.call(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmId }));
      const task = await h.taskDone(payload.task.id);
      if (task.status !== 'SUCCEEDED') throw new Error(`delete task ${task.status}: ${task.error}`);
      leftovers.delete(vmId);
    };

    // Unmeasured: puts the image in the host's cache, as any image's first deploy does.
    const warm = await deployViaHangar();
    ctx.note(`deploy: first deploy (caches the image) ${warm.deployMs.toFixed(0)} ms to running, ${(warm.agentMs / 1000).toFixed(1)} s to agent`);
    await deleteVm(warm.vmId);
    const cached = (await virsh('vol-list', '--pool', 'hangar-images')).split('\n').map((l) => l.trim().split(/\s+/)).find(([name]) => name?.startsWith('image-'))?.[1];
    if (!cached) throw new Error('no cached image in pool hangar-images');

    await mkdir(workDir, { recursive: true });
    const byHand = async (round: number) => {
      const id = crypto.randomUUID();
      const disk = join(workDir, `${id}.qcow2`);
      const seed = join(workDir, `${id}-seed.iso`);
      const docs = cloudInitDocuments({ instanceId: id, hostname: GUEST.hostname, user: GUEST.username, passwordHash: hashPassword(GUEST.password), sshKeys: [], timezone: GUEST.timezone, firstBootScript: null, network: null });
      const domain = `hangar-${id}`;
      leftovers.add(`manual:${id}`);
      const ms = await timeToRunning(
        () => domain,
        async () => {
          // One step at the final size, as Hangar does (its "Grow the disk" has nothing left to do).
          await operator.run('qemu-img', 'create', '-f', 'qcow2', '-F', 'qcow2', '-b', cached, disk, String(SIZE.diskGb * GiB));
          const dir = join(workDir, `seed-${round}`);
          await mkdir(dir, { recursive: true });
          await Promise.all([writeFile(join(dir, 'user-data'), docs.userData), writeFile(join(dir, 'meta-data'), docs.metaData)]);
          await operator.run('genisoimage', '-quiet', '-output', seed, '-volid', 'cidata', '-joliet', '-rock', join(dir, 'user-data'), join(dir, 'meta-data'));
          const xml = join(dir, 'domain.xml');
          await writeFile(xml, domainXml({ id, title: 'manual', description: '', domainType: 'qemu', vcpus: SIZE.vcpus, memoryMb: SIZE.memoryMb, disks: [{ path: disk, format: 'qcow2' }], seedPath: seed, vncListen: '127.0.0.1', guestAgent: true }));
          await operator.run('virsh', '-c', LIBVIRT_URI, 'define', xml);
          await operator.run('virsh', '-c', LIBVIRT_URI, 'start', domain);
        },
        120_000,
        10,
        probe,
      );
      await virsh('destroy', domain).catch(() => {});
      await virsh('undefine', domain).catch(() => {});
      await rm(disk, { force: true });
      await rm(seed, { force: true });
      leftovers.delete(`manual:${id}`);
      return ms;
    };

    const hangarMs: number[] = [];
    const agentMs: number[] = [];
    const manualMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['hangar', 'manual'] as const) : (['manual', 'hangar'] as const);
      for (const which of order) {
        if (which === 'manual') manualMs.push(await byHand(round));
        else {
          const result = await deployViaHangar();
          hangarMs.push(result.deployMs);
          agentMs.push(result.agentMs);
          await deleteVm(result.vmId);
        }
        await sleep(500);
      }
      ctx.note(`deploy: round ${round + 1}: hangar ${hangarMs[round].toFixed(0)} ms (agent ${(agentMs[round] / 1000).toFixed(1)} s), by hand ${manualMs[round].toFixed(0)} ms`);
    }
    const deployMs = median(hangarMs);
    const manual = median(manualMs);
    ctx.figure('deploy_ms', deployMs, 'ms');
    ctx.figure('manual_deploy_ms', manual, 'ms');
    ctx.figure('deploy_vs_manual_ratio', deployMs / manual, 'ratio');
    ctx.figure('deploy_agent_ready_s', median(agentMs) / 1000, 's');
    ctx.note(deployMs / manual <= TARGET_RATIO ? `deploy: target met (<= ${TARGET_RATIO})` : `deploy: TARGET MISSED, ratio ${(deployMs / manual).toFixed(3)} > ${TARGET_RATIO}`);

    await benchOverlays(ctx, workDir);
  } finally {
    for (const vm of leftovers) {
      const id = vm.startsWith('manual:') ? vm.slice(7) : Buffer.from(vm, 'base64').toString('utf8').split(':')[1];
      await virsh('destroy', id).catch(() => {});
      await virsh('undefine', id, '--nvram').catch(() => {});
      for (const name of [`${id}.qcow2`, `${id}-seed.iso`]) await virsh('vol-delete', '--pool', 'hangar-disks', name).catch(() => {});
    }
    probe.close();
    operator.close();
    await rm(workDir, { recursive: true, force: true });
    await h.stop().catch((error: Error) => ctx.note(`deploy: Hangar stop failed: ${error.message}`));
  }
}

/** Overlay creation is O(1): a 10 GiB image must cost about what a 1 GiB one does. */
async function benchOverlays(ctx: BenchContext, workDir: string): Promise<void> {
  const rounds = Math.max(3, Math.round(Number(process.env.BENCH_OVERLAY_ROUNDS ?? 9)));
  const pool = `hangar-bench-${process.pid}`;
  const v = hypervisorFor({ uri: LIBVIRT_URI });
  const dir = join(workDir, 'overlay-pool');
  await v.ensurePool(pool, dir);
  try {
    const figures: Record<string, number> = {};
    for (const gib of [1, 10]) {
      // A base image with data in it (not only a header): 64 MiB written at its start.
      const base = join(workDir, `base-${gib}g.qcow2`);
      await run('qemu-img', ['create', '-f', 'qcow2', base, `${gib}G`]);
      await run('qemu-io', ['-c', 'write -P 0x5a 0 64M', base]).catch(() => {});
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const name = `overlay-${gib}g-${i}.qcow2`;
        const started = performance.now();
        await v.createOverlay(pool, name, base, gib * GiB, 'qcow2');
        times.push(performance.now() - started);
        await v.deleteVolume(pool, name);
      }
      figures[gib] = median(times);
    }
    ctx.figure('overlay_1g_ms', figures[1], 'ms');
    ctx.figure('overlay_10g_ms', figures[10], 'ms');
    ctx.note(`deploy: overlay 10 GiB / 1 GiB = ${(figures[10] / figures[1]).toFixed(2)} (target <= 1.5)`);
  } finally {
    await v.run(['pool-destroy', pool]).catch(() => {});
    await v.run(['pool-undefine', pool]).catch(() => {});
  }
}

