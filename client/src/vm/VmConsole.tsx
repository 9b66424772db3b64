// The VM's consoles in the browser: its screen (noVNC) or its serial port (a text terminal), each
// over the API's WebSocket proxy, authorized by a short-lived, single-use ticket. noVNC and the
// terminal are loaded only when their console is opened.
import { createSignal, lazy, onCleanup, onMount, Show, Suspense } from 'solid-js';
import type RFB from '@novnc/novnc';
import { errorText } from '../lib/graphql.ts';
import { Alert } from '../components/ui.tsx';
import { consoleSocketUrl, type ConsoleKind } from './console-ticket.ts';
import { ConsoleToolbar, type ConsoleStatus } from './ConsoleToolbar.tsx';

const SerialConsole = lazy(() => import('./SerialConsole.tsx'));

type Status = ConsoleStatus;

type Props = { vmId: string; vmName: string; running: boolean };

/** VNC (the screen) or Serial (text that can be selected, copied and pasted), one at a time. */
export default function VmConsole(props: Props) {
  const [kind, setKind] = createSignal<ConsoleKind>('vnc');
  return (
    <div class="console-panel">
      <div class="segmented" role="group" aria-label="Console type">
        <button type="button" class="secondary small" aria-pressed={kind() === 'vnc'} onClick={() => setKind('vnc')}>
          VNC
        </button>
        <button type="button" class="secondary small" aria-pressed={kind() === 'serial'} onClick={() => setKind('serial')}>
          Serial
        </button>
      </div>
      <Show when={kind() === 'serial'} fallback={<VncConsole {...props} />}>
        <Suspense fallback={<div class="card muted">Loading the terminal…</div>}>
          <SerialConsole {...props} />
        </Suspense>
      </Show>
    </div>
  );
}

function VncConsole(props: Props) {
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
      const address = await consoleSocketUrl(props.vmId, 'vnc');
      if ('refused' in address) {
        setStatus('failed');
        setMessage(address.refused);
        return;
      }
      const { default: RFBClass } = await import('@novnc/novnc');
      const client = new RFBClass(screen, address.url, { shared: true });
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
      <ConsoleToolbar label="Console" status={status()} vmName={props.vmName} running={props.running} onConnect={() => void connect()} onDisconnect={() => { disconnect(); setStatus('disconnected'); }}>
        <button type="button" class="secondary" disabled={status() !== 'connected'} onClick={() => rfb?.sendCtrlAltDel()}>
          Send Ctrl+Alt+Del
        </button>
        <button type="button" class="secondary" onClick={toggleScale} aria-pressed={scaled()}>
          Fit to window
        </button>
        <button type="button" class="secondary" disabled={status() !== 'connected'} onClick={fullscreen}>
          Full screen
        </button>
      </ConsoleToolbar>
      <Alert message={message()} />
      <div class="console-screen" ref={screen} data-testid="console-screen" aria-label={`Screen of ${props.vmName}`} />
    </div>
  );
}
