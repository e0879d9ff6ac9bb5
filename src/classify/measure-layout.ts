/**
 * Layout cues measured on one page, each 0..1. They carry the evidence that words alone miss on
 * short or noisy pages: a memo's To/From block, a form's label lines, an advert's few big words.
 */
import type { Page } from '../core/document.js';
import type { LayoutCue } from './knowledge/document-type.js';
import type { WeightedLine } from './page-lines.js';
import { foldAccents } from './text/normalize-text.js';

export type LayoutCues = Record<LayoutCue, number>;

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

const MEMO_KEY = /^\s*(to|from|subject|subj|re|date|cc|copies|copy to|attn|attention|dept|department)\s*[:;.\-]/i;
const MEMO_KEY_NO_COLON = /^\s*(TO|FROM|SUBJECT|RE|DATE|CC)\s+\S/;
/**
 * The labels of an e-mail header in the languages mail clients print them in, each read as its
 * role. Matched on accent-folded lines, so "Envoyé" and "À" need no accents here.
 */
const EMAIL_KEY =
  /^\s*(from|von|de|van|da|от|发件人|寄件人|寄件者|差出人|送信者|보낸\s?사람|sent|gesendet|envoye|enviado|enviada|inviato|verzonden|отправлено|发送时间|发送日期|送信日時|보낸\s?날짜|date|datum|fecha|data|дата|日期|日時|날짜|to|an|a|para|aan|кому|收件人|宛先|받는\s?사람|cc|bcc|kopie|cci|cco|копия|抄送|subject|betreff|objet|asunto|assunto|oggetto|onderwerp|тема|主题|主旨|件名|제목|received|reply-to|message-id|importance|attachments?|anhang|pieces jointes|adjuntos|anexos|allegati|bijlagen|вложения|附件|添付ファイル)\s*[:：]/iu;
