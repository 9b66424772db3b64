// OIDC single sign-on (issue 23): providers an administrator configures, and signing in with one
// through the authorization code flow with PKCE, state and nonce (openid-client). The provider's
// answer is a first factor: a user with a second factor still gives it (second-factor.ts).
import { sql, type Transaction } from 'kysely';
import * as client from 'openid-client';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, OidcProviderRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Viewer } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { guardedFetch } from './guarded-fetch.ts';
import { addressAllowed, addressInAllowedNetwork } from './outbound-address.ts';
import { DEFAULT_USER_ROLE } from './privileges.ts';
import { assertRolesGrantable } from './roles.ts';
import { sessionOrSecondFactor, type SignInResult } from './second-factor.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { publishUserListed, publishUserUpdated } from './user-events.ts';
import { assertAdministratorRemains } from './user-authority.ts';
import { emailSchema, parseInput, personNameSchema } from './validation.ts';
import { recordAudit } from './audit.ts';

/** How long a sign-in may stay at the provider. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
const BROWSER_PREFIX = 'hgo_';
/** Users made by a provider have no password: no argon2 hash ever matches this. */
const NO_PASSWORD = '!oidc';

// ─── Providers ─────────────────────────────────────────────────────────────────────────────────

export interface GroupRole {
  group: string;
  roleId: string;
}

const claimSchema = z.string().trim().min(1, 'A claim name is required').max(100, 'A claim name has at most 100 characters').regex(/^[\w.:/-]+$/, 'A claim name has letters, digits and . _ : / - only');

const providerFields = {
  name: z.string().trim().min(1, 'A name is required').max(60, 'A name has at most 60 characters'),
  issuer: z.string().trim().max(500, 'An issuer URL has at most 500 characters'),
  clientId: z.string().trim().min(1, 'A client id is required').max(300),
  clientSecret: z.string().min(1, 'A client secret is required').max(1000),
  scopes: z
    .string()
    .trim()
    .max(300)
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'Scopes are names separated by single spaces')
    .refine((s) => s.split(' ').includes('openid'), 'The scopes must include openid'),
  usernameClaim: claimSchema,
  emailClaim: claimSchema,
  nameClaim: claimSchema,
  groupsClaim: claimSchema,
  createUsers: z.boolean(),
  enabled: z.boolean(),
  groupRoles: z
    .array(z.object({ group: z.string().trim().min(1, 'A group name is required').max(200), roleId: z.uuid() }))
    .max(200),
};

const addProviderSchema = z.object({
  ...providerFields,
  scopes: providerFields.scopes.default('openid email profile'),
  usernameClaim: providerFields.usernameClaim.default('preferred_username'),
  emailClaim: providerFields.emailClaim.default('email'),
  nameClaim: providerFields.nameClaim.default('name'),
  groupsClaim: providerFields.groupsClaim.default('groups'),
  createUsers: providerFields.createUsers.default(false),
  enabled: providerFields.enabled.default(true),
  groupRoles: providerFields.groupRoles.default([]),
});
export type AddOidcProviderInput = z.input<typeof addProviderSchema>;

const updateProviderSchema = z.object(providerFields).partial();
export type UpdateOidcProviderInput = z.input<typeof updateProviderSchema>;

/**
 * The issuer must be https; http only on an address an administrator allowed
 * (HANGAR_OIDC_ALLOWED_NETWORKS, a lab or a test). A literal address must be allowed as any outbound one.
 */
export function checkIssuerUrl(raw: string, allowedNetworks: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw ValidationError.forField('issuer', 'Not a valid URL');
  }
  if (url.username || url.password || url.search || url.hash) throw ValidationError.forField('issuer', 'An issuer URL has no user name, password, query or fragment');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:') {
    if (!addressInAllowedNetwork(host, allowedNetworks)) throw ValidationError.forField('issuer', 'An issuer must use https (http only on an address HANGAR_OIDC_ALLOWED_NETWORKS allows)');
  } else if (url.protocol !== 'https:') {
    throw ValidationError.forField('issuer', 'An issuer must use https');
  }
  if (/^[\d.]+$|:/.test(host) && !addressAllowed(host, allowedNetworks)) {
    throw ValidationError.forField('issuer', `${host} is a private, loopback or otherwise non-public address: an administrator must allow its network (HANGAR_OIDC_ALLOWED_NETWORKS)`);
  }
  return url;
}

export async function listOidcProviders(db: Db): Promise<OidcProviderRow[]> {
  return db.selectFrom('oidc_providers').selectAll().orderBy('name').execute();
}

