import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { HostRow, VmRow } from '../../db/types.ts';
import { ConflictError } from '../errors.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import { isPrivilege } from './privileges.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { ancestryAlive } from './token-chain.ts';
import { assertMayActOnVm, canActOnVm, canSeeVm } from './vm-authority.ts';
import type { RequestInfo } from './context.ts';

export const CONSOLE_PATH = '/console';
export const CONSOLE_TICKET_PREFIX = 'hgc_';
export const CONSOLE_TICKET_TTL_SECONDS = 30;

export interface ConsoleTicket {
  /** Shown once; only its hash is stored. */
  ticket: string;
  expiresAt: Date;
  /** Where the browser opens its WebSocket: /console?ticket=… */
  path: string;
}

/**
 * Who may use a console and through which credential: a ticket, and every console opened with one,
 * lives only as long as the session or API token that asked for it and the user's rights.
 */
export interface ConsoleGrant {
  userId: string;
  vmId: string;
  sessionId: string | null;
  tokenId: string | null;
}

/** A console the grant still allows: the user, the running VM and its host. */
export interface ConsoleTarget {
  grant: ConsoleGrant;
  /** The user's email, for the audit log. */
  userEmail: string;
  vm: VmRow;
  host: Pick<HostRow, 'id' | 'name' | 'uri' | 'settings'>;
  /** The request that asked for the ticket. */
  ticketRequestId: string;
}

/** Why a console cannot be opened; `status` is the HTTP status the WebSocket upgrade is refused with. */
export class ConsoleRefusedError extends Error {
  readonly status: 401 | 403 | 409;
  constructor(status: 401 | 403 | 409, message: string) {
    super(message);
    this.name = 'ConsoleRefusedError';
    this.status = status;
  }
}

/** A single-use ticket for the VM's console, valid CONSOLE_TICKET_TTL_SECONDS; the VM must be running. */
export async function createConsoleTicket(db: Db, viewer: Viewer, vmId: string, request: Pick<RequestInfo, 'requestId'>): Promise<ConsoleTicket> {
  const vm = await db.selectFrom('vms').select(['id', 'owner_id', 'state', 'host_id']).where('id', '=', vmId).where('deleted_at', 'is', null).executeTakeFirst();
  // A console is acting (keyboard and mouse on the guest): seeing the VM is not enough.
  assertMayActOnVm(viewer, vm);
  if (vm.state !== 'running' || !vm.host_id) throw new ConflictError(`The VM is ${vm.state}: its console opens only while it runs`);
  const ticket = newSecret(CONSOLE_TICKET_PREFIX);
  // Tickets nobody used are of no use to anyone: clear them on the way.
  await db.deleteFrom('console_tickets').where('expires_at', '<', sql<Date>`now()`).execute();
  // The database's clock sets and checks expiry, so replicas with skewed clocks agree.
  const row = await db
    .insertInto('console_tickets')
    .values({
      token_hash: hashSecret(ticket),
      user_id: viewer.userId,
      vm_id: vm.id,
      session_id: viewer.sessionId,
      api_token_id: viewer.tokenId,
      request_id: request.requestId ?? 'unknown',
      expires_at: sql<Date>`now() + make_interval(secs => ${CONSOLE_TICKET_TTL_SECONDS})`,
    })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return { ticket, expiresAt: row.expires_at, path: `${CONSOLE_PATH}?ticket=${encodeURIComponent(ticket)}` };
}

/**
 * Uses a ticket up (deleting it, so a second use finds nothing) and checks, from the database, that
 * its user may still open the console of a VM that still runs.
 */
export async function redeemConsoleTicket(db: Db, ticket: string): Promise<ConsoleTarget> {
  if (!ticket.startsWith(CONSOLE_TICKET_PREFIX) || ticket.length > 200) throw new ConsoleRefusedError(401, 'The console ticket is invalid, used or expired');
  const row = await db
    .deleteFrom('console_tickets')
    .where('token_hash', '=', hashSecret(ticket))
    .returning(['user_id', 'vm_id', 'session_id', 'api_token_id', 'request_id', sql<boolean>`expires_at > now()`.as('fresh')])
    .executeTakeFirst();
  if (!row?.fresh) throw new ConsoleRefusedError(401, 'The console ticket is invalid, used or expired');
  const grant: ConsoleGrant = { userId: row.user_id, vmId: row.vm_id, sessionId: row.session_id, tokenId: row.api_token_id };
  return { ...(await checkConsoleGrant(db, grant)), ticketRequestId: row.request_id };
}

/**
 * Re-reads the grant's rights: refused with 401 when its credential or user is gone, 403 when the
 * user no longer holds VM.Console or may no longer act on the VM, 409 when the VM does not run.
 */
export async function checkConsoleGrant(db: Db, grant: ConsoleGrant): Promise<Omit<ConsoleTarget, 'ticketRequestId'>> {
  const viewer = await viewerOfGrant(db, grant);
  if (!viewer) throw new ConsoleRefusedError(401, 'Signed out, disabled or revoked: sign in and open the console again');
  if (!hasPrivilege(viewer, 'VM.Console')) throw new ConsoleRefusedError(403, 'You no longer hold VM.Console');
  const vm = await db.selectFrom('vms').selectAll().where('id', '=', grant.vmId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!vm || !canSeeVm(viewer, vm)) throw new ConsoleRefusedError(403, 'You can no longer see this VM');
  if (!canActOnVm(viewer, vm)) throw new ConsoleRefusedError(403, 'You may see this VM but no longer act on it');
  if (vm.state !== 'running' || !vm.host_id) throw new ConsoleRefusedError(409, `The VM is ${vm.state}: its console opens only while it runs`);
  const host = await db.selectFrom('hosts').select(['id', 'name', 'uri', 'settings']).where('id', '=', vm.host_id).executeTakeFirstOrThrow();
  return { grant, userEmail: viewer.user.email, vm, host };
}

/** The grant's user and privileges as they are now, or null when the user or the credential is gone. */
async function viewerOfGrant(db: Db, grant: ConsoleGrant): Promise<Viewer | null> {
  const user = await db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.disabled',
      'u.created_at',
      'u.updated_at',
      sql<string[]>`array(select distinct rp.privilege from user_roles ur join role_privileges rp on rp.role_id = ur.role_id where ur.user_id = u.id)`.as('privileges'),
    ])
    .where('u.id', '=', grant.userId)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  if (!user) return null;
  let privileges = new Set((user.privileges ?? []).filter(isPrivilege));
  if (grant.sessionId) {
    const session = await db.selectFrom('sessions').select('id').where('id', '=', grant.sessionId).where('expires_at', '>', sql<Date>`now()`).executeTakeFirst();
    if (!session) return null;
  }
  if (grant.tokenId) {
    const token = await db
      .selectFrom('api_tokens')
      .select('privileges')
      .where('id', '=', grant.tokenId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .where(ancestryAlive('api_tokens.parent_id'))
      .executeTakeFirst();
    if (!token) return null;
    // A token never holds more than its owner holds today.
    const granted = new Set(token.privileges);
    privileges = new Set([...privileges].filter((p) => granted.has(p)));
  }
  const { privileges: _, ...publicUser } = user;
  return { userId: user.id, user: publicUser, privileges, sessionId: grant.sessionId, tokenId: grant.tokenId };
}
