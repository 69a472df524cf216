// The 新建权限转授 form: what may be delegated, its validation and the body of
// POST /api/v1/delegations {toUserId, permissions, scopes, startsAt, endsAt, reason}.
// Only the caller's own *direct* rights can be delegated (never rights that
// were delegated to them), and no scope wider than their own.
import type { Id, SessionUser } from '../../api/auth'
import type { DelegationInput } from '../../api/delegation'
import { fmt } from '../../i18n/format'
import { messages } from '../../i18n/messages'
import { rowsToScopes, scopeKindAllowed, type ScopeRow } from './roleModel'

export interface DelegationForm {
  toUserId: Id | ''
  permissions: string[]
  scopes: ScopeRow[]
  /** [startsAt, endsAt] in epoch milliseconds, from el-date-picker type="datetimerange" value-format="x". */
  window: [number, number] | null
  reason: string
}

export type DelegationErrors = Partial<Record<'toUserId' | 'permissions' | 'scopes' | 'window' | 'reason', string>>

export function emptyDelegationForm(): DelegationForm {
  return { toUserId: '', permissions: [], scopes: [], window: null, reason: '' }
}

/**
 * The caller's own direct permissions: everything in SessionUser.permissions
 * except "*" and rights delegated to them. A holder of "*" delegates from `catalogKeys`.
 */
export function delegablePermissions(user: SessionUser | null, catalogKeys: readonly string[] = []): string[] {
  if (!user) return []
  const received = new Set((user.delegatedFrom ?? []).flatMap((d) => d.permissions ?? []))
  const own = user.permissions.includes('*') ? [...catalogKeys] : user.permissions
  // Menu groups (no colon) and the implicit self:* keys are nothing to hand over.
  return [...new Set(own.filter((k) => k.includes(':') && !k.startsWith('self:') && !received.has(k)))]
}

/** One scope row per domain the caller holds a scope in, all starting at "not delegated". */
export function delegableScopeRows(user: SessionUser | null, domainName: (domain: string) => string): ScopeRow[] {
  return Object.entries(user?.scopes ?? {})
    .filter(([, scope]) => scope.kind !== 'none')
    .map(([domain]) => ({ domain, name: domainName(domain), kind: 'none', orgIds: [] }))
}

const REASON_MIN = 4
const REASON_MAX = 80
/** The server stores at most 255 bytes of UTF-8 (80 Chinese characters fit). */
const REASON_MAX_BYTES = 255
const MAX_WINDOW_MS = 90 * 24 * 3600 * 1000

/** Field → Chinese message for every rule the form breaks; {} when it may be sent. */
export function validateDelegation(form: DelegationForm, me: SessionUser | null, delegable: readonly string[], now = Date.now()): DelegationErrors {
  const t = messages.delegation
  const errors: DelegationErrors = {}

  if (form.toUserId === '' || form.toUserId === null || form.toUserId === undefined) errors.toUserId = t.toUserRequired
  else if (me && String(form.toUserId) === String(me.id)) errors.toUserId = t.toUserSelf

  const allowed = new Set(delegable)
  if (!form.permissions.length) errors.permissions = t.permissionsRequired
  else if (form.permissions.some((k) => !allowed.has(k))) errors.permissions = t.permissionsNotOwn

  for (const row of form.scopes) {
    if (row.kind === 'none') continue
    if (row.kind === 'list' && row.orgIds.length === 0) {
      errors.scopes = fmt(t.scopeOrgsRequired, { domain: row.name })
      break
    }
    if (!scopeKindAllowed(row.kind, me?.scopes ?? {}, row.domain)) {
      errors.scopes = fmt(t.scopeWider, { domain: row.name })
      break
    }
  }

  if (!form.window || form.window.length !== 2 || !form.window[0] || !form.window[1]) {
    errors.window = t.windowRequired
  } else {
    const [start, end] = form.window.map(Number)
    if (end <= start) errors.window = t.windowOrder
    else if (end <= now) errors.window = t.windowPast
    else if (end - Math.max(start, now) > MAX_WINDOW_MS) errors.window = t.windowTooLong
  }

  const reason = form.reason.trim()
  if (!reason) errors.reason = t.reasonRequired
  else if ([...reason].length < REASON_MIN || [...reason].length > REASON_MAX || new TextEncoder().encode(reason).length > REASON_MAX_BYTES) {
    errors.reason = t.reasonLength
  }

  return errors
}

/** The request body; call after validateDelegation returned {}. */
export function toDelegationPayload(form: DelegationForm): DelegationInput {
  const [startsAt, endsAt] = (form.window ?? [0, 0]).map(Number)
  return {
    toUserId: form.toUserId as Id,
    permissions: [...new Set(form.permissions)],
    scopes: rowsToScopes(form.scopes),
    startsAt,
    endsAt,
    reason: form.reason.trim(),
  }
}
