import { Injectable, computed, effect, signal } from '@angular/core';

/** Who is signed in, read from the access token's own claims (the server trusts only the validated token). */
export interface SignedInUser {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly tenant: string | null;
  readonly token: string;
  readonly expiresAt: number;
}

const StorageKey = 'tf.session';

/**
 * The browser's sign-in state. Pages read it and never care how the token was obtained: the development sign-in
 * page or the OIDC code flow (with PKCE) fills it through {@link signInWithToken}. When the token's `exp` passes the
 * session ends by itself (and the shell offers to sign in again), rather than waiting for the server's 401.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly current = signal<SignedInUser | null>(Session.restore());
  readonly user = this.current.asReadonly();
  readonly token = computed(() => this.current()?.token ?? null);
  readonly isSignedIn = computed(() => this.current() !== null);
  readonly isOrganizer = computed(() => this.hasAnyRole('organizer', 'artist', 'venue', 'admin'));
  readonly isGateStaff = computed(() => this.hasAnyRole('venue', 'organizer', 'admin'));
  /** Set when the server refused the token (expired): the shell offers to sign in again. */
  readonly expired = signal(false);

  constructor() {
    let timer: ReturnType<typeof setTimeout> | undefined;
    effect(() => {
      clearTimeout(timer);
      const user = this.current();
      // setTimeout holds at most ~24.8 days; tokens live minutes to hours.
      if (user) timer = setTimeout(() => this.expire(), Math.min(Math.max(user.expiresAt - Date.now(), 0), 2 ** 31 - 1));
    });
  }

  hasAnyRole(...roles: string[]): boolean {
    const user = this.current();
    return !!user && user.roles.some((r) => roles.includes(r));
  }

  signInWithToken(token: string): SignedInUser {
    const user = Session.fromToken(token);
    if (!user) throw new Error('The sign-in returned an unreadable token.');
    sessionStorage.setItem(StorageKey, token);
    this.expired.set(false);
    this.current.set(user);
    return user;
  }

  signOut(): void {
    sessionStorage.removeItem(StorageKey);
    this.current.set(null);
  }

  expire(): void {
    this.signOut();
    this.expired.set(true);
  }

  private static restore(): SignedInUser | null {
    const token = sessionStorage.getItem(StorageKey);
    const user = token ? Session.fromToken(token) : null;
    if (!user || user.expiresAt <= Date.now()) {
      sessionStorage.removeItem(StorageKey);
      return null;
    }
    return user;
  }

  private static fromToken(token: string): SignedInUser | null {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const claims = JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')));
      const roles = claims.roles === undefined ? [] : Array.isArray(claims.roles) ? claims.roles : [claims.roles];
      return { sub: String(claims.sub), roles, tenant: claims.tenant ?? null, token, expiresAt: Number(claims.exp) * 1000 };
    } catch {
      return null;
    }
  }
}
