// A host's domains (one per VM, named hangar-<VM id>, addressed by the VM id): their state,
// definition and power. Each call is idempotent where the wanted state may already hold.
import { checkId, unless, vmIdFromDomainName, type VirshRunner } from './virsh-runner.ts';

export type DomainState = 'running' | 'paused' | 'shutoff' | 'shutdown' | 'crashed' | 'pmsuspended' | 'blocked' | 'nostate';

/** libvirt's virDomainState numbering, as printed by `domstats --state`. */
const STATES: DomainState[] = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

const NOT_RUNNING = /domain is not running|Domain not found|failed to get domain/i;
const NO_DOMAIN = /Domain not found|failed to get domain/i;

/** `domstats --state` output → domain name → state. */
function parseDomstats(stdout: string): Map<string, DomainState> {
  const states = new Map<string, DomainState>();
  let current: string | null = null;
  for (const line of stdout.split('\n').map((l) => l.trim())) {
    const domain = /^Domain: '(.*)'$/.exec(line);
    if (domain) current = domain[1];
    const state = /^state\.state=(\d+)$/.exec(line);
    if (state && current !== null) states.set(current, STATES[Number(state[1])] ?? 'nostate');
  }
  return states;
}

/** null when libvirt has no such domain. */
export async function domainState(virsh: VirshRunner, id: string): Promise<DomainState | null> {
  try {
    const { stdout } = await virsh.run(['domstats', '--state', checkId(id)]);
    return [...parseDomstats(stdout).values()][0] ?? null;
  } catch (error) {
    if (error instanceof Error && NO_DOMAIN.test(error.message)) return null;
    throw error;
  }
}

/**
 * States of all our domains (running or not) in one call, keyed by VM id. Over a connection of
 * its own: the periodic reconcile that calls it is how a host that no longer takes connections
 * is found out, which a shell connected since before would hide.
 */
export async function listStates(virsh: VirshRunner): Promise<Map<string, DomainState>> {
  const { stdout } = await virsh.runAlone(['domstats', '--state']);
  const states = new Map<string, DomainState>();
  for (const [name, state] of parseDomstats(stdout)) {
    const vmId = vmIdFromDomainName(name);
    if (vmId) states.set(vmId, state);
  }
  return states;
}

/** Defines or redefines (same UUID) a persistent domain. */
export async function define(virsh: VirshRunner, xml: string): Promise<void> {
  await virsh.runWithXml((file) => ['define', '--file', file], xml);
}

/** Absent is fine. A running domain becomes transient and vanishes when it stops: destroy it first. */
export async function undefine(virsh: VirshRunner, id: string): Promise<void> {
  // --nvram / --managed-save: otherwise libvirt refuses to undefine UEFI guests or guests with a saved state.
  await virsh.run(['undefine', '--domain', checkId(id), '--nvram', '--managed-save', '--snapshots-metadata', '--checkpoints-metadata']).catch(unless(NO_DOMAIN));
}

/** Already running is fine. */
export async function start(virsh: VirshRunner, id: string): Promise<void> {
  await virsh.run(['start', '--domain', checkId(id)]).catch(unless(/already active|already running/i));
}

/** Hard power-off; not running or absent is fine. */
export async function destroy(virsh: VirshRunner, id: string): Promise<void> {
  await virsh.run(['destroy', '--domain', checkId(id)]).catch(unless(NOT_RUNNING));
}

/** Asks the guest to power off (ACPI power button); returns once the request is delivered. */
export async function shutdown(virsh: VirshRunner, id: string): Promise<void> {
  await virsh.run(['shutdown', '--domain', checkId(id), '--mode', 'acpi']);
}

export async function reboot(virsh: VirshRunner, id: string): Promise<void> {
  await virsh.run(['reboot', '--domain', checkId(id)]);
}

/** Hard reset, like the reset button. */
export async function reset(virsh: VirshRunner, id: string): Promise<void> {
  await virsh.run(['reset', '--domain', checkId(id)]);
}

export async function suspend(virsh: VirshRunner, id: string): Promise<void> {
  await virsh.run(['suspend', '--domain', checkId(id)]);
}

/** Already running is fine (a retried resume; libvirt answers "domain is already running"). */
export async function resume(virsh: VirshRunner, id: string): Promise<void> {
  await virsh.run(['resume', '--domain', checkId(id)]).catch(unless(/domain is already running/i));
}
