/**
 * The zero-shot `builtin` engine: scores each page against every class from the knowledge pack
 * types the class matches and the class's own words, weighing where words stand (titles over
 * body), OCR-tolerant matching and layout cues. No examples, no model files, no network.
 */
import type { ClassifierDefinition } from '../../core/classifier.js';
import { UNKNOWN } from '../../core/classifier.js';
import type { Page } from '../../core/document.js';
import { CALIBRATION, compressScore, softmax } from '../calibrate.js';
import type { Evidence, PageScores, ScoreRequest, ScoringEngine } from '../engine.js';
import type { LayoutCue } from '../knowledge/document-type.js';
import { measureLayout, type LayoutCues } from '../measure-layout.js';
import { weighPageLines, type WeightedLine } from '../page-lines.js';
import { PHRASE_WEIGHTS, getCompiledClassifier, type CompiledClassifier } from './compile-classifier.js';
import { containsCjk, foldAccents } from '../text/normalize-text.js';

const CUE_TEXT: Record<LayoutCue, string> = {
  memo_header: 'a To/From/Subject block',
  email_header: 'e-mail header lines',
  salutation: 'a salutation',
  closing: 'a closing and signature',
  form_fields: 'many label-and-blank field lines',
  checkboxes: 'check boxes',
  answer_choices: 'answer choices',
  question_marks: 'many questions',
  sparse_large_text: 'few words in large type',
  few_words: 'little text',
  landscape: 'a landscape slide layout',
  low_ocr_confidence: 'text OCR could barely read',
  numeric_table: 'tables of figures',
  money_amounts: 'money amounts',
  dense_prose: 'paragraphs of running text',
  citations: 'citations and references',
  numbered_clauses: 'numbered sections',
  bullets: 'bullet points',
  dates_column: 'a column of dated lines',
  email_address: 'e-mail addresses',
  long_page: 'a long page of text',
  dateline: 'a news dateline',
  image_noise: 'pictures read as noise',
  narrow_page: 'a narrow till-roll page',
  year_ranges: 'spans of years',
  equations: 'mathematics',
  time_of_day: 'a date and time stamp',
  handwriting: 'handwriting strokes in the page image',
};

/** A section heading must fill this share of its line (numbering aside) to count as one. */
const HEADING_MIN_COVERAGE = 0.6;
/** A title inside a longer title on the same line ("form" in "claim form") names the type less precisely. */
const DOMINATED_TITLE_PRECISION = 0.3;
/** How much a title phrase counts by where it stands: a page's own title, its header area, a heading. */
const TITLE_WEIGHT_BY_ROLE = { title: 1, header: 0.5, heading: 0.35 } as const;
/** A title phrase that is only part of its line still counts this much; filling the line, fully. */
const TITLE_COVERAGE_FLOOR = 0.5;
/** Each further occurrence of a phrase adds this share of its weight, for up to `REPEATS_COUNTED` repeats. */
const REPEAT_BONUS = 0.15;
const REPEATS_COUNTED = 6;
/** A layout cue's contribution from which it is shown among a type's reasons. */
const CUE_SHOWN_FROM = 0.75;

/**
 * Phrase ids stay below this (the pack has a few thousand phrases), so a target and a phrase fit
 * in one number without overlap.
 */
const PHRASE_ID_LIMIT = 1_000_000;

/**
 * The key of one (target, phrase) pair in the per-page tally: a number rather than a string, as
 * it is built for every phrase occurrence on every page. Targets run from -classCount (own words)
 * to types - 1, so they are shifted to start at 1; a section heading is tallied apart from the
 * same phrase in running text, under the negated key.
 */
function buildTallyKey(target: number, phrase: number, classCount: number, asHeading: boolean): number {
  const key = (target + classCount + 1) * PHRASE_ID_LIMIT + phrase;
  return asHeading ? -key : key;
}

