// The image repositories' schedule: every worker refreshes the enabled repositories now and then
// (a refresh is idempotent, so two workers doing it is only a little waste), and removes the older
// versions of installed images that no VM uses any more.
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { refreshEnabledRepositories } from '../services/repositories.ts';

/** A fresh installation should not wait hours for its catalogue; the first pass comes after this at most. */
const FIRST_PASS_MS = 5 * 60_000;

/** Starts the schedule (none when repositoryRefreshMs is 0); returns what stops it. */
export function scheduleRepositoryRefresh(deps: { db: Db; config: Config; pubsub: PubSub; log: Logger }): () => void {
  const every = deps.config.repositoryRefreshMs;
  if (!every) return () => {};
  let running = false;
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      await refreshEnabledRepositories(deps, (repository, error) => deps.log.warn({ repository: repository.name, err: error.message }, 'repository refresh refused'));
    } catch (error) {
      deps.log.warn({ err: (error as Error).message }, 'repository refresh failed');
    } finally {
      running = false;
    }
  };
  let interval: NodeJS.Timeout | null = null;
  const first = setTimeout(() => {
    void pass();
    interval = setInterval(() => void pass(), every);
  }, Math.min(every, FIRST_PASS_MS));
  return () => {
    clearTimeout(first);
    if (interval) clearInterval(interval);
  };
}
