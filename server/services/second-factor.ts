// Second factors (issue 23): TOTP (RFC 6238, otplib), passkeys and security keys (WebAuthn,
// @simplewebauthn/server) and ten one-time recovery codes; sign-in in two steps; roles that
// require a second factor; an administrator clearing a user's factors.
import { randomInt } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { sql } from 'kysely';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import { ConflictError, InvalidCredentialsError, NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import { checkPassword, openSession, type NewSession } from './auth.ts';
import { actorOf, type RequestInfo, type ServiceContext } from './context.ts';
import { admitLoginAttempt } from './login-throttle.ts';
import { hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.ts';
import { publishUserUpdated } from './user-events.ts';
import { assertMayActOnUser } from './user-authority.ts';

export type SecondFactorMethod = 'TOTP' | 'PASSKEY' | 'RECOVERY_CODE';

const PENDING_PREFIX = 'hgp_';
const PENDING_TTL_MS = 5 * 60_000;
/** Tries one pending sign-in allows before the password must be given again. */
const PENDING_MAX_ATTEMPTS = 5;
const REGISTRATION_TTL_MS = 5 * 60_000;
const TOTP_PERIOD_SECONDS = 30;
const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are read off paper.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const ISSUER = 'Hangar';

/**
 * WebAuthn's relying party: the host of HANGAR_PUBLIC_URL when set (production behind a proxy
 * should set it), otherwise the Host header of the request. Browsers allow WebAuthn only in a
 * secure context (https, or http://localhost) and never on an IP address as the RP ID.
 */
export function relyingParty(config: Pick<Config, 'publicUrl'>, request: Pick<RequestInfo, 'host'>): { id: string; origin: string } {
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    return { id: url.hostname, origin: url.origin };
  }
  try {
    if (!request.host) throw new Error('no host');
    const url = new URL(`http://${request.host}`);
    return { id: url.hostname, origin: url.origin };
  } catch {
    throw new ValidationError('Passkeys need the request\'s Host header or HANGAR_PUBLIC_URL');
  }
}

/** The second factors a user has on (recovery codes count only beside another factor). */
export async function methodsOf(db: Db, userId: string): Promise<SecondFactorMethod[]> {
  return (await methodsOfUsers(db, [userId]))[0];
}

export async function methodsOfUsers(db: Db, userIds: readonly string[]): Promise<SecondFactorMethod[][]> {
  if (userIds.length === 0) return [];
  const ids = [...userIds];
  const [totp, passkeys, codes] = await Promise.all([
    db.selectFrom('totp_secrets').select('user_id').where('user_id', 'in', ids).where('confirmed_at', 'is not', null).execute(),
    db.selectFrom('webauthn_credentials').select('user_id').distinct().where('user_id', 'in', ids).execute(),
    db.selectFrom('recovery_codes').select('user_id').distinct().where('user_id', 'in', ids).where('used_at', 'is', null).execute(),
  ]);
  return ids.map((id) => {
    const methods: SecondFactorMethod[] = [];
    if (totp.some((r) => r.user_id === id)) methods.push('TOTP');
    if (passkeys.some((r) => r.user_id === id)) methods.push('PASSKEY');
    if (methods.length && codes.some((r) => r.user_id === id)) methods.push('RECOVERY_CODE');
    return methods;
  });
}

// ─── Signing in ────────────────────────────────────────────────────────────────────────────────

export type SignInResult =
  | { kind: 'signed-in'; session: NewSession }
  | { kind: 'second-factor'; token: string; expiresAt: Date; methods: SecondFactorMethod[]; passkeyOptions: string | null };

/** The first step: the password (throttled), then a session, or a pending sign-in when the user has a second factor. */
export async function signIn(ctx: ServiceContext, input: { email: string; password: string }): Promise<SignInResult> {
  const client = { ip: ctx.requestInfo.ip, userAgent: ctx.requestInfo.userAgent };
  const checked = await checkPassword(ctx.db, ctx.config, { ...input, ...client });
  return sessionOrSecondFactor(ctx, checked.userId, checked.passwordHash);
}

/**
 * After a first factor (a password, or an OIDC provider's answer, oidc.ts): a session, or a
 * pending sign-in when the user has a second factor. `passwordHash` is the hash a password was
 * checked against: a change of password before the second step voids the sign-in.
 */
export async function sessionOrSecondFactor(ctx: ServiceContext, userId: string, passwordHash?: string): Promise<SignInResult> {
  const client = { ip: ctx.requestInfo.ip, userAgent: ctx.requestInfo.userAgent };
  const checked = { userId, passwordHash: passwordHash ?? null };
  const methods = await methodsOf(ctx.db, checked.userId);
  if (methods.length === 0) return { kind: 'signed-in', session: await openSession(ctx.db, ctx.config, checked.userId, client, passwordHash) };

  let passkeyOptions: string | null = null;
  let challenge: string | null = null;
  if (methods.includes('PASSKEY')) {
    const rp = relyingParty(ctx.config, ctx.requestInfo);
    const credentials = await ctx.db.selectFrom('webauthn_credentials').select(['credential_id', 'transports']).where('user_id', '=', checked.userId).execute();
    const options = await generateAuthenticationOptions({
      rpID: rp.id,
      allowCredentials: credentials.map((c) => ({ id: c.credential_id, transports: c.transports as AuthenticatorTransport[] })),
      userVerification: 'preferred',
    });
    challenge = options.challenge;
    passkeyOptions = JSON.stringify(options);
  }
  await ctx.db.deleteFrom('second_factor_challenges').where('expires_at', '<=', new Date()).execute();
  const token = newSecret(PENDING_PREFIX);
  const expiresAt = new Date(Date.now() + PENDING_TTL_MS);
  await ctx.db
    .insertInto('second_factor_challenges')
    .values({ user_id: checked.userId, purpose: 'login', token_hash: hashSecret(token), password_hash: checked.passwordHash, webauthn_challenge: challenge, expires_at: expiresAt })
    .execute();
  return { kind: 'second-factor', token, expiresAt, methods, passkeyOptions };
}

export interface SecondFactorProof {
  token: string;
  totpCode?: string | null;
  recoveryCode?: string | null;
  /** The browser's PublicKeyCredential as JSON (@simplewebauthn/browser's startAuthentication). */
  passkeyResponse?: string | null;
}

/**
 * The second step: one proof for a pending sign-in, then the session. Each try counts against the
 * pending sign-in (five, then the password again) and against the same throttle as passwords.
 */
export async function verifySecondFactor(ctx: ServiceContext, proof: SecondFactorProof): Promise<NewSession> {
  const given = [proof.totpCode, proof.recoveryCode, proof.passkeyResponse].filter((v) => v != null && v !== '');
  if (given.length !== 1) throw new ValidationError('Give one of totpCode, recoveryCode or passkeyResponse');
  const { db } = ctx;
  const pending = await db
    .updateTable('second_factor_challenges')
    .set({ attempts: sql`attempts + 1` })
    .where('token_hash', '=', hashSecret(proof.token))
    .where('purpose', '=', 'login')
    .where('expires_at', '>', new Date())
    .where('attempts', '<', PENDING_MAX_ATTEMPTS)
    .returningAll()
    .executeTakeFirst();
  if (!pending) throw new InvalidCredentialsError('This sign-in has expired or had too many tries: sign in again with your password');
  const admitted = await admitLoginAttempt(db, ctx.config.login, `second-factor:${pending.user_id}`, ctx.requestInfo.ip);

  if (proof.totpCode) {
    if (!(await acceptTotpCode(db, pending.user_id, proof.totpCode))) throw new InvalidCredentialsError('The code is wrong or was used already');
  } else if (proof.recoveryCode) {
    if (!(await acceptRecoveryCode(db, pending.user_id, proof.recoveryCode))) throw new InvalidCredentialsError('The recovery code is wrong or was used already');
  } else {
    await acceptPasskey(db, relyingParty(ctx.config, ctx.requestInfo), pending.webauthn_challenge, pending.user_id, proof.passkeyResponse!);
  }
  await admitted.succeeded();
  // One proof, one session: a second use of this pending sign-in finds nothing.
  const taken = await db.deleteFrom('second_factor_challenges').where('id', '=', pending.id).executeTakeFirst();
  if (Number(taken.numDeletedRows) !== 1) throw new InvalidCredentialsError('This sign-in was finished already: sign in again');
  return openSession(db, ctx.config, pending.user_id, ctx.requestInfo, pending.password_hash ?? undefined);
}

/** A code of a time step within ±1 of now and after the last accepted one; the step is recorded at once. */
async function acceptTotpCode(db: Db, userId: string, code: string): Promise<boolean> {
  const row = await db.selectFrom('totp_secrets').select(['secret', 'last_used_step']).where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  if (!row) return false;
  const step = await matchingStep(row.secret, code, row.last_used_step === null ? undefined : Number(row.last_used_step));
  if (step === null) return false;
  // Two requests with the same code: only one moves the step forward.
  const moved = await db
    .updateTable('totp_secrets')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}

/** The time step the code belongs to (now ±1 step, after `afterStep`), or null. */
async function matchingStep(secret: string, code: string, afterStep?: number): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const result = await verifyTotp({ secret, token, epochTolerance: TOTP_PERIOD_SECONDS, ...(afterStep === undefined ? {} : { afterTimeStep: afterStep }) });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

async function acceptRecoveryCode(db: Db, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(code);
  if (normalized.length !== 10) return false;
  const rows = await db.selectFrom('recovery_codes').select(['id', 'code_hash']).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  for (const row of rows) {
    if (!(await verifyPassword(row.code_hash, normalized))) continue;
    const used = await db.updateTable('recovery_codes').set({ used_at: new Date() }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    return Number(used.numUpdatedRows) === 1;
  }
  return false;
}

/** Verifies an assertion; the signature counter must move forward (a clone's does not), checked and stored in one statement. */
async function acceptPasskey(db: Db, rp: { id: string; origin: string }, expectedChallenge: string | null, userId: string, responseJson: string): Promise<void> {
  const refused = new InvalidCredentialsError('The passkey or security key was not accepted');
  if (!expectedChallenge) throw refused;
  let response: AuthenticationResponseJSON;
  try {
    response = JSON.parse(responseJson) as AuthenticationResponseJSON;
  } catch {
    throw refused;
  }
  const row = await db.selectFrom('webauthn_credentials').selectAll().where('credential_id', '=', String(response?.id)).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw refused;
  const storedCounter = Number(row.counter);
  let newCounter: number;
  try {
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: row.credential_id, publicKey: new Uint8Array(row.public_key), counter: storedCounter, transports: row.transports as AuthenticatorTransport[] },
      requireUserVerification: false,
    });
    if (!verification.verified) throw refused;
    newCounter = verification.authenticationInfo.newCounter;
  } catch (error) {
    if (error instanceof Error && /counter/i.test(error.message)) throw clonedKey();
    throw refused;
  }
  const moved = await db
    .updateTable('webauthn_credentials')
    .set({ counter: newCounter, last_used_at: new Date() })
    .where('id', '=', row.id)
    .where((eb) => eb.or([eb('counter', '<', String(newCounter)), eb.and([eb('counter', '=', '0'), eb(sql.lit(newCounter), '=', 0)])]))
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw clonedKey();
}

