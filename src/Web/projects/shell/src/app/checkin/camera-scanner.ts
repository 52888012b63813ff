import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import { BrowserQRCodeReader, type IScannerControls } from '@zxing/browser';

// The camera sees the same QR many times a second; one code is one scan for this long.
const SameCodeMs = 3000;

/** Reading QR codes with the device camera (zxing) or from an uploaded photo; each code read is emitted once. */
@Component({
  selector: 'tf-camera-scanner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="row">
      <button type="button" class="secondary" (click)="toggle()" [disabled]="starting()" [attr.aria-pressed]="running()">
        {{ running() ? 'Stop camera' : 'Start camera' }}
      </button>
      <span class="muted" role="status">{{ running() ? 'Camera on: hold the QR code in front of it.' : starting() ? 'Starting the camera…' : '' }}</span>
    </div>
    <video #preview class="preview" [hidden]="!running()" muted playsinline aria-label="Camera preview"></video>
    @if (message(); as m) {
      <p class="message" role="alert" data-testid="camera-message">{{ m }}</p>
    }
    <label for="qr-image">Scan a QR image</label>
    <input id="qr-image" type="file" accept="image/*" (change)="upload($event)" [disabled]="disabled()" />
  `,
  styles: `
    .preview { display: block; width: 100%; max-width: 28rem; margin: .6rem 0; border-radius: .4rem; background: #000; }
    .preview[hidden] { display: none; }
    .message { color: #8c1d18; margin: .5rem 0; }
  `,
})
export class CameraScanner {
  readonly disabled = input(false);
  readonly scanned = output<string>();
  protected readonly running = signal(false);
  protected readonly starting = signal(false);
  protected readonly message = signal<string | null>(null);
  private readonly preview = viewChild.required<ElementRef<HTMLVideoElement>>('preview');
  private readonly reader = new BrowserQRCodeReader(undefined, { delayBetweenScanSuccess: 300, delayBetweenScanAttempts: 150 });
  private controls: IScannerControls | null = null;
  private last = { text: '', at: 0 };

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  protected async toggle(): Promise<void> {
    if (this.running()) this.stop();
    else await this.start();
  }

  private async start(): Promise<void> {
    this.message.set(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      this.message.set('This browser gives the page no camera (it needs a secure https:// address). Enter the code text or upload a photo instead.');
      return;
    }
    this.starting.set(true);
    try {
      // No device id: zxing asks for the back ("environment") camera, which is the one that faces the fan.
      this.controls = await this.reader.decodeFromVideoDevice(undefined, this.preview().nativeElement, (result) => {
        if (result) this.read(result.getText());
      });
      this.running.set(true);
    } catch (error) {
      this.message.set(cameraWords(error));
    } finally {
      this.starting.set(false);
    }
  }

  protected stop(): void {
    try {
      this.controls?.stop();
    } catch {
      // The stream may already be gone (camera unplugged); there is nothing left to stop.
    }
    this.controls = null;
    this.running.set(false);
  }

  protected async upload(event: Event): Promise<void> {
    const field = event.target as HTMLInputElement;
    const file = field.files?.[0];
    if (!file) return;
    this.message.set(null);
    const url = URL.createObjectURL(file);
    try {
      const result = await this.reader.decodeFromImageUrl(url);
      this.last = { text: '', at: 0 };
      this.read(result.getText());
    } catch {
      this.message.set('No QR code could be read in that image. Try a sharper, closer photo, or enter the code text.');
    } finally {
      URL.revokeObjectURL(url);
      field.value = '';
    }
  }

  private read(text: string): void {
    const now = Date.now();
    if (this.disabled() || (text === this.last.text && now - this.last.at < SameCodeMs)) return;
    this.last = { text, at: now };
    this.scanned.emit(text);
  }
}

function cameraWords(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was denied. Allow the camera for this site in the browser settings, or enter the code text.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this device. Enter the code text or upload a photo of the QR code.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is in use by another app or could not start. Close the other app and try again.';
    default:
      return 'The camera could not start. Enter the code text or upload a photo of the QR code.';
  }
}
