/**
 * A reviewer's edits to one run, before they are saved: the document class, page classes and
 * segment boundaries, and the `reviewed_output` body the API takes for them.
 */
import type { ClassificationOutput } from '../../../src/core/api-types.js';

export interface ReviewDraft {
  docClass: string;
  pageClasses: Record<number, string>;
  /** First pages of every segment but the first. */
  boundaries: number[];
  segmentClasses: Record<number, string>;
  boundariesEdited: boolean;
}

export interface DraftSegment {
  first_page: number;
  last_page: number;
  class: string;
}

export function startDraft(output: ClassificationOutput): ReviewDraft {
  const pages = output.pages.map((page) => page.page);
  const first = pages[0];
  return {
    docClass: output.classification.class,
    pageClasses: {},
    boundaries: output.segments.map((segment) => segment.first_page).filter((page) => page !== first),
    segmentClasses: {},
    boundariesEdited: false,
  };
}

export function pageClassOf(output: ClassificationOutput, draft: ReviewDraft, page: number): string {
  return draft.pageClasses[page] ?? output.pages.find((item) => item.page === page)?.class ?? 'unknown';
}

export function draftSegments(output: ClassificationOutput, draft: ReviewDraft): DraftSegment[] {
  const pages = output.pages.map((page) => page.page);
  const starts = new Set(draft.boundaries);
  const segments: DraftSegment[] = [];
  for (const page of pages) {
    const last = segments[segments.length - 1];
    if (!last || starts.has(page)) segments.push({ first_page: page, last_page: page, class: '' });
    else last.last_page = page;
  }
  for (const segment of segments) {
    const original = output.segments.find((item) => item.first_page === segment.first_page);
    segment.class = draft.segmentClasses[segment.first_page] ?? original?.class ?? pageClassOf(output, draft, segment.first_page);
  }
  return segments;
}

export function toggleBoundary(output: ClassificationOutput, draft: ReviewDraft, page: number): ReviewDraft {
  if (page === output.pages[0]?.page) return draft;
  const has = draft.boundaries.includes(page);
  return {
    ...draft,
    boundariesEdited: true,
    boundaries: has ? draft.boundaries.filter((item) => item !== page) : [...draft.boundaries, page].sort((a, b) => a - b),
  };
}

/** Moves the boundary at or before `page` one page left or right, never onto another boundary or the first page. */
export function moveBoundary(output: ClassificationOutput, draft: ReviewDraft, page: number, step: -1 | 1): ReviewDraft {
  const candidates = draft.boundaries.filter((item) => item <= page);
  const boundary = candidates[candidates.length - 1];
  if (boundary === undefined) return draft;
  const pages = output.pages.map((item) => item.page);
  const target = pages[pages.indexOf(boundary) + step];
  if (target === undefined || target === pages[0] || draft.boundaries.includes(target)) return draft;
  const segmentClass = draft.segmentClasses[boundary];
  const segmentClasses = { ...draft.segmentClasses };
  delete segmentClasses[boundary];
  if (segmentClass) segmentClasses[target] = segmentClass;
  else {
    const original = output.segments.find((item) => item.first_page === boundary);
    if (original) segmentClasses[target] = original.class;
  }
  return {
    ...draft,
    boundariesEdited: true,
    segmentClasses,
    boundaries: draft.boundaries.map((item) => (item === boundary ? target : item)).sort((a, b) => a - b),
  };
}

export function reviewBody(output: ClassificationOutput, draft: ReviewDraft) {
  const pages = Object.entries(draft.pageClasses).map(([page, label]) => ({ page: Number(page), class: label }));
  const withSegments = output.mode !== 'document' || draft.boundariesEdited || Object.keys(draft.segmentClasses).length > 0;
  return {
    reviewed_output: {
      class: draft.docClass,
      ...(pages.length > 0 || withSegments ? { pages } : {}),
      ...(withSegments ? { segments: draftSegments(output, draft) } : {}),
    },
  };
}
