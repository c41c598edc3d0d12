import {
  broadcastDevtoolsChannel,
  createLiveClient,
  createStaticClient,
  mergeDevtoolsChannels,
  webSocketDevtoolsChannel,
  type DevtoolsChannel,
} from '@eventwire/devtools-bridge';
import { DevtoolsModel, DevtoolsPanel, devtoolsCss, useDevtoolsModel } from '@eventwire/devtools-ui';
import { useEffect, useState } from 'react';
import { SourceList } from './SourceList.js';

/** Pages over BroadcastChannel, processes over the relay's WebSocket, when there is one. */
function liveChannel(): DevtoolsChannel {
  const channels: DevtoolsChannel[] = [broadcastDevtoolsChannel()];
  try {
    const url = new URL('/eventwire-devtools', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    socket.addEventListener('error', () => {}); // no relay (a static host): pages still work
    channels.push(webSocketDevtoolsChannel(socket));
  } catch {
    // WebSocket refused by the page's policy: pages still work.
  }
  return mergeDevtoolsChannels(channels);
}

/** The standalone devtools: every page and process it can see, on the left; the panel on the right. */
export function App() {
  const [model, setModel] = useState(() => new DevtoolsModel(createLiveClient(liveChannel())));
  const [sourceId, setSourceId] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useDevtoolsModel(model);
  useEffect(() => () => model.close(), [model]);

  const open = (file: File): void => {
    file.text().then(
      (text) => {
        try {
          setModel(new DevtoolsModel(createStaticClient(text)));
          setSourceId(undefined);
          setError(undefined);
        } catch (e) {
          setError((e as Error).message);
        }
      },
      (e: unknown) => setError(String(e)),
    );
  };
  const backToLive = (): void => {
    setModel(new DevtoolsModel(createLiveClient(liveChannel())));
    setSourceId(undefined);
  };

  return (
    <div className="ewd" style={{ flexDirection: 'row', height: '100vh' }}>
      <style>{devtoolsCss}</style>
      <SourceList model={model} selected={sourceId} onSelect={setSourceId} onBackToLive={model.client.mode === 'static' ? backToLive : undefined} />
      <div style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        {error !== undefined && (
          <div className="ewd-toolbar ewd-error" role="alert">
            {error} <button onClick={() => setError(undefined)}>dismiss</button>
          </div>
        )}
        <DevtoolsPanel model={model} onImport={open} sourceId={sourceId} onSourceChange={setSourceId} />
      </div>
    </div>
  );
}