function clonedKey(): InvalidCredentialsError {
  return new InvalidCredentialsError('This security key\'s signature counter went back: it may be a copy of the key, and was refused');
}

// ─── Enrolment (the signed-in user, with a session) ───────────────────────────────────────────

/** Enrolment is for a person signed in with a session: an API token cannot add or remove its owner's factors. */
function sessionUserOf(ctx: ServiceContext): { userId: string; email: string; name: string } {
  const viewer = actorOf(ctx);
  if (!viewer.sessionId) throw new PermissionError('Second factors are managed when signed in with a session, not with an API token');
  return { userId: viewer.userId, email: viewer.user.email, name: viewer.user.name };
}

export interface OwnSecondFactor {
  totpEnabled: boolean;
  passkeys: Array<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null }>;
  recoveryCodesLeft: number;
  /** A role of the user requires a second factor. */
  required: boolean;
  /** Required and none enrolled yet: nothing else answers until one is. */
  enrolmentRequired: boolean;
}

export async function ownSecondFactor(ctx: ServiceContext): Promise<OwnSecondFactor> {
  const { userId } = sessionUserOf(ctx);
  return secondFactorOf(ctx.db, userId);
}

async function secondFactorOf(db: Db, userId: string): Promise<OwnSecondFactor> {
  const [totp, passkeys, codes, required] = await Promise.all([
    db.selectFrom('totp_secrets').select('user_id').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst(),
    db.selectFrom('webauthn_credentials').select(['id', 'name', 'created_at', 'last_used_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow(),
    db
      .selectFrom('user_roles as ur')
      .innerJoin('roles as r', 'r.id', 'ur.role_id')
      .select('r.id')
      .where('ur.user_id', '=', userId)
      .where('r.requires_second_factor', '=', true)
      .executeTakeFirst(),
  ]);
  return {
    totpEnabled: totp !== undefined,
    passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.created_at, lastUsedAt: p.last_used_at })),
    recoveryCodesLeft: Number(codes.n),
    required: required !== undefined,
    enrolmentRequired: required !== undefined && totp === undefined && passkeys.length === 0,
  };
}

