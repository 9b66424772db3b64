// Domain errors: thrown inside services, returned to clients as typed members of mutation unions.

export interface FieldError {
  path: string[];
  message: string;
}

/** An exception named after its class (error.name), as logs and error reports show it. */
export class NamedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends NamedError {
  readonly fieldErrors: FieldError[];
  constructor(message: string, fieldErrors: FieldError[] = []) {
    super(message);
    this.fieldErrors = fieldErrors;
  }
  static forField(field: string, message: string): ValidationError {
    return new ValidationError(message, [{ path: [field], message }]);
  }
}

export class NotFoundError extends NamedError {
  constructor(what: string) {
    super(`${what} was not found`);
  }
}

export class ConflictError extends NamedError {}

/** A rule forbids this even though the caller holds the privilege (e.g. granting more than you have). */
export class PermissionError extends NamedError {}

export class InvalidCredentialsError extends NamedError {
  constructor(message = 'The email or password is wrong') {
    super(message);
  }
}

export class LoginThrottledError extends NamedError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`Too many failed sign-in attempts; try again in ${retryAfterSeconds} seconds`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A quota would be exceeded; nothing was created. */
export class QuotaExceededError extends NamedError {
  readonly resource: string;
  constructor(resource: string, message: string) {
    super(message);
    this.resource = resource;
  }
}

/** libvirt at a host's URI could not be reached or refused us; the message names the cause. */
export class HostConnectionError extends NamedError {}

/** No host can take the VM: none online with enough free capacity. */
export class NoCapacityError extends NamedError {}
