/**
 * Schemas only the server's routes use: the error body, id parameters and the error answers
 * documented on every route. The resources and request bodies the client shares are in
 * `core/api-types.ts` and `core/api-requests.ts`.
 */
import { Type, type Static } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  { success: Type.Literal(false), error: Type.String(), message: Type.String() },
  { additionalProperties: true, description: 'Every error: a stable code and a message saying what to do.' },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export type IdParams = Static<typeof IdParams>;

/** Error responses documented on every route. */
export const ERROR_RESPONSES = {
  400: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  422: ErrorBody,
  500: ErrorBody,
};

/**
 * The same error responses, for routes whose success answer has no schema (an image, a file's
 * bytes, a deletion notice). Seen as plain JSON schemas, they leave the type provider's reply
 * type open; typed as TypeBox schemas, they would make the error body the only answer allowed.
 */
export const UNDESCRIBED_SUCCESS_ERROR_RESPONSES: Record<number, object> = ERROR_RESPONSES;
