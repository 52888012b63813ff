import { Injectable, inject, signal } from '@angular/core';
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import type { AvailabilitySnapshot } from '../api/api-types';
import { Session } from '../auth/session';

/** What `availabilityChanged` carries: the event's section counts and versions, and the seats changed since the last push. */
export type LiveSnapshot = AvailabilitySnapshot;
export type LiveState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';
type Listener = (snapshot: LiveSnapshot) => void;

/**
 * The one SignalR connection of the page (owned by the shell, used by every area): watch an event's stock, hear every
 * push for it. Watches survive reconnects: each watched event is joined again when the connection comes back.
 */
@Injectable({ providedIn: 'root' })
export class LiveConnection {
  private readonly session = inject(Session);
  private readonly listeners = new Map<string, Set<Listener>>();
  private connection: HubConnection | null = null;
  private starting: Promise<void> | null = null;
  readonly state = signal<LiveState>('disconnected');

  /** Starts watching; the listener gets the current snapshot first, then every push. Call the result to stop. */
  watch(eventId: string, listener: Listener): () => void {
    let set = this.listeners.get(eventId);
    const first = !set;
    if (!set) this.listeners.set(eventId, (set = new Set()));
    set.add(listener);
    void this.join(eventId, first ? undefined : listener);
    return () => {
      set!.delete(listener);
      if (set!.size > 0) return;
      this.listeners.delete(eventId);
      if (this.connection?.state === HubConnectionState.Connected) void this.connection.invoke('UnwatchEvent', eventId).catch(() => undefined);
    };
  }

  private async join(eventId: string, only?: Listener): Promise<void> {
    try {
      const connection = await this.connected();
      const snapshot = await connection.invoke<LiveSnapshot>('WatchEvent', eventId);
      if (only) only(snapshot);
      else this.deliver(snapshot);
    } catch {
      // The connection retries by itself; the page keeps its last known stock meanwhile.
    }
  }

  private deliver(snapshot: LiveSnapshot): void {
    for (const listener of this.listeners.get(snapshot.eventId) ?? []) listener(snapshot);
  }

  private async connected(): Promise<HubConnection> {
    if (!this.connection) {
      this.connection = new HubConnectionBuilder()
        .withUrl('/hubs/live', { accessTokenFactory: () => this.session.token() ?? '' })
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => Math.min(10_000, 500 * 2 ** c.previousRetryCount) })
        .configureLogging(LogLevel.None)
        .build();
      this.connection.on('availabilityChanged', (snapshot: LiveSnapshot) => this.deliver(snapshot));
      this.connection.onreconnecting(() => this.state.set('reconnecting'));
      this.connection.onreconnected(() => {
        this.state.set('connected');
        for (const eventId of this.listeners.keys()) void this.join(eventId);
      });
      this.connection.onclose(() => {
        this.state.set('disconnected');
        this.starting = null;
      });
    }
    if (this.connection.state === HubConnectionState.Connected) return this.connection;
    this.starting ??= (async () => {
      this.state.set('connecting');
      await this.connection!.start();
      this.state.set('connected');
    })().catch((error) => {
      this.starting = null;
      this.state.set('disconnected');
      throw error;
    });
    await this.starting;
    return this.connection;
  }
}
