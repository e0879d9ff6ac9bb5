/** Merges caller overrides over the default limits and rejects nonsense values at construction time. */
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from '../core/document.js';
import { AppError } from '../core/errors.js';

export function resolveLimits(overrides: Partial<ExtractLimits> = {}): ExtractLimits {
  const limits: ExtractLimits = { ...DEFAULT_EXTRACT_LIMITS };
  for (const key of Object.keys(DEFAULT_EXTRACT_LIMITS) as Array<keyof ExtractLimits>) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new AppError('invalid_configuration', `Extraction limit ${key} must be a positive number (got ${String(value)}).`);
    }
    limits[key] = value;
  }
  return Object.freeze(limits);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
