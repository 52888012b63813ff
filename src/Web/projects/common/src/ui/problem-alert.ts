import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ApiProblem } from '../api/api-problem';

/** A refusal in words, announced to screen readers; never raw JSON. */
@Component({
  selector: 'tf-problem',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@if (problem(); as p) {
    <p class="problem" role="alert" [attr.data-problem]="p.slug">{{ p.display }}</p>
  }`,
  styles: `.problem { border-left: 4px solid #b3261e; background: #fdecea; color: #5f1410; padding: .6rem .8rem; margin: .8rem 0; }`,
})
export class ProblemAlert {
  readonly problem = input<ApiProblem | null>(null);
}
