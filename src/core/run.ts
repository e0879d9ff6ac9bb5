/** A classify run's lifecycle: statuses, failure reasons and how an error code maps to one. */
import type { ErrorCode } from './errors.js';

export const RUN_STATUSES = ['PENDING', 'PROCESSING', 'PROCESSED', 'FAILED', 'CANCELLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Where a run stands with people: the review queue holds the `needs_review` ones. */
export const REVIEW_STATUSES = ['needs_review', 'reviewed', 'auto_accepted'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** Statuses a run never leaves. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['PROCESSED', 'FAILED', 'CANCELLED'];

/** Clients must tolerate reasons added later. */
export const FAILURE_REASONS = [
  'FAILED_TO_PROCESS_FILE',
  'UNSUPPORTED_FILE',
  'FILE_TOO_LARGE',
  'INVALID_CONFIGURATION',
  'TIMEOUT',
  'ABORTED',
  'OUT_OF_CREDITS',
  'PARSING_ERROR',
  'INTERNAL_ERROR',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export function isFinalRunStatus(status: string): boolean {
  return (FINAL_RUN_STATUSES as readonly string[]).includes(status);
}

/** The failure reason a run gets when its processing fails with `code`. */
export function failureReasonFor(code: ErrorCode): FailureReason {
  switch (code) {
    case 'unsupported_file_type':
    case 'unsupported_media_type':
      return 'UNSUPPORTED_FILE';
    case 'file_too_large':
    case 'too_many_pages':
    case 'image_too_large':
    case 'payload_too_large':
      return 'FILE_TOO_LARGE';
    case 'empty_file':
    case 'encrypted_document':
    case 'unreadable_document':
    case 'ocr_failed':
    case 'page_too_complex':
    case 'download_failed':
    case 'url_not_allowed':
    case 'model_unavailable':
      return 'FAILED_TO_PROCESS_FILE';
    case 'model_output_invalid':
      return 'PARSING_ERROR';
    case 'invalid_configuration':
    case 'invalid_page_range':
    case 'invalid_request':
      return 'INVALID_CONFIGURATION';
    case 'timeout':
      return 'TIMEOUT';
    case 'out_of_credits':
      return 'OUT_OF_CREDITS';
    default:
      return 'INTERNAL_ERROR';
  }
}