/** A class's best matching type counts fully, each further one it claims at this share. */
const FURTHER_TYPE_SHARE = 0.25;
/** Evidence of a sub-type (a W-2 for "tax form") counts at this share for its broader class. */
const INHERITED_SHARE = 0.5;
/** The part of an unclaimed type's layout score not held against the classes (see `unknown`). */
const UNCLAIMED_CUE_DISCOUNT = 0.7;
/** Reasons are drawn from a class's strongest types, and this many pieces of evidence are shown. */
const REASON_TYPES = 2;
const REASON_ITEMS = 6;
/** Words from which a page is fully informative in a document vote. */
const INFORMATIVE_WORDS = 30;

interface TargetEvidence {
  score: number;
  /** The part of `score` that came from layout cues. */
  cueScore: number;
  titleScore: number;
  /** The title phrase as read, for reasons. */
  titleText: string;
  /** Title evidence at the top of the page only: what opens a document. */
  openingScore: number;
  items: Evidence[];
}

/** Raw evidence per pack type and per class's own words for one page. */
export interface PageEvidence {
  types: TargetEvidence[];
  own: TargetEvidence[];
  cues: LayoutCues;
  words: number;
}

function emptyEvidence(): TargetEvidence {
  return { score: 0, cueScore: 0, titleScore: 0, titleText: '', openingScore: 0, items: [] };
}

/**
 * "Email: a@b.c", "Invoice No: 12", "E-mail*", "[E-MAIL]": a name followed by a colon or a
 * required-field star, or standing in brackets as a placeholder, labels a field; it is not a title.
 */
function isFieldLabel(lineText: string, phrase: string): boolean {
  if (!/[:：*[\]<>]/.test(lineText)) return false;
  const words = phrase.split(' ').map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const name = words.join('[^\\p{L}\\p{N}]+');
  return new RegExp(`(^|[^\\p{L}])${name}\\s*[:：*]|[[<]\\s*${name}\\s*[\\]>]`, 'iu').test(foldAccents(lineText));
}

/**
 * "Re: Status report for May", "Subject: Invoice 1234": a subject line names what a letter, memo or
 * e-mail is about, not what it is, so a type's name there is no title of the page.
 */
const SUBJECT_LINE = /^[^\p{L}\p{N}]{0,3}(re|regarding|subject|subj|betreff|betr|objet|asunto|oggetto|assunto|onderwerp)\s*:/iu;

/** The label of a subject line in lower case ("re", "subject"), or undefined for any other line. */
function readSubjectLabel(lineText: string): string | undefined {
  return SUBJECT_LINE.exec(foldAccents(lineText))?.[1].toLowerCase();
}

/** On a subject line, the topic's words weigh like body text; the label itself ("Subject") keeps its place. */
function weighOnSubjectLine(subjectLabel: string | undefined, phrase: string, weight: number): number {
  if (!subjectLabel || phrase === subjectLabel) return weight;
  return Math.min(1, weight);
}

/**
 * How much of a line a phrase makes up, in words, or in letters for scripts written without
 * spaces (a Chinese sentence is one "word" but no title). `wordlikeOnly` counts only tokens with
 * two letters, so OCR noise around a heading does not hide it.
 */
function measureCoverage(phrase: string, lineText: string, wordlikeOnly: boolean): number {
  if (containsCjk(phrase)) {
    const letters = (lineText.match(/[\p{L}\p{N}]/gu) ?? []).length;
    return Math.min(1, phrase.length / Math.max(1, letters));
  }
  const tokens = lineText.split(/\s+/).filter((token) => (wordlikeOnly ? /\p{L}{2,}/u.test(token) : token.length > 0)).length;
  return Math.min(1, phrase.split(' ').length / Math.max(1, tokens));
}

