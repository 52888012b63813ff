import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';

/**
 * Whether this station scans online: the browser's own view (navigator.onLine and its online/offline events), the
 * staff's "scan offline" switch, and what the last request found (a failed fetch means the server is out of reach
 * even when the browser thinks it is online).
 */
@Injectable()
export class GateConnection {
  readonly browserOnline = signal(navigator.onLine);
  readonly forcedOffline = signal(false);
  readonly unreachable = signal(false);
  readonly offline = computed(() => this.forcedOffline() || !this.browserOnline() || this.unreachable());
  /** Whether it is worth sending a request at all (also while the switch is on: syncing still helps). */
  readonly mayTry = computed(() => this.browserOnline());
  private readonly listeners = new Set<() => void>();

  constructor() {
    const online = () => {
      this.browserOnline.set(true);
      this.unreachable.set(false);
      for (const listener of this.listeners) listener();
    };
    const offline = () => this.browserOnline.set(false);
    addEventListener('online', online);
    addEventListener('offline', offline);
    inject(DestroyRef).onDestroy(() => {
      removeEventListener('online', online);
      removeEventListener('offline', offline);
    });
  }

  /** Called whenever the browser comes back online. */
  onBack(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A request got through: the server is reachable again (returns whether it had been out of reach). */
  reached(): boolean {
    const was = this.unreachable();
    this.unreachable.set(false);
    return was;
  }
}
