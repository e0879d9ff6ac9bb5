/**
 * Dated API versions, chosen per request with the `docsort-version` header. A request without
 * the header gets the current version; a version docsort does not know is refused rather than
 * guessed, so a client pinned to a future or mistyped date finds out at once.
 */
import { AppError } from '../core/errors.js';

export const API_VERSION_HEADER = 'docsort-version';
/** Every version this server speaks, oldest first. Add a date here when the API changes shape. */
export const API_VERSIONS = ['2026-11-01'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
export const CURRENT_API_VERSION: ApiVersion = API_VERSIONS[API_VERSIONS.length - 1];

export function resolveApiVersion(header: string | string[] | undefined): ApiVersion {
  const raw = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!raw) return CURRENT_API_VERSION;
  if ((API_VERSIONS as readonly string[]).includes(raw)) return raw as ApiVersion;
  throw new AppError(
    'unsupported_version',
    `docsort-version "${raw.slice(0, 40)}" is not supported; send one of ${API_VERSIONS.join(', ')} or leave the header out for ${CURRENT_API_VERSION}.`,
  );
}
