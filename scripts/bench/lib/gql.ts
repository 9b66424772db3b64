// A single GraphQL POST as a browser of Hangar sends it.
export interface GqlReply {
  status: number;
  text: string;
  body: { data?: any; errors?: Array<{ message: string }> };
  headers: Headers;
}

export function gqlHeaders(cookie?: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hangar-csrf': '1', ...(cookie ? { cookie } : {}) };
}

export async function gql(url: string, query: string, variables?: Record<string, unknown>, cookie?: string): Promise<GqlReply> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: gqlHeaders(cookie), body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: GqlReply['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.status, text, body, headers: response.headers };
}
