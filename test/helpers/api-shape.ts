/**
 * Checks a value the API sent against the TypeBox schema that describes it (and so against the
 * client's type, which is derived from that schema). Response schemas are open objects, so a
 * field a view sends without its schema would pass a plain schema check: this also lists every
 * field the schema does not name.
 */
import assert from 'node:assert/strict';
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

// TypeBox checks only formats it has been told about; these are the two the API schemas use.
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set('date-time', (value) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) && !Number.isNaN(Date.parse(value)));
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', (value) => /^\d{4}-\d\d-\d\d$/.test(value));

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Paths (`$.output.pages[0].words`) of fields in `value` that `schema` does not name. */
export function undescribedFields(schema: TSchema, value: unknown): string[] {
  // Walked as the JSON Schema it is: the keywords below are all that decide which fields it names.
  return fieldsNotNamed(schema as SchemaNode, value, '$');
}

function fieldsNotNamed(schema: SchemaNode, value: unknown, path: string): string[] {
  if (schema.anyOf) {
    // The branch the value matches (null, or the object); a value matching none fails the schema check instead.
    const branch = schema.anyOf.find((option) => Value.Check(option as TSchema, value));
    return branch ? fieldsNotNamed(branch, value, path) : [];
  }
  if (schema.allOf) {
    const properties = Object.assign({}, ...schema.allOf.map((part) => part.properties ?? {}));
    return fieldsNotNamed({ type: 'object', properties }, value, path);
  }
  if (Array.isArray(value))
    return schema.items ? value.flatMap((item, index) => fieldsNotNamed(schema.items!, item, `${path}[${index}]`)) : [];
  if (!isRecord(value) || schema.type !== 'object') return [];
  if (schema.patternProperties) {
    const [valueSchema] = Object.values(schema.patternProperties);
    return Object.entries(value).flatMap(([key, field]) => fieldsNotNamed(valueSchema, field, `${path}.${key}`));
  }
  const properties = schema.properties ?? {};
  // An object schema without properties is free-form on purpose (metadata, a run's config).
  if (Object.keys(properties).length === 0) return [];
  return Object.entries(value).flatMap(([key, field]) =>
    key in properties ? fieldsNotNamed(properties[key], field, `${path}.${key}`) : [`${path}.${key}`],
  );
}

/** Fails, naming the first mismatches, unless `value` passes `schema` and has no field it does not name. */
export function assertDescribedBy(schema: TSchema, value: unknown, what: string): void {
  const errors = [...Value.Errors(schema, value)].slice(0, 5).map((error) => `${error.path || '/'}: ${error.message}`);
  assert.deepEqual(errors, [], `${what} does not match its schema`);
  assert.deepEqual(undescribedFields(schema, value), [], `${what} has fields its schema does not describe`);
}
