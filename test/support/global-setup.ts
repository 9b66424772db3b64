// Once per `npm test` run (node --test --test-global-setup): what test files share and no single
// file may stop while others use it. Today that is the second hypervisor host (scripts/test-host),
// which files start when they need it and which goes when the run ends.
import { stopSecondHost } from './second-host.ts';

export async function globalSetup(): Promise<void> {}

export async function globalTeardown(): Promise<void> {
  await stopSecondHost();
}