const EMAIL_ROLE: Record<string, string> = {
  von: 'from', de: 'from', van: 'from', da: 'from', от: 'from', 发件人: 'from', 寄件人: 'from', 寄件者: 'from', 差出人: 'from', 送信者: 'from',
  gesendet: 'sent', envoye: 'sent', enviado: 'sent', enviada: 'sent', inviato: 'sent', verzonden: 'sent', отправлено: 'sent', 发送时间: 'sent', 发送日期: 'sent', 送信日時: 'sent',
  datum: 'date', fecha: 'date', data: 'date', дата: 'date', 日期: 'date', 日時: 'date', 날짜: 'date',
  an: 'to', a: 'to', para: 'to', aan: 'to', кому: 'to', 收件人: 'to', 宛先: 'to',
  kopie: 'cc', cci: 'bcc', cco: 'bcc', копия: 'cc', 抄送: 'cc',
  betreff: 'subject', objet: 'subject', asunto: 'subject', assunto: 'subject', oggetto: 'subject', onderwerp: 'subject', тема: 'subject', 主题: 'subject', 主旨: 'subject', 件名: 'subject', 제목: 'subject',
  attachment: 'attachments', anhang: 'attachments', 'pieces jointes': 'attachments', adjuntos: 'attachments', anexos: 'attachments', allegati: 'attachments',
  bijlagen: 'attachments', вложения: 'attachments', 附件: 'attachments', 添付ファイル: 'attachments',
  보낸사람: 'from', 받는사람: 'to', 보낸날짜: 'sent',
};
/** Header roles that a memo does not print: only mail clients stamp these. */
const EMAIL_ONLY_ROLES = ['sent', 'bcc', 'received', 'reply-to', 'message-id', 'attachments'];
/** "Jane Doe <jane@example.org>": the sender line of a mail client's print or screenshot. */
const SENDER_LINE = /^[^<>@:]{2,60}<[\w.+-]+@[\w-]+\.[\w.]+>\s*$/;
/** A line holding only a date and time ("Wed, 19/06/2024 11:26", "Jun 19, 2024, 11:26 AM"): when a message was sent. */
const SENT_STAMP_LINE = /^[\p{L}.,\s]{0,12}(\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|\p{L}{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+\p{L}{3,9}\.?\s+\d{4})[,\s]+(at\s+|um\s+|a las\s+|às\s+|à\s+)?\d{1,2}:\d{2}(:\d{2})?\s*(am|pm)?(\s*([+-]\d{4}|\(?(utc|gmt|cet|cest)\)?))?\s*$/iu;
/** 'À "Jane" <jane@example.org>': a header line whose label lost its colon still names an address. */
const ADDRESSED_LINE = /^\s*(from|von|de|van|da|to|an|a|para|aan|cc)\s+[^:]{0,60}<[\w.+-]+@[\w-]+\.[\w.]+>/i;
/** What mail clients write above a quoted or forwarded message. */
const QUOTED_MESSAGE =
  /original message|forwarded message|wrote:|schrieb:|a ecrit|escribio|escreveu|ha scritto|schreef|написал|ursprungliche nachricht|weitergeleitete nachricht|message d origine|message transfere|mensaje original|mensaje reenviado|mensagem original|messaggio originale|oorspronkelijk bericht|doorgestuurd bericht/i;
const SALUTATION = /^\s*(dear\b|gentlemen|ladies and gentlemen|to whom it may concern|sehr geehrte|liebe[rs]?\b|madame|monsieur|estimad[oa]s?\b|querid[oa]\b|geachte|beste\b|拝啓)/i;
const CLOSING = /^\s*(sincerely|yours (truly|sincerely|faithfully|very truly)|very truly yours|best regards|kind regards|regards|respectfully|cordially|with best wishes|mit freundlichen|cordialement|veuillez agr|atentamente|saludos|met vriendelijke|hoogachtend|敬具)/i;
const FIELD_LINE = /(_{3,}|\.{5,}|:\s*$|:\s{2,}|\[\s*\]|\(\s\)|☐|□|☑|☒|■)/;
const CHECKBOX = /(☐|□|☑|☒|■|\[\s?[xX ]?\s?\]|\(\s?[xX]?\s?\))/g;
/** How OCR reads an empty box opening a line: "[J", "[_]", "LJ", "[\\" before a word. */
const OCR_CHECKBOX = /^\s*(\[J\s*|\[_\]\s*|LJ\s+|\[\\)\p{L}/gmu;
const ANSWER_CHOICE = /(\byes\b.{0,12}\bno\b|\bstrongly (dis)?agree\b|\bagree\b.{0,30}\bdisagree\b|\b(very|somewhat|not at all) (likely|satisfied|important)\b|(^|\s)[a-e][).]\s+\S.*\s[b-f][).]\s|\b1\s+2\s+3\s+4\b|\bcircle (one|the)\b|\bcheck (one|all)\b)/i;
const NUMBERED = /^\s*(\d{1,2}(\.\d{1,2}){0,3}[.)]?\s+\S|(section|article|artikel|article|clause|§)\s*\d|\(?[a-h]\)\s+\S|[ivx]{1,4}\.\s+\S)/i;
const BULLET = /^\s*[•●▪◦‣∙·\-*–➢►✓]\s*\S/;
const DATE_START = /^\s*(\d{1,2}[/.\-]\d{1,2}([/.\-]\d{2,4})?|\d{4}-\d{2}-\d{2}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/i;
const MONEY = /([$€£¥]\s?\d|\d[.,]\d{2}(?!\d)|\d+,\d{3}(?!\d))/g;
/**
 * References to the literature ("[3]", "et al", "(2019)", "doi") and the cross-references research
 * writing makes to its own equations and figures ("Eq. (4)", "Fig. 2", "Ref. [6]").
 */
const CITATION = /(\[\d{1,3}(,\s?\d{1,3})*\]|\bet al\b|\(\s?(19|20)\d{2}[a-z]?\s?\)|\bdoi\b|\bvol\.\s?\d|\bpp\.\s?\d|\b(eqs?|refs?|figs?)\.\s?[([]?\d)/gi;
const EMAIL_ADDRESS = /[\w.+-]+@[\w-]+\.[\w.]+/g;
/** A news dateline: "CINCINNATI, Sept. 8, 2023 –", "WASHINGTON (AP) —". */
const DATELINE = /^\s*[A-Z][A-Za-z.]*(\s[A-Z][A-Za-z.]*){0,3}(,\s*[A-Z][A-Za-z.]+)?(,\s*(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(,\s*\d{4})?\s*(\([A-Za-z ]{2,20}\)\s*)?|\s*\((AP|UPI|Reuters|AFP|PRNewswire|BUSINESS WIRE|Business Wire)\)\s*)[-–—]{1,2}\s*\S/;
/** "2019 – present", "Sept 2014 – June 2018", "1985-88": spans of years, as a CV lists jobs and studies. */
const YEAR_RANGE = /\b(19|20)\d\d\s*[-–—]\s*((19|20)?\d\d\b|present|current|now|today|heute|aujourd|actualidad|heden)/gi;
/** Mathematics: numbered display equations ("(4)", "(2.1)", "(3.12b)") and symbols, as research papers and theses carry. */
const EQUATION_NUMBER = /\(\d{1,3}(\.\d{1,3})?[a-z]?\)\s*$/;
const MATH_SYMBOLS = /[=∑∫∂∇αβγδεθλμνξπρστφχψωΔΣΩ≤≥≈≠∈∀∃→±×√∞]/g;
const MATH_SYMBOL = new RegExp(MATH_SYMBOLS.source);
/** A time of day next to a date ("6/10/2019 13:59"): tills and terminals stamp every sale. */
const DATE_TIME = /\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\s{1,3}([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?\b/;
const WORDLIKE = /^[a-zà-ÿ]{2,}$/i;
const VOWEL = /[aeiouyà-ÿ]/i;

/** Share of tokens that look like real words: low on handwriting read by OCR, on garbage and on scripts OCR does not know. */
export function measureWordlikeShare(tokens: string[]): number {
  if (tokens.length === 0) return 0;
  let wordlike = 0;
  for (const token of tokens) {
    const stripped = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (WORDLIKE.test(stripped) && VOWEL.test(stripped) && (stripped.length <= 12)) wordlike++;
  }
  return wordlike / tokens.length;
}

/** Image evidence below this is what most print, forms and photos reach; above `HANDWRITING_SURE` it is a hand. */
const HANDWRITING_FROM = 0.35;
const HANDWRITING_SURE = 0.65;

/** The image's evidence of handwriting (0..1, see Page.handwriting) as a cue. */
function measureHandwriting(evidence: number): number {
  return clamp01((evidence - HANDWRITING_FROM) / (HANDWRITING_SURE - HANDWRITING_FROM));
}

/**
 * For OCR pages read before the image was measured (no `handwriting` field): OCR that can barely
 * read a page of a few words that still look like words, as earlier versions took it.
 */
function guessHandwriting(unreadable: number, words: number, wordlikeShare: number): number {
  return unreadable * clamp01((330 - words) / 150) * clamp01((wordlikeShare - 0.2) / 0.15);
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
  const memoHeader = hasToFrom ? clamp01((memoKeys.size - 1) / 1.5) : 0;

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
  const keyedHeader = emailKeys.size >= 2 && hasSender ? clamp01((emailKeys.size - 1) / 3) * (emailSpecific || emailAddresses > 0 ? 1 : 0.35) : 0;
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
    if (DATELINE.test(line)) dateline = 1;
    if (SALUTATION.test(line)) salutation = 1;
    if (CLOSING.test(line)) closing = 1;
    const lineWords = line.split(/\s+/).length;
    if (FIELD_LINE.test(line) || (lineWords <= 4 && /:/.test(line))) fieldLines++;
    if (ANSWER_CHOICE.test(line)) answerLines++;
    if (NUMBERED.test(line)) numbered++;
    if (BULLET.test(line)) bullets++;
    if (DATE_START.test(line)) dateLines++;
    if (lineWords >= 9) longLines++;
  }
  const checkboxes = (text.match(CHECKBOX) ?? []).length + (page.source === 'ocr' ? (text.match(OCR_CHECKBOX) ?? []).length : 0);
  const questionMarks = (text.match(/\?/g) ?? []).length;
  const numericTokens = rawTokens.filter((token) => /\d/.test(token) && !/[a-z]{3,}/i.test(token)).length;
  const money = (text.match(MONEY) ?? []).length;
  const citations = (text.match(CITATION) ?? []).length;
  const largeLines = lines.filter((line) => line.relativeSize >= 1.6 && line.text.trim().length > 1).length;
  const fewWords = clamp01((150 - words) / 110);
  const proseShare = longLines / lineCount;

  // OCR that can barely read a page: a faint fax, a photo, small print, a script OCR does not
  // know, or handwriting. With hundreds of junk tokens it is a picture read as noise.
  let lowOcr = 0;
  let imageNoise = 0;
  let handwriting = 0;
  if (page.source === 'ocr') {
    const confidence = page.ocr_confidence ?? 1;
    const byConfidence = clamp01((0.72 - confidence) / 0.22);
    const wordlikeShare = measureWordlikeShare(rawTokens);
    const byWords = words >= 5 ? clamp01((0.55 - wordlikeShare) / 0.3) : 0;
    const unreadable = clamp01(Math.max(byConfidence, byWords * 0.8) + (byConfidence > 0 && byWords > 0 ? 0.2 : 0));
    lowOcr = unreadable * clamp01((330 - words) / 150);
    imageNoise = unreadable * clamp01((words - 300) / 250);
    handwriting = page.handwriting !== undefined ? measureHandwriting(page.handwriting) : guessHandwriting(unreadable, words, wordlikeShare);
  }

  return {
    memo_header: memoHeader,
    email_header: emailHeader,
    salutation,
    closing,
    form_fields: lineCount >= 4 ? clamp01((fieldLines / lineCount - 0.12) / 0.3) * clamp01(fieldLines / 5) : 0,
    checkboxes: clamp01(checkboxes / 4),
    answer_choices: clamp01(answerLines / 3),
    question_marks: clamp01((questionMarks - 1) / 5),
    // With a handful of words, "few words in large type" says nothing about the page.
    sparse_large_text: words > 0 ? clamp01(words / 12) * clamp01(((largeLines + 1) / lineCount) * 2.5) * clamp01((220 - words) / 160) : 0,
    few_words: words > 0 ? fewWords * clamp01(words / 12) : 0,
    // Slides are landscape pages with little text; a landscape table is not a slide.
    // Photos and turned scans are often landscape too, so the shape says less on OCR pages.
    landscape: page.width > page.height * 1.15 ? clamp01((260 - words) / 160) * (page.source === 'ocr' ? 0.4 : 1) : 0,
    low_ocr_confidence: lowOcr,
    numeric_table: words >= 15 ? clamp01((numericTokens / words - 0.12) / 0.25) : 0,
    money_amounts: clamp01(money / 8),
    dense_prose: clamp01((proseShare - 0.25) / 0.35) * clamp01(words / 250),
    citations: clamp01((citations - 1) / 6),
    numbered_clauses: clamp01((numbered - 2) / 6),
    bullets: clamp01((bullets - 1) / 4),
    dates_column: clamp01((dateLines - 2) / 6),
    email_address: clamp01(emailAddresses / 2),
    long_page: clamp01((words - 300) / 400),
    dateline,
    time_of_day: DATE_TIME.test(text) ? 1 : 0,
    equations: clamp01(equationLines / 3 + ((text.match(MATH_SYMBOLS) ?? []).length - 8) / 40),
    year_ranges: clamp01(((text.match(YEAR_RANGE) ?? []).length - 1) / 3),
    image_noise: imageNoise,
    // Till receipts are long thin strips.
    narrow_page: page.height > 0 ? clamp01((0.6 - page.width / page.height) / 0.2) : 0,
    handwriting,
  };
}
