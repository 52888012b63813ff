import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { LiveConnection, Session } from '@tf/common';
import { OidcSignIn } from './auth/oidc-sign-in';
import { Notifications } from './notifications/notifications';

/** The shell: the layout every area lives in, who is signed in, the live connection's state, and notices. */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, Notifications],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly session = inject(Session);
  protected readonly live = inject(LiveConnection);
  private readonly router = inject(Router);
  private readonly oidc = inject(OidcSignIn);

  protected async signOut(): Promise<void> {
    // Signed in at an issuer: sign out there too (it comes back to the app's root); otherwise just forget the token.
    if (await this.oidc.enabled()) return this.oidc.signOut();
    this.session.signOut();
    await this.router.navigateByUrl('/');
  }
}
