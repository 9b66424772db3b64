// Typed failures of the hypervisor layer; the message is the tool's own explanation, cleaned up.

import { NamedError } from '../errors.ts';

export class HypervisorError extends NamedError {
  readonly command: string;
  constructor(message: string, command: string) {
    super(message);
    this.command = command;
  }
}

/** libvirt could not be reached at the URI (daemon down, network, auth, bad URI). */
export class HostUnreachableError extends HypervisorError {}

export class CommandTimeoutError extends HypervisorError {
  constructor(command: string, timeoutMs: number) {
    super(`${command} gave no answer within ${Math.round(timeoutMs / 1000)} s`, command);
  }
}

export class DomainNotFoundError extends HypervisorError {}

export class ToolMissingError extends HypervisorError {
  constructor(tool: string) {
    super(`${tool} is not installed here: run scripts/install-host`, tool);
  }
}
