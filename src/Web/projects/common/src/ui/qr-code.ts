import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { DomSanitizer } from '@angular/platform-browser';
import { inject } from '@angular/core';
import qrcode from 'qrcode-generator';

/** A QR code drawn as SVG in the page (alphanumeric mode at level M, as the server's PNGs), with its text for tests and copy. */
@Component({
  selector: 'tf-qr-code',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="qr" role="img" [attr.aria-label]="label()" [attr.data-code]="text()" [innerHTML]="svg()"></div>`,
  styles: `.qr { background: #fff; padding: 8px; display: block; width: min(72vw, 296px); line-height: 0; }`,
})
export class QrCode {
  private readonly sanitizer = inject(DomSanitizer);
  readonly text = input.required<string>();
  readonly label = input('Ticket code');
  protected readonly svg = computed(() => {
    const qr = qrcode(0, 'M');
    qr.addData(this.text(), 'Alphanumeric');
    qr.make();
    return this.sanitizer.bypassSecurityTrustHtml(qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true }));
  });
}
