/** The queue's filters, as the URL holds them and the API takes them; "save and next" walks the same queue. */
export const FILTER_NAMES = ['review_status', 'classifier_id', 'class', 'status', 'tag', 'batch_id', 'q', 'from', 'to'] as const;
export type QueueFilters = Partial<Record<(typeof FILTER_NAMES)[number], string>>;

const STORAGE = 'docsort.queueFilters';

export function readFilters(params: URLSearchParams): QueueFilters {
  const filters: QueueFilters = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  if (!params.has('review_status')) filters.review_status = 'needs_review';
  if (filters.review_status === 'all') delete filters.review_status;
  return filters;
}

/** The API's query: dates become RFC 3339 times (the end date counts whole). */
export function toApiQuery(filters: QueueFilters): Record<string, string | undefined> {
  const { from, to, ...rest } = filters;
  const end = to ? new Date(`${to}T00:00:00Z`) : null;
  if (end) end.setUTCDate(end.getUTCDate() + 1);
  return {
    ...rest,
    created_after: from ? `${from}T00:00:00Z` : undefined,
    created_before: end ? end.toISOString() : undefined,
  };
}

export function rememberQueue(filters: QueueFilters): void {
  sessionStorage.setItem(STORAGE, JSON.stringify(filters));
}

export function rememberedQueue(): QueueFilters {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE) ?? '{}') as QueueFilters;
  } catch {
    return {};
  }
}

export function filtersToHash(filters: QueueFilters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  if (!filters.review_status) params.set('review_status', 'all');
  return `#/queue?${params.toString()}`;
}
