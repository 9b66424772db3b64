import { InvalidCredentialsError, LoginThrottledError } from '../errors.ts';
import { login } from '../services/auth.ts';
import { signOut } from '../services/own-account.ts';
import { emailSchema } from '../services/validation.ts';
import { builder } from './builder.ts';
import { UserRef } from './user.ts';

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    email: t.string({ required: true, validate: { schema: emailSchema } }),
    password: t.string({ required: true, validate: { minLength: 1, maxLength: 256 } }),
  }),
});

const LoginSuccess = builder.objectRef<{ userId: string; expiresAt: Date }>('LoginSuccess').implement({
  description: 'Signed in: the session cookie is set on the response',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (s) => s.userId }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginSuccess,
    errors: { types: [InvalidCredentialsError, LoginThrottledError] },
    description: 'Signs in with email and password and sets an httpOnly session cookie',
    authScopes: { public: true },
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const session = await login(ctx.db, ctx.config, { ...input, ip: ctx.requestInfo.ip, userAgent: ctx.requestInfo.userAgent });
      ctx.setSessionCookie(session.secret, session.expiresAt);
      // The rest of this request (and its audit entry) acts as the new user.
      ctx.viewer = await ctx.viewers.resolve(session.secret);
      return session;
    },
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
