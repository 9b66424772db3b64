import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  ConflictError,
  HostConnectionError,
  InvalidCredentialsError,
  LoginThrottledError,
  NoCapacityError,
  NotFoundError,
  PermissionError,
  QuotaExceededError,
  ValidationError,
  type FieldError,
} from '../errors.ts';
import { builder } from './builder.ts';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Every error a mutation can return implements this',
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FieldErrorRef = builder.objectRef<FieldError>('FieldError').implement({
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'The input field the message is about, e.g. ["input", "email"]' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused; nothing was changed',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (e) => e.fieldErrors }) }),
});
builder.objectType(NotFoundError, { name: 'NotFoundError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(ConflictError, { name: 'ConflictError', description: 'The change conflicts with the current state', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(PermissionError, { name: 'PermissionError', description: 'A rule forbids this change for you', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(InvalidCredentialsError, { name: 'InvalidCredentialsError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(LoginThrottledError, {
  name: 'LoginThrottledError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

/** Decodes a global id of the expected type; anything else is a ValidationError naming the field. */
export function idOf(globalId: string, typename: string, field = 'id'): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw ValidationError.forField(field, `${field} is not a valid id`);
  }
  if (decoded.typename !== typename || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(decoded.id)) {
    throw ValidationError.forField(field, `${field} is not the id of a ${typename}`);
  }
  return decoded.id;
}
builder.objectType(QuotaExceededError, {
  name: 'QuotaExceededError',
  description: 'Your quota does not allow this; nothing was created',
  interfaces: [ErrorInterface],
  fields: (t) => ({ resource: t.exposeString('resource', { description: 'The first dimension over: vms, vcpus, memory or disk (the message names every one, with what is left)' }) }),
});
builder.objectType(HostConnectionError, { name: 'HostConnectionError', description: 'libvirt at the host could not be reached', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(NoCapacityError, { name: 'NoCapacityError', description: 'No online host has room for this VM', interfaces: [ErrorInterface], fields: () => ({}) });
