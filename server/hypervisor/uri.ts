// Which libvirt connection URIs Hangar hands to virsh. libvirt reads a URI's parameters as
// instructions (`?command=` runs a program, the `ext` transport runs one too, `?name=` opens a
// second URI on the far side), so a host URI is parsed strictly here and anything outside the
// forms Hangar supports is refused before any process starts. Pure: services and the hypervisor
// layer both use it (the latter as a last line of defence, at every virsh start).
import { isIPv4, isIPv6 } from 'node:net';

/**
 * driver+transport → transport. `qemu` alone is the local daemon (no host); `qemu+unix` is the same
 * spelled out, allowed because it adds nothing: its one parameter of note, `socket`, needs the
 * installation's setting like anywhere else. ext (runs a program), libssh/libssh2 and other drivers are refused.
 */
const SCHEMES: Record<string, LibvirtUri['transport']> = {
  qemu: 'local',
  'qemu+unix': 'unix',
  'qemu+ssh': 'ssh',
  'qemu+tls': 'tls',
  'qemu+tcp': 'tcp',
};
export const LIBVIRT_URI_SCHEMES = Object.keys(SCHEMES);

/** Parameters that only change how the connection behaves, allowed everywhere. */
export const DEFAULT_URI_PARAMS: readonly string[] = ['no_tty'];

/**
 * Parameters an installation may allow (HANGAR_HOST_URI_ALLOWED_PARAMS): they read files or sockets
 * of the Hangar server's choosing or weaken a check, which is fine when only its administrators
 * add hosts, not for everyone holding Host.Manage.
 */
export const OPTIONAL_URI_PARAMS: readonly string[] = ['keyfile', 'known_hosts', 'known_hosts_verify', 'sshauth', 'no_verify', 'pkipath', 'tls_priority', 'mode', 'proxy', 'socket'];

/** Never allowed, whatever the settings: each names a program to run or another URI to open. */
export const FORBIDDEN_URI_PARAMS: readonly string[] = ['command', 'netcat', 'name'];

export class LibvirtUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LibvirtUriError';
  }
}

export interface LibvirtUri {
  transport: 'local' | 'unix' | 'ssh' | 'tls' | 'tcp';
  user: string | null;
  host: string | null;
  port: number | null;
  path: '/system' | '/session';
  /** Decoded, names in lower case (libvirt compares them without case). */
  params: ReadonlyMap<string, string>;
}

