// The bar above either console: connect or disconnect, the console's own buttons, and its status.
import { Show, type JSX } from 'solid-js';

export type ConsoleStatus = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'failed';

function statusText(status: ConsoleStatus, vmName: string, running: boolean): string {
  if (status === 'connected') return `Connected to ${vmName}`;
  if (status === 'connecting') return 'Connecting…';
  if (status === 'disconnected') return 'Disconnected';
  if (status === 'failed') return 'Not connected';
  return running ? '' : 'The VM is not running';
}

export function ConsoleToolbar(props: {
  label: string;
  status: ConsoleStatus;
  vmName: string;
  running: boolean;
  onConnect: () => void;
  onDisconnect: () => void;
  children: JSX.Element;
}) {
  return (
    <div class="console-toolbar" role="toolbar" aria-label={props.label}>
      <Show
        when={props.status === 'connected' || props.status === 'connecting'}
        fallback={
          <button type="button" onClick={() => props.onConnect()} disabled={!props.running} title={props.running ? undefined : 'The VM is not running'}>
            {props.status === 'idle' ? 'Connect' : 'Reconnect'}
          </button>
        }
      >
        <button type="button" class="secondary" onClick={() => props.onDisconnect()}>
          Disconnect
        </button>
      </Show>
      {props.children}
      <span class="muted" role="status" data-console-status={props.status}>
        {statusText(props.status, props.vmName, props.running)}
      </span>
    </div>
  );
}