/** What the sign-in page shows: the enabled providers' ids and names, for anyone. */
export async function signInProviders(db: Db): Promise<Array<Pick<OidcProviderRow, 'id' | 'name'>>> {
  return db.selectFrom('oidc_providers').select(['id', 'name']).where('enabled', '=', true).orderBy('name').execute();
}

export async function oidcProvidersByIds(db: Db, ids: readonly string[]): Promise<OidcProviderRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('oidc_providers').selectAll().where('id', 'in', ids).execute();
}

export async function groupRolesOfProviders(db: Db, providerIds: readonly string[]): Promise<GroupRole[][]> {
  if (providerIds.length === 0) return [];
  const rows = await db.selectFrom('oidc_group_roles').selectAll().where('provider_id', 'in', providerIds).orderBy('group_name').execute();
  return providerIds.map((id) => rows.filter((r) => r.provider_id === id).map((r) => ({ group: r.group_name, roleId: r.role_id })));
}

/** Adds a provider; the roles its groups give must be roles the administrator could grant themselves. */
export async function addOidcProvider(ctx: ServiceContext, raw: AddOidcProviderInput): Promise<OidcProviderRow> {
  const actor = actorOf(ctx);
  const input = parseInput(addProviderSchema, raw);
  const issuer = checkIssuerUrl(input.issuer, ctx.config.oidcAllowedNetworks);
  return ctx.db.transaction().execute(async (trx) => {
    await assertNameFree(trx, input.name);
    const provider = await trx
      .insertInto('oidc_providers')
      .values({
        name: input.name,
        issuer: issuer.href,
        client_id: input.clientId,
        client_secret: input.clientSecret,
        scopes: input.scopes,
        username_claim: input.usernameClaim,
        email_claim: input.emailClaim,
        name_claim: input.nameClaim,
        groups_claim: input.groupsClaim,
        create_users: input.createUsers,
        enabled: input.enabled,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await replaceGroupRoles(trx, actor, provider.id, input.groupRoles);
    return provider;
  });
}

/** Changes the fields given; a group mapping given replaces the whole mapping. */
export async function updateOidcProvider(ctx: ServiceContext, id: string, raw: UpdateOidcProviderInput): Promise<OidcProviderRow> {
  const actor = actorOf(ctx);
  const input = parseInput(updateProviderSchema, raw);
  const issuer = input.issuer === undefined ? undefined : checkIssuerUrl(input.issuer, ctx.config.oidcAllowedNetworks).href;
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('oidc_providers').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('The sign-in provider');
    if (input.name !== undefined) await assertNameFree(trx, input.name, id);
    const provider = await trx
      .updateTable('oidc_providers')
      .set({
        name: input.name,
        issuer,
        client_id: input.clientId,
        client_secret: input.clientSecret,
        scopes: input.scopes,
        username_claim: input.usernameClaim,
        email_claim: input.emailClaim,
        name_claim: input.nameClaim,
        groups_claim: input.groupsClaim,
        create_users: input.createUsers,
        enabled: input.enabled,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.groupRoles !== undefined) await replaceGroupRoles(trx, actor, id, input.groupRoles);
    return provider;
  });
  forgetConfiguration(id);
  return changed;
}

/** Deletes a provider, its group mapping and its links to users (the users stay). */
export async function deleteOidcProvider(ctx: ServiceContext, id: string): Promise<OidcProviderRow> {
  const actor = actorOf(ctx);
  const deleted = await ctx.db.transaction().execute(async (trx) => {
    const mapped = await trx.selectFrom('oidc_group_roles').select('role_id').distinct().where('provider_id', '=', id).execute();
    // Whoever could not have made the mapping cannot remove it either.
    await assertRolesGrantable(trx, actor, mapped.map((m) => m.role_id));
    const row = await trx.deleteFrom('oidc_providers').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new NotFoundError('The sign-in provider');
    return row;
  });
  forgetConfiguration(id);
  return deleted;
}

async function assertNameFree(trx: Transaction<Database>, name: string, exceptId?: string): Promise<void> {
  let query = trx.selectFrom('oidc_providers').select('id').where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) query = query.where('id', '<>', exceptId);
  if (await query.executeTakeFirst()) throw new ConflictError(`A sign-in provider named ${name} already exists`);
}

