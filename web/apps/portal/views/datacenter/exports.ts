// Export requests: whose they are and how their filters read.
import type { ExportRequest } from '../../api/datacenter'
import type { SessionUser } from '../../api/auth'
import { messages } from '../../i18n/messages'
import { divisionName } from './format'

const t = messages.dc

/** The signed-in user's own request (by id, else by username). Approve/reject are hidden on these. */
export function isOwnRequest(r: ExportRequest, user: Pick<SessionUser, 'id' | 'username'> | null | undefined): boolean {
  if (!user) return false
  if (r.requesterId !== undefined && r.requesterId !== null) return String(r.requesterId) === String(user.id)
  return !!r.requesterName && r.requesterName === user.username
}

/** {division, q, from, to} → "乡镇：竹阳街道；关键词：张" */
export function describeFilters(filters: Record<string, unknown> | null | undefined): string {
  const parts = Object.entries(filters ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${t.exports.filterNames[k] ?? k}：${k === 'division' ? divisionName(String(v)) : String(v)}`)
  return parts.length ? parts.join('；') : t.dash
}
