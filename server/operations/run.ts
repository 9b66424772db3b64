// Running an operation and applying what its failure policy says (define.ts), apart from where
// its steps are recorded: the worker records them in the database, unit tests in memory.
import { KeepVmError, TaskCancelledError, type FailurePolicy, type TaskContext } from './define.ts';

/** What running needs of an operation, VM or image. */
export interface Runnable<C extends TaskContext> {
  failure: FailurePolicy;
  run(ctx: C): Promise<void>;
  rollback?(ctx: C, cause?: Error): Promise<void>;
}

export interface Failure {
  error: Error;
  /** `error`: the VM shows ERROR; `host`: it shows what its host reports. */
  vm: 'error' | 'host';
  /** Whether a rollback ran, and how it ended. */
  rollback: 'none' | 'done' | { failed: Error };
  /** The task was cancelled (it stopped before a step), not broken. */
  cancelled: boolean;
}

/**
 * Runs the operation (or what replaces it, an admin's hook) and, when it fails, rolls back what
 * it made as its policy says. Never throws: null is success.
 */
export async function runOperation<C extends TaskContext>(operation: Runnable<C>, ctx: C, run: () => Promise<void> = () => operation.run(ctx)): Promise<Failure | null> {
  try {
    await run();
    return null;
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    // A KeepVmError keeps the VM as it is (the user looks at it), whatever the policy.
    const kept = error instanceof KeepVmError;
    const rollback = kept || operation.failure === 'keep' ? 'none' : await rollBack(operation, ctx, error);
    return { error, vm: operation.failure === 'error' && !kept ? 'error' : 'host', rollback, cancelled: error instanceof TaskCancelledError };
  }
}

/** After its worker died mid-run: what it made is rolled back, and the VM shows what the policy says. */
export async function recoverOperation<C extends TaskContext>(operation: Runnable<C>, ctx: C, cause: Error): Promise<Omit<Failure, 'error' | 'cancelled'>> {
  return { vm: operation.failure === 'error' ? 'error' : 'host', rollback: await rollBack(operation, ctx, cause) };
}

async function rollBack<C extends TaskContext>(operation: Runnable<C>, ctx: C, cause?: Error): Promise<Failure['rollback']> {
  if (!operation.rollback) return 'none';
  try {
    await operation.rollback(ctx, cause);
    return 'done';
  } catch (error) {
    await ctx.line(`rollback failed: ${(error as Error).message}`);
    return { failed: error as Error };
  }
}