async function replaceGroupRoles(trx: Transaction<Database>, actor: Viewer, providerId: string, groupRoles: GroupRole[]): Promise<void> {
  const before = await trx.selectFrom('oidc_group_roles').select('role_id').where('provider_id', '=', providerId).execute();
  const unique = [...new Map(groupRoles.map((g) => [`${g.group}\n${g.roleId}`, g])).values()];
  // A role a mapping adds or drops is one its holders gain or lose: only for those who could grant it.
  await assertRolesGrantable(trx, actor, [...new Set([...before.map((b) => b.role_id), ...unique.map((g) => g.roleId)])]);
  await trx.deleteFrom('oidc_group_roles').where('provider_id', '=', providerId).execute();
  if (unique.length) await trx.insertInto('oidc_group_roles').values(unique.map((g) => ({ provider_id: providerId, group_name: g.group, role_id: g.roleId }))).execute();
}

// ─── Signing in ────────────────────────────────────────────────────────────────────────────────

/** A refusal a user reads on the sign-in page; the audit entry keeps the detail. */
export class OidcSignInError extends Error {
  readonly detail: string;
  constructor(message: string, detail = message) {
    super(message);
    this.name = 'OidcSignInError';
    this.detail = detail;
  }
}

// Discovery documents change rarely: one discovery per provider change or five minutes.
const CONFIGURATION_TTL_MS = 5 * 60_000;
const configurations = new Map<string, { key: string; at: number; configuration: Promise<client.Configuration> }>();

function forgetConfiguration(providerId: string): void {
  configurations.delete(providerId);
}

function configurationOf(config: Config, provider: OidcProviderRow): Promise<client.Configuration> {
  const key = `${provider.updated_at.valueOf()}`;
  const cached = configurations.get(provider.id);
  if (cached && cached.key === key && Date.now() - cached.at < CONFIGURATION_TTL_MS) return cached.configuration;
  const issuer = checkIssuerUrl(provider.issuer, config.oidcAllowedNetworks);
  const configuration = client.discovery(issuer, provider.client_id, provider.client_secret, undefined, {
    [client.customFetch]: guardedFetch(config.oidcAllowedNetworks),
    // The ID token's signature is checked against the issuer's published keys, not only trusted
    // for coming over TLS; http only passed checkIssuerUrl on an allowed network.
    execute: [client.enableNonRepudiationChecks, ...(issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [])],
    timeout: 15,
  });
  configurations.set(provider.id, { key, at: Date.now(), configuration });
  configuration.catch(() => configurations.delete(provider.id));
  return configuration;
}

async function enabledProvider(db: Db, providerId: string): Promise<OidcProviderRow> {
  const provider = z.uuid().safeParse(providerId).success
    ? await db.selectFrom('oidc_providers').selectAll().where('id', '=', providerId).executeTakeFirst()
    : undefined;
  if (!provider || !provider.enabled) throw new OidcSignInError('This sign-in provider does not exist or is turned off');
  return provider;
}

export interface StartedOidcSignIn {
  /** Where the browser goes: the provider's authorization endpoint. */
  authorizationUrl: string;
  /** Kept by the browser in an httpOnly cookie; the callback must bring it back. */
  browserSecret: string;
  expiresAt: Date;
}

/** The first half: state, nonce and PKCE verifier stored here, the browser sent to the provider. */
export async function startOidcSignIn(ctx: ServiceContext, providerId: string, redirectUri: string): Promise<StartedOidcSignIn> {
  const provider = await enabledProvider(ctx.db, providerId);
  let configuration: client.Configuration;
  try {
    configuration = await configurationOf(ctx.config, provider);
  } catch (error) {
    throw new OidcSignInError(`${provider.name} cannot be reached: try again later`, `discovery failed: ${(error as Error).message}`);
  }
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const browserSecret = newSecret(BROWSER_PREFIX);
  const expiresAt = new Date(Date.now() + OIDC_LOGIN_TTL_MS);
  await ctx.db.deleteFrom('oidc_logins').where('expires_at', '<=', new Date()).execute();
  await ctx.db
    .insertInto('oidc_logins')
    .values({ provider_id: provider.id, browser_hash: hashSecret(browserSecret), state, nonce, code_verifier: codeVerifier, expires_at: expiresAt })
    .execute();
  const authorizationUrl = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: provider.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { authorizationUrl: authorizationUrl.href, browserSecret, expiresAt };
}

/** What the provider said about the user, read through the provider's claim mapping. */
interface MappedClaims {
  subject: string;
  username: string | null;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  groups: string[];
}

export type OidcSignInResult = SignInResult & { userId: string };

/**
 * The second half, at the redirect URI: the sign-in this browser started is taken (once), the
 * code exchanged and the ID token checked (signature, issuer, audience, nonce; state and PKCE),
 * the user found or created and their mapped roles set, then a session or a pending second factor.
 * Every outcome is audited.
 */
