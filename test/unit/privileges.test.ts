import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_PRIVILEGES, BUILT_IN_ROLES } from '../../server/services/privileges.ts';

test('built-in roles hold only known privileges, and only administrators manage users and roles', () => {
  for (const role of BUILT_IN_ROLES) {
    for (const p of role.privileges) assert.ok(ALL_PRIVILEGES.includes(p), `${role.name}: ${p}`);
    const manages = role.privileges.includes('User.Manage') || role.privileges.includes('Role.Manage');
    assert.equal(manages, role.name === 'Administrator', role.name);
  }
  assert.deepEqual(BUILT_IN_ROLES.map((r) => r.name), ['Administrator', 'Operator', 'User', 'Auditor']);
});

test('seeing is not acting: VM.ManageAll is held by Operator and Administrator, not by Auditor who sees every VM', () => {
  const holders = BUILT_IN_ROLES.filter((r) => r.privileges.includes('VM.ManageAll')).map((r) => r.name);
  assert.deepEqual(holders, ['Administrator', 'Operator']);
  const auditor = BUILT_IN_ROLES.find((r) => r.name === 'Auditor')!;
  assert.ok(auditor.privileges.includes('VM.ViewAll') && !auditor.privileges.includes('VM.ManageAll'));
});
