import { sql, type RawBuilder } from 'kysely';

/**
 * True when no ancestor of a token (the token that made it, and so on up) is revoked or expired.
 * Revocation cascades and expiry is clamped when a child is made; this check also covers a child
 * made while its parent was being revoked (the cascade's snapshot could not see it yet).
 * `parentColumn` is the child's parent_id, e.g. 't.parent_id'.
 */
export function ancestryAlive(parentColumn: string): RawBuilder<boolean> {
  return sql<boolean>`not exists (
    with recursive chain(id, parent_id, revoked_at, expires_at) as (
      select a.id, a.parent_id, a.revoked_at, a.expires_at from api_tokens a where a.id = ${sql.ref(parentColumn)}
      union
      select a.id, a.parent_id, a.revoked_at, a.expires_at from api_tokens a join chain c on a.id = c.parent_id
    )
    select 1 from chain where chain.revoked_at is not null or chain.expires_at <= now()
  )`;
}
