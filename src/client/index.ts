/**
 * `docsort/client`: a typed client for the docsort HTTP API and the helper that verifies
 * webhook signatures on the receiving side.
 */
export { DocsortClient, type WaitOptions } from './docsort-client.js';
export { DocsortError, type DocsortClientOptions, type ResponseInfo } from './http.js';
export {
  verifyWebhookSignature,
  SIGNATURE_HEADER,
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  type VerifySignatureOptions,
} from '../notify/webhook-signature.js';
export * from './types.js';
