/**
 * How the OpenAPI document is shaped for client generators (openapi-typescript, OpenAPI
 * Generator, …): the document's header (`servers`, licence, security schemes), multipart request
 * bodies beside the JSON ones, and every schema with a `title` moved under
 * `components.schemas` and referenced from where it is used, so a generated client has one named
 * type per resource instead of a copy per operation. `docs/openapi.json` is this document as
 * `docsort openapi` writes it; a test keeps the two equal and `npm run lint` lints the file.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The fields of the route's `multipart/form-data` form, for the document only: Fastify does
     * not validate multipart bodies with a schema (the route reads the parts itself and checks the
     * assembled body against its JSON schema).
     */
    multipartBody?: object;
  }
}

/** The address of a docsort started with the default HOST and PORT. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

type JsonNode = Record<string, unknown>;

function isObject(value: unknown): value is JsonNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds the multipart form to the request body of a route that declares `multipartBody`. */
function addMultipartBody(schema: FastifySchema | undefined): FastifySchema {
  const { multipartBody, ...rest } = schema ?? {};
  if (!multipartBody) return rest;
  const body = isObject(rest.body) ? rest.body : {};
  const content = isObject(body.content) ? body.content : {};
  return { ...rest, body: { ...body, content: { ...content, 'multipart/form-data': { schema: multipartBody } } } };
}

/**
 * Replaces every schema with a `title` by a `$ref` to `components.schemas[title]`, innermost
 * first, so a shared resource inside another (a label inside an output inside a run) is shared
 * too. Two different schemas with one title would make one of them wrong; that fails at start.
 */
export function hoistTitledSchemas(document: JsonNode): JsonNode {
  const components = isObject(document.components) ? document.components : {};
  const schemas: Record<string, unknown> = isObject(components.schemas) ? { ...components.schemas } : {};
  const seen = new Map<string, string>();
  const visit = (node: unknown, inSchema: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => visit(item, inSchema));
    if (!isObject(node)) return node;
    const copy: JsonNode = {};
    for (const [key, value] of Object.entries(node)) {
      // Only schema positions hold schemas; `examples` and `default` are data and stay as they are.
      copy[key] = key === 'example' || key === 'examples' || key === 'default' ? value : visit(value, inSchema || key === 'schema');
    }
    const { title, nullable, ...shared } = copy;
    if (!inSchema || typeof title !== 'string') return copy;
    const component = { title, ...shared };
    const text = JSON.stringify(component);
    const earlier = seen.get(title);
    if (earlier !== undefined && earlier !== text) throw new Error(`Two different schemas are titled "${title}" in the OpenAPI document.`);
    seen.set(title, text);
    schemas[title] = component;
    const ref = { $ref: `#/components/schemas/${title}` };
    // OpenAPI 3.0 ignores a $ref's siblings, so a nullable use wraps the reference (and `nullable` needs a `type` beside it).
    return nullable === true ? { ...(typeof shared.type === 'string' ? { type: shared.type } : {}), allOf: [ref], nullable: true } : ref;
  };
  const paths = visit(document.paths, false);
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return { ...document, paths, components: { ...components, schemas: sortedSchemas } };
}

export const SWAGGER_OPTIONS: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'docsort API',
      version: '1',
      description: 'Self-hosted document classification: files in, document and page labels out.',
      license: { name: 'AGPL-3.0-or-later', url: 'https://www.gnu.org/licenses/agpl-3.0.html' },
    },
    servers: [{ url: DEFAULT_SERVER_URL, description: 'docsort on its default HOST and PORT; use the address yours listens on.' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`dsk_…`) as a Bearer token.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key (`dsk_…`) in the x-api-key header.' },
      },
    },
  },
  transform: ({ schema, url }) => ({ schema: addMultipartBody(schema), url }),
  transformObject: (document) =>
    'openapiObject' in document ? hoistTitledSchemas(document.openapiObject as unknown as JsonNode) : document.swaggerObject,
};
