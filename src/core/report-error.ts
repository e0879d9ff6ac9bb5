/**
 * How a stage hands an error it does not pass on (a thread that would not stop, a pool that
 * failed between tasks) to whoever keeps the log. The stages take no logger of their own;
 * `app.ts` gives them the service's, and without one the error still reaches stderr.
 */
export type ReportError = (error: unknown, message: string) => void;

/** The service logger's `error` when there is one; otherwise one line on stderr. */
export function reportErrorTo(logger: { error(object: object, message?: string): void } | undefined): ReportError {
  if (logger) return (error, message) => logger.error({ err: error }, message);
  return (error, message) => console.error(`docsort: ${message}:`, error);
}
