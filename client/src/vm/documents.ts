import { graphql } from '../gql/index.ts';

export const VmSummaryFragment = graphql(`
  fragment VmSummary on Vm {
    id
    name
    tags
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
    warnings
    cancelRequested
    canCancel
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
