/**
 * Layout cues measured on one page, each 0..1. They carry the evidence that words alone miss on
 * short or noisy pages: a memo's To/From block, a form's label lines, an advert's few big words.
 */
import type { Page } from '../core/document.js';
import type { LayoutCue } from './knowledge/document-type.js';
import type { WeightedLine } from './page-lines.js';
import { foldAccents } from './text/normalize-text.js';

export type LayoutCues = Record<LayoutCue, number>;

/** `<=` so that a falling ramp at its start (-0) gives 0, as the ramps written out by hand did. */
function clamp01(value: number): number {
  return value <= 0 ? 0 : value > 1 ? 1 : value;
}

/**
 * A linear ramp: 0 at `from`, 1 at `from + span`, clamped; a negative span falls. A start and a
 * signed span rather than two ends, because (value − from) / span is the arithmetic the cues were
 * tuned with: two ends would round a span like 0.22 differently and move the scores by a hair.
 */
interface Ramp {
  from: number;
  span: number;
}

function ramp(value: number, { from, span }: Ramp): number {
  return clamp01((value - from) / span);
}

/** Image evidence below this is what most print, forms and photos reach; above `HANDWRITING_SURE` it is a hand. */
const HANDWRITING_FROM = 0.35;
const HANDWRITING_SURE = 0.65;

/** Where each graded cue starts to count and where it counts fully; counts are per page. */
const RAMPS = {
  handwritingEvidence: { from: HANDWRITING_FROM, span: HANDWRITING_SURE - HANDWRITING_FROM },
  /** Words on a page up to which OCR trouble reads as a hard-to-read page (full at 180 or fewer)… */
  unreadableShortPage: { from: 330, span: -150 },
  /** …and from which it reads as a picture taken for text (full at 550). */
  noisyLongPage: { from: 300, span: 250 },
  /** Share of word-like tokens above which OCR of a few words may be handwriting (full at 0.35). */
  handwrittenWordlike: { from: 0.2, span: 0.15 },
  /** OCR confidence below which a page is hard to read (fully at 0.5). */
  lowOcrConfidence: { from: 0.72, span: -0.22 },
  /** Share of word-like tokens below which OCR output is garbage (fully at 0.25). */
  fewWordlikeTokens: { from: 0.55, span: -0.3 },
  /** Memo keys beside To or From: two make a header, three a full one. */
  memoKeys: { from: 1, span: 1.5 },
  /** E-mail header roles: two begin a header, four (From, Sent, To, Subject) make one. */
  emailKeys: { from: 1, span: 3 },
  /** Share of label lines ("Name: ____") beyond the 12% any page has; full at 42%. */
  fieldLineShare: { from: 0.12, span: 0.3 },
  /** Label lines counted: five make a form. */
  fieldLines: { from: 0, span: 5 },
  checkboxes: { from: 0, span: 4 },
  answerLines: { from: 0, span: 3 },
  /** Question marks: one is any page, six a questionnaire. */
  questionMarks: { from: 1, span: 5 },
  /** Words up to which a page is "few words" (full at 40 or fewer). */
  fewWords: { from: 150, span: -110 },
  /** Words a page needs before its shape says anything (full at 12). */
  enoughWords: { from: 0, span: 12 },
  /** Words up to which large type makes a sparse page (full at 60 or fewer). */
  sparseWords: { from: 220, span: -160 },
  /** Words up to which a landscape page is a slide, not a table (full at 100 or fewer). */
  slideWords: { from: 260, span: -160 },
  /** Share of tokens that are numbers beyond what prose has (12%); full at 37%. */
  numericShare: { from: 0.12, span: 0.25 },
  moneyAmounts: { from: 0, span: 8 },
  /** Share of long lines (9+ words) beyond a quarter; full at 60%. */
  proseShare: { from: 0.25, span: 0.35 },
  /** Words before dense prose counts fully. */
  proseWords: { from: 0, span: 250 },
  /** Citations: one is chance, seven a paper. */
  citations: { from: 1, span: 6 },
  numberedLines: { from: 2, span: 6 },
  bulletLines: { from: 1, span: 4 },
  dateLines: { from: 2, span: 6 },
  emailAddresses: { from: 0, span: 2 },
  /** Words from which a page is long (full at 700). */
  longPage: { from: 300, span: 400 },
  /** Year ranges: one is any date, four a CV. */
  yearRanges: { from: 1, span: 3 },
  /** Width over height below which a page is a strip (full at 0.4: a till receipt). */
  narrowPage: { from: 0.6, span: -0.2 },
} as const satisfies Record<string, Ramp>;

