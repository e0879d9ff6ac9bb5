import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dotProduct, measureTextLayout } from './text-page.js';

const FORM_A = 'Name: ____________\nAddress: ____________\nDate of birth: ______\nSignature: ______\n[ ] Yes [ ] No';
const FORM_B = 'Employee name:\nDepartment:\nStart date: ________\nApproved by: ________\n[ ] Full time [ ] Part time';
const PROSE =
  'The committee met on Tuesday to discuss the results of the survey, which showed that most members\n' +
  'would prefer the annual meeting to be held in the spring rather than in the autumn as it has been\n' +
  'for the past several years, and the chair agreed to bring the matter to the next general assembly.';

describe('measureTextLayout', () => {
  it('gives unit-length vectors, zeros for empty text', () => {
    const vector = measureTextLayout([FORM_A]);
    assert.ok(Math.abs(dotProduct(vector, vector) - 1) < 1e-3);
    assert.ok(measureTextLayout(['   ']).every((value) => value === 0));
  });

  it('places two forms closer to each other than to running prose', () => {
    const formA = measureTextLayout([FORM_A]);
    const formB = measureTextLayout([FORM_B]);
    const prose = measureTextLayout([PROSE]);
    assert.ok(dotProduct(formA, formB) > dotProduct(formA, prose));
  });
});