export function collectPageEvidence(page: Page, compiled: CompiledClassifier): PageEvidence {
  const lines: WeightedLine[] = weighPageLines(page);
  const cues = measureLayout(page, lines);
  const types = compiled.types.map(emptyEvidence);
  // How much of a type's evidence counts, given the cues it requires (1 for most types).
  const gates = compiled.typeRequires.map((requires) => {
    if (!requires) return 1;
    let strongest = 0;
    for (const [cue, weight] of requires.cues) strongest = Math.max(strongest, Math.min(1, cues[cue] * weight));
    return requires.floor + (1 - requires.floor) * strongest;
  });
  const own = compiled.classNames.map(emptyEvidence);
  const occurrences = compiled.index.findPhrases(
    lines.map((line) => line.text),
    page.source === 'ocr',
  );
  // Read once per line, not once per phrase found on it.
  const subjectLabels = lines.map((line) => readSubjectLabel(line.text));

  // Titles found per line: a title phrase inside a longer one on the same line ("form" in
  // "insurance claim form", "report" in "fax transmission report") names the type less precisely.
  const titlesByLine = new Map<number, number[]>();
  for (const occurrence of occurrences) {
    if (!compiled.targets[occurrence.phrase]?.some((entry) => entry.kind === 'title')) continue;
    const list = titlesByLine.get(occurrence.line) ?? [];
    list.push(occurrence.phrase);
    titlesByLine.set(occurrence.line, list);
  }
  const isDominated = (phrase: number, lineIndex: number): boolean => {
    const text = compiled.index.phrases[phrase];
    return (titlesByLine.get(lineIndex) ?? []).some((other) => {
      const otherText = compiled.index.phrases[other];
      return otherText.length > text.length && ` ${otherText} `.includes(` ${text} `);
    });
  };

  // Per (target, phrase): the best position weight and how often it occurs.
  const seen = new Map<number, { target: number; phrase: number; weight: number; lineWeight: number; count: number }>();
  for (const occurrence of occurrences) {
    const line = lines[occurrence.line];
    for (const entry of compiled.targets[occurrence.phrase] ?? []) {
      const bucket = entry.target >= 0 ? types[entry.target] : own[-1 - entry.target];
      if (entry.kind === 'heading') {
        // A section heading stands alone on its line: "EDUCATION", "3. Results".
        if (line.role === 'body' || line.role === 'footer') continue;
        if (
          measureCoverage(compiled.index.phrases[occurrence.phrase], line.text.replace(/^[\s\d.IVX)]+/, '').trim(), false) <
          HEADING_MIN_COVERAGE
        )
          continue;
        const key = buildTallyKey(entry.target, occurrence.phrase, compiled.classNames.length, true);
        if (seen.has(key)) continue;
        seen.set(key, { target: entry.target, phrase: occurrence.phrase, weight: entry.weight, lineWeight: 1, count: 1 });
        continue;
      }
      if (entry.kind === 'title') {
        if (line.role !== 'title' && line.role !== 'header' && line.role !== 'heading') continue;
        if (subjectLabels[occurrence.line] !== undefined || isFieldLabel(line.text, compiled.index.phrases[occurrence.phrase])) continue;
        const coverage = measureCoverage(compiled.index.phrases[occurrence.phrase], line.text, true);
        const precision = isDominated(occurrence.phrase, occurrence.line) ? DOMINATED_TITLE_PRECISION : 1;
        const gate = entry.target >= 0 ? gates[entry.target] : 1;
        const score =
          gate *
          entry.weight *
          precision *
          TITLE_WEIGHT_BY_ROLE[line.role] *
          (TITLE_COVERAGE_FLOOR + (1 - TITLE_COVERAGE_FLOOR) * coverage);
        if (line.role !== 'heading' && score > bucket.openingScore) bucket.openingScore = score;
        if (score > bucket.titleScore) {
          bucket.titleScore = score;
          bucket.titleText = compiled.index.phrases[occurrence.phrase];
        }
        continue;
      }
      const key = buildTallyKey(entry.target, occurrence.phrase, compiled.classNames.length, false);
      const lineWeight = weighOnSubjectLine(subjectLabels[occurrence.line], compiled.index.phrases[occurrence.phrase], line.weight);
      const record = seen.get(key);
      if (record) {
        record.count++;
        record.lineWeight = Math.max(record.lineWeight, lineWeight);
      } else seen.set(key, { target: entry.target, phrase: occurrence.phrase, weight: entry.weight, lineWeight, count: 1 });
    }
  }
  for (const record of seen.values()) {
    const bucket = record.target >= 0 ? types[record.target] : own[-1 - record.target];
    const gate = record.target >= 0 ? gates[record.target] : 1;
    const contribution = gate * record.weight * record.lineWeight * (1 + REPEAT_BONUS * Math.min(record.count - 1, REPEATS_COUNTED));
    bucket.score += contribution;
    bucket.items.push({ kind: 'phrase', text: compiled.index.phrases[record.phrase], weight: contribution });
  }
  for (const bucket of [...types, ...own]) {
    if (bucket.titleScore > 0) {
      bucket.score += bucket.titleScore;
    }
  }
  compiled.typeCues.forEach((typeCues, typeIndex) => {
    const bucket = types[typeIndex];
    const requires = compiled.typeRequires[typeIndex];
    for (const [cue, weight] of typeCues) {
      const value = cues[cue];
      if (value <= 0) continue;
      // A required cue is the evidence itself; the others count as far as it is there.
      const gate = weight > 0 && requires && !requires.cues.some(([required]) => required === cue) ? gates[typeIndex] : 1;
      const contribution = gate * weight * value;
      bucket.score += contribution;
      bucket.cueScore += contribution;
      if (weight > 0 && contribution >= CUE_SHOWN_FROM) bucket.items.push({ kind: 'layout', text: CUE_TEXT[cue], weight: contribution });
    }
  });
  const words = page.text.split(/\s+/).filter((word) => word.length > 0).length;
  return { types, own, cues, words };
}

