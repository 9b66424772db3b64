import { HypervisorError } from './errors.ts';
import { domainName, VirshRunner } from './virsh-runner.ts';

/** Where a running domain's VNC server accepts TCP connections. */
export interface VncEndpoint {
  host: string;
  port: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// virsh prints vnc://ADDRESS:DISPLAY, the display being the TCP port minus 5900.
const VNC_DISPLAY = /^vnc:\/\/(?:\[[^\]]*\]|[^\s/]*?):(\d+)(?:[/?].*)?$/;
const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * The VNC endpoint of a VM's domain: the port from libvirt (autoport picks it at start), the
 * address from the host's vncListen; a wildcard listen is reached at the URI's host name.
 */
export async function vncEndpoint(uri: string, vmId: string, vncListen: string, timeoutMs = 10_000): Promise<VncEndpoint> {
  if (!UUID.test(vmId)) throw new HypervisorError(`invalid VM id: ${JSON.stringify(vmId)}`, 'virsh');
  const { stdout } = await new VirshRunner(uri, timeoutMs).run(['domdisplay', '--type', 'vnc', domainName(vmId)]);
  const display = VNC_DISPLAY.exec(stdout.trim());
  if (!display) throw new HypervisorError(`the domain has no VNC display (virsh said ${JSON.stringify(stdout.trim().slice(0, 200))})`, 'virsh domdisplay');
  return { host: WILDCARD.has(vncListen) ? uriHost(uri) : vncListen, port: 5900 + Number(display[1]) };
}

/** The host name of a libvirt URI, or loopback for a local one (qemu:///system, qemu+unix://…). */
export function uriHost(uri: string): string {
  let host = '';
  try {
    host = new URL(uri).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    // An unparsable URI never reaches here (hosts are validated); fall back to loopback.
  }
  return host || '127.0.0.1';
}