/** Below this many lines a page has too few to tell a form by its label lines. */
const FORM_MIN_LINES = 4;
/** A line of up to this many words with a colon is a label line ("Date:", "Signed by:"). */
const LABEL_LINE_MAX_WORDS = 4;
/** A line of this many words or more is prose. */
const PROSE_LINE_MIN_WORDS = 9;
/** Text this many times the page's body size is large type (see `WeightedLine.relativeSize`). */
const LARGE_TYPE = 1.6;
/** Large lines count fully once they are 40% of the page's lines (2.5 = 1 / 0.4). */
const LARGE_LINE_SHARE_GAIN = 2.5;
/** Wider than high by this much is a landscape page. */
const LANDSCAPE_RATIO = 1.15;
/** Numbers say little about a page of fewer words than this. */
const NUMERIC_TABLE_MIN_WORDS = 15;
/** Equations: three numbered display equations, or 48 math symbols beyond the 8 any text has. */
const EQUATION_LINES_FULL = 3;
const MATH_SYMBOLS_USUAL = 8;
const MATH_SYMBOLS_SPAN = 40;

const MEMO_KEY = /^\s*(to|from|subject|subj|re|date|cc|copies|copy to|attn|attention|dept|department)\s*[:;.-]/i;
const MEMO_KEY_NO_COLON = /^\s*(TO|FROM|SUBJECT|RE|DATE|CC)\s+\S/;
/**
 * The labels of an e-mail header in the languages mail clients print them in, each read as its
 * role. Matched on accent-folded lines, so "Envoyé" and "À" need no accents here.
 */
const EMAIL_KEY =
  /^\s*(from|von|de|van|da|от|发件人|寄件人|寄件者|差出人|送信者|보낸\s?사람|sent|gesendet|envoye|enviado|enviada|inviato|verzonden|отправлено|发送时间|发送日期|送信日時|보낸\s?날짜|date|datum|fecha|data|дата|日期|日時|날짜|to|an|a|para|aan|кому|收件人|宛先|받는\s?사람|cc|bcc|kopie|cci|cco|копия|抄送|subject|betreff|objet|asunto|assunto|oggetto|onderwerp|тема|主题|主旨|件名|제목|received|reply-to|message-id|importance|attachments?|anhang|pieces jointes|adjuntos|anexos|allegati|bijlagen|вложения|附件|添付ファイル)\s*[:：]/iu;
