import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'tf-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `<h1>Page not found</h1><p>There is nothing here. <a routerLink="/">See all events</a>.</p>`,
})
export class NotFoundPage {}
