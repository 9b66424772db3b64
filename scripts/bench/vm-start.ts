// VM start through Hangar against `virsh start` by hand, in the same run on the same domain.
// An in-process Hangar (API + worker, local libvirt registered as host `local`) on a fresh Postgres
// database and Redis creates one small VM (not started). Each round then starts it twice, in
// alternating order: through Hangar (GraphQL startVm sent → `virsh domstate` says running) and by
// hand (`virsh start` spawned → `virsh domstate` says running), powering it off by hand in between
// and waiting until Hangar has seen it stopped. Both paths are timed by the same domstate poll.
// Settings: BENCH_VM_START_ROUNDS (7), BENCH_REDIS_URL / TEST_REDIS_URL (redis://127.0.0.1:6379).
import type { BenchContext } from './lib/context.ts';
import { domState, payloadOf, sleep, startLibvirtHangar, timeToRunning, virsh, waitFor, type LibvirtHangar } from './lib/libvirt-hangar.ts';
import { median } from './lib/stats.ts';

export const TARGET_RATIO = 1.5;
const POLL_MS = 10;

export async function benchVmStart(ctx: BenchContext): Promise<void> {
  const rounds = Math.round(Number(process.env.BENCH_VM_START_ROUNDS ?? 7));
  if (!Number.isFinite(rounds) || rounds < 5) throw new Error(`BENCH_VM_START_ROUNDS must be at least 5, not ${process.env.BENCH_VM_START_ROUNDS}`);
  let h: LibvirtHangar | undefined;
  let vmGlobalId: string | null = null;
  let domain: string | null = null;
  const call = (query: string, variables?: Record<string, unknown>) => h!.call(query, variables);
  const taskDone = (taskId: string) => h!.taskDone(taskId);
  const vmState = async () => String((await call(`query($id: ID!) { node(id: $id) { ... on Vm { state } } }`, { id: vmGlobalId })).body.data?.node?.state ?? '').toLowerCase();

  /** Powers the domain off by hand and waits until libvirt and Hangar both say stopped. */
  const powerOff = async () => {
    await virsh('destroy', domain!).catch(() => {});
    await waitFor(`${domain} shut off`, async () => (await domState(domain!)) === 'shut off', 30_000, POLL_MS);
    const seen = await waitFor('Hangar to see the VM stopped', async () => (await vmState()) === 'stopped', 15_000, 50).catch(() => false);
    if (!seen) ctx.note('vm-start: Hangar did not show the VM stopped within 15 s; going on');
    await sleep(300);
  };

  try {
    h = await startLibvirtHangar();
    ctx.note(`vm-start: Hangar (api + worker) at ${h.url}; ${rounds} rounds`);

    const name = `bench-start-${process.pid}`;
    const created = payloadOf(
      await call(
        `mutation($input: CreateVmInput!) { createVm(input: $input) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`,
        { input: { name, vcpus: 1, memoryMb: 128, diskGb: 1, start: false } },
      ),
    );
    vmGlobalId = created.vm.id as string;
    domain = Buffer.from(vmGlobalId, 'base64').toString('utf8').split(':')[1];
    const createTask = await taskDone(created.task.id);
    if (createTask.status !== 'SUCCEEDED') throw new Error(`createVm task ${createTask.status}: ${createTask.error}`);
    ctx.note(`vm-start: VM ${name} made, domain ${domain} is ${await domState(domain)}`);

    const viaHangar = async () => {
      let taskId = '';
      const ms = await timeToRunning(() => domain, async () => {
        taskId = payloadOf(await call(`mutation($id: ID!) { startVm(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } } }`, { id: vmGlobalId })).task.id;
      });
      const task = await taskDone(taskId);
      if (task.status !== 'SUCCEEDED') throw new Error(`startVm task ${task.status}: ${task.error}`);
      return ms;
    };
    const byHand = () => timeToRunning(() => domain, () => virsh('start', domain!));

    // One unmeasured start of each, so first-start effects (page cache, qemu binary) hit neither.
    await viaHangar();
    await powerOff();
    await byHand();
    await powerOff();

    const hangarMs: number[] = [];
    const virshMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['hangar', 'virsh'] as const) : (['virsh', 'hangar'] as const);
      for (const which of order) {
        if (which === 'hangar') hangarMs.push(await viaHangar());
        else virshMs.push(await byHand());
        await powerOff();
      }
      ctx.note(`vm-start: round ${round + 1}: hangar ${hangarMs[round].toFixed(0)} ms, virsh ${virshMs[round].toFixed(0)} ms`);
    }

    const vmStartMs = median(hangarMs);
    const virshStartMs = median(virshMs);
    const ratio = vmStartMs / virshStartMs;
    ctx.figure('vm_start_ms', vmStartMs, 'ms');
    ctx.figure('virsh_start_ms', virshStartMs, 'ms');
    ctx.figure('start_vs_virsh_ratio', ratio, 'ratio');
    ctx.note(
      ratio <= TARGET_RATIO
        ? `vm-start: target met, ratio ${ratio.toFixed(3)} <= ${TARGET_RATIO}`
        : `vm-start: TARGET MISSED, ratio ${ratio.toFixed(3)} > ${TARGET_RATIO} (Hangar ${vmStartMs.toFixed(0)} ms vs virsh ${virshStartMs.toFixed(0)} ms)`,
    );
  } finally {
    if (h && vmGlobalId && domain) {
      try {
        await virsh('destroy', domain).catch(() => {});
        const deleted = payloadOf(await call(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } } }`, { id: vmGlobalId }));
        const task = await taskDone(deleted.task.id);
        if (task.status !== 'SUCCEEDED') throw new Error(`deleteVm task ${task.status}: ${task.error}`);
      } catch (error) {
        ctx.note(`vm-start: deleteVm failed (${error instanceof Error ? error.message : String(error)}); removing the domain and its disk by hand`);
        await virsh('destroy', domain).catch(() => {});
        await virsh('undefine', domain, '--nvram').catch(() => virsh('undefine', domain!).catch(() => {}));
        await virsh('vol-delete', '--pool', 'hangar-disks', `${domain}.qcow2`).catch(() => {});
      }
    }
    await h?.stop().catch((error: Error) => ctx.note(`vm-start: Hangar stop failed: ${error.message}`));
  }
}
