import { createContext, useContext, useEffect, useRef } from 'react';

/** How the live connection is, and a counter that grows each time it came back (views refetch on it). */
export interface ConnectionState {
  readonly status: 'connected' | 'reconnecting';
  readonly reconnects: number;
  readonly lastReconnectAt: Date | null;
}

export const ConnectionContext = createContext<ConnectionState>({
  status: 'connected',
  reconnects: 0,
  lastReconnectAt: null,
});

/** Runs `refetch` each time the connection comes back after a drop (not on the first render). */
export function useRefetchOnReconnect(refetch: () => void): void {
  const { reconnects } = useContext(ConnectionContext);
  const seen = useRef(reconnects);
  const latest = useRef(refetch);
  useEffect(() => {
    latest.current = refetch;
  });
  useEffect(() => {
    if (reconnects !== seen.current) {
      seen.current = reconnects;
      latest.current();
    }
  }, [reconnects]);
}
