import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Api, ApiProblem, ProblemAlert, type RefundProgress, when } from '@tf/common';

const PollMs = 2000;

/**
 * The refund run of a cancelled event: read every 2 s until it completes (the run walks every section's sales and
 * refunds each ticket once; it resumes by itself after a failure, so the page only watches).
 */
@Component({
  selector: 'tf-refund-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProblemAlert],
  templateUrl: './refund-progress.html',
  styles: `dl { display: grid; grid-template-columns: auto auto; gap: .2rem 1rem; margin: .6rem 0; justify-content: start; }
    dt { font-weight: 600; } dd { margin: 0; font-variant-numeric: tabular-nums; } progress { width: 100%; max-width: 24rem; height: 1.1rem; }`,
})
export class RefundProgressView {
  private readonly api = inject(Api);
  readonly eventId = input.required<string>();
  protected readonly progress = signal<RefundProgress | null>(null);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly when = when;

  protected readonly statusText = computed(() => {
    const p = this.progress();
    if (!p) return 'Reading the refund progress…';
    switch (p.status) {
      case 'NotStarted': return 'Refunds are about to start.';
      case 'Running': return 'Refunds are running.';
      case 'Completed': return 'Refunds are complete.';
    }
  });

  constructor() {
    effect((onCleanup) => {
      const eventId = this.eventId();
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = async (): Promise<void> => {
        let again = true;
        try {
          const progress = await this.api.ok(this.api.client.GET('/api/events/{id}/refunds', { params: { path: { id: eventId } } }));
          if (stopped) return;
          this.progress.set(progress);
          this.problem.set(null);
          again = progress.status !== 'Completed';
        } catch (error) {
          if (stopped) return;
          const problem = ApiProblem.from(error);
          this.problem.set(problem);
          // A refusal (forbidden, not found) won't change by asking again; a lost connection or a busy server may.
          again = problem.status === 0 || problem.status >= 500;
        }
        if (again && !stopped) timer = setTimeout(() => void tick(), PollMs);
      };
      untracked(() => void tick());
      onCleanup(() => {
        stopped = true;
        clearTimeout(timer);
      });
    });
  }
}
