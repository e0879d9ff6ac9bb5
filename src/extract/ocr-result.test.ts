import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinLineWords, toOcrText, type TesseractPageData } from './ocr-result.js';

describe('joinLineWords', () => {
  it('joins Chinese and Japanese characters without spaces, as text layers write them', () => {
    assert.equal(joinLineWords(['就学', '援助', '申請書']), '就学援助申請書');
    assert.equal(joinLineWords(['個人', '情報', '（', '氏名', '）']), '個人情報（氏名）');
  });

  it('keeps spaces between Latin words, around Latin words in CJK text, and in Korean', () => {
    assert.equal(joinLineWords(['Total', 'due']), 'Total due');
    assert.equal(joinLineWords(['中国科学院大学', '(UCAS),', '计算机']), '中国科学院大学 (UCAS), 计算机');
    assert.equal(joinLineWords(['주식회사', '소프트웨어']), '주식회사 소프트웨어');
  });
});

describe('toOcrText', () => {
  it('builds line text from the words with CJK spacing removed', () => {
    const box = { x0: 0, y0: 0, x1: 10, y1: 10 };
    const data: TesseractPageData = {
      text: '',
      confidence: 90,
      blocks: [
        {
          paragraphs: [
            {
              lines: [
                {
                  text: '',
                  confidence: 90,
                  bbox: box,
                  words: ['請求', '書', 'No.', '12'].map((text) => ({ text, confidence: 90, bbox: box })),
                },
              ],
            },
          ],
        },
      ],
    };
    const result = toOcrText(data, 100, 100, 200);
    assert.equal(result.text, '請求書 No. 12');
    assert.equal(result.words.length, 4);
  });
});