const EMAIL_ROLE: Record<string, string> = {
  von: 'from',
  de: 'from',
  van: 'from',
  da: 'from',
  от: 'from',
  发件人: 'from',
  寄件人: 'from',
  寄件者: 'from',
  差出人: 'from',
  送信者: 'from',
  gesendet: 'sent',
  envoye: 'sent',
  enviado: 'sent',
  enviada: 'sent',
  inviato: 'sent',
  verzonden: 'sent',
  отправлено: 'sent',
  发送时间: 'sent',
  发送日期: 'sent',
  送信日時: 'sent',
  datum: 'date',
  fecha: 'date',
  data: 'date',
  дата: 'date',
  日期: 'date',
  日時: 'date',
  날짜: 'date',
  an: 'to',
  a: 'to',
  para: 'to',
  aan: 'to',
  кому: 'to',
  收件人: 'to',
  宛先: 'to',
  kopie: 'cc',
  cci: 'bcc',
  cco: 'bcc',
  копия: 'cc',
  抄送: 'cc',
  betreff: 'subject',
  objet: 'subject',
  asunto: 'subject',
  assunto: 'subject',
  oggetto: 'subject',
  onderwerp: 'subject',
  тема: 'subject',
  主题: 'subject',
  主旨: 'subject',
  件名: 'subject',
  제목: 'subject',
  attachment: 'attachments',
  anhang: 'attachments',
  'pieces jointes': 'attachments',
  adjuntos: 'attachments',
  anexos: 'attachments',
  allegati: 'attachments',
  bijlagen: 'attachments',
  вложения: 'attachments',
  附件: 'attachments',
  添付ファイル: 'attachments',
  보낸사람: 'from',
  받는사람: 'to',
  보낸날짜: 'sent',
};
/** Header roles that a memo does not print: only mail clients stamp these. */
const EMAIL_ONLY_ROLES = ['sent', 'bcc', 'received', 'reply-to', 'message-id', 'attachments'];
/** "Jane Doe <jane@example.org>": the sender line of a mail client's print or screenshot. */
const SENDER_LINE = /^[^<>@:]{2,60}<[\w.+-]+@[\w-]+\.[\w.]+>\s*$/;
/** A line holding only a date and time ("Wed, 19/06/2024 11:26", "Jun 19, 2024, 11:26 AM"): when a message was sent. */
const SENT_STAMP_LINE =
  /^[\p{L}.,\s]{0,12}(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\p{L}{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+\p{L}{3,9}\.?\s+\d{4})[,\s]+(at\s+|um\s+|a las\s+|às\s+|à\s+)?\d{1,2}:\d{2}(:\d{2})?\s*(am|pm)?(\s*([+-]\d{4}|\(?(utc|gmt|cet|cest)\)?))?\s*$/iu;
/** 'À "Jane" <jane@example.org>': a header line whose label lost its colon still names an address. */
const ADDRESSED_LINE = /^\s*(from|von|de|van|da|to|an|a|para|aan|cc)\s+[^:]{0,60}<[\w.+-]+@[\w-]+\.[\w.]+>/i;
/** What mail clients write above a quoted or forwarded message. */
const QUOTED_MESSAGE =
  /original message|forwarded message|wrote:|schrieb:|a ecrit|escribio|escreveu|ha scritto|schreef|написал|ursprungliche nachricht|weitergeleitete nachricht|message d origine|message transfere|mensaje original|mensaje reenviado|mensagem original|messaggio originale|oorspronkelijk bericht|doorgestuurd bericht/i;
const SALUTATION =
  /^\s*(dear\b|gentlemen|ladies and gentlemen|to whom it may concern|sehr geehrte|liebe[rs]?\b|madame|monsieur|estimad[oa]s?\b|querid[oa]\b|geachte|beste\b|拝啓)/i;
const CLOSING =
  /^\s*(sincerely|yours (truly|sincerely|faithfully|very truly)|very truly yours|best regards|kind regards|regards|respectfully|cordially|with best wishes|mit freundlichen|cordialement|veuillez agr|atentamente|saludos|met vriendelijke|hoogachtend|敬具)/i;
const FIELD_LINE = /(_{3,}|\.{5,}|:\s*$|:\s{2,}|\[\s*\]|\(\s\)|☐|□|☑|☒|■)/;
const CHECKBOX = /(☐|□|☑|☒|■|\[\s?[xX ]?\s?\]|\(\s?[xX]?\s?\))/g;
/** How OCR reads an empty box opening a line: "[J", "[_]", "LJ", "[\\" before a word. */
const OCR_CHECKBOX = /^\s*(\[J\s*|\[_\]\s*|LJ\s+|\[\\)\p{L}/gmu;
const ANSWER_CHOICE =
  /(\byes\b.{0,12}\bno\b|\bstrongly (dis)?agree\b|\bagree\b.{0,30}\bdisagree\b|\b(very|somewhat|not at all) (likely|satisfied|important)\b|(^|\s)[a-e][).]\s+\S.*\s[b-f][).]\s|\b1\s+2\s+3\s+4\b|\bcircle (one|the)\b|\bcheck (one|all)\b)/i;
const NUMBERED =
  /^\s*(\d{1,2}(\.\d{1,2}){0,3}[.)]?\s+\S|(section|article|artikel|article|clause|§)\s*\d|\(?[a-h]\)\s+\S|[ivx]{1,4}\.\s+\S)/i;
