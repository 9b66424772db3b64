import { graphql } from '../gql/index.ts';

export const VmSummaryFragment = graphql(`
  fragment VmSummary on Vm {
    id
    name
    state
    stateMessage
    vcpus
    memoryMb
    diskGb
    ipAddress
    updatedAt
    createdAt
    host { id name }
    owner { id name }
    image { id name }
    actions { action allowed reason }
  }
`);

export const TaskFieldsFragment = graphql(`
  fragment TaskFields on Task {
    id
    operation
    status
    error
    requestId
    createdAt
    startedAt
    finishedAt
    user { id name }
    vm { id name }
    steps { name state progress message position startedAt finishedAt }
  }
`);

export const TaskUpdatedDocument = graphql(`
  subscription TaskUpdated($id: ID!) { taskUpdated(id: $id) { ...TaskFields } }
`);

export const TasksUpdatedDocument = graphql(`
  subscription TasksUpdated { tasksUpdated { ...TaskFields } }
`);

export const VmsUpdatedDocument = graphql(`
  subscription VmsUpdated { vmsUpdated { ...VmSummary } }
`);


export const StartVmDocument = graphql(`
  mutation StartVm($id: ID!) { startVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
export const ShutdownVmDocument = graphql(`
  mutation ShutdownVm($id: ID!) { shutdownVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
export const StopVmDocument = graphql(`
  mutation StopVm($id: ID!) { stopVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
export const RebootVmDocument = graphql(`
  mutation RebootVm($id: ID!) { rebootVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
export const ResetVmDocument = graphql(`
  mutation ResetVm($id: ID!) { resetVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
export const SuspendVmDocument = graphql(`
  mutation SuspendVm($id: ID!) { suspendVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
export const ResumeVmDocument = graphql(`
  mutation ResumeVm($id: ID!) { resumeVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
export const DeleteVmDocument = graphql(`
  mutation DeleteVm($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
export const ReinstallVmDocument = graphql(`
  mutation ReinstallVm($id: ID!, $imageId: ID, $guest: GuestInput) {
    reinstallVm(id: $id, imageId: $imageId, guest: $guest) {
      __typename
      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);
export const ResizeVmDocument = graphql(`
  mutation ResizeVm($id: ID!, $input: ResizeVmInput!) {
    resizeVm(id: $id, input: $input) {
      __typename
      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }
      ... on QuotaExceededError { resource }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);
export const ResetVmPasswordDocument = graphql(`
  mutation ResetVmPassword($id: ID!, $password: String!) {
    resetVmPassword(id: $id, password: $password) {
      __typename
      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);
export const CaptureImageDocument = graphql(`
  mutation CaptureImage($vmId: ID!, $name: String!) {
    captureImage(vmId: $vmId, name: $name) {
      __typename
      ... on CaptureImagePayload { image { id name status } task { ...TaskFields } vm { ...VmSummary } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);
