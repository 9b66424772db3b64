// Reads the real libvirt state behind Hangar's back, to check what an operation did.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestHangar } from './hangar.ts';

const run = promisify(execFile);
export const LOCAL_URI = 'qemu:///system';

export async function virsh(...args: string[]): Promise<string> {
  const { stdout } = await run('virsh', ['-c', LOCAL_URI, ...args], { env: { ...process.env, LC_ALL: 'C' } });
  return stdout.trim();
}

/** The domain's state as virsh says it ('running', 'shut off', 'paused'), or null when it does not exist. */
export async function domState(vmId: string): Promise<string | null> {
  try {
    return await virsh('domstate', vmId);
  } catch {
    return null;
  }
}

export async function volumeExists(pool: string, name: string): Promise<boolean> {
  try {
    await virsh('vol-info', '--pool', pool, name);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const TASK_FIELDS = 'id status error operation steps { name state progress message } log { line }';
export const VM_FIELDS = 'id name state stateMessage';

/** Runs a VM mutation and waits for its task to end; returns the finished task. */
export async function vmMutation(t: TestHangar, cookie: string, mutation: string, variables: Record<string, unknown>): Promise<{ vmId: string; task: any; raw: any }> {
  const result = await t.gql(mutation, variables, { cookie });
  const payload = Object.values(result.data ?? {})[0] as any;
  if (!payload?.task) throw new Error(`mutation failed: ${JSON.stringify(result)}`);
  const task = await waitForTask(t, cookie, payload.task.id);
  return { vmId: payload.vm.id, task, raw: payload };
}

export async function waitForTask(t: TestHangar, cookie: string, taskId: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(
    `task ${taskId}`,
    async () => {
      const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Task { ${TASK_FIELDS} } } }`, { id: taskId }, { cookie });
      return data?.node && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(data.node.status) ? data.node : null;
    },
    timeoutMs,
    100,
  );
}

/** The raw VM id (the libvirt domain UUID) behind a global id. */
export function rawId(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1];
}

/** Removes from libvirt every domain and disk of the VMs still in this Hangar's database (a failed test's leftovers). */
export async function removeLeftoverVms(t: TestHangar): Promise<void> {
  const vms = await t.hangar.db.selectFrom('vms').select('id').where('deleted_at', 'is', null).execute();
  for (const { id } of vms) {
    await virsh('destroy', id).catch(() => {});
    // With its snapshots' and checkpoints' records: without them libvirt refuses, and a domain whose disk is gone would stay.
    await virsh('undefine', id, '--nvram', '--snapshots-metadata', '--checkpoints-metadata').catch(() => {});
    const volumes = (await virsh('vol-list', '--pool', 'hangar-disks').catch(() => '')).split('\n').map((l) => l.trim().split(/\s+/)[0]);
    for (const name of volumes.filter((v) => v?.startsWith(id))) await virsh('vol-delete', '--pool', 'hangar-disks', name).catch(() => {});
  }
}
