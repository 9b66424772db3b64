import { isIPv6 } from 'node:net';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { LoginThrottledError } from '../errors.ts';

/**
 * Sign-in throttling. Every attempt is charged BEFORE its password is checked, in one statement per
 * counter (an upsert that refuses or counts, atomically), so parallel guesses cannot all pass a
 * check made before any of them is counted; a right password refunds its charge.
 * - per (account, address) pair: maxFailures attempts, then a back-off that doubles per failure
 *   (backoffMs, 2×, 4×… capped at the window). The account itself is never locked: a stranger
 *   elsewhere guessing the Administrator's password does not keep the Administrator out.
 * - per address: maxFailuresPerAddress attempts within the window, whatever the accounts.
 */
export interface ThrottleSettings {
  maxFailures: number;
  maxFailuresPerAddress: number;
  windowMs: number;
  backoffMs: number;
}

/** A charged attempt: call succeeded() when its password was right. */
export interface AdmittedAttempt {
  succeeded(): Promise<void>;
}

/** IPv6 clients are counted by their /64 (one host holds a whole one); IPv4-mapped addresses as IPv4. */
export function addressOf(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(ip: string): string[] {
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  // An embedded IPv4 tail counts as two groups; only the first four groups matter here.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups.map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

let lastPrune = 0;

/** Charges one sign-in attempt for (email, ip), or throws LoginThrottledError saying when to try again. */
export async function admitLoginAttempt(db: Db, settings: ThrottleSettings, email: string, ip: string | null): Promise<AdmittedAttempt> {
  const address = addressOf(ip);
  const addressKey = `address:${address}`;
  const pairKey = `pair:${email.toLowerCase()} ${address}`;
  await pruneNowAndThen(db, settings);
  const windowSecs = settings.windowMs / 1000;

  // The address: counts every attempt within its window, refuses past the limit.
  const addressRow = await sql<{ failures: number }>`
    insert into login_throttle as t (key, failures, window_started_at, blocked_until, updated_at)
    values (${addressKey}, 1, now(), now(), now())
    on conflict (key) do update set
      failures = case when t.window_started_at <= now() - make_interval(secs => ${windowSecs}) then 1 else t.failures + 1 end,
      window_started_at = case when t.window_started_at <= now() - make_interval(secs => ${windowSecs}) then now() else t.window_started_at end,
      updated_at = now()
    where t.window_started_at <= now() - make_interval(secs => ${windowSecs}) or t.failures < ${settings.maxFailuresPerAddress}
    returning failures`.execute(db);
  if (addressRow.rows.length === 0) {
    throw new LoginThrottledError(await secondsUntil(db, addressKey, sql`window_started_at + make_interval(secs => ${windowSecs})`));
  }

  // The pair: free attempts up to maxFailures, then each one blocks the next for a doubling delay.
  // A pair idle for a whole window starts again from nothing.
  const backoffSecs = settings.backoffMs / 1000;
  const fresh = sql`t.updated_at <= now() - make_interval(secs => ${windowSecs})`;
  const delayOf = (failures: ReturnType<typeof sql>) =>
    sql`case when ${failures} >= ${settings.maxFailures}
      then make_interval(secs => least(${backoffSecs} * power(2, ${failures} - ${settings.maxFailures}), ${windowSecs}))
      else make_interval() end`;
  const pairRow = await sql<{ failures: number }>`
    insert into login_throttle as t (key, failures, window_started_at, blocked_until, updated_at)
    values (${pairKey}, 1, now(), now() + ${delayOf(sql`1`)}, now())
    on conflict (key) do update set
      failures = case when ${fresh} then 1 else t.failures + 1 end,
      blocked_until = now() + ${delayOf(sql`(case when ${fresh} then 1 else t.failures + 1 end)`)},
      updated_at = now()
    where t.blocked_until <= now()
    returning failures`.execute(db);
  if (pairRow.rows.length === 0) {
    // Not checked, so not counted against the address either.
    await refund(db, addressKey);
    throw new LoginThrottledError(await secondsUntil(db, pairKey, sql`blocked_until`));
  }

  return {
    succeeded: async () => {
      await db.deleteFrom('login_throttle').where('key', '=', pairKey).execute();
      await refund(db, addressKey);
    },
  };
}

async function refund(db: Db, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ failures: sql`greatest(failures - 1, 0)` })
    .where('key', '=', key)
    .execute();
}

async function secondsUntil(db: Db, key: string, at: ReturnType<typeof sql>): Promise<number> {
  const row = await sql<{ seconds: number }>`select ceil(extract(epoch from (${at} - now())))::int as seconds from login_throttle where key = ${key}`.execute(db);
  return Math.max(1, row.rows[0]?.seconds ?? 1);
}

/** Drops counters nothing refers to any more, at most once a minute per process. */
async function pruneNowAndThen(db: Db, settings: ThrottleSettings): Promise<void> {
  if (Date.now() - lastPrune < 60_000) return;
  lastPrune = Date.now();
  const windowSecs = settings.windowMs / 1000;
  await sql`delete from login_throttle where updated_at < now() - make_interval(secs => ${2 * windowSecs}) and blocked_until < now()`.execute(db);
}
