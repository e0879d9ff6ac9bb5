/**
 * Near-duplicate fingerprints: a MinHash signature of a text's word triples. Two signatures agree
 * in about the share of positions that the texts' sets of word triples overlap (Jaccard), which
 * is symmetric: a page holding an example plus more text is not a repeat of it, as it would be by
 * the learned layer's cosine over the examples' vocabulary.
 */
import { normalizeText } from '../text/normalize-text.js';

export const FINGERPRINT_LENGTH = 64;
const SHINGLE_WORDS = 3;

/** 32-bit FNV-1a of a string. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A 32-bit mix (murmur3's finaliser) of a value with a seed: one of the signature's hash functions. */
function mix(value: number, seed: number): number {
  let h = (value ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const SEEDS = Array.from({ length: FINGERPRINT_LENGTH }, (_, i) => mix(i + 1, 0x9e3779b9));

/** The signature of a text, or null when it has no words. */
export function fingerprintText(text: string): number[] | null {
  const words = normalizeText(text)
    .split(' ')
    .filter((word) => word.length > 0);
  if (words.length === 0) return null;
  const shingles = new Set<number>();
  if (words.length < SHINGLE_WORDS) shingles.add(hashString(words.join(' ')));
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) shingles.add(hashString(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  const signature = new Array<number>(FINGERPRINT_LENGTH).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let k = 0; k < FINGERPRINT_LENGTH; k++) {
      const value = mix(shingle, SEEDS[k]);
      if (value < signature[k]) signature[k] = value;
    }
  }
  return signature;
}

/** Estimated Jaccard similarity of the two texts' word-triple sets, 0..1. */
export function compareFingerprints(a: number[], b: number[]): number {
  let same = 0;
  for (let k = 0; k < FINGERPRINT_LENGTH; k++) if (a[k] === b[k]) same++;
  return same / FINGERPRINT_LENGTH;
}
