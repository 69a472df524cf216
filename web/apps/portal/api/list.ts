// The one pagination shape of the API: request ?page=1&size=20 (size ≤ 200),
// answer {items, total, page, size}. Some lists (tree endpoints, small
// catalogs) may come as a bare array; asPage/asItems accept both.

export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
}

export interface PageQuery {
  page?: number
  size?: number
}

export function asPage<T>(res: unknown, query: PageQuery = {}): Page<T> {
  if (Array.isArray(res)) {
    return { items: res as T[], total: res.length, page: query.page ?? 1, size: query.size ?? res.length }
  }
  const r = (res ?? {}) as Partial<Page<T>>
  const items = Array.isArray(r.items) ? r.items : []
  return {
    items,
    total: typeof r.total === 'number' ? r.total : items.length,
    page: typeof r.page === 'number' ? r.page : query.page ?? 1,
    size: typeof r.size === 'number' ? r.size : query.size ?? items.length,
  }
}

export function asItems<T>(res: unknown): T[] {
  return asPage<T>(res).items
}
