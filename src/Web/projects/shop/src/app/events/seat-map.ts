import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import type { SeatState } from '@tf/common';

const Pitch = 16;

/**
 * One reserved section as an SVG of rows × seats: available, held, sold, and the fan's own selection. Keyboard: the
 * map is one tab stop; arrow keys move between seats, Enter or Space selects (a roving tabindex).
 */
@Component({
  selector: 'tf-seat-map',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './seat-map.html',
  styleUrl: './seat-map.css',
})
export class SeatMap {
  readonly sectionId = input.required<string>();
  readonly sectionName = input.required<string>();
  readonly rows = input.required<number>();
  readonly seatsPerRow = input.required<number>();
  readonly seats = input.required<readonly SeatState[]>();
  readonly selected = input.required<ReadonlySet<string>>();
  readonly toggle = output<string>();
  protected readonly focused = signal(0);
  protected readonly pitch = Pitch;
  protected readonly width = computed(() => this.seatsPerRow() * Pitch + 28);
  protected readonly height = computed(() => this.rows() * Pitch + 8);
  protected readonly rowLabels = computed(() => Array.from({ length: this.rows() }, (_, r) => this.seats()[r * this.seatsPerRow()]?.seatId.split('-')[0] ?? ''));

  protected x(index: number): number {
    return 24 + (index % this.seatsPerRow()) * Pitch;
  }

  protected y(index: number): number {
    return 4 + Math.floor(index / this.seatsPerRow()) * Pitch;
  }

  protected state(seat: SeatState): string {
    if (this.selected().has(seat.seatId)) return 'selected';
    return seat.status === 'Available' ? 'available' : seat.status === 'Reserved' ? 'held' : 'sold';
  }

  protected label(seat: SeatState): string {
    const [row, number] = seat.seatId.split('-');
    const state = this.state(seat);
    return `Row ${row}, seat ${number}: ${state === 'held' ? 'held by someone' : state}`;
  }

  protected activate(index: number): void {
    this.focused.set(index);
    const seat = this.seats()[index];
    if (seat && (seat.status === 'Available' || this.selected().has(seat.seatId))) this.toggle.emit(seat.seatId);
  }

  protected onKey(event: KeyboardEvent, index: number): void {
    const perRow = this.seatsPerRow();
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow, Home: -(index % perRow), End: perRow - 1 - (index % perRow) };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.activate(index);
      return;
    }
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const next = Math.min(this.seats().length - 1, Math.max(0, index + move));
    this.focused.set(next);
    const svg = (event.target as SVGElement).ownerSVGElement;
    (svg?.querySelector(`[data-index="${next}"]`) as SVGElement | null)?.focus();
  }
}