export async function finishOidcSignIn(ctx: ServiceContext, providerId: string, browserSecret: string | null, callbackUrl: URL): Promise<OidcSignInResult> {
  let provider: OidcProviderRow | null = null;
  let claims: MappedClaims | null = null;
  try {
    provider = await enabledProvider(ctx.db, providerId);
    const pending = browserSecret
      ? await ctx.db
          .deleteFrom('oidc_logins')
          .where('browser_hash', '=', hashSecret(browserSecret))
          .where('provider_id', '=', provider.id)
          .where('expires_at', '>', new Date())
          .returningAll()
          .executeTakeFirst()
      : undefined;
    if (!pending) throw new OidcSignInError('This sign-in has expired or was started in another browser: start again', 'no sign-in under way for this browser');
    const configuration = await configurationOf(ctx.config, provider);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcSignInError(`${provider.name}'s answer was refused: sign in again`, describeFailure(error));
    }
    claims = await readClaims(configuration, provider, tokens);
    const outcome = await admitUser(ctx, provider, claims);
    const result = await sessionOrSecondFactor(ctx, outcome.userId);
    await auditSignIn(ctx, provider, claims, 'ok', outcome.userId, { created: outcome.created, roles: outcome.roleNames, secondFactor: result.kind === 'second-factor' });
    return { ...result, userId: outcome.userId };
  } catch (error) {
    const refusal = error instanceof OidcSignInError ? error : new OidcSignInError('Signing in failed: try again', (error as Error).message);
    await auditSignIn(ctx, provider, claims, error instanceof OidcSignInError ? 'refused' : 'failed', (error as { userId?: string }).userId ?? null, { error: refusal.detail });
    throw refusal;
  }
}

/** openid-client's error and the chain of its causes (the check that failed, the claim it was about). */
function describeFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof Error) parts.push(`${current.name}: ${current.message}`);
    else if (typeof current === 'object') {
      const plain = Object.fromEntries(Object.entries(current).filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'));
      parts.push(JSON.stringify(plain).slice(0, 300));
    }
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' ← ');
}

async function readClaims(configuration: client.Configuration, provider: OidcProviderRow, tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>): Promise<MappedClaims> {
  const idToken = tokens.claims();
  if (!idToken) throw new OidcSignInError(`${provider.name} sent no ID token`);
  let all: Record<string, unknown> = { ...idToken };
  // Many providers put profile claims only in the UserInfo response; the ID token wins where both say.
  if (configuration.serverMetadata().userinfo_endpoint) {
    try {
      all = { ...(await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub)), ...idToken };
    } catch (error) {
      throw new OidcSignInError(`${provider.name}'s user information was refused: sign in again`, `userinfo: ${(error as Error).message}`);
    }
  }
  const text = (name: string) => (typeof all[name] === 'string' && (all[name] as string).trim() ? (all[name] as string).trim() : null);
  const rawGroups = all[provider.groups_claim];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : typeof rawGroups === 'string' ? [rawGroups] : [];
  return {
    subject: idToken.sub,
    username: text(provider.username_claim),
    email: text(provider.email_claim),
    emailVerified: all.email_verified === true,
    name: text(provider.name_claim),
    groups,
  };
}

interface Admitted {
  userId: string;
  created: boolean;
  roleNames: string[];
}

/** Finds (or creates) the user the provider's account signs in as, and sets the roles its groups give. */
async function admitUser(ctx: ServiceContext, provider: OidcProviderRow, claims: MappedClaims): Promise<Admitted> {
  const admitted = await ctx.db.transaction().execute(async (trx) => {
    let created = false;
    let userId = (await trx.selectFrom('oidc_identities').select('user_id').where('provider_id', '=', provider.id).where('subject', '=', claims.subject).executeTakeFirst())?.user_id;
    if (!userId) {
      // An existing user is linked only through an address the provider says it verified.
      const byEmail = claims.email && claims.emailVerified
        ? await trx.selectFrom('users').select('id').where(sql`lower(email)`, '=', claims.email.toLowerCase()).executeTakeFirst()
        : undefined;
      if (byEmail) userId = byEmail.id;
      else if (!provider.create_users) throw new OidcSignInError('You have no Hangar account: ask an administrator for one', `unknown user ${claims.username ?? claims.email ?? claims.subject}, creating users is off`);
      else {
        userId = await createUserFor(trx, provider, claims);
        created = true;
      }
      await trx.insertInto('oidc_identities').values({ provider_id: provider.id, subject: claims.subject, user_id: userId, username: claims.username }).execute();
    }
    const user = await trx.selectFrom('users').select(['id', 'disabled']).where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
    if (user.disabled) throw Object.assign(new OidcSignInError('Your Hangar account is disabled', 'the user is disabled'), { userId });
    const roleNames = await applyGroupRoles(trx, provider.id, userId, claims.groups, created);
    await trx.updateTable('oidc_identities').set({ last_login_at: new Date(), username: claims.username }).where('provider_id', '=', provider.id).where('subject', '=', claims.subject).execute();
    return { userId, created, roleNames };
  });
  // Rights may have moved with the groups: cached sessions of the user are read again.
  if (admitted.created) publishUserListed(ctx, admitted.userId);
  else publishUserUpdated(ctx, admitted.userId);
  return admitted;
}

