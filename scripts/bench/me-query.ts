// The `me` query of a signed-in administrator against the bare graphql-yoga baseline.
import type { BenchContext } from './lib/context.ts';
import { gql, gqlHeaders } from './lib/gql.ts';
import { measure } from './lib/load.ts';

export const TARGET_RATIO = 0.5;
const ME_QUERY = '{ me { id email name privileges } }';

export async function benchMeQuery(ctx: BenchContext): Promise<void> {
  const baseline = await ctx.baseline();
  const hangar = await ctx.hangar();

  const check = await gql(hangar.url, ME_QUERY, undefined, hangar.cookie);
  if (check.status !== 200 || check.body.errors || check.body.data?.me?.email !== hangar.admin.email) {
    throw new Error(`me answered wrongly: ${check.status} ${check.text}`);
  }
  ctx.note(`me: answers ${check.text}`);

  const me = await measure(
    { name: 'me', url: `${hangar.url}/graphql`, body: JSON.stringify({ query: ME_QUERY }), headers: gqlHeaders(hangar.cookie), expectBody: check.text },
    ctx.settings,
  );
  const ratio = me.rps / baseline.rps;
  ctx.figure('me_rps', me.rps, 'rps');
  ctx.figure('me_p50_ms', me.p50Ms, 'ms');
  ctx.figure('me_p99_ms', me.p99Ms, 'ms');
  ctx.figure('me_rps_ratio', ratio, 'ratio');
  ctx.note(
    ratio >= TARGET_RATIO
      ? `me: target met, ratio ${ratio.toFixed(3)} >= ${TARGET_RATIO}`
      : `me: TARGET MISSED, ratio ${ratio.toFixed(3)} < ${TARGET_RATIO} (me ${me.rps.toFixed(1)} rps vs baseline ${baseline.rps.toFixed(1)} rps)`,
  );
}
