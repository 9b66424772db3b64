// Test-only: the fault tests (test/faults/) kill or stop a worker at an exact step boundary. With
// HANGAR_TEST_STEP_HOLD_DIR set, a worker that has recorded a step's start waits while the file
// <dir>/<operation>.<step number, from 1> exists. Unset (production), nothing here runs.
import { access } from 'node:fs/promises';
import { join } from 'node:path';

const POLL_MS = 100;

export async function holdAtStep(dir: string, operation: string, position: number): Promise<void> {
  const file = join(dir, `${operation}.${position + 1}`);
  for (;;) {
    const held = await access(file).then(
      () => true,
      () => false,
    );
    if (!held) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