/** A factor turned on: the recovery codes made with it (only with the first factor), shown once. */
export interface Enrolled {
  recoveryCodes: string[];
}

/** A new TOTP secret, not on until confirmTotpEnrolment checks a code made from it. */
export async function startTotpEnrolment(ctx: ServiceContext): Promise<{ secret: string; uri: string }> {
  const user = sessionUserOf(ctx);
  const confirmed = await ctx.db.selectFrom('totp_secrets').select('user_id').where('user_id', '=', user.userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  if (confirmed) throw new ConflictError('An authenticator app is already on; remove it first to enrol another');
  const secret = generateSecret();
  await ctx.db
    .insertInto('totp_secrets')
    .values({ user_id: user.userId, secret })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret, created_at: new Date(), last_used_step: null }).where('totp_secrets.confirmed_at', 'is', null))
    .execute();
  return { secret, uri: generateURI({ issuer: ISSUER, label: user.email, secret }) };
}

export async function confirmTotpEnrolment(ctx: ServiceContext, code: string): Promise<Enrolled> {
  const { userId } = sessionUserOf(ctx);
  const row = await ctx.db.selectFrom('totp_secrets').select('secret').where('user_id', '=', userId).where('confirmed_at', 'is', null).executeTakeFirst();
  if (!row) throw new ConflictError('Start enrolling an authenticator app first');
  const step = await matchingStep(row.secret, code);
  if (step === null) throw ValidationError.forField('code', 'That code is not right: check the clock of your device and enter the code it shows now');
  const confirmed = await ctx.db
    .updateTable('totp_secrets')
    .set({ confirmed_at: new Date(), last_used_step: step })
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .where('secret', '=', row.secret)
    .executeTakeFirst();
  if (Number(confirmed.numUpdatedRows) !== 1) throw new ConflictError('The enrolment changed meanwhile: start again');
  return factorAdded(ctx, userId);
}

