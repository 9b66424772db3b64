// Which backups a schedule keeps: the last N, and the newest of each of the last D days, W weeks
// and M months that have one (in the schedule's time zone), the way Proxmox Backup Server prunes
// (each rule in turn, skipping what an earlier rule kept and the periods those cover). Then every
// backup a kept one depends on (its parent, its parent's parent, …) is kept too: pruning never
// breaks a chain. Only the schedule's own finished backups are candidates; others are kept.
import { z } from 'zod';

export const retentionFields = {
  keepLast: z.number().int().min(0).max(1000).default(0),
  keepDaily: z.number().int().min(0).max(1000).default(0),
  keepWeekly: z.number().int().min(0).max(1000).default(0),
  keepMonthly: z.number().int().min(0).max(1000).default(0),
};

/** A schedule that keeps none would delete every backup it makes. */
export function retentionRefinement(p: { keepLast: number; keepDaily: number; keepWeekly: number; keepMonthly: number }, ctx: z.RefinementCtx): void {
  if (p.keepLast + p.keepDaily + p.keepWeekly + p.keepMonthly <= 0) ctx.addIssue({ code: 'custom', path: ['keepLast'], message: 'Keep at least one backup (a schedule that keeps none would delete every backup it makes)' });
}

export const retentionSchema = z.object(retentionFields).superRefine(retentionRefinement);
export type RetentionPolicy = z.output<typeof retentionSchema>;

export interface RetentionCandidate {
  id: string;
  parentId: string | null;
  createdAt: Date;
  /** Made by this schedule and finished: only these may be pruned. */
  prunable: boolean;
}

export interface RetentionDecision {
  id: string;
  keep: boolean;
  /** Why it is kept ("the last 3", "daily 2026-12-03", "needed by …", "not made by this schedule"), or why not. */
  reason: string;
}

type Rule = { name: 'last' | 'daily' | 'weekly' | 'monthly'; count: number; period: (d: Date) => string };

/** The calendar date of the instant in the time zone, as [year, month, day]. */
function localDate(d: Date, timeZone: string): [number, number, number] {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return [get('year'), get('month'), get('day')];
}

/** ISO 8601 week of a calendar date: "2026-W49". */
function isoWeek([y, m, day]: [number, number, number]): string {
  const date = new Date(Date.UTC(y, m - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of its week decides the year
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function applyRetention(backups: readonly RetentionCandidate[], policy: RetentionPolicy, timeZone: string): RetentionDecision[] {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const kept = new Map<string, string>();
  for (const b of newestFirst) if (!b.prunable) kept.set(b.id, 'not made by this schedule');
  const candidates = newestFirst.filter((b) => b.prunable);
  const rules: Rule[] = [
    { name: 'last', count: policy.keepLast, period: (d) => String(d.getTime()) },
    { name: 'daily', count: policy.keepDaily, period: (d) => localDate(d, timeZone).map(pad).join('-') },
    { name: 'weekly', count: policy.keepWeekly, period: (d) => isoWeek(localDate(d, timeZone)) },
    { name: 'monthly', count: policy.keepMonthly, period: (d) => localDate(d, timeZone).slice(0, 2).map(pad).join('-') },
  ];
  for (const rule of rules) {
    if (rule.count <= 0) continue;
    // Periods an earlier rule's backup already covers are not counted again.
    const covered = new Set(candidates.filter((b) => kept.has(b.id)).map((b) => rule.period(b.createdAt)));
    const chosen = new Set<string>();
    for (const b of candidates) {
      if (kept.has(b.id)) continue;
      const period = rule.period(b.createdAt);
      if (covered.has(period) || chosen.has(period)) continue;
      if (chosen.size >= rule.count) break;
      chosen.add(period);
      kept.set(b.id, rule.name === 'last' ? `one of the last ${rule.count}` : `${rule.name} ${period}`);
    }
  }
  // What a kept backup is made from stays: an incremental without its parent cannot be restored.
  const byId = new Map(backups.map((b) => [b.id, b]));
  for (const b of newestFirst) {
    if (!kept.has(b.id)) continue;
    for (let parent = b.parentId ? byId.get(b.parentId) : undefined; parent; parent = parent.parentId ? byId.get(parent.parentId) : undefined) {
      if (kept.has(parent.id)) continue;
      kept.set(parent.id, `needed by ${b.id}`);
    }
  }
  return newestFirst.map((b) => ({ id: b.id, keep: kept.has(b.id), reason: kept.get(b.id) ?? 'beyond the retention' }));
}
