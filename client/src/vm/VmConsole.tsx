// The VM's screen in the browser: noVNC over the API's WebSocket proxy, authorized by a
// short-lived, single-use ticket. noVNC is loaded only when a console is opened.
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import type RFB from '@novnc/novnc';
import { graphql } from '../gql/index.ts';
import { errorText, request } from '../lib/graphql.ts';
import { describeError, isTypedError } from '../lib/errors.ts';
import { Alert } from '../components/ui.tsx';

const CreateConsoleTicketDocument = graphql(`
  mutation CreateConsoleTicket($vmId: ID!) {
    createConsoleTicket(vmId: $vmId) {
      __typename
      ... on ConsoleTicket { ticket expiresAt path }
      ... on Error { message }
    }
  }
`);

type Status = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'failed';

export default function VmConsole(props: { vmId: string; vmName: string; running: boolean }) {
  let screen!: HTMLDivElement;
  let rfb: RFB | undefined;
  const [status, setStatus] = createSignal<Status>('idle');
  const [message, setMessage] = createSignal<string>();
  const [scaled, setScaled] = createSignal(true);

  const disconnect = () => {
    rfb?.disconnect();
    rfb = undefined;
  };
  onCleanup(disconnect);

  const connect = async () => {
    disconnect();
    setStatus('connecting');
    setMessage(undefined);
    try {
      const { createConsoleTicket: ticket } = await request(CreateConsoleTicketDocument, { vmId: props.vmId });
      if (isTypedError(ticket)) {
        setStatus('failed');
        setMessage(describeError(ticket));
        return;
      }
      const url = new URL(ticket.path, location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const { default: RFBClass } = await import('@novnc/novnc');
      const client = new RFBClass(screen, url.toString(), { shared: true });
      client.scaleViewport = scaled();
      client.background = 'transparent';
      client.addEventListener('connect', () => {
        setStatus('connected');
        client.focus();
      });
      client.addEventListener('disconnect', (e) => {
        const clean = (e as CustomEvent<{ clean: boolean }>).detail?.clean;
        setStatus(clean ? 'disconnected' : 'failed');
        if (!clean) setMessage('The console connection was lost. The ticket is single-use: connect again for a new one.');
        if (rfb === client) rfb = undefined;
      });
      client.addEventListener('securityfailure', (e) => {
        setMessage(`The VNC server refused the connection: ${(e as CustomEvent<{ reason?: string }>).detail?.reason ?? 'no reason given'}`);
      });
      rfb = client;
    } catch (error) {
      setStatus('failed');
      setMessage(errorText(error));
    }
  };

  // Opening the tab opens the console when there is a screen to show.
  onMount(() => {
    if (props.running) void connect();
  });

  const toggleScale = () => {
    setScaled(!scaled());
    if (rfb) rfb.scaleViewport = scaled();
  };

  const fullscreen = () => void screen.requestFullscreen?.();

  return (
    <div class="card console-card">
      <div class="console-toolbar" role="toolbar" aria-label="Console">
        <Show
          when={status() === 'connected' || status() === 'connecting'}
          fallback={
            <button type="button" onClick={() => void connect()} disabled={!props.running} title={props.running ? undefined : 'The VM is not running'}>
              {status() === 'idle' ? 'Connect' : 'Reconnect'}
            </button>
          }
        >
          <button type="button" class="secondary" onClick={() => { disconnect(); setStatus('disconnected'); }}>
            Disconnect
          </button>
        </Show>
        <button type="button" class="secondary" disabled={status() !== 'connected'} onClick={() => rfb?.sendCtrlAltDel()}>
          Send Ctrl+Alt+Del
        </button>
        <button type="button" class="secondary" onClick={toggleScale} aria-pressed={scaled()}>
          Fit to window
        </button>
        <button type="button" class="secondary" disabled={status() !== 'connected'} onClick={fullscreen}>
          Full screen
        </button>
        <span class="muted" role="status" data-console-status={status()}>
          {status() === 'connected' ? `Connected to ${props.vmName}` : status() === 'connecting' ? 'Connecting…' : status() === 'disconnected' ? 'Disconnected' : status() === 'failed' ? 'Not connected' : props.running ? '' : 'The VM is not running'}
        </span>
      </div>
      <Alert message={message()} />
      <div class="console-screen" ref={screen} data-testid="console-screen" aria-label={`Screen of ${props.vmName}`} />
    </div>
  );
}
