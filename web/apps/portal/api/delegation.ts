// Delegation (权限转授): any signed-in user, of their own direct rights.
//   GET  /delegations               → {given:[...], received:[...]}
//   POST /delegations               {toUserId, permissions, scopes, startsAt, endsAt, reason}
//   POST /delegations/{id}/revoke   by the delegator or the security administrator
import { http } from '@shared/api/http'
import type { Id, ScopeKind } from './auth'

export interface DelegationScope {
  domain: string
  kind: ScopeKind
  orgIds: Id[]
}

export type UserRef = string | { id?: Id; username?: string; displayName?: string }

/**
 * As the server sends it: fromUserId/toUserId only (names are looked up by the
 * page); fromUser/toUser are accepted too should the server add them.
 */
export interface Delegation {
  id: Id
  fromUser?: UserRef
  toUser?: UserRef
  fromUserId?: Id
  toUserId?: Id
  permissions: string[]
  scopes: DelegationScope[]
  startsAt: number
  endsAt: number
  reason: string
  revokedAt?: number | null
  status?: string
}

export interface DelegationInput {
  toUserId: Id
  permissions: string[]
  scopes: DelegationScope[]
  startsAt: number
  endsAt: number
  reason: string
}

export type DelegationState = 'pending' | 'active' | 'expired' | 'revoked'

/** The state of a delegation at `now`; a server `status` of revoked wins. */
export function delegationState(d: Delegation, now = Date.now()): DelegationState {
  if (d.revokedAt || d.status === 'revoked') return 'revoked'
  if (now >= d.endsAt) return 'expired'
  if (now < d.startsAt) return 'pending'
  return 'active'
}

/** A person's display name from a user reference of any accepted shape. */
export function userRefName(ref: UserRef | undefined, fallback = ''): string {
  if (!ref) return fallback
  if (typeof ref === 'string') return ref
  if (ref.displayName && ref.username) return `${ref.displayName}（${ref.username}）`
  return ref.displayName || ref.username || (ref.id !== undefined ? String(ref.id) : '') || fallback
}

export const delegationApi = {
  list: async () => {
    const res = (await http.get<{ given?: Delegation[]; received?: Delegation[] }>('/api/v1/delegations')) ?? {}
    return { given: res.given ?? [], received: res.received ?? [] }
  },
  create: (body: DelegationInput) => http.post<Delegation>('/api/v1/delegations', body),
  revoke: (delegationId: Id) => http.post<void>(`/api/v1/delegations/${encodeURIComponent(delegationId)}/revoke`),
}
