import { Injectable } from '@angular/core';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { base45Encode, fromBase64, toBase64 } from './base45';
import { DeviceStepSeconds, deviceMessage } from './ticket-code';

/** A ticket's device certificate as the server issued it, kept with the ticket id so the code works offline. */
export interface StoredCertificate {
  readonly ticketId: string;
  readonly serial: number;
  readonly certificate: string;
  readonly validTo: string;
}

interface DeviceDb extends DBSchema {
  keys: { key: string; value: CryptoKeyPair };
  certificates: { key: string; value: StoredCertificate };
}

/**
 * This browser's device key: an ECDSA P-256 pair whose private half is non-extractable (WebCrypto keeps it; IndexedDB
 * stores the handle, never the bytes), and the certificates that bind it to the fan's tickets. Whoever copies a
 * certificate still cannot sign a step without this key.
 */
@Injectable({ providedIn: 'root' })
export class DeviceKeys {
  private db: Promise<IDBPDatabase<DeviceDb>> | null = null;

  /** The uncompressed public point (65 bytes, base64) to send to `POST /api/tickets/{id}/devices`. */
  async publicKey(): Promise<string> {
    const pair = await this.keyPair();
    return toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
  }

  async certificate(ticketId: string): Promise<StoredCertificate | undefined> {
    return (await this.open()).get('certificates', ticketId);
  }

  async keepCertificate(certificate: StoredCertificate): Promise<void> {
    await (await this.open()).put('certificates', certificate, certificate.ticketId);
  }

  async forgetCertificate(ticketId: string): Promise<void> {
    await (await this.open()).delete('certificates', ticketId);
  }

  /** The code for the step that contains `nowMs`: certificate ‖ step ‖ the device's signature, in Base45. */
  async code(certificate: StoredCertificate, nowMs: number): Promise<string> {
    const pair = await this.keyPair();
    const cert = fromBase64(certificate.certificate);
    const step = Math.floor(nowMs / 1000 / DeviceStepSeconds);
    const signature = new Uint8Array(
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, (await deviceMessage(cert, step)) as BufferSource),
    );
    const bytes = new Uint8Array(cert.length + 4 + signature.length);
    bytes.set(cert, 0);
    new DataView(bytes.buffer).setUint32(cert.length, step);
    bytes.set(signature, cert.length + 4);
    return base45Encode(bytes);
  }

  private async keyPair(): Promise<CryptoKeyPair> {
    const db = await this.open();
    const existing = await db.get('keys', 'device');
    if (existing) return existing;
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    await db.put('keys', pair, 'device');
    return pair;
  }

  private open(): Promise<IDBPDatabase<DeviceDb>> {
    return (this.db ??= openDB<DeviceDb>('tf-device', 1, {
      upgrade(db) {
        db.createObjectStore('keys');
        db.createObjectStore('certificates');
      },
    }));
  }
}
