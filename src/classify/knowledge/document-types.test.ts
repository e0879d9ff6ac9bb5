import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRepeatedPhrases } from '../../../test/helpers/find-repeated-phrases.js';
import type { DocumentType } from './document-type.js';
import { DOCUMENT_TYPES } from './document-types.js';
import { validateDocumentTypes } from './validate-document-types.js';

const resumeLike: DocumentType = {
  id: 'resume_like',
  domain: 'hr',
  names: ['resume', 'curriculum vitae', 'cv'],
  description: 'A made-up type for the tests',
  titles: ['profile'],
  strong: ['work experience', 'profile'],
};

describe('the knowledge pack', () => {
  it('loads every type through the schema', () => {
    assert.ok(DOCUMENT_TYPES.length >= 90);
  });

  it('lists no phrase twice where it already counts', () => {
    const repeats = findRepeatedPhrases(DOCUMENT_TYPES);
    assert.deepEqual(
      repeats.map((repeat) => `${repeat.type}: "${repeat.phrase}" at ${repeat.repeat}, already at ${repeat.first}`),
      [],
    );
  });
});

describe('validateDocumentTypes', () => {
  it('names the file, the type and the path of a misspelt cue', () => {
    const broken = [{ ...resumeLike, cues: { bulets: 1 } }];
    assert.throws(
      () => validateDocumentTypes('hr.types.json', broken),
      (error: Error) => {
        assert.match(error.message, /hr\.types\.json/);
        assert.match(error.message, /type "resume_like" at \/cues/);
        return true;
      },
    );
  });

  it('rejects an unknown domain, a phrase that is no string and an unknown key', () => {
    const broken = [{ ...resumeLike, domain: 'cooking', strong: ['a', 3], strnog: [] }];
    assert.throws(
      () => validateDocumentTypes('x.types.json', broken),
      (error: Error) => {
        assert.match(error.message, /\/domain/);
        assert.match(error.message, /\/strong\/1/);
        assert.match(error.message, /strnog/);
        return true;
      },
    );
  });

  it('names an entry without an id by its place in the file', () => {
    assert.throws(() => validateDocumentTypes('x.types.json', [resumeLike, { names: ['x'] }]), /entry 1 \(no valid id\)/);
  });

  it('returns the types of a valid file', () => {
    assert.deepEqual(validateDocumentTypes('x.types.json', [resumeLike]), [resumeLike]);
  });
});

describe('findRepeatedPhrases', () => {
  it('finds a phrase listed twice in one list, across phrase lists and after a name', () => {
    const type: DocumentType = {
      ...resumeLike,
      strong: ['Work experience', 'résumé'],
      phrases: ['work-experience'],
      weak: ['cv', 'skills', 'Skills'],
    };
    assert.deepEqual(
      findRepeatedPhrases([type]).map((repeat) => `${repeat.repeat} ← ${repeat.first}`),
      ['strong[1] ← names[0]', 'phrases[0] ← strong[0]', 'weak[2] ← weak[1]'],
    );
  });

  it('keeps a title that is also a strong phrase, and a short name that is also a phrase', () => {
    // "profile" counts as a title on heading lines and as a phrase anywhere; "cv" is too short
    // to be read as a phrase from the names, so its weak listing is what makes it one.
    assert.deepEqual(findRepeatedPhrases([{ ...resumeLike, weak: ['cv'] }]), []);
  });
});
