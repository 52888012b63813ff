import { Injectable, inject } from '@angular/core';
import { ClientSettings, Session } from '@tf/common';
import { LogLevel, OidcSecurityService, type OpenIdConfiguration, StsConfigHttpLoader, StsConfigLoader } from 'angular-auth-oidc-client';
import { firstValueFrom, from, map } from 'rxjs';

const ReturnKey = 'tf.oidc.return';

/** angular-auth-oidc-client's settings from `GET /api/config`; none when the server names no issuer (development sign-in). */
export function oidcConfigLoader(): StsConfigLoader {
  const settings = inject(ClientSettings);
  return new StsConfigHttpLoader(
    from(settings.load().catch(() => null)).pipe(
      map((config): OpenIdConfiguration[] => {
        const oidc = config?.oidc;
        if (!oidc) return [];
        return [
          {
            authority: oidc.authority,
            clientId: oidc.clientId,
            scope: oidc.scope,
            responseType: 'code', // authorization code flow; the library always uses PKCE (S256) with it
            redirectUrl: `${location.origin}/`,
            postLogoutRedirectUri: `${location.origin}/`,
            // RFC 8707: the access token is for the TicketFlash API (its audience), not for the issuer's userinfo.
            customParamsAuthRequest: { resource: oidc.resource },
            autoUserInfo: false,
            // No navigation by the library after the callback: complete() puts the return URL in place before the router starts.
            triggerAuthorizationResultEvent: true,
            silentRenew: false, // an expired session asks to sign in again (Session ends it at the token's exp)
            logLevel: LogLevel.Warn,
          },
        ];
      }),
    ),
  );
}

/**
 * Sign-in at an OIDC issuer (authorization code + PKCE, angular-auth-oidc-client): the access token goes into the
 * same {@link Session} the development sign-in fills. {@link complete} runs before the first navigation, so a return
 * from the issuer (`/?code=…&state=…`) is exchanged for tokens and the URL replaced by where the user was going.
 */
@Injectable({ providedIn: 'root' })
export class OidcSignIn {
  private readonly oidc = inject(OidcSecurityService);
  private readonly session = inject(Session);
  private readonly settings = inject(ClientSettings);

  async enabled(): Promise<boolean> {
    return !!(await this.settings.load().catch(() => null))?.oidc;
  }

  async complete(): Promise<void> {
    if (!(await this.enabled())) return;
    const result = await firstValueFrom(this.oidc.checkAuth());
    if (!result.isAuthenticated || !result.accessToken) return;
    if (this.session.token() !== result.accessToken) this.session.signInWithToken(result.accessToken);
    const back = sessionStorage.getItem(ReturnKey);
    sessionStorage.removeItem(ReturnKey);
    if (back?.startsWith('/') && !back.startsWith('//')) history.replaceState(history.state, '', back);
  }

  /** Leaves for the issuer's login page; back at the redirect URL, {@link complete} finishes the sign-in. */
  signIn(returnUrl: string): void {
    sessionStorage.setItem(ReturnKey, returnUrl);
    this.oidc.authorize();
  }

  /** Ends the session here and at the issuer (RP-initiated logout, back to the app's root). */
  async signOut(): Promise<void> {
    this.session.signOut();
    await firstValueFrom(this.oidc.logoff()).catch(() => this.oidc.logoffLocal());
  }
}
