import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { PublicUser } from '../../db/types.ts';
import type { Config } from '../config.ts';
import { InvalidCredentialsError, ValidationError } from '../errors.ts';
import { isPrivilege, type Privilege } from './privileges.ts';
import { API_TOKEN_PREFIX, SESSION_PREFIX, hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.ts';
import { emailSchema, parseInput, passwordSchema } from './validation.ts';
import { admitLoginAttempt } from './login-throttle.ts';
import { ancestryAlive } from './token-chain.ts';
import { z } from 'zod';

/** Who is asking, read from the database on every request. */
export interface Viewer {
  userId: string;
  /** The user's row, read with the session: `me` needs no second query. */
  user: PublicUser;
  privileges: ReadonlySet<Privilege>;
  sessionId: string | null;
  tokenId: string | null;
  /**
   * A session of a user whose role requires a second factor they have not enrolled: they hold no
   * privilege and only the enrolment fields answer them (second-factor.ts). Never set for a token.
   */
  secondFactorEnrolmentRequired?: boolean;
}

export function hasPrivilege(viewer: Viewer | null, privilege: Privilege): boolean {
  return viewer !== null && viewer.privileges.has(privilege);
}

const privilegesOfUser = sql<string[]>`array(
  select distinct rp.privilege from user_roles ur
  join role_privileges rp on rp.role_id = ur.role_id
  where ur.user_id = u.id)`;

// A role of the user requires a second factor and the user has none yet.
const mustEnrolSecondFactor = sql<boolean>`(
  exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.requires_second_factor)
  and not exists (select 1 from totp_secrets ts where ts.user_id = u.id and ts.confirmed_at is not null)
  and not exists (select 1 from webauthn_credentials wc where wc.user_id = u.id))`;

/** One query per request: the secret's row, its enabled user and that user's privileges. */
export async function resolveViewer(db: Db, secret: string): Promise<Viewer | null> {
  const tokenHash = hashSecret(secret);
  if (secret.startsWith(SESSION_PREFIX)) {
    const row = await db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['u.id', 'u.name', 'u.email', 'u.disabled', 'u.created_at', 'u.updated_at', 's.id as sessionId', privilegesOfUser.as('privileges'), mustEnrolSecondFactor.as('mustEnrol')])
      .where('s.token_hash', '=', tokenHash)
      .where('s.expires_at', '>', sql<Date>`now()`)
      .where('u.disabled', '=', false)
      .executeTakeFirst();
    if (!row) return null;
    // Until they enrol, their rights are none: every privilege check, in the API and beside it, refuses.
    if (row.mustEnrol) return { userId: row.id, user: publicUser(row), privileges: new Set(), sessionId: row.sessionId, tokenId: null, secondFactorEnrolmentRequired: true };
    return { userId: row.id, user: publicUser(row), privileges: toPrivileges(row.privileges), sessionId: row.sessionId, tokenId: null };
  }
  if (secret.startsWith(API_TOKEN_PREFIX)) {
    const row = await db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['u.id', 'u.name', 'u.email', 'u.disabled', 'u.created_at', 'u.updated_at', 't.id as tokenId', 't.privileges as tokenPrivileges', privilegesOfUser.as('privileges')])
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]))
      // A child token ends with any token above it.
      .where(ancestryAlive('t.parent_id'))
      .where('u.disabled', '=', false)
      .executeTakeFirst();
    if (!row) return null;
    // A token never holds more than its owner holds today.
    const owner = toPrivileges(row.privileges);
    const granted = new Set([...toPrivileges(row.tokenPrivileges)].filter((p) => owner.has(p)));
    return { userId: row.id, user: publicUser(row), privileges: granted, sessionId: null, tokenId: row.tokenId };
  }
  return null;
}

/**
 * A user as work done on their behalf without a request sees them (a backup schedule they own):
 * enabled, with the privileges their roles give today; null when disabled or gone. It holds no
 * session or token, so nothing it does outlives or outranks the user's own rights.
 */