async function factorAdded(ctx: ServiceContext, userId: string): Promise<Enrolled> {
  const left = await ctx.db.selectFrom('recovery_codes').select('id').where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
  const recoveryCodes = left ? [] : await replaceRecoveryCodes(ctx.db, userId);
  // The user's rights may change (a required factor now enrolled).
  publishUserUpdated(ctx, userId);
  return { recoveryCodes };
}

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Ten new codes replace all the old ones; stored as argon2 hashes, returned once. */
async function replaceRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = await Promise.all(codes.map((c) => hashPassword(normalizeRecoveryCode(c))));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await trx.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ user_id: userId, code_hash }))).execute();
  });
  return codes;
}

export async function regenerateRecoveryCodes(ctx: ServiceContext): Promise<string[]> {
  const { userId } = sessionUserOf(ctx);
  const methods = await methodsOf(ctx.db, userId);
  if (methods.length === 0) throw new ConflictError('Turn on an authenticator app or a passkey first: recovery codes stand in for one');
  const codes = await replaceRecoveryCodes(ctx.db, userId);
  publishUserUpdated(ctx, userId);
  return codes;
}

/** The options for the browser's navigator.credentials.create (JSON); the challenge is kept five minutes. */
export async function startPasskeyRegistration(ctx: ServiceContext): Promise<string> {
  const user = sessionUserOf(ctx);
  const rp = relyingParty(ctx.config, ctx.requestInfo);
  const existing = await ctx.db.selectFrom('webauthn_credentials').select(['credential_id', 'transports']).where('user_id', '=', user.userId).execute();
  const options = await generateRegistrationOptions({
    rpName: ISSUER,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.userId),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('second_factor_challenges').where('user_id', '=', user.userId).where('purpose', '=', 'passkey-registration').execute();
    await trx
      .insertInto('second_factor_challenges')
      .values({ user_id: user.userId, purpose: 'passkey-registration', webauthn_challenge: options.challenge, expires_at: new Date(Date.now() + REGISTRATION_TTL_MS) })
      .execute();
  });
  return JSON.stringify(options);
}