async function createUserFor(trx: Transaction<Database>, provider: OidcProviderRow, claims: MappedClaims): Promise<string> {
  const email = emailSchema.safeParse(claims.email ?? '');
  if (!email.success) throw new OidcSignInError(`${provider.name} gave no valid email address (claim ${provider.email_claim}): a Hangar account needs one`);
  const name = personNameSchema.safeParse(claims.name ?? claims.username ?? email.data.split('@')[0]);
  const taken = await trx.selectFrom('users').select('id').where(sql`lower(email)`, '=', email.data.toLowerCase()).executeTakeFirst();
  if (taken) throw new OidcSignInError(`A Hangar account with ${email.data} exists already: an administrator must link it, or the provider must mark the address verified`);
  const user = await trx
    .insertInto('users')
    .values({ email: email.data, name: name.success ? name.data : email.data.split('@')[0].slice(0, 100), password_hash: NO_PASSWORD })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('quotas').values({ user_id: user.id, max_vcpus: null, max_memory_mb: null, max_disk_gb: null, max_vms: null }).execute();
  return user.id;
}

/**
 * The roles the provider's mapping names follow the user's groups at every sign-in; roles it does
 * not name are left as an administrator set them. A new user no group maps gets the default role.
 */
async function applyGroupRoles(trx: Transaction<Database>, providerId: string, userId: string, groups: string[], created: boolean): Promise<string[]> {
  const mapping = await trx.selectFrom('oidc_group_roles').select(['group_name', 'role_id']).where('provider_id', '=', providerId).execute();
  const managed = [...new Set(mapping.map((m) => m.role_id))];
  const wanted = [...new Set(mapping.filter((m) => groups.includes(m.group_name)).map((m) => m.role_id))];
  if (created && wanted.length === 0) {
    const fallback = await trx.selectFrom('roles').select('id').where('name', '=', DEFAULT_USER_ROLE).executeTakeFirst();
    if (fallback) wanted.push(fallback.id);
  }
  if (managed.length) {
    let drop = trx.deleteFrom('user_roles').where('user_id', '=', userId).where('role_id', 'in', managed);
    if (wanted.length) drop = drop.where('role_id', 'not in', wanted);
    await drop.execute();
  }
  if (wanted.length) {
    await trx.insertInto('user_roles').values(wanted.map((role_id) => ({ user_id: userId, role_id }))).onConflict((oc) => oc.columns(['user_id', 'role_id']).doNothing()).execute();
  }
  try {
    await assertAdministratorRemains(trx);
  } catch {
    throw new OidcSignInError('Signing in would leave Hangar without an administrator: an administrator must change the group mapping', 'the group mapping would remove the last administrator');
  }
  const roles = await trx.selectFrom('user_roles as ur').innerJoin('roles as r', 'r.id', 'ur.role_id').select('r.name').where('ur.user_id', '=', userId).orderBy('r.name').execute();
  return roles.map((r) => r.name);
}

async function auditSignIn(ctx: ServiceContext, provider: OidcProviderRow | null, claims: MappedClaims | null, result: 'ok' | 'refused' | 'failed', userId: string | null, detail: Record<string, unknown>): Promise<void> {
  const entry = await recordAudit(ctx.db, {
    actor_id: userId,
    actor_name: claims?.email ?? claims?.username ?? null,
    action: 'oidcLogin',
    target_type: userId ? 'User' : null,
    target_id: userId,
    request_id: ctx.requestInfo.requestId,
    ip: ctx.requestInfo.ip,
    result,
    detail: { provider: provider ? { id: provider.id, name: provider.name } : null, subject: claims?.subject ?? null, username: claims?.username ?? null, groups: claims?.groups ?? null, ...detail },
  });
  ctx.pubsub.publish('audit:added', { id: entry.id });
}
