// Typed mutation errors (schema unions) turned into words next to their field or action.

export interface FieldError {
  path: string[];
  message: string;
}

export interface TypedError {
  __typename: string;
  message: string;
  fieldErrors?: FieldError[];
}

/** The union member is one of the typed errors (they all carry a message). */
export function isTypedError<T extends { __typename: string }>(result: T): result is Extract<T, { message: string }> {
  return 'message' in result && typeof (result as { message?: unknown }).message === 'string';
}

/** A field error's path without the argument name: ["input","guest","hostname"] → "guest.hostname". */
function normalize(path: string[]): string {
  return (path[0] === 'input' ? path.slice(1) : path).join('.');
}

/** Does a field error's path belong to the form field `name` ("guest.sshKeys" takes "guest.sshKeys.0")? */
function belongs(path: string, name: string): boolean {
  if (path === name || path.startsWith(`${name}.`)) return true;
  // Services name some fields without their parent ("hostname" for guest.hostname).
  const last = name.split('.').pop();
  return !path.includes('.') && path === last;
}

/** Messages per form field; `fields` are the names the form shows ("name", "guest.hostname"). */
export type FieldMessages = Record<string, string>;

const PREFIX: Record<string, string> = {
  QuotaExceededError: 'Over your quota',
  // None for NoCapacityError: the server's "No online host has room for …" says it already.
  ConflictError: 'Not possible now',
  NotFoundError: 'Not found',
  PermissionError: 'Not allowed',
  HostConnectionError: 'The host cannot be reached',
  ImageRejectedError: 'The image was refused',
  LoginThrottledError: 'Too many attempts',
};

/** One sentence for an error not tied to a field. */
export function describeError(e: TypedError): string {
  const prefix = PREFIX[e.__typename];
  return prefix && !e.message.toLowerCase().startsWith(prefix.toLowerCase()) ? `${prefix}: ${e.message}` : e.message;
}

/**
 * Splits a typed error into messages under the fields the form shows and a general line by the
 * action for the rest (other error types, or field errors about fields not on the form).
 */
export function splitError(e: TypedError, shownFields: string[] = []): { fields: FieldMessages; general?: string } {
  const fields: FieldMessages = {};
  const rest: FieldError[] = [];
  for (const fe of e.fieldErrors ?? []) {
    const path = normalize(fe.path);
    const field = shownFields.find((name) => belongs(path, name));
    if (field) fields[field] ??= fe.message;
    else rest.push(fe);
  }
  if (e.__typename === 'ValidationError' && e.fieldErrors?.length && rest.length === 0) return { fields };
  const general = rest.length ? rest.map((f) => (f.path.length ? `${normalize(f.path)}: ${f.message}` : f.message)).join('; ') : describeError(e);
  return { fields, general };
}
