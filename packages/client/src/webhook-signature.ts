/**
 * Webhook signatures: `docsort-signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the HMAC
 * is over `<t>.<raw body>` with the webhook's secret. Signing the timestamp with the body lets a
 * receiver refuse replays of an old delivery. This module has no docsort imports so the typed
 * client can ship it for receivers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'docsort-signature';
/** Receivers refuse signatures older (or newer) than this by default. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The value of the `docsort-signature` header for one delivery attempt. */
export function signWebhookPayload(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, body)}`;
}

export interface VerifySignatureOptions {
  /** The raw request body exactly as received (not re-serialised JSON). */
  payload: string | Buffer;
  /** The `docsort-signature` header. */
  header: string | string[] | undefined | null;
  secret: string;
  toleranceSeconds?: number;
  /** Unix seconds; defaults to the clock. */
  now?: number;
}

/** True when the header carries a valid, fresh signature of the payload. */
export function verifyWebhookSignature(options: VerifySignatureOptions): boolean {
  const header = Array.isArray(options.header) ? options.header[0] : options.header;
  if (!header) return false;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    if (name === 'v1' && value) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) return false;
  const body = typeof options.payload === 'string' ? options.payload : options.payload.toString('utf8');
  const expected = Buffer.from(computeSignature(options.secret, timestamp, body), 'hex');
  return signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
