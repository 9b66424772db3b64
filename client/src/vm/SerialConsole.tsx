// The VM's first serial port as a text terminal (xterm.js): what the guest prints can be selected
// and copied, and text typed or pasted goes to the guest. Bytes travel in binary WebSocket frames.
import { createSignal, onCleanup, onMount } from 'solid-js';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { errorText } from '../lib/graphql.ts';
import { Alert } from '../components/ui.tsx';
import { consoleSocketUrl } from './console-ticket.ts';
import { ConsoleToolbar, type ConsoleStatus } from './ConsoleToolbar.tsx';

export default function SerialConsole(props: { vmId: string; vmName: string; running: boolean }) {
  let screen!: HTMLDivElement;
  let socket: WebSocket | undefined;
  const [status, setStatus] = createSignal<ConsoleStatus>('idle');
  const [message, setMessage] = createSignal<string>();
  const encoder = new TextEncoder();
  const terminal = new Terminal({ cursorBlink: true, fontSize: 14, scrollback: 5000, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' });
  const fit = new FitAddon();
  terminal.loadAddon(fit);

  const send = (text: string) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(encoder.encode(text));
  };
  terminal.onData(send);
  const copy = async () => {
    const text = terminal.hasSelection() ? terminal.getSelection() : '';
    if (text) await navigator.clipboard?.writeText(text).catch(() => setMessage('The browser did not allow copying: use its own copy (right click) instead.'));
  };
  const paste = async () => {
    try {
      terminal.paste(await navigator.clipboard.readText());
      terminal.focus();
    } catch {
      setMessage('The browser did not allow reading the clipboard: paste with Ctrl+Shift+V or its menu instead.');
    }
  };
  // Ctrl+C stays the guest's interrupt: copying is Ctrl+Shift+C, as in terminals (pasting with
  // Ctrl+Shift+V or Ctrl+V is the browser's own paste, which the terminal sends on).
  terminal.attachCustomKeyEventHandler((event) => {
    if (event.type === 'keydown' && event.ctrlKey && event.shiftKey && event.code === 'KeyC') {
      void copy();
      return false;
    }
    return true;
  });

  const disconnect = () => {
    const open = socket;
    socket = undefined;
    open?.close();
  };

  const connect = async () => {
    disconnect();
    setStatus('connecting');
    setMessage(undefined);
    try {
      const address = await consoleSocketUrl(props.vmId, 'serial');
      if ('refused' in address) {
        setStatus('failed');
        setMessage(address.refused);
        return;
      }
      const ws = new WebSocket(address.url, ['binary']);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => {
        setStatus('connected');
        terminal.focus();
      };
      ws.onmessage = (event) => terminal.write(new Uint8Array(event.data as ArrayBuffer));
      ws.onclose = (event) => {
        if (socket !== ws) return;
        socket = undefined;
        const clean = event.code === 1000 || event.code === 1005;
        setStatus(clean ? 'disconnected' : 'failed');
        if (!clean) setMessage(event.reason ? `The console closed: ${event.reason}` : 'The console connection was lost. The ticket is single-use: connect again for a new one.');
      };
      socket = ws;
    } catch (error) {
      setStatus('failed');
      setMessage(errorText(error));
    }
  };

  onMount(() => {
    terminal.open(screen);
    fit.fit();
    const resized = new ResizeObserver(() => fit.fit());
    resized.observe(screen);
    onCleanup(() => resized.disconnect());
    if (props.running) void connect();
  });
  onCleanup(() => {
    disconnect();
    terminal.dispose();
  });

  return (
    <div class="card console-card">
      <ConsoleToolbar label="Serial console" status={status()} vmName={props.vmName} running={props.running} onConnect={() => void connect()} onDisconnect={() => { disconnect(); setStatus('disconnected'); }}>
        <button type="button" class="secondary" onClick={() => void copy()} title="Copies the selected text (Ctrl+Shift+C)">
          Copy
        </button>
        <button type="button" class="secondary" disabled={status() !== 'connected'} onClick={() => void paste()} title="Sends the clipboard's text to the guest (Ctrl+Shift+V)">
          Paste
        </button>
        <button type="button" class="secondary" onClick={() => terminal.clear()}>
          Clear
        </button>
      </ConsoleToolbar>
      <Alert message={message()} />
      <div class="serial-screen" ref={screen} data-testid="serial-screen" aria-label={`Serial console of ${props.vmName}`} />
    </div>
  );
}
