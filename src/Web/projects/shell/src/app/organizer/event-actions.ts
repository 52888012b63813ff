import {
  ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, inject, input, output, signal, viewChild,
} from '@angular/core';
import { Api, ApiProblem, type EventDetails, ProblemAlert } from '@tf/common';
import { canCancel, canOpenSale, canPause } from './event-status';

type Move = 'open-sale' | 'pause' | 'cancel';

/**
 * Open sale / Pause / Cancel for one event. Cancelling refunds every sold ticket and cannot be undone, so it asks for
 * confirmation in the page (not window.confirm, which blocks the page and can't be styled or tested).
 */
@Component({
  selector: 'tf-event-actions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProblemAlert],
  templateUrl: './event-actions.html',
  styles: `.confirm { border-color: #b3261e; margin: .6rem 0 0; } .confirm p { margin: 0 0 .6rem; }`,
})
export class EventActions {
  private readonly api = inject(Api);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  readonly event = input.required<EventDetails>();
  readonly changed = output<EventDetails>();
  protected readonly busy = signal(false);
  protected readonly confirming = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly canOpen = computed(() => canOpenSale(this.event().status));
  protected readonly canPause = computed(() => canPause(this.event().status));
  protected readonly canCancel = computed(() => canCancel(this.event().status));
  private readonly keepButton = viewChild<ElementRef<HTMLButtonElement>>('keepButton');
  private readonly cancelButton = viewChild<ElementRef<HTMLButtonElement>>('cancelButton');

  protected askCancel(): void {
    this.problem.set(null);
    this.confirming.set(true);
    // Keyboard users land on the safe choice of the question that just appeared.
    afterNextRender(() => this.keepButton()?.nativeElement.focus(), { injector: this.injector });
  }

  protected keep(): void {
    this.confirming.set(false);
    afterNextRender(() => this.cancelButton()?.nativeElement.focus(), { injector: this.injector });
  }

  private focusFirstAction(): void {
    const active = document.activeElement;
    if (active && active !== document.body) return; // focus survived (or the user moved on): leave it
    this.host.nativeElement.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
  }

  protected async move(move: Move): Promise<void> {
    // Read before the buttons are disabled (a disabled button drops the focus).
    const hadFocus = this.host.nativeElement.contains(document.activeElement);
    this.busy.set(true);
    this.problem.set(null);
    const params = { params: { path: { id: this.event().id } } };
    try {
      const call = move === 'open-sale'
        ? this.api.client.POST('/api/events/{id}/open-sale', params)
        : move === 'pause'
          ? this.api.client.POST('/api/events/{id}/pause', params)
          : this.api.client.POST('/api/events/{id}/cancel', params);
      const updated = await this.api.ok(call);
      this.confirming.set(false);
      this.changed.emit(updated);
      // The pressed button may be gone (Open sale becomes Pause): keep keyboard users in the actions, not on <body>.
      if (hadFocus) afterNextRender(() => this.focusFirstAction(), { injector: this.injector });
    } catch (error) {
      this.problem.set(ApiProblem.from(error));
    } finally {
      this.busy.set(false);
    }
  }
}
