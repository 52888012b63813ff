import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api, ApiProblem, type OrderDetails, ProblemAlert, money, when } from '@tf/common';

@Component({
  selector: 'tf-my-orders-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ProblemAlert],
  template: `
    <h1>My orders</h1>
    <tf-problem [problem]="problem()" />
    @if (orders(); as list) {
      <div class="table-wrap">
        <table>
          <caption class="sr-only">Your orders, newest first</caption>
          <thead><tr><th scope="col">Placed</th><th scope="col">Section</th><th scope="col">Places</th><th scope="col">Total</th><th scope="col">Status</th></tr></thead>
          <tbody>
            @for (o of list; track o.orderId) {
              <tr>
                <td><a [routerLink]="['/orders', o.orderId]">{{ when(o.createdAt) }}</a></td>
                <td>{{ o.sectionId }}</td>
                <td>{{ o.seats.length ? o.seats.join(', ') : o.quantity }}</td>
                <td>{{ money(o.total, o.currency) }}</td>
                <td><span class="badge">{{ o.status }}</span></td>
              </tr>
            } @empty {
              <tr><td colspan="5" class="muted">No orders yet. <a routerLink="/">Find an event</a>.</td></tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
})
export class MyOrdersPage {
  private readonly api = inject(Api);
  protected readonly orders = signal<OrderDetails[] | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly money = money;
  protected readonly when = when;

  constructor() {
    this.api.ok(this.api.client.GET('/api/me/orders'))
      .then((list) => this.orders.set([...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))))
      .catch((error) => this.problem.set(ApiProblem.from(error)));
  }
}
