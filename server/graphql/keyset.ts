import { ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor, type KeysetOrder, type KeysetPage, type KeysetPageArgs } from '../services/keyset.ts';

interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageSizes {
  defaultSize: number;
  maxSize: number;
}

/** The page a connection's arguments ask for: forward only, `first` clamped to the list's maximum. */
export function keysetPageArgs(args: ConnectionArgs, order: KeysetOrder, sizes: PageSizes): KeysetPageArgs {
  if (args.last != null || args.before != null) throw ValidationError.forField(args.last != null ? 'last' : 'before', `${capitalize(order.label)} pages forward only: use first and after`);
  if (args.first != null && args.first < 0) throw ValidationError.forField('first', 'first must be 0 or more');
  return { limit: Math.min(args.first ?? sizes.defaultSize, sizes.maxSize), after: args.after ? decodeCursor(order, args.after) : null };
}

/** A Relay connection over keyset pages: the resolver of every list. */
export async function resolveKeysetConnection<R>(args: ConnectionArgs, order: KeysetOrder, sizes: PageSizes, load: (page: KeysetPageArgs) => Promise<KeysetPage<R>>) {
  const page = keysetPageArgs(args, order, sizes);
  const { rows, hasNextPage } = await load(page);
  const edges = rows.map(({ row, key }) => ({ cursor: encodeCursor(order, key), node: row }));
  return {
    edges,
    pageInfo: { hasNextPage, hasPreviousPage: page.after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
