import * as secondFactor from '../services/second-factor.ts';
import { builder } from './builder.ts';
import { idOf } from './errors.ts';
import { RoleRef } from './role.ts';
import { UserRef } from './user.ts';

/**
 * The root fields a user whose role requires a second factor may use before enrolling one
 * (http/yoga.ts refuses any other): who they are, enrolment, and signing in or out.
 */
export const ENROLMENT_ROOT_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  '__schema',
  '__type',
  'me',
  'setupRequired',
  'secondFactorEnrolmentRequired',
  'mySecondFactor',
  'login',
  'verifySecondFactor',
  'logout',
  'startTotpEnrolment',
  'confirmTotpEnrolment',
  'startPasskeyRegistration',
  'finishPasskeyRegistration',
  'regenerateRecoveryCodes',
]);

export const SecondFactorMethodEnum = builder.enumType('SecondFactorMethod', {
  values: {
    TOTP: { description: 'A six-digit code from an authenticator app (RFC 6238)' },
    PASSKEY: { description: 'A passkey or security key (WebAuthn)' },
    RECOVERY_CODE: { description: 'One of the ten one-time recovery codes' },
  } as const,
});

const PasskeyRef = builder.objectRef<secondFactor.OwnSecondFactor['passkeys'][number]>('Passkey').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Pass to removePasskey' }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

const SecondFactorSettingsRef = builder.objectRef<secondFactor.OwnSecondFactor>('SecondFactorSettings').implement({
  description: 'Your own second factors',
  fields: (t) => ({
    totpEnabled: t.exposeBoolean('totpEnabled', { description: 'An authenticator app is on (verified once)' }),
    passkeys: t.field({ type: [PasskeyRef], resolve: (s) => s.passkeys }),
    recoveryCodesLeft: t.exposeInt('recoveryCodesLeft'),
    required: t.exposeBoolean('required', { description: 'A role of yours requires a second factor' }),
    enrolmentRequired: t.exposeBoolean('enrolmentRequired', { description: 'Required and none enrolled: nothing else answers until one is' }),
  }),
});

const TotpEnrolmentRef = builder.objectRef<{ secret: string; uri: string }>('TotpEnrolment').implement({
  description: 'A new authenticator app secret; it is on once confirmTotpEnrolment checks a code from it',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'Base32, for typing into the app' }),
    uri: t.exposeString('uri', { description: 'otpauth:// URI, for a QR code' }),
  }),
});

const PasskeyRegistrationRef = builder.objectRef<{ options: string }>('PasskeyRegistration').implement({
  fields: (t) => ({
    options: t.exposeString('options', { description: 'For navigator.credentials.create, as JSON (@simplewebauthn/browser startRegistration takes it)' }),
  }),
});

const SecondFactorEnrolledRef = builder.objectRef<secondFactor.Enrolled>('SecondFactorEnrolled').implement({
  fields: (t) => ({
    recoveryCodes: t.exposeStringList('recoveryCodes', { description: 'With the first factor: ten one-time recovery codes, shown only now; otherwise empty' }),
  }),
});

builder.objectField(UserRef, 'secondFactorMethods', (t) =>
  t.loadableList({
    type: SecondFactorMethodEnum,
    description: 'The second factors the user has on',
    loaderOptions: { cache: false },
    resolve: (user) => user.id,
    load: (userIds: string[], ctx) => secondFactor.methodsOfUsers(ctx.db, userIds),
  }),
);

// Enrolment needs a session (not an API token) and is open to a user who must still enrol.
const enrolling = { signedInWithSession: true } as const;

builder.queryFields((t) => ({
  secondFactorEnrolmentRequired: t.boolean({
    description: 'True while your role requires a second factor you have not enrolled: only enrolment answers until you do',
    authScopes: { public: true },
    resolve: (_root, _args, ctx) => ctx.viewer?.secondFactorEnrolmentRequired ?? false,
  }),
  mySecondFactor: t.field({
    type: SecondFactorSettingsRef,
    authScopes: enrolling,
    resolve: (_root, _args, ctx) => secondFactor.ownSecondFactor(ctx),
  }),
}));

builder.mutationFields((t) => ({
  startTotpEnrolment: t.field({
    type: TotpEnrolmentRef,
    errors: {},
    description: 'A new authenticator app secret (replacing one not yet confirmed); show it as a QR code',
    authScopes: enrolling,
    resolve: (_root, _args, ctx) => secondFactor.startTotpEnrolment(ctx),
  }),
  confirmTotpEnrolment: t.field({
    type: SecondFactorEnrolledRef,
    errors: {},
    description: 'Turns the authenticator app on once a code from it is right',
    authScopes: enrolling,
    args: { code: t.arg.string({ required: true, validate: { maxLength: 20 } }) },
    resolve: (_root, { code }, ctx) => secondFactor.confirmTotpEnrolment(ctx, code),
  }),
  removeTotp: t.field({
    type: SecondFactorSettingsRef,
    errors: {},
    description: 'Turns your authenticator app off',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => secondFactor.removeTotp(ctx),
  }),
  startPasskeyRegistration: t.field({
    type: PasskeyRegistrationRef,
    errors: {},
    description: 'Starts registering a passkey or security key; the challenge is good for five minutes',
    authScopes: enrolling,
    resolve: async (_root, _args, ctx) => ({ options: await secondFactor.startPasskeyRegistration(ctx) }),
  }),
  finishPasskeyRegistration: t.field({
    type: SecondFactorEnrolledRef,
    errors: {},
    description: 'Registers the passkey or security key whose answer (JSON) matches the last startPasskeyRegistration',
    authScopes: enrolling,
    args: {
      response: t.arg.string({ required: true, validate: { maxLength: 20_000 } }),
      name: t.arg.string({ required: false, validate: { maxLength: 100 } }),
    },
    resolve: (_root, { response, name }, ctx) => secondFactor.finishPasskeyRegistration(ctx, response, name ?? ''),
  }),
  removePasskey: t.field({
    type: SecondFactorSettingsRef,
    errors: {},
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => secondFactor.removePasskey(ctx, String(id)),
  }),
  regenerateRecoveryCodes: t.field({
    type: SecondFactorEnrolledRef,
    errors: {},
    description: 'Ten new recovery codes, shown only now; the old ones stop working',
    authScopes: enrolling,
    resolve: async (_root, _args, ctx) => ({ recoveryCodes: await secondFactor.regenerateRecoveryCodes(ctx) }),
  }),
  clearSecondFactors: t.field({
    type: UserRef,
    errors: {},
    description: 'Clears every second factor of a user who lost theirs; only of a user whose every privilege you hold',
    authScopes: { privilege: 'User.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const userId = idOf(String(id), 'User');
      await secondFactor.clearSecondFactors(ctx, userId);
      return userId;
    },
  }),
  setRoleRequiresSecondFactor: t.field({
    type: RoleRef,
    errors: {},
    description: 'Makes holders of the role (built-in ones too) enrol a second factor before they can do anything else, or no longer',
    authScopes: { privilege: 'Role.Manage' },
    args: { id: t.arg.id({ required: true }), required: t.arg.boolean({ required: true }) },
    resolve: async (_root, { id, required }, ctx) => {
      const roleId = idOf(String(id), 'Role');
      await secondFactor.setRoleRequiresSecondFactor(ctx, roleId, required);
      return roleId;
    },
  }),
}));
