/**
 * `@docsort/client` (also `docsort/client` from the server package): a typed client for the
 * docsort HTTP API, the helper that verifies webhook signatures on the receiving side, and the
 * OpenAPI types (`paths`, `components`, `operations`) for those who generate their own calls
 * (e.g. with openapi-fetch).
 */
export { DocsortClient, type WaitOptions } from './docsort-client.js';
export { DocsortError, type DocsortClientOptions, type ResponseInfo } from './http.js';
export {
  verifyWebhookSignature,
  SIGNATURE_HEADER,
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  type VerifySignatureOptions,
} from './webhook-signature.js';
export type { components, operations, paths } from './openapi.js';
export * from './types.js';
