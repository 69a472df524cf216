// Organisations, posts and users: the system administrator's API (`system:*`).
//   GET    /orgs                 system:org:read   tree, limited to the caller's `system` scope
//   POST   /orgs, PUT/DELETE /orgs/{id}            system:org:write
//   GET    /posts                system:org:read
//   GET    /users?orgId&q&page&size                system:user:read (scoped)
//   GET    /users/{id}           system:user:read  404 outside the caller's scope
//   POST   /users, PUT /users/{id}                 system:user:write
//   POST   /users/{id}/disable|enable|unlock|reset-password   system:user:write
//   PUT    /users/{id}/roles     security:role:grant {roleIds}
import { http } from '@shared/api/http'
import type { Id } from './auth'
import { asItems, asPage, type Page, type PageQuery } from './list'

export type OrgKind = 'bureau' | 'department' | 'unit' | 'station'

export interface Org {
  id: Id
  parentId: Id | null
  name: string
  kind: OrgKind
  divisionCode: string
  sort: number
  children?: Org[]
}

export interface OrgInput {
  parentId: Id | null
  name: string
  kind: OrgKind
  divisionCode: string
  sort: number
}

export interface Post {
  id: Id
  name: string
  code?: string
}

/** A user as the portal shows it; see normalizeUser for the accepted wire shapes. */
export interface StaffUser {
  id: Id
  username: string
  displayName: string
  staffNo: string
  /** Masked by the server, e.g. 138****5678. */
  phone: string
  orgId: Id
  orgName: string
  postIds: Id[]
  roles: { id: Id; name: string }[]
  enabled: boolean
  locked: boolean
  createdAt?: number
  lastLoginAt?: number
}

export interface UserInput {
  username?: string
  displayName: string
  staffNo: string
  phone?: string
  orgId: Id
  postIds: Id[]
  password?: string
}

export interface UserQuery extends PageQuery {
  orgId?: Id
  q?: string
}

type Raw = Record<string, unknown>
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))
const idOf = (v: unknown): Id => (typeof v === 'number' ? v : str(v))

/**
 * The contract names the user fields but not the status flags; accepted:
 * `enabled` | `disabled` | `status: "active"|"disabled"`, and `locked` | `lockedUntil` (epoch ms).
 */
export function normalizeUser(raw: Raw, now = Date.now()): StaffUser {
  const status = str(raw.status).toLowerCase()
  const enabled =
    typeof raw.enabled === 'boolean' ? raw.enabled
      : typeof raw.disabled === 'boolean' ? !raw.disabled
        : status ? !['disabled', 'inactive'].includes(status) : true
  const lockedUntil = typeof raw.lockedUntil === 'number' ? raw.lockedUntil : 0
  const locked = raw.locked === true || lockedUntil > now || status === 'locked'
  const roles = Array.isArray(raw.roles)
    ? (raw.roles as Raw[]).map((r) => (typeof r === 'object' && r ? { id: idOf(r.id), name: str(r.name) } : { id: idOf(r), name: str(r) }))
    : Array.isArray(raw.roleIds) ? (raw.roleIds as unknown[]).map((id) => ({ id: idOf(id), name: str(id) })) : []
  const org = (raw.org ?? {}) as Raw
  return {
    id: idOf(raw.id),
    username: str(raw.username),
    displayName: str(raw.displayName),
    staffNo: str(raw.staffNo),
    phone: str(raw.phone),
    orgId: idOf(raw.orgId ?? org.id),
    orgName: str(raw.orgName ?? org.name),
    postIds: Array.isArray(raw.postIds) ? (raw.postIds as unknown[]).map(idOf) : [],
    roles,
    enabled,
    locked,
    createdAt: typeof raw.createdAt === 'number' ? raw.createdAt : undefined,
    lastLoginAt: typeof raw.lastLoginAt === 'number' ? raw.lastLoginAt : undefined,
  }
}

const id = (v: Id) => encodeURIComponent(v)

export const systemApi = {
  orgs: async () => asItems<Org>(await http.get('/api/v1/orgs')),
  createOrg: (body: OrgInput) => http.post<Org>('/api/v1/orgs', body),
  updateOrg: (orgId: Id, body: OrgInput) => http.put<Org>(`/api/v1/orgs/${id(orgId)}`, body),
  deleteOrg: (orgId: Id) => http.delete<void>(`/api/v1/orgs/${id(orgId)}`),

  posts: async () => asItems<Post>(await http.get('/api/v1/posts')),

  users: async (query: UserQuery): Promise<Page<StaffUser>> => {
    const page = asPage<Raw>(await http.get('/api/v1/users', { query: { ...query } }), query)
    return { ...page, items: page.items.map((u) => normalizeUser(u)) }
  },
  user: async (userId: Id) => normalizeUser(await http.get<Raw>(`/api/v1/users/${id(userId)}`)),
  createUser: (body: UserInput) => http.post<Raw>('/api/v1/users', body),
  updateUser: (userId: Id, body: UserInput) => http.put<Raw>(`/api/v1/users/${id(userId)}`, body),
  disableUser: (userId: Id) => http.post<void>(`/api/v1/users/${id(userId)}/disable`),
  enableUser: (userId: Id) => http.post<void>(`/api/v1/users/${id(userId)}/enable`),
  unlockUser: (userId: Id) => http.post<void>(`/api/v1/users/${id(userId)}/unlock`),
  /** The contract leaves the body open; the server reads `password` (the user must change it at next sign-in). */
  resetPassword: (userId: Id, password: string) =>
    http.post<void>(`/api/v1/users/${id(userId)}/reset-password`, { password }),
  setUserRoles: (userId: Id, roleIds: Id[]) => http.put<void>(`/api/v1/users/${id(userId)}/roles`, { roleIds }),
}