const SHAPE = /^([^:/?#]*):\/\/([^/?#]*)([^?#]*)(?:\?(.*))?$/s;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
// A user name never starts with a dash (ssh would read it as an option) and carries no password.
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
// Decoded parameter values: no spaces, quotes, shell or URI punctuation.
const VALUE = /^[A-Za-z0-9._,:/@+=~%!-]{0,300}$/;

/**
 * Parses a libvirt URI as Hangar allows it: qemu:///system or qemu:///session (also as qemu+unix), or qemu+ssh,
 * qemu+tls, qemu+tcp to a host, with only `allowedParams` (plus DEFAULT_URI_PARAMS) as parameters.
 * Throws LibvirtUriError naming the problem.
 */
export function parseLibvirtUri(uri: string, allowedParams: Iterable<string> = []): LibvirtUri {
  if (typeof uri !== 'string' || uri.length === 0) throw new LibvirtUriError('The URI is empty');
  if (uri.length > 500) throw new LibvirtUriError('The URI is longer than 500 characters');
  // Whitespace, control characters and non-ASCII: libvirt's parser and ours could read them apart.
  if (!/^[\x21-\x7e]+$/.test(uri)) throw new LibvirtUriError('The URI may hold only printable ASCII characters, without spaces');
  if (uri.includes('#')) throw new LibvirtUriError('The URI may not have a fragment (#)');
  const shape = SHAPE.exec(uri);
  if (!shape) throw new LibvirtUriError('A libvirt URI looks like qemu:///system or qemu+ssh://user@host/system');
  const [, scheme, authority, path, query] = shape;
  const transport = SCHEMES[scheme];
  if (!transport) {
    throw new LibvirtUriError(`The URI scheme ${JSON.stringify(scheme)} is not supported: use ${LIBVIRT_URI_SCHEMES.join(', ')} (in lower case)`);
  }
  if (path !== '/system' && path !== '/session') throw new LibvirtUriError('The URI path must be /system or /session');

  let user: string | null = null;
  let host: string | null = null;
  let port: number | null = null;
  if (transport === 'local' || transport === 'unix') {
    if (authority !== '') throw new LibvirtUriError(`${scheme}:/// is this machine\u2019s libvirt and takes no host: use qemu+ssh://, qemu+tls:// or qemu+tcp:// for another one`);
  } else {
    const m = /^(?:([^@]*)@)?(\[[^\]]*\]|[^:@[\]]*)(?::([0-9]{1,5}))?$/.exec(authority);
    if (!m) throw new LibvirtUriError('The URI\u2019s host part is malformed');
    const [, u, h, p] = m;
    if (u !== undefined) {
      if (transport !== 'ssh') throw new LibvirtUriError('Only qemu+ssh:// URIs carry a user name');
      if (!USER.test(u)) throw new LibvirtUriError('The URI\u2019s user name may use letters, digits, dots, dashes and underscores, not start with a dash, and carries no password');
      user = u;
    }
    if (h.startsWith('[')) {
      const literal = h.slice(1, -1);
      if (!isIPv6(literal)) throw new LibvirtUriError('The URI\u2019s host is not a valid IPv6 address');
      host = literal;
    } else {
      if (!(HOSTNAME.test(h) || isIPv4(h))) throw new LibvirtUriError('The URI needs a host name or address (letters, digits, dots and dashes, not starting with a dash)');
      host = h;
    }
    if (p !== undefined) {
      port = Number(p);
      if (port < 1 || port > 65535) throw new LibvirtUriError('The URI\u2019s port must be between 1 and 65535');
    }
  }

  const allowed = new Set([...DEFAULT_URI_PARAMS, ...[...allowedParams].map((p) => p.toLowerCase())]);
  const params = new Map<string, string>();
  if (query !== undefined && query !== '') {
    // libvirt separates parameters with & or ; and percent-decodes names and values (not '+').
    for (const part of query.split(/[&;]/)) {
      if (part === '') throw new LibvirtUriError('The URI has an empty parameter');
      const eq = part.indexOf('=');
      const rawName = eq < 0 ? part : part.slice(0, eq);
      const rawValue = eq < 0 ? '' : part.slice(eq + 1);
      const name = decode(rawName).toLowerCase();
      const value = decode(rawValue);
      if (FORBIDDEN_URI_PARAMS.includes(name)) {
        throw new LibvirtUriError(`The URI parameter ${JSON.stringify(name)} is never allowed: it makes libvirt run a program or open another URI`);
      }
      if (!allowed.has(name)) {
        throw new LibvirtUriError(`The URI parameter ${JSON.stringify(name)} is not allowed here (an installation may allow some with HANGAR_HOST_URI_ALLOWED_PARAMS)`);
      }
      if (params.has(name)) throw new LibvirtUriError(`The URI parameter ${JSON.stringify(name)} is given twice`);
      if (!VALUE.test(value)) throw new LibvirtUriError(`The value of the URI parameter ${JSON.stringify(name)} holds characters that are not allowed`);
      params.set(name, value);
    }
  }
  return { transport, user, host, port, path, params };
}

/** Strict percent-decoding: a stray % or an invalid UTF-8 sequence is refused, not passed on. */
function decode(text: string): string {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) throw new LibvirtUriError('The URI has a malformed percent-encoding');
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw new LibvirtUriError('The URI has a malformed percent-encoding');
  }
  if (!/^[\x21-\x7e]*$/.test(decoded)) throw new LibvirtUriError('The URI\u2019s parameters may hold only printable ASCII characters, without spaces');
  return decoded;
}

/**
 * The last check before virsh starts with a URI: what no installation setting can allow (other
 * drivers and transports, parameters that run programs, option-like hosts) never reaches it.
 */
export function checkVirshUri(uri: string): void {
  parseLibvirtUri(uri, OPTIONAL_URI_PARAMS);
}
