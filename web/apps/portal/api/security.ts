// Roles, permissions, data scopes and online sessions: the security
// administrator's API (`security:*`).
//   GET  /permissions     security:role:read   catalog tree [{key,name,kind,children}]
//   GET  /scope-domains   security:role:read   [{domain,name}]
//   GET  /roles, /roles/{id}                   security:role:read
//   POST /roles, PUT/DELETE /roles/{id}        security:role:write  (403 ESCALATION_DENIED when wider than the caller)
//   GET  /sessions        security:session:read  online users
//   DELETE /sessions/{id} security:session:kick  force logout
import { http } from '@shared/api/http'
import type { AdminRole, Id, ScopeKind } from './auth'
import { asItems, asPage, type Page, type PageQuery } from './list'

export interface PermissionNode {
  key: string
  name: string
  kind: 'menu' | 'button' | 'api'
  children?: PermissionNode[]
}

export interface ScopeDomain {
  domain: string
  name: string
}

export interface RoleScope {
  domain: string
  kind: ScopeKind
  orgIds: Id[]
}

export interface Role {
  id: Id
  name: string
  code: string
  description?: string
  permissions: string[]
  scopes: RoleScope[]
  adminRole?: AdminRole | null
}

export type RoleInput = Omit<Role, 'id' | 'adminRole'>

export interface OnlineSession {
  id: Id
  userId?: Id
  username: string
  displayName?: string
  orgName?: string
  ip?: string
  userAgent?: string
  createdAt?: number
  lastSeenAt?: number
  current?: boolean
}

const id = (v: Id) => encodeURIComponent(v)

function normalizeRole(raw: Partial<Role>): Role {
  return {
    id: raw.id ?? '',
    name: raw.name ?? '',
    code: raw.code ?? '',
    description: raw.description ?? '',
    permissions: Array.isArray(raw.permissions) ? raw.permissions : [],
    scopes: Array.isArray(raw.scopes) ? raw.scopes.map((s) => ({ ...s, orgIds: s.orgIds ?? [] })) : [],
    adminRole: raw.adminRole ?? null,
  }
}

export const securityApi = {
  permissions: async () => asItems<PermissionNode>(await http.get('/api/v1/permissions')),
  scopeDomains: async () => asItems<ScopeDomain>(await http.get('/api/v1/scope-domains')),
  roles: async (query: PageQuery = { page: 1, size: 200 }) => {
    const page = asPage<Partial<Role>>(await http.get('/api/v1/roles', { query: { ...query } }), query)
    return { ...page, items: page.items.map(normalizeRole) } as Page<Role>
  },
  role: async (roleId: Id) => normalizeRole(await http.get<Partial<Role>>(`/api/v1/roles/${id(roleId)}`)),
  createRole: (body: RoleInput) => http.post<Role>('/api/v1/roles', body),
  updateRole: (roleId: Id, body: RoleInput) => http.put<Role>(`/api/v1/roles/${id(roleId)}`, body),
  deleteRole: (roleId: Id) => http.delete<void>(`/api/v1/roles/${id(roleId)}`),

  sessions: async (query: PageQuery = { page: 1, size: 200 }) =>
    asPage<OnlineSession>(await http.get('/api/v1/sessions', { query: { ...query } }), query),
  kickSession: (sessionId: Id) => http.delete<void>(`/api/v1/sessions/${id(sessionId)}`),
}
