import { graphql } from '../gql/index.ts';

export const RepositoryImagesDocument = graphql(`
  query RepositoryImages {
    repositoryImages {
      id product version name osFamily osVersion arch defaultUser minDiskGb minMemoryMb sizeBytes checksumAlgorithm
      installed updateAvailable versionSeenAt
      repository { id name }
      image { id status }
      installFailure { reason message }
      installTask { ...TaskFields }
    }
  }
`);

export const ImageRepositoriesDocument = graphql(`
  query ImageRepositories {
    imageRepositories { id name url builtin signed enabled refreshedAt refreshFailure { reason message } }
  }
`);

export const InstallRepositoryImageDocument = graphql(`
  mutation InstallRepositoryImage($id: ID!) {
    installRepositoryImage(id: $id) {
      __typename
      ... on InstallRepositoryImagePayload { image { id name status } task { ...TaskFields } }
      ... on Error { message }
    }
  }
`);

export const AddImageRepositoryDocument = graphql(`
  mutation AddImageRepository($name: String!, $url: String!, $signingKey: String) {
    addImageRepository(name: $name, url: $url, signingKey: $signingKey) {
      __typename
      ... on RefreshImageRepositoryPayload { added updated repository { id name } }
      ... on RepositoryIndexError { reason }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const RefreshImageRepositoryDocument = graphql(`
  mutation RefreshImageRepository($id: ID!) {
    refreshImageRepository(id: $id) {
      __typename
      ... on RefreshImageRepositoryPayload { added updated }
      ... on RepositoryIndexError { reason }
      ... on Error { message }
    }
  }
`);

export const SetImageRepositoryEnabledDocument = graphql(`
  mutation SetImageRepositoryEnabled($id: ID!, $enabled: Boolean!) {
    setImageRepositoryEnabled(id: $id, enabled: $enabled) { __typename ... on ImageRepository { id enabled } ... on Error { message } }
  }
`);

export const RepositoryImagesChangedDocument = graphql(`subscription RepositoryImagesChanged { imagesUpdated { id } }`);
