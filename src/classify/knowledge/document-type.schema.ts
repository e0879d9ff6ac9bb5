/**
 * The schema of one knowledge-pack entry, checked when the pack is loaded: the pack is edited by
 * hand as JSON, so a misspelt key or cue must fail at start, not silently score nothing.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DOMAINS, LAYOUT_CUES, type DocumentType, type LayoutCue } from './document-type.js';

const Phrases = Type.Array(Type.String({ minLength: 1 }));

/** Cue name → weight; only the cues `measure-layout.ts` measures. */
const CueWeights = Type.Partial(
  Type.Object(Object.fromEntries(LAYOUT_CUES.map((cue) => [cue, Type.Number()])) as Record<LayoutCue, ReturnType<typeof Type.Number>>, {
    additionalProperties: false,
  }),
);

export const DocumentTypeSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9_]+$' }),
    domain: Type.Union(DOMAINS.map((domain) => Type.Literal(domain))),
    names: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    description: Type.String({ minLength: 1 }),
    notes: Type.Optional(Type.Array(Type.String())),
    titles: Type.Optional(Phrases),
    headings: Type.Optional(Phrases),
    strong: Type.Optional(Phrases),
    phrases: Type.Optional(Phrases),
    weak: Type.Optional(Phrases),
    cues: Type.Optional(CueWeights),
    requires: Type.Optional(
      Type.Object({ cues: CueWeights, floor: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false }),
    ),
    parents: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);

// The schema and the interface describe the same shape: either drifting fails to compile.
type SchemaShape = Static<typeof DocumentTypeSchema>;
const shapesAgree: [SchemaShape extends DocumentType ? true : false, DocumentType extends SchemaShape ? true : false] = [true, true];
void shapesAgree;
