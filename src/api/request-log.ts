/**
 * How the HTTP API logs: one line per request at debug (method, url, status, duration), so a
 * busy server at the default level `info` logs nothing per request; failures are logged at error
 * where they are handled (`error-response.ts`), with the request id every request line carries.
 */
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

/** Fastify's per-request lines, moved to debug and cut to what an operator reads. */
export class RequestLog extends LogController {
  override incomingRequest(): void {
    // The completed line says everything this one would; at debug one line per request is enough.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { method: request.method, url: request.url, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime) };
    // Only a failure while sending the response arrives here (the error handler answered the rest).
    if (error) reply.log.error({ ...fields, err: error }, 'request failed while responding');
    else reply.log.debug(fields, 'request completed');
  }
}

/** Levels quieter than info: Fastify's own lines at these still reach the log. */
const KEPT_LEVELS = new Set(['warn', 'error', 'fatal', 'silent']);

/**
 * Fastify's logger options for the app's `logger`. Fastify logs one info line of its own,
 * "Server listening at …" once per address, on its instance logger; the app logs one ready line
 * with the address instead, so that logger is held to warn. Request loggers are made from it
 * (they keep Fastify's serializers) at the app's level again, so `LOG_LEVEL=debug` shows requests.
 */
export function fastifyLoggerOptions(
  logger: FastifyBaseLogger,
): Pick<FastifyServerOptions, 'loggerInstance' | 'childLoggerFactory' | 'logController'> {
  const instanceLevel = KEPT_LEVELS.has(logger.level) ? logger.level : 'warn';
  return {
    loggerInstance: logger.child({}, { level: instanceLevel }),
    childLoggerFactory: (instanceLogger, bindings, options) => instanceLogger.child(bindings, { level: logger.level, ...options }),
    logController: new RequestLog(),
  };
}
