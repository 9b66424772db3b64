import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

// Hosts are divided between live collectors by leases in the database. Each collector renews its
// leases several times per lease; a lease not renewed for `leaseMs` is free for another collector,
// so a dead collector's hosts are taken over within two intervals. Everything is timed by the
// database's clock, so collectors on machines whose clocks differ agree.

export interface LeaseTiming {
  /** How long a lease lasts without renewal. */
  leaseMs: number;
  /** A collector not seen for this long no longer counts when hosts are shared out. */
  aliveMs: number;
  /** How often a collector renews (balanceLeases). */
  renewEveryMs: number;
}

/**
 * Leases last one interval and are renewed three times in it. A collector unseen for a whole
 * interval (three missed renewals) stops counting when hosts are shared out at the moment its
 * leases lapse, so a survivor takes its hosts on its next round: within 1⅓ intervals of its death.
 * (Counting it alive for longer held the survivor to its old share: up to 2⅓ intervals.)
 */
export function leaseTiming(intervalMs: number): LeaseTiming {
  return { leaseMs: intervalMs, aliveMs: intervalMs, renewEveryMs: Math.max(200, intervalMs / 3) };
}

/**
 * One round: says this collector is alive, renews its leases, gives back what is beyond its fair
 * share (so a newcomer gets hosts) and takes free hosts up to its share. Returns the hosts it holds.
 */
export async function balanceLeases(db: Db, collectorId: string, timing: LeaseTiming): Promise<string[]> {
  const lease = sql<Date>`now() + ${`${timing.leaseMs} milliseconds`}::interval`;
  const alive = sql<Date>`now() - ${`${timing.aliveMs} milliseconds`}::interval`;
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('collectors')
      .values({ id: collectorId })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: sql<Date>`now()` }))
      .execute();
    await trx.deleteFrom('collectors').where('seen_at', '<', sql<Date>`now() - ${`${timing.aliveMs * 10} milliseconds`}::interval`).execute();
    // Every host has a lease row (new ones start free).
    await sql`insert into collector_leases (host_id) select id from hosts on conflict do nothing`.execute(trx);
    const { live } = await trx.selectFrom('collectors').select(sql<number>`count(*)::int`.as('live')).where('seen_at', '>', alive).executeTakeFirstOrThrow();
    const { hosts } = await trx.selectFrom('collector_leases').select(sql<number>`count(*)::int`.as('hosts')).executeTakeFirstOrThrow();
    const share = Math.ceil(hosts / Math.max(live, 1));

    const mine = (
      await trx
        .updateTable('collector_leases')
        .set({ expires_at: lease })
        .where('collector_id', '=', collectorId)
        .returning('host_id')
        .execute()
    ).map((r) => r.host_id).sort();
    if (mine.length > share) {
      const extra = mine.splice(share);
      await trx.updateTable('collector_leases').set({ collector_id: null, expires_at: sql<Date>`now()` }).where('host_id', 'in', extra).execute();
    } else if (mine.length < share) {
      const taken = await trx
        .updateTable('collector_leases')
        .set({ collector_id: collectorId, expires_at: lease })
        .where('host_id', 'in', (qb) =>
          qb
            .selectFrom('collector_leases')
            .select('host_id')
            .where((eb) => eb.or([eb('collector_id', 'is', null), eb('expires_at', '<=', sql<Date>`now()`)]))
            .orderBy('host_id')
            .limit(share - mine.length)
            .forUpdate()
            .skipLocked(),
        )
        .returning('host_id')
        .execute();
      mine.push(...taken.map((r) => r.host_id));
    }
    return mine;
  });
}

/** A collector that stops gives its hosts back at once. */
export async function releaseLeases(db: Db, collectorId: string): Promise<void> {
  await db.updateTable('collector_leases').set({ collector_id: null, expires_at: sql<Date>`now()` }).where('collector_id', '=', collectorId).execute();
  await db.deleteFrom('collectors').where('id', '=', collectorId).execute();
}

/** Which collector samples each host (for status pages and tests). */
export async function leaseHolders(db: Db): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('collector_leases').select(['host_id', 'collector_id', sql<boolean>`expires_at > now()`.as('valid')]).execute();
  return new Map(rows.map((r) => [r.host_id, r.valid ? r.collector_id : null]));
}
