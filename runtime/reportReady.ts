/**
 * How a finsync process tells the launcher that it serves: one IPC message once its work has started (the
 * gateway composed and listening, a subgraph listening, the CDC consumer subscribed, the posting worker polling).
 * Started without a launcher (no IPC channel), it does nothing.
 */
export interface ReadyMessage {
  readonly type: 'finsync:ready';
  /** Where the process serves, for the launcher's status page (`http://…`, a topic, a queue). */
  readonly serves?: string;
}

export function isReadyMessage(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'finsync:ready';
}

export function reportReady(serves?: string): void {
  const message: ReadyMessage = { type: 'finsync:ready', serves };
  process.send?.(message);
}
