// Domain errors: thrown inside services, returned to clients as typed members of mutation unions.

export interface FieldError {
  path: string[];
  message: string;
}

export class ValidationError extends Error {
  readonly fieldErrors: FieldError[];
  constructor(message: string, fieldErrors: FieldError[] = []) {
    super(message);
    this.name = 'ValidationError';
    this.fieldErrors = fieldErrors;
  }
  static forField(field: string, message: string): ValidationError {
    return new ValidationError(message, [{ path: [field], message }]);
  }
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** A rule forbids this even though the caller holds the privilege (e.g. granting more than you have). */
export class PermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionError';
  }
}

export class InvalidCredentialsError extends Error {
  constructor() {
    super('The email or password is wrong');
    this.name = 'InvalidCredentialsError';
  }
}

export class LoginThrottledError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`Too many failed sign-in attempts; try again in ${retryAfterSeconds} seconds`);
    this.name = 'LoginThrottledError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A quota would be exceeded; nothing was created. */
export class QuotaExceededError extends Error {
  readonly resource: string;
  constructor(resource: string, message: string) {
    super(message);
    this.name = 'QuotaExceededError';
    this.resource = resource;
  }
}

/** libvirt at a host's URI could not be reached or refused us; the message names the cause. */
export class HostConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostConnectionError';
  }
}

/** No host can take the VM: none online with enough free capacity. */
export class NoCapacityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoCapacityError';
  }
}