export interface ClassScores {
  /** Evidence score per class (catch-all classes get none of their own). */
  scores: number[];
  unknownScore: number;
  evidence: Evidence[][];
  opening: number;
}

/** 0..1: OCR could barely read the page and its image shows no handwriting, so its words say little. */
function measureUnreadable(cues: LayoutCues): number {
  return cues.low_ocr_confidence * (1 - cues.handwriting);
}

/** Combines type and own-word evidence into one score per class, and the score for `unknown`. */
export function combineClassScores(evidence: PageEvidence, compiled: CompiledClassifier, source: 'text' | 'ocr' = 'text'): ClassScores {
  const openings = compiled.classNames.map(() => 0);
  const scores = compiled.classNames.map((_, classIndex) => {
    if (compiled.catchAll[classIndex]) return 0;
    let opening = 0;
    let best = 0;
    let total = 0;
    for (const claim of compiled.matches.byClass[classIndex]) {
      const value = claim.strength * Math.max(0, evidence.types[claim.typeIndex].score);
      total += value;
      if (value > best) best = value;
      opening = Math.max(opening, evidence.types[claim.typeIndex].openingScore * claim.strength);
    }
    let inherited = 0;
    for (const typeIndex of compiled.matches.ancestors[classIndex]) inherited = Math.max(inherited, evidence.types[typeIndex].score);
    const own = evidence.own[classIndex];
    opening = Math.max(opening, own.openingScore);
    openings[classIndex] = opening;
    return best + FURTHER_TYPE_SHARE * (total - best) + INHERITED_SHARE * Math.max(0, inherited) + own.score;
  });
  let competitor = 0;
  // Layout alone (a short page, a table) says little about which unclaimed type a page is.
  for (const typeIndex of compiled.matches.unclaimed) {
    const type = evidence.types[typeIndex];
    competitor = Math.max(competitor, type.score - UNCLAIMED_CUE_DISCOUNT * Math.max(0, type.cueScore));
  }
  const unknownScore = (source === 'ocr' ? CALIBRATION.ocrUnknownBase : CALIBRATION.unknownBase) + CALIBRATION.competitorShare * competitor;

  const evidenceByClass = compiled.classNames.map((_, classIndex) => {
    const items: Evidence[] = [];
    const claims = [...compiled.matches.byClass[classIndex]].sort(
      (a, b) => evidence.types[b.typeIndex].score * b.strength - evidence.types[a.typeIndex].score * a.strength,
    );
    for (const claim of claims.slice(0, REASON_TYPES)) {
      const bucket = evidence.types[claim.typeIndex];
      if (bucket.titleScore > 0)
        items.push({ kind: 'title', text: bucket.titleText.toUpperCase(), weight: bucket.titleScore * claim.strength });
      for (const item of bucket.items) items.push({ ...item, weight: item.weight * claim.strength });
    }
    const own = evidence.own[classIndex];
    if (own.titleScore > 0) items.push({ kind: 'title', text: own.titleText.toUpperCase(), weight: own.titleScore });
    for (const item of own.items) items.push({ ...item, kind: 'words' });
    items.sort((a, b) => b.weight - a.weight);
    const unique: Evidence[] = [];
    for (const item of items) {
      if (unique.some((kept) => kept.text === item.text)) continue;
      unique.push(item);
      if (unique.length >= REASON_ITEMS) break;
    }
    return unique;
  });
  // The page opens a document of the class it most looks like; a stray title of another class does not count.
  let top = 0;
  scores.forEach((score, classIndex) => {
    if (score > scores[top]) top = classIndex;
  });
  return { scores, unknownScore, evidence: evidenceByClass, opening: Math.min(1, (openings[top] ?? 0) / PHRASE_WEIGHTS.title) };
}

