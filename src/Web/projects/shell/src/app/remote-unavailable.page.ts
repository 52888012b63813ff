import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'tf-remote-unavailable-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<h1>The shop could not be loaded</h1><p role="alert">Please reload the page in a moment.</p>`,
})
export class RemoteUnavailablePage {}
