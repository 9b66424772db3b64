import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, getOperationAST, type DocumentNode, type ExecutionResult, type SelectionSetNode } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { ConflictError, NotFoundError, PermissionError, ValidationError, InvalidCredentialsError, LoginThrottledError } from '../errors.ts';
import type { Context } from '../graphql/context.ts';
import { schema } from '../graphql/schema.ts';
import { ENROLMENT_ROOT_FIELDS } from '../graphql/second-factor.ts';

const ERROR_CODES = new Map<Function, string>([
  [ValidationError, 'BAD_USER_INPUT'],
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
  [PermissionError, 'FORBIDDEN'],
  [InvalidCredentialsError, 'UNAUTHENTICATED'],
  [LoginThrottledError, 'TOO_MANY_REQUESTS'],
]);

export const LIMITS = {
  depth: 12,
  aliases: 15,
  tokens: 2000,
  cost: 5000,
  directives: 20,
  /** Items in any one list given as a variable (the schema caps each list argument lower). */
  listItems: 1000,
  /** Values in all the variables of a request, counted like the document's cost. */
  variableValues: 5000,
};

/**
 * The document's limits (armor) never see the variables, where a list of any length fits into the
 * body limit: every list and every value in them is counted before anything runs.
 */
export function checkVariables(variables: unknown): GraphQLError | null {
  let values = 0;
  const stack: Array<[unknown, string]> = [[variables, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    values++; // scalars, lists and objects alike: an object of many empty objects costs too
    if (Array.isArray(value)) {
      if (value.length > LIMITS.listItems) {
        return new GraphQLError(`The variable ${path} holds ${value.length} items; a list holds at most ${LIMITS.listItems}`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      for (let i = 0; i < value.length; i++) stack.push([value[i], `${path}[${i}]`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) stack.push([v, path ? `${path}.${key}` : `$${key}`]);
    }
    if (values > LIMITS.variableValues) {
      return new GraphQLError(`The variables hold more than ${LIMITS.variableValues} values`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
  }
  return null;
}

/** Domain errors keep their message and get a code; anything unexpected is logged and masked. */
function maskError(error: unknown): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? null) : (error as Error);
  if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
  const code = original ? ERROR_CODES.get(original.constructor) : undefined;
  if (code && error instanceof GraphQLError) return new GraphQLError(original!.message, { nodes: error.nodes, path: error.path, extensions: { code } });
  // Logged with its request id when the result is sent (see hangarPlugin); the caller sees only this.
  return new GraphQLError('Unexpected error.', {
    originalError: original ?? (error as Error),
    nodes: error instanceof GraphQLError ? error.nodes : undefined,
    path: error instanceof GraphQLError ? error.path : undefined,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

const SUGGESTION = / Did you mean .*\?$/;

/** Adds the request id to every error; anonymous callers get no "Did you mean" hints to map the schema by typos. */
function withRequestId(result: ExecutionResult, requestId: string, anonymous: boolean): ExecutionResult {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map(
      (e) => new GraphQLError(anonymous ? e.message.replace(SUGGESTION, '') : e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, originalError: e.originalError, extensions: { ...e.extensions, requestId } }),
    ),
  };
}

// Before execution (which coerces the variables) and for subscriptions too, over HTTP and WebSocket.
const variablesPlugin: Plugin<Context> = {
  onExecute({ args, setResultAndStopExecution }) {
    const error = checkVariables(args.variableValues);
    if (error) setResultAndStopExecution({ errors: [error] });
  },
  onSubscribe({ args, setResultAndStopExecution }) {
    const error = checkVariables(args.variableValues);
    if (error) setResultAndStopExecution({ errors: [error] });
  },
};

/** The root fields an operation selects, through its fragments. */
function rootFieldNames(document: DocumentNode, operationName?: string | null): string[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const names: string[] = [];
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return names;
}

/**
 * A user whose role requires a second factor they have not enrolled reaches only the enrolment
 * fields (besides holding no privilege meanwhile): nothing else runs, whatever its own scopes.
 */
function enrolmentRefusal(context: Context, document: DocumentNode, operationName?: string | null): GraphQLError | null {
  if (!context.viewer?.secondFactorEnrolmentRequired) return null;
  const others = rootFieldNames(document, operationName).filter((name) => !ENROLMENT_ROOT_FIELDS.has(name));
  if (others.length === 0) return null;
  return new GraphQLError(`Your role requires a second factor: enrol one (an authenticator app or a passkey) before using ${others.join(', ')}`, {
    extensions: { code: 'SECOND_FACTOR_ENROLMENT_REQUIRED' },
  });
}

const enrolmentGatePlugin: Plugin<Context> = {
  onExecute({ args, setResultAndStopExecution }) {
    const error = enrolmentRefusal(args.contextValue as Context, args.document, args.operationName);
    if (error) setResultAndStopExecution({ errors: [error] });
  },
  onSubscribe({ args, setResultAndStopExecution }) {
    const error = enrolmentRefusal(args.contextValue as Context, args.document, args.operationName);
    if (error) setResultAndStopExecution({ errors: [error] });
  },
};

// Runs on the final result of each request (after any validation cache), so it sees who asked.
const hangarPlugin: Plugin<Context> = {
  onResultProcess({ result, setResult, serverContext }) {
    const context = serverContext as unknown as Context;
    const finish = (r: ExecutionResult) => {
      for (const e of r.errors ?? []) {
        if (e.extensions?.code === 'INTERNAL_SERVER_ERROR') context.log.error({ err: e.originalError, path: e.path }, 'unexpected error in a GraphQL operation');
      }
      return withRequestId(r, context.requestInfo.requestId, !context.viewer);
    };
    if (Array.isArray(result)) setResult(result.map(finish));
    else if (!(Symbol.asyncIterator in result)) setResult(finish(result as ExecutionResult));
  },
};

export function createHangarYoga() {
  return createYoga<Context>({
    schema,
    graphqlEndpoint: '/graphql',
    logging: false,
    landingPage: false,
    graphiql: { title: 'Hangar GraphiQL', subscriptionsProtocol: 'WS', headers: JSON.stringify({ 'x-hangar-csrf': '1' }) },
    maskedErrors: { maskError },
    // server.ts sets the CORS headers: yoga's own default reflects any Origin with credentials.
    cors: false,
    // server.ts reads and limits every body (HANGAR_MAX_BODY_BYTES, 413 PAYLOAD_TOO_LARGE) before yoga
    // sees it, as a Buffer: yoga's own limit would only pipe that Buffer through a second byte counter.
    maxRequestBodySize: false,
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: LIMITS.depth, flattenFragments: true },
        maxAliases: { n: LIMITS.aliases },
        maxTokens: { n: LIMITS.tokens },
        costLimit: { maxCost: LIMITS.cost },
        maxDirectives: { n: LIMITS.directives },
        blockFieldSuggestion: { enabled: false },
      }),
      variablesPlugin,
      enrolmentGatePlugin,
      hangarPlugin,
    ],
  });
}

export type HangarYoga = ReturnType<typeof createHangarYoga>;
