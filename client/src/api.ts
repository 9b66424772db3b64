/** Minimal GraphQL client. The session lives in an httpOnly cookie set by the server. */

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export class GraphQLRequestError extends Error {
  readonly errors: GraphQLErrorEntry[];
  constructor(errors: GraphQLErrorEntry[]) {
    super(errors.map((e) => e.message).join('; ') || 'GraphQL request failed');
    this.name = 'GraphQLRequestError';
    this.errors = errors;
  }
}

export async function graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-hangar-csrf': '1' },
    body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
  });
  let payload: { data?: T | null; errors?: GraphQLErrorEntry[] };
  try {
    payload = (await response.json()) as typeof payload;
  } catch {
    throw new Error(`Server returned ${response.status} ${response.statusText}`);
  }
  if (payload.errors && payload.errors.length > 0) throw new GraphQLRequestError(payload.errors);
  if (payload.data == null) throw new Error(`Server returned ${response.status} with no data`);
  return payload.data;
}

// ---- Types ---------------------------------------------------------------

export interface Me {
  id: string;
  email: string;
  name: string;
  privileges: string[];
  roles: { name: string }[];
}

export interface FieldError {
  path: string[];
  message: string;
}

/** Union member returned by a mutation: either the success type or a typed error. */
export type MutationResult<S> =
  | (S & { __typename: string; message?: undefined; fieldErrors?: undefined })
  | { __typename: 'ValidationError'; message: string; fieldErrors: FieldError[] }
  | { __typename: string; message: string; fieldErrors?: undefined };

export function isError(r: { message?: string }): r is { __typename: string; message: string; fieldErrors?: FieldError[] } {
  return typeof r.message === 'string';
}

/** Maps field errors to the last element of their path (e.g. "email"). */
export function fieldErrorMap(errors: FieldError[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    const key = e.path[e.path.length - 1];
    if (key !== undefined && out[key] === undefined) out[key] = e.message;
  }
  return out;
}

// ---- Operations -----------------------------------------------------------

const BOOTSTRAP = /* GraphQL */ `
  query Bootstrap {
    me { id email name privileges roles { name } }
    setupRequired
  }
`;

export function bootstrap(): Promise<{ me: Me | null; setupRequired: boolean }> {
  return graphql(BOOTSTRAP);
}

const SETUP = /* GraphQL */ `
  mutation SetupAdministrator($input: SetupAdministratorInput!) {
    setupAdministrator(input: $input) {
      __typename
      ... on User { id }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`;

export async function setupAdministrator(input: {
  email: string;
  name: string;
  password: string;
}): Promise<MutationResult<{ id: string }>> {
  const data = await graphql<{ setupAdministrator: MutationResult<{ id: string }> }>(SETUP, { input });
  return data.setupAdministrator;
}

const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess { user { id email name } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`;

export type LoginResult = MutationResult<{ user: { id: string; email: string; name: string } }>;

export async function login(input: { email: string; password: string }): Promise<LoginResult> {
  const data = await graphql<{ login: LoginResult }>(LOGIN, { input });
  return data.login;
}

export async function logout(): Promise<boolean> {
  const data = await graphql<{ logout: boolean }>('mutation Logout { logout }');
  return data.logout;
}
