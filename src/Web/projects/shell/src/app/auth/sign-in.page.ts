import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { Api, ApiProblem, ProblemAlert, Session } from '@tf/common';

const Roles = [
  { id: 'fan', label: 'Fan: buy and hold tickets' },
  { id: 'organizer', label: 'Organizer: create and run events' },
  { id: 'venue', label: 'Venue staff: scan tickets at the gate' },
  { id: 'admin', label: 'Admin' },
] as const;

/**
 * Development sign-in: a user name and a role, exchanged for a development token (`POST /api/dev/token`, which exists
 * only in Development). It fills the same {@link Session} an OIDC code flow will, so no page depends on it.
 */
@Component({
  selector: 'tf-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ProblemAlert],
  template: `
    <h1>Sign in</h1>
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
  `,
  styles: `fieldset { border: 0; padding: 0; margin: .8rem 0; } legend { font-weight: 600; } label.inline { display: inline; font-weight: 400; margin-left: .4rem; }`,
})
export class SignInPage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly roles = Roles;
  protected user = '';
  protected role: (typeof Roles)[number]['id'] = 'fan';
  protected tenant = 'demo-org';
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);

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