/** Logits over classes then `unknown`; a catch-all class takes the place of `unknown`. */
export function toLogits(classScores: ClassScores, compiled: CompiledClassifier): number[] {
  const unknownLogit = compressScore(classScores.unknownScore);
  const hasCatchAll = compiled.catchAll.some(Boolean);
  const logits = classScores.scores.map((score, classIndex) => (compiled.catchAll[classIndex] ? unknownLogit : compressScore(score)));
  logits.push(hasCatchAll ? -Infinity : unknownLogit);
  return logits;
}

export function scorePagesBuiltin(pages: Page[], classifier: ClassifierDefinition): PageScores[] {
  const compiled = getCompiledClassifier(classifier);
  return pages.map((page) => {
    const evidence = collectPageEvidence(page, compiled);
    const classScores = combineClassScores(evidence, compiled, page.source);
    // What OCR could barely read is weak evidence for whichever class it points to.
    const beta = CALIBRATION.beta * (1 - CALIBRATION.unreadableSoftening * measureUnreadable(evidence.cues));
    const probabilities = softmax(toLogits(classScores, compiled), beta);
    const record: Record<string, number> = {};
    compiled.classNames.forEach((name, index) => {
      record[name] = probabilities[index];
    });
    record[UNKNOWN] = probabilities[compiled.classNames.length];
    const evidenceRecord: Record<string, Evidence[]> = {};
    compiled.classNames.forEach((name, index) => {
      evidenceRecord[name] = classScores.evidence[index];
    });
    const informativeness = page.error ? 0 : Math.min(1, evidence.words / INFORMATIVE_WORDS + evidence.cues.handwriting);
    return {
      page: page.page,
      probabilities: record,
      evidence: evidenceRecord,
      opening: classScores.opening,
      informativeness,
      source: page.source,
    };
  });
}

export const builtinEngine: ScoringEngine = {
  name: 'builtin',
  scorePages(pages: Page[], request: ScoreRequest): PageScores[] {
    return scorePagesBuiltin(pages, request.classifier);
  },
  knownClasses(classifier: ClassifierDefinition): boolean[] {
    const compiled = getCompiledClassifier(classifier);
    return compiled.matches.byClass.map((claims) => claims.some((claim) => claim.strength >= 0.5));
  },
};
