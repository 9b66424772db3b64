import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyRetention, retentionSchema, type RetentionCandidate } from '../../server/services/backup-retention.ts';

const at = (iso: string) => new Date(iso);
const policy = (p: Record<string, number>) => retentionSchema.parse(p);
const kept = (decisions: ReturnType<typeof applyRetention>) => decisions.filter((d) => d.keep).map((d) => d.id).sort();

/** One full backup a day at 02:00 UTC for `days` days from 2026-11-01, each its own chain. */
function daily(days: number): RetentionCandidate[] {
  return Array.from({ length: days }, (_, i) => ({ id: `d${i + 1}`, parentId: null, createdAt: new Date(Date.UTC(2026, 10, 1 + i, 2)), prunable: true }));
}

test('keep-last keeps the newest N and nothing else', () => {
  const decisions = applyRetention(daily(5), policy({ keepLast: 2 }), 'UTC');
  assert.deepEqual(kept(decisions), ['d4', 'd5']);
  assert.equal(decisions.find((d) => d.id === 'd1')!.reason, 'beyond the retention');
});

test('daily, weekly and monthly keep the newest of each period, skipping periods an earlier rule covers', () => {
  // 2026-11-01 … 2026-12-10: 40 days.
  const decisions = applyRetention(daily(40), policy({ keepLast: 1, keepDaily: 3, keepWeekly: 2, keepMonthly: 2 }), 'UTC');
  // last: d40 (Dec 10, Thu, week 50); daily: Dec 9, 8, 7 (d39, d38, d37);
  // weekly: week 50 is covered, so weeks 49 (newest: Sun Dec 6 = d36) and 48 (Sun Nov 29 = d29);
  // monthly: December and November are covered by those, and October has none.
  assert.deepEqual(kept(decisions), ['d29', 'd36', 'd37', 'd38', 'd39', 'd40']);
  assert.equal(decisions.find((d) => d.id === 'd36')!.reason, 'weekly 2026-W49');
  // Monthly alone: the newest of December and of November.
  const monthly = applyRetention(daily(40), policy({ keepMonthly: 2 }), 'UTC');
  assert.deepEqual(kept(monthly), ['d30', 'd40']);
  assert.equal(monthly.find((d) => d.id === 'd30')!.reason, 'monthly 2026-11');
});

test('days are counted in the schedule\u2019s time zone', () => {
  // 23:30 and 00:30 UTC are the same day in New York, two days in UTC.
  const backups: RetentionCandidate[] = [
    { id: 'late', parentId: null, createdAt: at('2026-12-02T23:30:00Z'), prunable: true },
    { id: 'early', parentId: null, createdAt: at('2026-12-03T00:30:00Z'), prunable: true },
  ];
  assert.deepEqual(kept(applyRetention(backups, policy({ keepDaily: 2 }), 'UTC')), ['early', 'late']);
  assert.deepEqual(kept(applyRetention(backups, policy({ keepDaily: 2 }), 'America/New_York')), ['early']);
});

test('a kept incremental keeps the whole chain it is made from', () => {
  const backups: RetentionCandidate[] = [
    { id: 'full', parentId: null, createdAt: at('2026-12-01T01:00:00Z'), prunable: true },
    { id: 'inc1', parentId: 'full', createdAt: at('2026-12-02T01:00:00Z'), prunable: true },
    { id: 'inc2', parentId: 'inc1', createdAt: at('2026-12-03T01:00:00Z'), prunable: true },
    { id: 'other-full', parentId: null, createdAt: at('2026-11-20T01:00:00Z'), prunable: true },
  ];
  const decisions = applyRetention(backups, policy({ keepLast: 1 }), 'UTC');
  assert.deepEqual(kept(decisions), ['full', 'inc1', 'inc2']);
  assert.equal(decisions.find((d) => d.id === 'full')!.reason, 'needed by inc2');
});

test('backups the schedule did not make are kept and count for nothing', () => {
  const backups: RetentionCandidate[] = [
    { id: 'manual', parentId: null, createdAt: at('2026-12-03T01:00:00Z'), prunable: false },
    { id: 's1', parentId: 'manual', createdAt: at('2026-12-03T02:00:00Z'), prunable: true },
    { id: 's0', parentId: null, createdAt: at('2026-12-01T02:00:00Z'), prunable: true },
  ];
  const decisions = applyRetention(backups, policy({ keepLast: 1 }), 'UTC');
  assert.deepEqual(kept(decisions), ['manual', 's1']);
  assert.equal(decisions.find((d) => d.id === 'manual')!.reason, 'not made by this schedule');
});

test('a policy that keeps nothing is refused', () => {
  assert.equal(retentionSchema.safeParse({}).success, false);
  assert.equal(retentionSchema.safeParse({ keepLast: -1, keepDaily: 2 }).success, false);
  assert.equal(retentionSchema.safeParse({ keepWeekly: 1 }).success, true);
});
