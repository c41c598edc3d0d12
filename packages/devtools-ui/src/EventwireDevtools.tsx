import type { EventBus } from '@eventwire/core';
import { connectDevtools, createInPageChannel, createLiveClient, type ConnectDevtoolsOptions } from '@eventwire/devtools-bridge';
import { useEffect, useState, type CSSProperties, type PointerEvent as ReactPointerEvent } from 'react';
import { DevtoolsPanel, type DevtoolsView } from './DevtoolsPanel.js';
import { DevtoolsModel } from './model/devtoolsModel.js';

/** Props of {@link EventwireDevtools}. */
export interface EventwireDevtoolsProps {
  readonly bus: EventBus;
  /** @default false */
  readonly initialIsOpen?: boolean;
  /** @default 'bottom' */
  readonly dock?: 'bottom' | 'right';
  readonly initialView?: DevtoolsView;
  /** Bridge options: `redact`, `maxAge`, `maxBatch`, `latency`, `store`, `replayDeadLetter`. */
  readonly bridge?: Omit<ConnectDevtoolsOptions, 'channel'>;
}

/**
 * The devtools inside the app: a floating button that opens a panel docked at the bottom or
 * the right. It talks to the bus through an in-page bridge, so redaction applies here too.
 *
 * @example
 * ```tsx
 * <App />
 * <EventwireDevtools bus={bus} bridge={{ redact: ['cardNumber'] }} />
 * ```
 */
export function EventwireDevtools({ bus, initialIsOpen = false, dock: initialDock = 'bottom', initialView, bridge }: EventwireDevtoolsProps) {
  const [model, setModel] = useState<DevtoolsModel | undefined>(undefined);
  const [open, setOpen] = useState(initialIsOpen);
  const [dock, setDock] = useState(initialDock);
  const [size, setSize] = useState(initialDock === 'bottom' ? 360 : 560);

  useEffect(() => {
    const [bridgeEnd, devtoolsEnd] = createInPageChannel();
    const connection = connectDevtools(bus, { ...bridge, label: bridge?.label ?? 'embedded', channel: bridgeEnd });
    const next = new DevtoolsModel(createLiveClient(devtoolsEnd));
    setModel(next);
    return () => {
      connection.close();
      next.close();
    };
    // The bridge options are read once: changing them means a new bridge, which loses history.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bus]);

  if (!open || model === undefined) {
    return (
      <button style={floatingButton} onClick={() => setOpen(true)} aria-label="Open eventwire devtools" data-testid="devtools-toggle">
        <span style={{ width: 10, height: 10, borderRadius: '50%', background: 'conic-gradient(#7aa2ff,#c792ea,#3ecf8e,#7aa2ff)', display: 'inline-block' }} />
        eventwire
      </button>
    );
  }
  const docked: CSSProperties =
    dock === 'bottom' ? { left: 0, right: 0, bottom: 0, height: size, borderTop: '1px solid #2a3142' } : { top: 0, right: 0, bottom: 0, width: size, borderLeft: '1px solid #2a3142' };
  return (
    <div style={{ position: 'fixed', zIndex: 2147483000, boxShadow: '0 -8px 30px rgba(0,0,0,.35)', ...docked }} data-testid="devtools-panel">
      <div
        style={dock === 'bottom' ? { position: 'absolute', top: -3, left: 0, right: 0, height: 6, cursor: 'ns-resize', zIndex: 1 } : { position: 'absolute', left: -3, top: 0, bottom: 0, width: 6, cursor: 'ew-resize', zIndex: 1 }}
        onPointerDown={(event) => startResize(event, dock, setSize)}
      />
      <DevtoolsPanel
        model={model}
        {...(initialView !== undefined ? { initialView } : {})}
        actions={
          <>
            <button onClick={() => setDock(dock === 'bottom' ? 'right' : 'bottom')} title="Dock at the other side">
              {dock === 'bottom' ? '⇥' : '⤓'}
            </button>
            <button onClick={() => setOpen(false)} aria-label="Close devtools">
              ✕
            </button>
          </>
        }
      />
    </div>
  );
}

const floatingButton: CSSProperties = {
  position: 'fixed',
  right: 16,
  bottom: 16,
  zIndex: 2147483000,
  display: 'flex',
  alignItems: 'center',
  gap: 8,
  padding: '8px 14px',
  borderRadius: 20,
  border: '1px solid #2a3142',
  background: '#0f1117',
  color: '#e6e9ef',
  font: '600 12px system-ui, sans-serif',
  boxShadow: '0 4px 16px rgba(0,0,0,.3)',
  cursor: 'pointer',
};

function startResize(event: ReactPointerEvent, dock: 'bottom' | 'right', setSize: (size: number) => void): void {
  event.preventDefault();
  const move = (e: PointerEvent): void => setSize(Math.max(160, dock === 'bottom' ? window.innerHeight - e.clientY : window.innerWidth - e.clientX));
  const up = (): void => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
}
