import { graphql } from '../gql/index.ts';

export const ImageRowFragment = graphql(`
  fragment ImageRow on Image {
    id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes
    visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256
    owner { id name }
    sharedWith { id name }
  }
`);

/** The server's order of image lists (by name), for images that arrive live. */
export const imageOrder = (a: { name: string; id: string }, b: { name: string; id: string }): number => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** As many as ImagesDocument reads. */
export const IMAGES_PAGE = 40;

// The fields of ImageRow written out: a fragment spread inside a connection counts one level deeper
// in the API's query cost limit.
export const ImagesDocument = graphql(`
  query Images($filter: ImageFilter) {
    images(filter: $filter, first: 40) {
      edges {
        node {
          id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes
          visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256
          owner { id name }
          sharedWith { id name }
        }
      }
    }
  }
`);

// Every image added, changed, shared or deleted; image is null once it is gone from our view.
export const ImagesUpdatedDocument = graphql(`
  subscription ImagesUpdated { imagesUpdated { id image { ...ImageRow } } }
`);

export const UploadImageDocument = graphql(`
  mutation UploadImage($input: ImageInput!, $file: Upload!) {
    uploadImage(input: $input, file: $file) {
      __typename
      ... on Image { id name status }
      ... on ImageRejectedError { reason }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const ImportImageDocument = graphql(`
  mutation ImportImage($input: ImageInput!, $url: String!) {
    importImage(input: $input, url: $url) {
      __typename
      ... on ImportImagePayload { image { id name status } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const ShareImageDocument = graphql(`
  mutation ShareImage($id: ID!, $visibility: ImageVisibility!, $userIds: [ID!]) {
    shareImage(id: $id, visibility: $visibility, userIds: $userIds) {
      __typename
      ... on Image { id visibility sharedWith { id name } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const DeleteImageDocument = graphql(`
  mutation DeleteImage($id: ID!) {
    deleteImage(id: $id) { __typename ... on Image { id } ... on Error { message } }
  }
`);

export const ShareCandidatesDocument = graphql(`
  query ShareCandidates { users(first: 100) { edges { node { id name email } } } }
`);

export const CaptureVmsDocument = graphql(`
  query CaptureVms { vms(first: 100) { edges { node { id name state image { id } } } } }
`);
