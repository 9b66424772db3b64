// Typed failures of the hypervisor layer; the message is the tool's own explanation, cleaned up.

export class HypervisorError extends Error {
  readonly command: string;
  constructor(message: string, command: string) {
    super(message);
    this.name = 'HypervisorError';
    this.command = command;
  }
}

/** libvirt could not be reached at the URI (daemon down, network, auth, bad URI). */
export class HostUnreachableError extends HypervisorError {
  constructor(message: string, command: string) {
    super(message, command);
    this.name = 'HostUnreachableError';
  }
}

export class CommandTimeoutError extends HypervisorError {
  constructor(command: string, timeoutMs: number) {
    super(`${command} gave no answer within ${Math.round(timeoutMs / 1000)} s`, command);
    this.name = 'CommandTimeoutError';
  }
}

export class DomainNotFoundError extends HypervisorError {
  constructor(message: string, command: string) {
    super(message, command);
    this.name = 'DomainNotFoundError';
  }
}

export class ToolMissingError extends HypervisorError {
  constructor(tool: string) {
    super(`${tool} is not installed here: run scripts/install-host`, tool);
    this.name = 'ToolMissingError';
  }
}
