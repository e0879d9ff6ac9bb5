/** The shape of one entry of the knowledge pack: what a kind of document looks like, in data. */

export const DOMAINS = [
  'finance',
  'lending',
  'tax',
  'legal',
  'hr',
  'insurance',
  'healthcare',
  'logistics',
  'government',
  'correspondence',
  'publishing',
  'general',
] as const;
export type Domain = (typeof DOMAINS)[number];

/**
 * Layout cues are measured on a page (see `measure-layout.ts`) as values in 0..1. A type lists the
 * cues typical of it with a weight; negative weights say the cue speaks against the type.
 */
export const LAYOUT_CUES = [
  'memo_header',
  'email_header',
  'salutation',
  'closing',
  'form_fields',
  'checkboxes',
  'answer_choices',
  'question_marks',
  'sparse_large_text',
  'few_words',
  'landscape',
  'low_ocr_confidence',
  'numeric_table',
  'money_amounts',
  'dense_prose',
  'citations',
  'numbered_clauses',
  'bullets',
  'dates_column',
  'email_address',
  'long_page',
  'dateline',
  'image_noise',
  'narrow_page',
  'year_ranges',
  'equations',
  'time_of_day',
  'handwriting',
] as const;
export type LayoutCue = (typeof LAYOUT_CUES)[number];

export interface DocumentType {
  id: string;
  domain: Domain;
  /** How people call it, first the canonical name; synonyms and other languages follow. Also read as titles. */
  names: string[];
  description: string;
  /** Why the entry is as it is, for the people who edit the pack; the engine does not read them. */
  notes?: string[];
  /** Headings that open such a document, besides its names. */
  titles?: string[];
  /** Section headings that structure such a document ("Education", "References"), counted on heading lines. */
  headings?: string[];
  /** Phrases nearly unique to the type (weight 3). */
  strong?: string[];
  /** Characteristic phrases (weight 1.5). */
  phrases?: string[];
  /** Common words that support the type a little (weight 0.5). */
  weak?: string[];
  cues?: Partial<Record<LayoutCue, number>>;
  /**
   * Cues without which the type's words are incidental: e-mail words and addresses are contact
   * details on every kind of document and make an e-mail only under a header block. Without these
   * cues the type's phrases, titles and other cues count `floor` of their weight; each cue's value
   * counts times its weight here, the strongest one decides.
   */
  requires?: { cues: Partial<Record<LayoutCue, number>>; floor: number };
  /**
   * Broader types, nearest first. A user class that matches no type directly still receives the
   * evidence of its sub-types through them (a W-2 counts for a user's "tax form" or "form").
   */
  parents?: string[];
}