export async function finishPasskeyRegistration(ctx: ServiceContext, responseJson: string, name: string): Promise<Enrolled> {
  const { userId } = sessionUserOf(ctx);
  // The challenge is used once, whatever the outcome.
  const challenge = await ctx.db
    .deleteFrom('second_factor_challenges')
    .where('user_id', '=', userId)
    .where('purpose', '=', 'passkey-registration')
    .where('expires_at', '>', new Date())
    .returning('webauthn_challenge')
    .executeTakeFirst();
  if (!challenge?.webauthn_challenge) throw new ConflictError('The registration expired: start again');
  const rp = relyingParty(ctx.config, ctx.requestInfo);
  let credential;
  try {
    const verification = await verifyRegistrationResponse({
      response: JSON.parse(responseJson) as RegistrationResponseJSON,
      expectedChallenge: challenge.webauthn_challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    if (!verification.verified) throw new Error('not verified');
    credential = verification.registrationInfo.credential;
  } catch (error) {
    throw ValidationError.forField('response', `The security key's answer was refused: ${(error as Error).message}`);
  }
  const inserted = await ctx.db
    .insertInto('webauthn_credentials')
    .values({
      user_id: userId,
      credential_id: credential.id,
      public_key: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      name: name.trim() || 'Passkey',
    })
    .onConflict((oc) => oc.column('credential_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new ConflictError('This security key is registered already');
  return factorAdded(ctx, userId);
}

export async function removeTotp(ctx: ServiceContext): Promise<OwnSecondFactor> {
  const { userId } = sessionUserOf(ctx);
  await ctx.db.deleteFrom('totp_secrets').where('user_id', '=', userId).execute();
  return factorRemoved(ctx, userId);
}

export async function removePasskey(ctx: ServiceContext, id: string): Promise<OwnSecondFactor> {
  const { userId } = sessionUserOf(ctx);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new NotFoundError('The passkey');
  const removed = await ctx.db.deleteFrom('webauthn_credentials').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) throw new NotFoundError('The passkey');
  return factorRemoved(ctx, userId);
}

async function factorRemoved(ctx: ServiceContext, userId: string): Promise<OwnSecondFactor> {
  // Recovery codes stand in for a factor: with none left, they go too.
  if ((await methodsOf(ctx.db, userId)).length === 0) await ctx.db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  publishUserUpdated(ctx, userId);
  return secondFactorOf(ctx.db, userId);
}

// ─── Administrators ───────────────────────────────────────────────────────────────────────────

/**
 * Clears every second factor of a user who lost theirs (and their recovery codes and pending
 * sign-ins), under the rule for every act on a user: the actor holds every privilege the user holds.
 */
export async function clearSecondFactors(ctx: ServiceContext, userId: string): Promise<void> {
  const actor = actorOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) throw new NotFoundError('The user');
    await assertMayActOnUser(trx, actor, userId);
    await trx.deleteFrom('totp_secrets').where('user_id', '=', userId).execute();
    await trx.deleteFrom('webauthn_credentials').where('user_id', '=', userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await trx.deleteFrom('second_factor_challenges').where('user_id', '=', userId).execute();
  });
  publishUserUpdated(ctx, userId);
}

/**
 * Makes a role require a second factor of its holders (or not). It changes what every holder may
 * do, so, as a change of the role's privileges, only when the actor may act on every holder.
 */
export async function setRoleRequiresSecondFactor(ctx: ServiceContext, roleId: string, required: boolean): Promise<void> {
  const actor = actorOf(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const role = await trx.selectFrom('roles').select('id').where('id', '=', roleId).forUpdate().executeTakeFirst();
    if (!role) throw new NotFoundError('The role');
    const holders = await trx.selectFrom('user_roles').select('user_id').where('role_id', '=', roleId).execute();
    for (const holder of holders) await assertMayActOnUser(trx, actor, holder.user_id);
    await trx.updateTable('roles').set({ requires_second_factor: required }).where('id', '=', roleId).execute();
  });
  ctx.viewers.announce({ all: true });
}
