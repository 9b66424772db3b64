import * as consoles from '../services/console.ts';
import { builder } from './builder.ts';
import { idOf } from './errors.ts';

const ConsoleTicketRef = builder.objectRef<consoles.ConsoleTicket>('ConsoleTicket').implement({
  description: 'Opens the VM\u2019s console once: a WebSocket (noVNC, binary frames) on `path`, within 30 seconds',
  fields: (t) => ({
    ticket: t.exposeString('ticket', { description: 'Single use; the console closes when your rights no longer allow it' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    path: t.exposeString('path', { description: 'Where to open the WebSocket on this API: /console?ticket=\u2026' }),
  }),
});

builder.mutationFields((t) => ({
  createConsoleTicket: t.field({
    type: ConsoleTicketRef,
    errors: {},
    description: 'A short-lived ticket to open the console of a running VM you may act on (your own, or any with VM.ManageAll)',
    authScopes: { privilege: 'VM.Console' },
    args: { vmId: t.arg.id({ required: true }) },
    resolve: (_root, { vmId }, ctx) => consoles.createConsoleTicket(ctx.db, ctx.viewer!, idOf(String(vmId), 'Vm', 'vmId'), ctx.requestInfo),
  }),
}));
