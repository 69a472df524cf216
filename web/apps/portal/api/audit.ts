// Audit log: the auditor only (`audit:log:read`); no API edits or deletes records.
//   GET /audit?from&to&userId&action&result&page&size → {items, total, page, size}
//   GET /audit/verify → {ok, checked, firstBadId?, reason?}  (HMAC-SM3 hash chain check)
import { http } from '@shared/api/http'
import type { Id } from './auth'
import { asPage, type PageQuery } from './list'

export interface AuditRecord {
  id: Id
  at: number
  userId?: Id
  username?: string
  ip?: string
  action: string
  objectType?: string
  objectId?: string
  result: string
  detail?: string
  delegationId?: Id | null
}

export interface AuditQuery extends PageQuery {
  from?: number
  to?: number
  userId?: Id
  /** Not in the contract: sent when the filter text is a name rather than an id. */
  username?: string
  action?: string
  result?: string
}

export interface AuditVerification {
  ok: boolean
  checked: number
  firstBadId?: Id
  reason?: string
}

export const auditApi = {
  search: async (query: AuditQuery) =>
    asPage<AuditRecord>(await http.get('/api/v1/audit', { query: { ...query } }), query),
  verify: () => http.get<AuditVerification>('/api/v1/audit/verify', { timeoutMs: 120_000 }),
}
