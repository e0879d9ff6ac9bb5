import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOCUMENT_TYPES } from './knowledge/document-types.js';
import { matchClassesToTypes } from './match-classes.js';

function typesOf(classes: { name: string; description?: string }[], classIndex: number): string[] {
  const matches = matchClassesToTypes(
    classes,
    DOCUMENT_TYPES,
    classes.map(() => false),
  );
  return matches.byClass[classIndex].map((claim) => DOCUMENT_TYPES[claim.typeIndex].id);
}

describe('matchClassesToTypes', () => {
  it('matches a class to pack types by name and synonyms', () => {
    assert.ok(typesOf([{ name: 'CV' }], 0).includes('resume'));
    assert.ok(typesOf([{ name: 'bill' }], 0).includes('invoice'));
    assert.ok(typesOf([{ name: 'Payslip' }], 0).includes('pay_stub'));
  });

  it('gives sub-types to the class that claims their parent', () => {
    const classes = [{ name: 'tax_form', description: 'A tax form such as a W-2' }, { name: 'form' }];
    assert.ok(typesOf(classes, 0).includes('w2'));
    assert.ok(typesOf(classes, 0).includes('form_1099'));
    assert.ok(!typesOf(classes, 1).includes('w2'));
  });

  it('lets each type go to the class that names it, not one that mentions it in passing', () => {
    const classes = [{ name: 'invoice' }, { name: 'utility_bill', description: 'A bill for electricity, gas or water' }];
    assert.ok(typesOf(classes, 0).includes('invoice'));
    assert.ok(!typesOf(classes, 1).includes('invoice'));
  });

  it('leaves types no class claims as evidence for unknown', () => {
    const matches = matchClassesToTypes([{ name: 'invoice' }], DOCUMENT_TYPES, [false]);
    assert.ok(matches.unclaimed.map((index) => DOCUMENT_TYPES[index].id).includes('passport'));
  });
});

describe('knowledge pack', () => {
  it('has at least 60 types across every domain, with unique ids and phrases', () => {
    assert.ok(DOCUMENT_TYPES.length >= 60);
    const ids = new Set(DOCUMENT_TYPES.map((type) => type.id));
    assert.equal(ids.size, DOCUMENT_TYPES.length);
    const domains = new Set(DOCUMENT_TYPES.map((type) => type.domain));
    for (const domain of [
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
    ]) {
      assert.ok(domains.has(domain as never), domain);
    }
    for (const type of DOCUMENT_TYPES) for (const parent of type.parents ?? []) assert.ok(ids.has(parent), `${type.id} → ${parent}`);
  });
});
