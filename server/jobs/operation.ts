import type { Db } from '../../db/connection.ts';
import type { HostRow, TaskRow, VmRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import type { Virsh } from '../hypervisor/virsh.ts';
import type { HostSettings } from '../services/hosts.ts';
import type { OperationName } from '../operations/steps.ts';

export type Progress = (percent: number, message?: string) => Promise<void>;

/** What an operation's code gets: the rows it acts on, the host's virsh, and a step runner. */
export interface JobContext {
  db: Db;
  pubsub: PubSub;
  config: Config;
  log: Logger;
  task: TaskRow;
  vm: VmRow;
  host: HostRow;
  settings: HostSettings;
  virsh: Virsh;
  /** Runs one of the operation's steps: running, then done, or failed with the error. */
  step<T>(name: string, fn: (progress: Progress) => Promise<T>): Promise<T>;
  /** Marks a step skipped, with why. */
  skip(name: string, reason: string): Promise<void>;
  /** A line in the task's log. */
  line(text: string): Promise<void>;
}

/** One host operation; its built-in `run` can be replaced by an admin's hook of the same name. */
export interface Operation {
  name: OperationName;
  run(ctx: JobContext): Promise<void>;
  /** Removes what a failed or interrupted run left on the host; must be idempotent. */
  rollback?(ctx: JobContext): Promise<void>;
}

export const GiB = 1024 ** 3;

/**
 * A failure after which the VM is kept as it is (no rollback): e.g. the guest agent never
 * answered. The VM shows the message; the user can retry, reinstall or delete it.
 */
export class KeepVmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeepVmError';
  }
}