export async function viewerOfUser(db: Db, userId: string): Promise<Viewer | null> {
  const row = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.name', 'u.email', 'u.disabled', 'u.created_at', 'u.updated_at', privilegesOfUser.as('privileges'), mustEnrolSecondFactor.as('mustEnrol')])
    .where('u.id', '=', userId)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  if (!row) return null;
  // Like their sessions: until they enrol the second factor their role requires, they hold no privilege.
  return { userId: row.id, user: publicUser(row), privileges: row.mustEnrol ? new Set() : toPrivileges(row.privileges), sessionId: null, tokenId: null };
}

function publicUser(row: PublicUser): PublicUser {
  return { id: row.id, email: row.email, name: row.name, disabled: row.disabled, created_at: row.created_at, updated_at: row.updated_at };
}

function toPrivileges(values: string[] | null): Set<Privilege> {
  return new Set((values ?? []).filter(isPrivilege));
}

const loginSchema = z.object({ email: emailSchema, password: z.string().min(1, 'Enter your password').max(256) });

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export interface NewSession {
  secret: string;
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

/** A right password for an enabled user, and the hash it was checked against. */
export interface CheckedPassword {
  userId: string;
  passwordHash: string;
}

/**
 * Checks the password under throttling per (account, address) pair and per address (login-throttle.ts),
 * then opens a session. The attempt is counted before the password is checked.
 */
export async function login(db: Db, config: Config, attempt: LoginAttempt): Promise<NewSession> {
  const checked = await checkPassword(db, config, attempt);
  return openSession(db, config, checked.userId, attempt, checked.passwordHash);
}

/** The password half of signing in, throttled as login says; a second factor may follow (second-factor.ts). */
export async function checkPassword(db: Db, config: Config, attempt: LoginAttempt): Promise<CheckedPassword> {
  const { email, password } = parseInput(loginSchema, attempt);
  const admitted = await admitLoginAttempt(db, config.login, email, attempt.ip);

  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  const passwordMatches = await verifyPassword(user?.password_hash, password);
  // A failure keeps its charge.
  if (!user || !passwordMatches || user.disabled) throw new InvalidCredentialsError();
  await admitted.succeeded();
  return { userId: user.id, passwordHash: user.password_hash };
}

/**
 * Opens a session for an enabled user whose password is still `checkedPasswordHash` (when given).
 * The user's row is locked while the session is made: a disable or password change that ran after
 * the password was checked (and deleted the user's sessions) makes the sign-in fail instead of
 * leaving a session it never saw.
 */
export async function openSession(db: Db, config: Config, userId: string, client: { ip: string | null; userAgent: string | null }, checkedPasswordHash?: string): Promise<NewSession> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', new Date()).execute();
  const secret = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(Date.now() + config.sessionTtlMs);
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['disabled', 'password_hash']).where('id', '=', userId).forShare().executeTakeFirst();
    if (!user || user.disabled || (checkedPasswordHash !== undefined && user.password_hash !== checkedPasswordHash)) throw new InvalidCredentialsError();
    const { id } = await trx
      .insertInto('sessions')
      .values({ user_id: userId, token_hash: hashSecret(secret), ip: client.ip, user_agent: client.userAgent?.slice(0, 300) ?? null, expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { secret, sessionId: id, userId, expiresAt };
  });
}

export async function closeSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(256),
  newPassword: passwordSchema,
  revokeApiTokens: z.boolean().default(true),
});

/**
 * Changes the viewer's own password and ends every other session of theirs; their API tokens are
 * revoked too unless revokeApiTokens is false.
 */
export async function changePassword(db: Db, viewer: Viewer, input: { currentPassword: string; newPassword: string; revokeApiTokens?: boolean | null }): Promise<void> {
  const { currentPassword, newPassword, revokeApiTokens } = parseInput(changePasswordSchema, { ...input, revokeApiTokens: input.revokeApiTokens ?? undefined });
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', viewer.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, currentPassword))) {
    throw ValidationError.forField('currentPassword', 'The current password is wrong');
  }
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: new Date() }).where('id', '=', viewer.userId).execute();
    let others = trx.deleteFrom('sessions').where('user_id', '=', viewer.userId);
    if (viewer.sessionId) others = others.where('id', '<>', viewer.sessionId);
    await others.execute();
    if (revokeApiTokens) await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', viewer.userId).where('revoked_at', 'is', null).execute();
  });
}
