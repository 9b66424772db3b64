const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return '—';
  let v = Math.abs(value);
  let unit = 0;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${value < 0 ? '-' : ''}${v.toFixed(unit === 0 ? 0 : digits)} ${UNITS[unit]}`;
}

/** Memory given in MiB as a person writes it: "768 MiB", "2 GiB", "1.5 GiB" (not "768.0 MiB" or "0.75 GiB"). */
export function mib(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) < 1024) return `${Math.round(value)} MiB`;
  return bytes(value * 1024 * 1024, 1).replace('.0 ', ' ');
}

/** "1 VM", "3 VMs". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 vCPU", "2 vCPUs". */
export function vcpus(n: number): string {
  return plural(n, 'vCPU');
}

export interface QuotaLimits {
  maxVcpus?: number | null;
  maxMemoryMb?: number | null;
  maxDiskGb?: number | null;
  maxVms?: number | null;
}

/** A quota in words, a missing limit as ∞: "4 vCPUs · 8 GiB memory · ∞ disk · 3 VMs". */
export function quotaText(q: QuotaLimits): string {
  return [
    q.maxVcpus == null ? '∞ vCPUs' : vcpus(q.maxVcpus),
    `${q.maxMemoryMb == null ? '∞' : mib(q.maxMemoryMb)} memory`,
    `${q.maxDiskGb == null ? '∞' : `${q.maxDiskGb} GiB`} disk`,
    q.maxVms == null ? '∞ VMs' : plural(q.maxVms, 'VM'),
  ].join(' · ');
}

export function percent(value: number | null | undefined, digits = 0): string {
  return value == null || !Number.isFinite(value) ? '—' : `${value.toFixed(digits)} %`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function when(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(seconds, 'second');
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 36 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

export function duration(fromIso: string | null | undefined, toIso: string | null | undefined, now = Date.now()): string {
  if (!fromIso) return '';
  const ms = (toIso ? new Date(toIso).getTime() : now) - new Date(fromIso).getTime();
  if (ms < 1000) return `${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "VM_PowerMgmt" → "VM.PowerMgmt", as the documentation writes privileges. */
export function privilegeName(p: string): string {
  return p.replace('_', '.');
}

/** "vm.create" → "Create", "image.import" → "Import image". */
export function operationName(op: string): string {
  const [kind, verb = kind] = op.split('.');
  const words = verb.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return kind === 'vm' ? label : `${label} ${kind}`;
}
