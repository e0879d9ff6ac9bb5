/** OCR of image files: every format, multi-page TIFF, orientation, languages. OCR costs ~1–2 s a page, so few pages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CORPUS,
  corpusFile,
  useExtractorAndTempFiles,
  writeBmpFrom,
  writeGifFrom,
  writeRotated,
  writeTwoPageTiff,
} from './helpers/extract-files.js';

describe('extracting images', () => {
  const setup = useExtractorAndTempFiles();

  it('OCRs a TIFF scan into lines with boxes and a confidence', async () => {
    const document = await setup.extractor.extractFile(CORPUS.tiffLetter, { words: true });
    assert.equal(document.type, 'tiff');
    assert.equal(document.num_pages, 1);
    const [page] = document.pages;
    assert.equal(page.source, 'ocr');
    assert.match(page.text, /Dear Ms\. Sexton/);
    assert.equal(page.width, 781);
    assert.equal(page.height, 1000);
    assert.equal(page.rotation, 0);
    assert.ok(page.ocr_confidence !== null && page.ocr_confidence > 0.7);
    // A typed letter: its image shows no handwriting.
    assert.ok(page.handwriting !== undefined && page.handwriting < 0.35, `handwriting ${page.handwriting}`);
    assert.equal(page.language, 'eng', 'an English page is read with English only');
    assert.ok((page.words ?? []).some((word) => word.text === 'Sexton:' || word.text === 'Sexton'));
    for (const line of page.lines) assert.ok(line.x0 >= 0 && line.x1 <= 1 && line.y0 >= 0 && line.y1 <= 1 && line.size > 0);
  });

  it('reads every page of a multi-page TIFF, and only the selected ones', async () => {
    const file = await writeTwoPageTiff(setup.temp, CORPUS.tiffLetter, CORPUS.tiffMemo);
    const selected = await setup.extractor.extractFile(file, { pageRange: '2' });
    assert.equal(selected.num_pages, 2);
    assert.deepEqual(
      selected.pages.map((page) => page.page),
      [1],
    );
    assert.doesNotMatch(selected.pages[0].text, /Dear Ms\. Sexton/);
    assert.ok(selected.pages[0].text.length > 100);
  });

  it('reads PNG, JPEG and WebP files', async () => {
    const png = await setup.extractor.extractFile(CORPUS.png);
    assert.equal(png.type, 'png');
    assert.match(png.pages[0].text, /Amazon Web Services/i);
    const jpeg = await setup.extractor.extractFile(CORPUS.jpeg);
    assert.equal(jpeg.type, 'jpeg');
    assert.ok(jpeg.pages[0].text.length > 100);
    assert.equal(await setup.extractor.sniffFile(CORPUS.webp), 'webp');
  });

  it('reads GIF and BMP files made from a scan', async () => {
    const gif = await setup.extractor.extractFile(await writeGifFrom(setup.temp, CORPUS.tiffLetter));
    assert.equal(gif.type, 'gif');
    assert.match(gif.pages[0].text, /Sexton/);
    const bmp = await setup.extractor.extractFile(await writeBmpFrom(setup.temp, CORPUS.tiffLetter));
    assert.equal(bmp.type, 'bmp');
    assert.equal(bmp.pages[0].width, 781);
    assert.match(bmp.pages[0].text, /Sexton/);
  });

  it('turns a sideways scan upright before reading it', async () => {
    const file = await writeRotated(setup.temp, CORPUS.tiffLetter, 90);
    const document = await setup.extractor.extractFile(file);
    const [page] = document.pages;
    assert.equal(page.rotation, 270);
    assert.match(page.text, /Dear Ms\. Sexton/);
    assert.equal(page.width, 781, 'size reported upright');
    assert.equal(page.height, 1000);
  });

  it('reads a Japanese form with the Japanese model, its words unspaced', async () => {
    const document = await setup.extractor.extractFile(corpusFile('img/form/yomitk-shugaku-enjo-shinseisho.jpg'));
    const [page] = document.pages;
    assert.equal(page.language, 'jpn');
    assert.match(page.text, /就学援助/, '"school attendance assistance", what the form applies for');
    assert.match(page.text, /申請/);
  });

  it('reads a Chinese résumé with the Chinese model', async () => {
    const document = await setup.extractor.extractFile(corpusFile('img/resume/hjt-resume-preview-zh.png'));
    const [page] = document.pages;
    assert.equal(page.language, 'chi_sim');
    assert.match(page.text, /教育背景/, '"education", a résumé heading');
    assert.ok(page.ocr_confidence !== null && page.ocr_confidence > 0.7);
  });

  it('reads a German questionnaire again with the German model, umlauts included', async () => {
    const document = await setup.extractor.extractFile(corpusFile('img/questionnaire/fbprog-feedback-verstaendlichkeit-fragebogen.png'));
    const [page] = document.pages;
    assert.equal(page.language, 'deu');
    assert.match(page.text, /verständlich/, 'German words with their umlauts');
    assert.match(page.text, /Wählen Sie/);
  });

  it('renders an image page to PNG', async () => {
    const png = await setup.extractor.renderPage(CORPUS.tiffLetter, 0, { maxDimension: 300 });
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });
});
