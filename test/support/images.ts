// Puts an image file into a test Hangar through the real multipart upload (streamed from disk).
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { TestHangar } from './hangar.ts';

export const IMAGE_FIELDS = 'id name status statusMessage format sha256 virtualSizeBytes';

export async function uploadImage(t: TestHangar, cookie: string, path: string, input: Record<string, unknown>): Promise<any> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($input: ImageInput!, $file: Upload!) { uploadImage(input: $input, file: $file) { __typename ... on Image { ${IMAGE_FIELDS} } ... on Error { message } } }`,
      variables: { input, file: null },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', await openAsBlob(path), basename(path));
  const response = await fetch(`${t.url}/graphql`, { method: 'POST', body: form, headers: { cookie, 'x-hangar-csrf': '1' } });
  const body = (await response.json()) as any;
  const result = body.data?.uploadImage;
  if (result?.__typename !== 'Image') throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return result;
}
