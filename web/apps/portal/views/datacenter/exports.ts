// Export requests: whose they are and how their filters read.
import type { ExportRequest } from '../../api/datacenter'
import type { SessionUser } from '../../api/auth'
import { messages } from '../../i18n/messages'
import { divisionName } from './format'

const t = messages.dc

/** The signed-in user's own request (the server names the requester by username). Approve/reject are hidden on these. */
export function isOwnRequest(r: Pick<ExportRequest, 'requester'>, user: Pick<SessionUser, 'username'> | null | undefined): boolean {
  return !!user && !!r.requester && r.requester === user.username
}

/** {entity, division, q, from, to} → "数据表：参保登记；乡镇：竹阳街道；关键词：张" */
export function describeFilters(filters: Record<string, unknown> | null | undefined): string {
  const shown = (k: string, v: unknown) =>
    k === 'division' ? divisionName(String(v)) : k === 'entity' ? (t.domain.entities[String(v)] ?? String(v)) : String(v)
  const parts = Object.entries(filters ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${t.exports.filterNames[k] ?? k}：${shown(k, v)}`)
  return parts.length ? parts.join('；') : t.dash
}
