// Every GraphQL document the web client sends passes the API's abuse limits (depth, aliases,
// tokens, cost — the cost rule multiplies a connection by a literal `first`), so no screen meets a
// "Query Cost limit exceeded" in use. Documents are checked against the schema by `npm run check`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as documents from '../../client/src/gql/graphql.ts';
import { setupAdmin, useTestHangar } from '../support/hangar.ts';

const LIMIT_ERROR = /Query Cost limit|Query depth limit|Aliases limit|Token limit|Directives limit|exceeded/i;

describe('the web client’s documents', () => {
  const hangar = useTestHangar('pglite');

  test('every query and mutation of the client is within the API’s limits', async () => {
    const t = hangar();
    const cookie = await setupAdmin(t);
    // (Subscriptions over HTTP would stream; theirs are small selections without connections.)
    const entries = Object.entries(documents).filter(([name, document]) => name.endsWith('Document') && !String(document).trimStart().startsWith('subscription'));
    assert.ok(entries.length > 30, `the client has its documents (${entries.length})`);
    const refused: string[] = [];
    for (const [name, document] of entries) {
      // Without variables the operation stops at "variable not provided", after the limits ran.
      const response = await t.gql(String(document), {}, { cookie });
      for (const error of response.errors ?? []) if (LIMIT_ERROR.test(error.message)) refused.push(`${name}: ${error.message}`);
    }
    assert.deepEqual(refused, []);
  });
});
