import { ChangeDetectionStrategy, Component, type OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { Api, ApiProblem, ClientSettings, ProblemAlert, Session } from '@tf/common';
import { OidcSignIn } from './oidc-sign-in';

const Roles = [
  { id: 'fan', label: 'Fan: buy and hold tickets' },
  { id: 'organizer', label: 'Organizer: create and run events' },
  { id: 'venue', label: 'Venue staff: scan tickets at the gate' },
  { id: 'admin', label: 'Admin' },
] as const;

/**
 * Sign-in. With an OIDC issuer (`GET /api/config` names one): a button to its login page (authorization code + PKCE).
 * Development only: a user name and a role, exchanged for a development token (`POST /api/dev/token`). Both fill the
 * same {@link Session}, so no other page depends on how.
 */
@Component({
  selector: 'tf-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ProblemAlert],
  template: `
    <h1>Sign in</h1>
    @switch (mode()) {
    @case ('oidc') {
      <div class="card">
        <p class="muted">You sign in at the TicketFlash account service and come back here.</p>
        <p><button type="button" (click)="signInAtIssuer()" [disabled]="busy()">Sign in with your account</button></p>
      </div>
    }
    @case ('none') {
      <p class="card" role="status">Sign-in is not configured on this server.</p>
    }
    @case ('dev') {
    <form class="card" (ngSubmit)="signIn()" novalidate>
      <p class="muted">Development sign-in: pick any user name and a role.</p>
      <label for="user">User name</label>
      <input id="user" name="user" autocomplete="username" required maxlength="128" [(ngModel)]="user" aria-describedby="user-hint" />
      <p id="user-hint" class="muted">Letters, digits, and - _ . &#64;</p>
      <fieldset>
        <legend>Role</legend>
        @for (r of roles; track r.id) {
          <div><input type="radio" name="role" [id]="'role-' + r.id" [value]="r.id" [(ngModel)]="role" /><label class="inline" [for]="'role-' + r.id">{{ r.label }}</label></div>
        }
      </fieldset>
      @if (role !== 'fan') {
        <label for="tenant">Organization (tenant)</label>
        <input id="tenant" name="tenant" maxlength="64" [(ngModel)]="tenant" />
      }
      <tf-problem [problem]="problem()" />
      <p><button type="submit" [disabled]="busy()">Sign in</button></p>
    </form>
    }
    }
    <tf-problem [problem]="configProblem()" />
  `,
  styles: `fieldset { border: 0; padding: 0; margin: .8rem 0; } legend { font-weight: 600; } label.inline { display: inline; font-weight: 400; margin-left: .4rem; }`,
})
export class SignInPage implements OnInit {
  private readonly api = inject(Api);
  private readonly settings = inject(ClientSettings);
  private readonly oidc = inject(OidcSignIn);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly roles = Roles;
  protected user = '';
  protected role: (typeof Roles)[number]['id'] = 'fan';
  protected tenant = 'demo-org';
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);
  protected readonly mode = signal<'loading' | 'oidc' | 'dev' | 'none'>('loading');
  protected readonly configProblem = signal<ApiProblem | null>(null);

  async ngOnInit(): Promise<void> {
    try {
      const config = await this.settings.load();
      this.mode.set(config.oidc ? 'oidc' : config.devSignIn ? 'dev' : 'none');
    } catch (error) {
      this.configProblem.set(ApiProblem.from(error));
    }
  }

  protected signInAtIssuer(): void {
    this.busy.set(true);
    const back = this.route.snapshot.queryParamMap.get('returnUrl');
    this.oidc.signIn(back?.startsWith('/') ? back : '/');
  }

  protected async signIn(): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      const body = { sub: this.user.trim(), roles: [this.role], tenant: this.role === 'fan' ? null : this.tenant.trim() || null };
      const { accessToken } = await this.api.ok(this.api.client.POST('/api/dev/token', { body }));
      this.session.signInWithToken(accessToken);
      const back = this.route.snapshot.queryParamMap.get('returnUrl');
      await this.router.navigateByUrl(back?.startsWith('/') ? back : this.role === 'fan' ? '/' : this.role === 'venue' ? '/gate' : '/organizer');
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    } finally {
      this.busy.set(false);
    }
  }
}