const BULLET = /^\s*[•●▪◦‣∙·\-*–➢►✓]\s*\S/;
const DATE_START =
  /^\s*(\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?|\d{4}-\d{2}-\d{2}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/i;
const MONEY = /([$€£¥]\s?\d|\d[.,]\d{2}(?!\d)|\d+,\d{3}(?!\d))/g;
/**
 * References to the literature ("[3]", "et al", "(2019)", "doi") and the cross-references research
 * writing makes to its own equations and figures ("Eq. (4)", "Fig. 2", "Ref. [6]").
 */
const CITATION =
  /(\[\d{1,3}(,\s?\d{1,3})*\]|\bet al\b|\(\s?(19|20)\d{2}[a-z]?\s?\)|\bdoi\b|\bvol\.\s?\d|\bpp\.\s?\d|\b(eqs?|refs?|figs?)\.\s?[([]?\d)/gi;
const EMAIL_ADDRESS = /[\w.+-]+@[\w-]+\.[\w.]+/g;
/** A news dateline: "CINCINNATI, Sept. 8, 2023 –", "WASHINGTON (AP) —". */
const DATELINE =
  /^\s*[A-Z][A-Za-z.]*(\s[A-Z][A-Za-z.]*){0,3}(,\s*[A-Z][A-Za-z.]+)?(,\s*(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(,\s*\d{4})?\s*(\([A-Za-z ]{2,20}\)\s*)?|\s*\((AP|UPI|Reuters|AFP|PRNewswire|BUSINESS WIRE|Business Wire)\)\s*)[-–—]{1,2}\s*\S/;
/** The same with the date after the dash, as press releases write it: "Espoo, Finland - October 5, 2017:". */
const DATELINE_DATE_AFTER =
  /^\s*[A-Z][A-Za-z.]*(\s[A-Z][A-Za-z.]*){0,3}(,\s*[A-Z][A-Za-z.]+){0,2}\s+[-–—]{1,2}\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s*\d{4}\s*[:–—-]/;
/** "2019 – present", "Sept 2014 – June 2018", "1985-88": spans of years, as a CV lists jobs and studies. */
const YEAR_RANGE = /\b(19|20)\d\d\s*[-–—]\s*((19|20)?\d\d\b|present|current|now|today|heute|aujourd|actualidad|heden)/gi;
/** Mathematics: numbered display equations ("(4)", "(2.1)", "(3.12b)") and symbols, as research papers and theses carry. */
const EQUATION_NUMBER = /\(\d{1,3}(\.\d{1,3})?[a-z]?\)\s*$/;
const MATH_SYMBOLS = /[=∑∫∂∇αβγδεθλμνξπρστφχψωΔΣΩ≤≥≈≠∈∀∃→±×√∞]/g;
const MATH_SYMBOL = new RegExp(MATH_SYMBOLS.source);
/** A time of day next to a date ("6/10/2019 13:59"): tills and terminals stamp every sale. */
const DATE_TIME = /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s{1,3}([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?\b/;
const WORDLIKE = /^[a-zà-ÿ]{2,}$/i;
const VOWEL = /[aeiouyà-ÿ]/i;

/** Share of tokens that look like real words: low on handwriting read by OCR, on garbage and on scripts OCR does not know. */
export function measureWordlikeShare(tokens: string[]): number {
  if (tokens.length === 0) return 0;
  let wordlike = 0;
  for (const token of tokens) {
    const stripped = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (WORDLIKE.test(stripped) && VOWEL.test(stripped) && stripped.length <= 12) wordlike++;
  }
  return wordlike / tokens.length;
}

/** The image's evidence of handwriting (0..1, see Page.handwriting) as a cue. */
function measureHandwriting(evidence: number): number {
  return ramp(evidence, RAMPS.handwritingEvidence);
}

/**
 * For OCR pages read before the image was measured (no `handwriting` field): OCR that can barely
 * read a page of a few words that still look like words, as earlier versions took it.
 */
function guessHandwriting(unreadable: number, words: number, wordlikeShare: number): number {
  return unreadable * ramp(words, RAMPS.unreadableShortPage) * ramp(wordlikeShare, RAMPS.handwrittenWordlike);
}

/** Accents folded, skipping the Unicode decomposition for plain ASCII text (most text-layer lines). */
function foldNonAscii(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text : foldAccents(text);
}

export function measureLayout(page: Page, lines: WeightedLine[]): LayoutCues {
  const text = page.text;
  const rawTokens = text.split(/\s+/).filter((token) => token.length > 0);
  const words = rawTokens.length;
  const lineTexts = lines.map((line) => line.text.trim()).filter((line) => line.length > 0);
  const lineCount = Math.max(lineTexts.length, 1);
  const topLines = lineTexts.slice(0, Math.max(12, Math.ceil(lineCount * 0.5)));

  const memoKeys = new Set<string>();
  for (const line of topLines) {
    const match = MEMO_KEY.exec(line) ?? MEMO_KEY_NO_COLON.exec(line);
    if (match) memoKeys.add(match[1].toLowerCase().replace('subj', 'subject').replace(/^re$/, 'subject'));
  }
  const hasToFrom = memoKeys.has('to') || memoKeys.has('from');
  const memoHeader = hasToFrom ? ramp(memoKeys.size, RAMPS.memoKeys) : 0;

  // An e-mail header is a block of labelled lines (From, Sent, To, Subject) in any of the
  // languages mail clients print; a lone "E-mail:" field or an address is contact detail.
  const emailKeys = new Set<string>();
  let headerStamped = false;
  for (const line of lineTexts) {
    // Every header line has a colon or an address; most lines have neither.
    if (!line.includes(':') && !line.includes('：') && !line.includes('@')) continue;
    const folded = foldNonAscii(line);
    const match = EMAIL_KEY.exec(folded);
    if (match) {
      const key = match[1].toLowerCase().replace(/\s+/g, ' ');
      emailKeys.add(EMAIL_ROLE[key] ?? EMAIL_ROLE[key.replace(/ /g, '')] ?? key);
      // a header line stamped with a time of day, or naming an address
      if (/\b\d{1,2}:\d{2}(:\d{2})?\s*(am|pm)?\b/i.test(line) || line.includes('@')) headerStamped = true;
    } else if (ADDRESSED_LINE.test(folded)) {
      const key = ADDRESSED_LINE.exec(folded)![1].toLowerCase();
      emailKeys.add(EMAIL_ROLE[key] ?? key);
      headerStamped = true;
    } else if (SENDER_LINE.test(line)) {
      emailKeys.add('from');
      headerStamped = true;
    }
  }
  if (emailKeys.size > 0 && !emailKeys.has('sent') && topLines.some((line) => SENT_STAMP_LINE.test(line))) emailKeys.add('sent');
  if (emailKeys.has('date') && emailKeys.has('sent')) emailKeys.delete('date');
  const emailAddresses = text.includes('@') ? (text.match(EMAIL_ADDRESS) ?? []).length : 0;
  const quotedMessage = QUOTED_MESSAGE.test(foldNonAscii(text));
  const emailSpecific = EMAIL_ONLY_ROLES.some((role) => emailKeys.has(role)) || quotedMessage || headerStamped;
  const hasSender = emailKeys.has('from') || emailKeys.has('to');
  const keyedHeader =
    emailKeys.size >= 2 && hasSender ? ramp(emailKeys.size, RAMPS.emailKeys) * (emailSpecific || emailAddresses > 0 ? 1 : 0.35) : 0;
  // "-----Original Message-----" opens a header block of its own, even when OCR loses the lines below it.
  const emailHeader = Math.max(keyedHeader, quotedMessage ? 0.5 : 0);

  let salutation = 0;
  let closing = 0;
  let fieldLines = 0;
  let answerLines = 0;
  let numbered = 0;
  let bullets = 0;
  let dateLines = 0;
  let longLines = 0;
  let dateline = 0;
  let equationLines = 0;
  for (const line of lineTexts) {
    if (EQUATION_NUMBER.test(line) && MATH_SYMBOL.test(line)) equationLines++;
    if (DATELINE.test(line) || DATELINE_DATE_AFTER.test(line)) dateline = 1;
    if (SALUTATION.test(line)) salutation = 1;
    if (CLOSING.test(line)) closing = 1;
    const lineWords = line.split(/\s+/).length;
    if (FIELD_LINE.test(line) || (lineWords <= LABEL_LINE_MAX_WORDS && /:/.test(line))) fieldLines++;
    if (ANSWER_CHOICE.test(line)) answerLines++;
    if (NUMBERED.test(line)) numbered++;
    if (BULLET.test(line)) bullets++;
    if (DATE_START.test(line)) dateLines++;
    if (lineWords >= PROSE_LINE_MIN_WORDS) longLines++;
  }
  const checkboxes = (text.match(CHECKBOX) ?? []).length + (page.source === 'ocr' ? (text.match(OCR_CHECKBOX) ?? []).length : 0);
  const questionMarks = (text.match(/\?/g) ?? []).length;
  const numericTokens = rawTokens.filter((token) => /\d/.test(token) && !/[a-z]{3,}/i.test(token)).length;
  const money = (text.match(MONEY) ?? []).length;
  const citations = (text.match(CITATION) ?? []).length;
  const largeLines = lines.filter((line) => line.relativeSize >= LARGE_TYPE && line.text.trim().length > 1).length;
  const fewWords = ramp(words, RAMPS.fewWords);
  const proseShare = longLines / lineCount;

  // OCR that can barely read a page: a faint fax, a photo, small print, a script OCR does not
  // know, or handwriting. With hundreds of junk tokens it is a picture read as noise.
  let lowOcr = 0;
  let imageNoise = 0;
  let handwriting = 0;
  if (page.source === 'ocr') {
    const confidence = page.ocr_confidence ?? 1;
    const byConfidence = ramp(confidence, RAMPS.lowOcrConfidence);
    const wordlikeShare = measureWordlikeShare(rawTokens);
    const byWords = words >= 5 ? ramp(wordlikeShare, RAMPS.fewWordlikeTokens) : 0;
    const unreadable = clamp01(Math.max(byConfidence, byWords * 0.8) + (byConfidence > 0 && byWords > 0 ? 0.2 : 0));
    lowOcr = unreadable * ramp(words, RAMPS.unreadableShortPage);
    imageNoise = unreadable * ramp(words, RAMPS.noisyLongPage);
    handwriting =
      page.handwriting !== undefined ? measureHandwriting(page.handwriting) : guessHandwriting(unreadable, words, wordlikeShare);
  }

  return {
    memo_header: memoHeader,
    email_header: emailHeader,
    salutation,
    closing,
    form_fields: lineCount >= FORM_MIN_LINES ? ramp(fieldLines / lineCount, RAMPS.fieldLineShare) * ramp(fieldLines, RAMPS.fieldLines) : 0,
    checkboxes: ramp(checkboxes, RAMPS.checkboxes),
    answer_choices: ramp(answerLines, RAMPS.answerLines),
    question_marks: ramp(questionMarks, RAMPS.questionMarks),
    // With a handful of words, "few words in large type" says nothing about the page.
    sparse_large_text:
      words > 0
        ? ramp(words, RAMPS.enoughWords) * clamp01(((largeLines + 1) / lineCount) * LARGE_LINE_SHARE_GAIN) * ramp(words, RAMPS.sparseWords)
        : 0,
    few_words: words > 0 ? fewWords * ramp(words, RAMPS.enoughWords) : 0,
    // Slides are landscape pages with little text; a landscape table is not a slide.
    // Photos and turned scans are often landscape too, so the shape says less on OCR pages.
    landscape: page.width > page.height * LANDSCAPE_RATIO ? ramp(words, RAMPS.slideWords) * (page.source === 'ocr' ? 0.4 : 1) : 0,
    low_ocr_confidence: lowOcr,
    numeric_table: words >= NUMERIC_TABLE_MIN_WORDS ? ramp(numericTokens / words, RAMPS.numericShare) : 0,
    money_amounts: ramp(money, RAMPS.moneyAmounts),
    dense_prose: ramp(proseShare, RAMPS.proseShare) * ramp(words, RAMPS.proseWords),
    citations: ramp(citations, RAMPS.citations),
    numbered_clauses: ramp(numbered, RAMPS.numberedLines),
    bullets: ramp(bullets, RAMPS.bulletLines),
    dates_column: ramp(dateLines, RAMPS.dateLines),
    email_address: ramp(emailAddresses, RAMPS.emailAddresses),
    long_page: ramp(words, RAMPS.longPage),
    dateline,
    time_of_day: DATE_TIME.test(text) ? 1 : 0,
    equations: clamp01(
      equationLines / EQUATION_LINES_FULL + ((text.match(MATH_SYMBOLS) ?? []).length - MATH_SYMBOLS_USUAL) / MATH_SYMBOLS_SPAN,
    ),
    year_ranges: ramp((text.match(YEAR_RANGE) ?? []).length, RAMPS.yearRanges),
    image_noise: imageNoise,
    // Till receipts are long thin strips.
    narrow_page: page.height > 0 ? ramp(page.width / page.height, RAMPS.narrowPage) : 0,
    handwriting,
  };
}
