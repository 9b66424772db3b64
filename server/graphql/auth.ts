import { errorTypeMap, wrapErrorIfMatches } from '@pothos/plugin-errors';
import { InvalidCredentialsError, LoginThrottledError, ValidationError } from '../errors.ts';
import type { NewSession } from '../services/auth.ts';
import { signOut } from '../services/own-account.ts';
import { signIn, verifySecondFactor, type SecondFactorMethod, type SignInResult } from '../services/second-factor.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { SecondFactorMethodEnum } from './second-factor.ts';
import { UserRef } from './user.ts';

// Validated by the service (errors come back as union members, as every other error of login).
const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

interface SignedIn {
  userId: string;
  expiresAt: Date;
  secondFactorEnrolmentRequired: boolean;
}

const LoginSuccess = builder.objectRef<SignedIn>('LoginSuccess').implement({
  description: 'Signed in: the session cookie is set on the response',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (s) => s.userId }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    secondFactorEnrolmentRequired: t.exposeBoolean('secondFactorEnrolmentRequired', {
      description: 'A role of the user requires a second factor they have not enrolled: only enrolment answers until they do',
    }),
  }),
});

type PendingSignIn = Extract<SignInResult, { kind: 'second-factor' }>;

const SecondFactorRequired = builder.objectRef<PendingSignIn>('SecondFactorRequired').implement({
  description: 'The password was right; finish with verifySecondFactor and this token within five minutes',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The pending sign-in: pass it to verifySecondFactor' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    methods: t.field({ type: [SecondFactorMethodEnum], resolve: (p) => p.methods as SecondFactorMethod[] }),
    passkeyOptions: t.exposeString('passkeyOptions', {
      nullable: true,
      description: 'With PASSKEY: options for navigator.credentials.get as JSON (@simplewebauthn/browser startAuthentication takes them)',
    }),
  }),
});

// Two kinds of success, so the union is made here rather than by the errors plugin.
const LoginResult = builder.unionType('LoginResult', {
  types: [LoginSuccess, SecondFactorRequired, InvalidCredentialsError, LoginThrottledError, ValidationError],
  resolveType: (value) => {
    const errorType = errorTypeMap.get(value as object);
    if (errorType) return errorType.name;
    return 'kind' in value ? 'SecondFactorRequired' : 'LoginSuccess';
  },
});

const LOGIN_ERRORS = [InvalidCredentialsError, LoginThrottledError, ValidationError];

const VerifySecondFactorInput = builder.inputType('VerifySecondFactorInput', {
  description: 'The pending sign-in\'s token and exactly one proof',
  fields: (t) => ({
    token: t.string({ required: true, validate: { maxLength: 200 } }),
    totpCode: t.string({ validate: { maxLength: 20 } }),
    recoveryCode: t.string({ validate: { maxLength: 40 } }),
    passkeyResponse: t.string({ description: 'The browser\'s answer as JSON (@simplewebauthn/browser startAuthentication)', validate: { maxLength: 20_000 } }),
  }),
});

/** Sets the cookie and makes the rest of this request (and its audit entry) act as the new user. */
async function signedIn(ctx: Context, session: NewSession): Promise<SignedIn> {
  ctx.setSessionCookie(session.secret, session.expiresAt);
  ctx.viewer = await ctx.viewers.resolve(session.secret);
  return { userId: session.userId, expiresAt: session.expiresAt, secondFactorEnrolmentRequired: ctx.viewer?.secondFactorEnrolmentRequired ?? false };
}

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginResult,
    description: 'Signs in with email and password: sets an httpOnly session cookie, or asks for a second factor (verifySecondFactor)',
    authScopes: { public: true },
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      try {
        const result = await signIn(ctx, input);
        return result.kind === 'signed-in' ? await signedIn(ctx, result.session) : result;
      } catch (error) {
        // Wrapped as the errors plugin wraps its own: graphql-js would take a returned Error as thrown.
        const wrapped = wrapErrorIfMatches(error as Error, LOGIN_ERRORS);
        if (wrapped === error) throw error;
        return wrapped as unknown as InvalidCredentialsError;
      }
    },
  }),
  verifySecondFactor: t.field({
    type: LoginSuccess,
    errors: { types: [InvalidCredentialsError, LoginThrottledError] },
    description: 'Finishes a sign-in that returned SecondFactorRequired: a TOTP code, a recovery code (each once) or a passkey; sets the session cookie',
    authScopes: { public: true },
    args: { input: t.arg({ type: VerifySecondFactorInput, required: true }) },
    resolve: async (_root, { input }, ctx) => signedIn(ctx, await verifySecondFactor(ctx, input)),
  }),
  logout: t.boolean({
    description: 'Ends the current session; true when there was one',
    authScopes: { public: true },
    resolve: async (_root, _args, ctx) => {
      ctx.setSessionCookie(null);
      return signOut(ctx);
    },
  }),
}));
