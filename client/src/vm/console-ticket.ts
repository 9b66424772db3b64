// A console's WebSocket address, from a short-lived, single-use ticket (the same ticket opens the
// VM's screen or its serial port).
import { graphql } from '../gql/index.ts';
import { request } from '../lib/graphql.ts';
import { describeError, isTypedError } from '../lib/errors.ts';

const CreateConsoleTicketDocument = graphql(`
  mutation CreateConsoleTicket($vmId: ID!) {
    createConsoleTicket(vmId: $vmId) {
      __typename
      ... on ConsoleTicket { ticket expiresAt path }
      ... on Error { message }
    }
  }
`);

export type ConsoleKind = 'vnc' | 'serial';

/** The ws(s):// address of the console, or the words of the typed error that refused a ticket. */
export async function consoleSocketUrl(vmId: string, kind: ConsoleKind): Promise<{ url: string } | { refused: string }> {
  const { createConsoleTicket: ticket } = await request(CreateConsoleTicketDocument, { vmId });
  if (isTypedError(ticket)) return { refused: describeError(ticket) };
  const url = new URL(ticket.path, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (kind === 'serial') url.pathname = `${url.pathname.replace(/\/$/, '')}/serial`;
  return { url: url.toString() };
}
