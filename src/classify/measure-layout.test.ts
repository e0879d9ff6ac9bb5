import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from '../core/document.js';
import { buildPage } from '../../test/helpers/build-test-pages.js';
import { measureLayout } from './measure-layout.js';
import { weighPageLines } from './page-lines.js';

function cuesOf(lines: string[], options: { source?: 'text' | 'ocr'; ocrConfidence?: number; landscape?: boolean } = {}) {
  const page = buildPage(0, { lines, ...options });
  return measureLayout(page, weighPageLines(page));
}

describe('measureLayout', () => {
  it('counts empty boxes as OCR reads them at the start of lines, on OCR pages only', () => {
    const lines = ['[J Birth certificates', '[J Bank loan agreements', 'LJ Passports', '[_] Wills'];
    assert.equal(cuesOf(lines, { source: 'ocr' }).checkboxes, 1);
    assert.equal(cuesOf(lines).checkboxes, 0);
    assert.equal(cuesOf(['LJUBLJANA office', 'Jane [Jr.] Doe'], { source: 'ocr' }).checkboxes, 0);
  });

  it('reads a press-release dateline with the date after the dash, and not a dated heading', () => {
    assert.equal(cuesOf(['Espoo, Finland - October 5, 2017: New materials designed for a task are everywhere.']).dateline, 1);
    assert.equal(cuesOf(['BERLIN – March 3, 2024 – The company announced a new plant.']).dateline, 1);
    assert.equal(cuesOf(['Minutes of the meeting - March 3, 2024', 'Invoice date - March 3, 2024']).dateline, 0);
  });

  it('reads display equations numbered by section as mathematics', () => {
    const lines = ['K(x) = f(x, t) dt (2.4)', 'u = a + b (2.5)', 'V(u) = 0 (3.12b)'];
    assert.ok(cuesOf(lines).equations > 0.8);
    assert.equal(cuesOf(['Total for the year (2.4)', 'See page (3.1)']).equations, 0);
  });

  it('counts cross-references to equations, figures and references as research citations', () => {
    const paper = cuesOf([
      'As shown in Fig. 2 and derived in Eq. (4), the bound holds.',
      'Following Ref. [6], we extend the method of Eqs. 7 and 8.',
      'The error in Fig. 3 falls with the step size.',
    ]);
    assert.ok(paper.citations > 0.3);
    assert.equal(cuesOf(['Please see the figures below for this month.', 'Refer to the enclosed table.']).citations, 0);
  });

  it('sees a memo header and tells an e-mail header apart by its time stamp', () => {
    const memo = cuesOf(['MEMORANDUM', 'TO: Sales team', 'FROM: J. Doe', 'SUBJECT: Prices', 'Body text follows here.']);
    assert.equal(memo.memo_header, 1);
    assert.ok(memo.email_header < 0.5);
    const email = cuesOf(['From: Doe, Jane', 'Sent: Monday, May 3, 1999 10:35 AM', 'To: Smith, Bob', 'Subject: Prices', 'Hi Bob,']);
    assert.equal(email.email_header, 1);
  });

  it('reads e-mail headers in the languages mail clients print, and no header in contact fields', () => {
    const german = cuesOf([
      'Von: Anna Schmidt',
      'Gesendet: Dienstag, 4. Juni 2024 09:12',
      'An: Carlos Lima',
      'Betreff: Besuch',
      'Hallo Carlos,',
    ]);
    assert.equal(german.email_header, 1);
    const japanese = cuesOf(['差出人： 山田 太郎 <taro@example.jp>', '宛先： 鈴木 花子', '件名： 打ち合わせ', '鈴木様']);
    assert.ok(japanese.email_header >= 0.6);
    // a mail client's screenshot: sender line with address, time stamp, To line
    const screenshot = cuesOf([
      'Casa Example <offers@example.com>',
      'Wed, 19/06/2024 11:26',
      'Para: carlos@example.com',
      'Prezado cliente,',
    ]);
    assert.ok(screenshot.email_header >= 0.6);
    const form = cuesOf(['Membership application', 'Name:', 'E-Mail: info@example.org', 'Telefon:', 'Datum:', 'Unterschrift:']);
    assert.equal(form.email_header, 0);
  });

  it('finds salutations, closings, answer choices and spans of years', () => {
    const letter = cuesOf(['Dear Ms. Smith,', 'Thank you for your letter.', 'Sincerely,', 'John']);
    assert.equal(letter.salutation, 1);
    assert.equal(letter.closing, 1);
    const survey = cuesOf([
      '1. Do you agree?',
      'Yes   No',
      '2. How satisfied are you?',
      'Strongly agree  Agree  Disagree',
      'Circle one: 1 2 3 4 5',
    ]);
    assert.ok(survey.answer_choices >= 0.99);
    const cv = cuesOf([
      'Experience',
      'Engineer, Example Ltd, 2019 – present',
      'Analyst, Other Co, 2015-2019',
      'Education',
      'BSc, 2011 - 2015',
    ]);
    assert.ok(cv.year_ranges > 0.5);
  });

  it('reads a landscape page with few words as a slide, a landscape table as none', () => {
    assert.ok(cuesOf(['Quarterly review', '• Growth', '• Risks'], { landscape: true }).landscape > 0.9);
    const table = Array.from({ length: 60 }, (_, i) => `row ${i} 10.00 20.00 30.00 40.00 50.00`);
    assert.equal(cuesOf(table, { landscape: true }).landscape, 0);
  });

  it('takes handwriting from the image evidence; OCR that can barely read is only that', () => {
    const lines = ['Dear Bob thanks for the note', 'see you on friday about the plan', 'call me later this week'];
    const page = buildPage(0, { lines, source: 'ocr', ocrConfidence: 0.35 });
    const measure = (value: Page) => measureLayout(value, weighPageLines(value));
    const printed = measure({ ...page, handwriting: 0.1 });
    assert.ok(printed.low_ocr_confidence > 0.5);
    assert.equal(printed.handwriting, 0);
    assert.equal(measure({ ...page, handwriting: 0.9 }).handwriting, 1);
    assert.equal(measure({ ...page, ocr_confidence: 0.95, handwriting: 0.1 }).low_ocr_confidence, 0);
    assert.equal(cuesOf(lines).handwriting, 0);
  });

  it('guesses handwriting from OCR alone for pages read before the image was measured, not on a page of specks', () => {
    const hand = cuesOf(['Dear Bob thanks for the note', 'see you on friday about the plan', 'call me later this week'], {
      source: 'ocr',
      ocrConfidence: 0.35,
    });
    assert.ok(hand.handwriting > 0.5);
    const specks = cuesOf(['~ . | ;', '= / ^ %', '. , - ~ |', '1 / ;;'], { source: 'ocr', ocrConfidence: 0.35 });
    assert.equal(specks.handwriting, 0);
  });

  it('stamps a till receipt by its date and time', () => {
    assert.equal(cuesOf(['Shop', '6/10/2019 13:59', 'Total 12.00']).time_of_day, 1);
    assert.equal(cuesOf(['Invoice date 6/10/2019', 'Total 12.00']).time_of_day, 0);
  });
});
