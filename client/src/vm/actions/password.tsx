import { createSignal } from 'solid-js';
import { Field, FormDialog } from '../../components/Field.tsx';
import { graphql } from '../../gql/index.ts';
import { request } from '../../lib/graphql.ts';
import { createSubmit } from '../../lib/form.ts';
import type { ActionDialog, DialogProps } from './types.ts';

const ResetVmPasswordDocument = graphql(`
  mutation ResetVmPassword($id: ID!, $password: String!) {
    resetVmPassword(id: $id, password: $password) {
      __typename
      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

function ResetPasswordDialog(props: DialogProps) {
  const [password, setPassword] = createSignal('');
  const form = createSubmit(['password']);
  const onSubmit = () => {
    void form.submit(async () => (await request(ResetVmPasswordDocument, { id: props.vm.id, password: password() })).resetVmPassword, (r) => props.onStarted(r.task));
  };
  return (
    <FormDialog title={`New password for ${props.vm.guest?.username ?? 'the login user'}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Set password" disabled={form.busy() || !password()}>
      <p class="hint">Set inside the running guest through its agent.</p>
      <Field id="reset-password" label="New password" type="password" autocomplete="new-password" value={password()} onInput={setPassword} error={form.errors().password} />
    </FormDialog>
  );
}

export default { action: 'PASSWORD', label: 'Reset password', order: 2, notice: 'The new password is being set through the guest agent.', component: ResetPasswordDialog } satisfies ActionDialog;
