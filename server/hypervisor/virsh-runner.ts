// The core every virsh caller in hypervisor/ shares: one libvirt URI driven through
// `virsh -c URI …`, the checks on the names we pass it, and the XML tools for its documents.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { runCommand, type CommandResult } from './command.ts';
import { HypervisorError } from './errors.ts';
import { runInShell } from './virsh-shell.ts';

export const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
export const xmlBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: false, processEntities: true });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Pool and volume names we use: no whitespace (vol-list prints columns), no leading dash (never an option). */
const STORAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function domainName(vmId: string): string {
  return `hangar-${vmId}`;
}

/** The VM id of one of our domains, or null for any other domain (including probe guests). */
export function vmIdFromDomainName(name: string): string | null {
  const match = /^hangar-(.+)$/.exec(name);
  return match && UUID.test(match[1]) ? match[1].toLowerCase() : null;
}

export function checkId(id: string): string {
  // A UUID can never be taken by virsh for an option or for another domain's name.
  if (!UUID.test(id)) throw new HypervisorError(`invalid VM id: ${JSON.stringify(id)}`, 'virsh');
  return id;
}

export function checkStorageName(kind: string, name: string): string {
  if (!STORAGE_NAME.test(name)) throw new HypervisorError(`invalid ${kind} name: ${JSON.stringify(name)}`, 'virsh');
  return name;
}

export function checkSize(bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new HypervisorError(`invalid volume size: ${bytes}`, 'virsh');
}

/** Idempotence: swallow the libvirt error meaning "already as wanted", rethrow anything else. */
export function unless(pattern: RegExp): (error: unknown) => void {
  return (error) => {
    if (!(error instanceof Error && pattern.test(error.message))) throw error;
  };
}

/** Calls action with a private file holding xml (virsh reads it on this side, so remote URIs work). */
export async function withXmlFile<T>(xml: string, action: (file: string) => Promise<T>): Promise<T> {
  // Node's child stdin is a socket, which virsh cannot open as /dev/stdin: use a private file.
  const dir = await mkdtemp(join(tmpdir(), 'hangar-xml-'));
  const file = join(dir, 'document.xml');
  try {
    await writeFile(file, xml, { mode: 0o600 });
    return await action(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * One libvirt connection URI, driven through `virsh -c URI …`: long-lived shells shared by every
 * runner of the URI (see virsh-shell.ts), or a child process per command where a shell cannot serve.
 */
export class VirshRunner {
  readonly uri: string;
  readonly timeoutMs: number;

  constructor(uri: string, timeoutMs = 15_000) {
    this.uri = uri;
    this.timeoutMs = timeoutMs;
  }

  async run(args: string[], timeoutMs = this.timeoutMs): Promise<CommandResult> {
    const label = `virsh ${args.find((a) => !a.startsWith('-')) ?? ''}`.trim();
    const inShell = runInShell(this.uri, args, label, timeoutMs);
    const result = inShell && (await inShell);
    return result ?? this.runAlone(args, timeoutMs);
  }

  /** A virsh process of its own, never a shared shell. */
  runAlone(args: string[], timeoutMs = this.timeoutMs): Promise<CommandResult> {
    // --quiet drops decoration; -c pins the URI so the environment cannot redirect us.
    return runCommand('virsh', ['--quiet', '-c', this.uri, ...args], { timeoutMs });
  }

  /** Runs a command that reads an XML document from a file. */
  runWithXml(args: (file: string) => string[], xml: string): Promise<CommandResult> {
    return withXmlFile(xml, (file) => this.run(args(file)));
  }
}
