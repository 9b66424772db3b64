import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { printedSchema, SCHEMA_FILE } from '../../server/graphql/print-schema.ts';

test('schema/schema.graphql is current (run `npm run schema` after changing the API)', () => {
  assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), printedSchema());
});
