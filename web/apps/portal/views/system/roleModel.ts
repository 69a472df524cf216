// The role editor's model: permission tree selection and the per-domain data
// scope editor, turned into the API payload of POST/PUT /roles
// ({name, code, description, permissions:[key], scopes:[{domain, kind, orgIds}]}).
// Kept apart from the component so the rules are unit-tested.
import type { DataScope, Id, ScopeKind } from '../../api/auth'
import type { PermissionNode, RoleInput, RoleScope, ScopeDomain } from '../../api/security'

/** A domain row of the scope editor; 'none' grants nothing in that domain. */
export type ScopeChoice = ScopeKind | 'none'
export interface ScopeRow {
  domain: string
  name: string
  kind: ScopeChoice
  orgIds: Id[]
}

export const SCOPE_KINDS: ScopeKind[] = ['all', 'org_subtree', 'own_org', 'self', 'list']

/**
 * Kinds a holder of `mine` may grant (an administrator never grants wider than
 * their own). The server reports effective scopes, so org_subtree and own_org
 * arrive as "list": everything short of "all" is offered and the server checks
 * the org ids (ESCALATION_DENIED). "none" grants nothing.
 */
const GRANTABLE: Record<DataScope['kind'], ScopeKind[]> = {
  all: ['all', 'org_subtree', 'own_org', 'self', 'list'],
  org_subtree: ['org_subtree', 'own_org', 'self', 'list'],
  list: ['org_subtree', 'own_org', 'self', 'list'],
  own_org: ['own_org', 'self'],
  self: ['self'],
  none: [],
}

/**
 * Whether the caller may grant `kind` in a domain where they hold `mine`.
 * `myScopes` undefined means the server did not say (older SessionUser): allow and let it decide.
 */
export function scopeKindAllowed(kind: ScopeKind, myScopes: Record<string, DataScope> | undefined, domain: string): boolean {
  if (!myScopes) return true
  const mine = myScopes[domain]
  if (!mine) return false
  return GRANTABLE[mine.kind]?.includes(kind) ?? false
}

/** One row per domain of GET /scope-domains, filled from the role's scopes; unknown domains are kept at the end. */
export function scopesToRows(domains: readonly ScopeDomain[], scopes: readonly RoleScope[]): ScopeRow[] {
  const byDomain = new Map(scopes.map((s) => [s.domain, s]))
  const rows: ScopeRow[] = domains.map((d) => {
    const s = byDomain.get(d.domain)
    return { domain: d.domain, name: d.name, kind: s?.kind ?? 'none', orgIds: s?.kind === 'list' ? [...(s.orgIds ?? [])] : [] }
  })
  for (const s of scopes) {
    if (!domains.some((d) => d.domain === s.domain)) {
      rows.push({ domain: s.domain, name: s.domain, kind: s.kind, orgIds: s.kind === 'list' ? [...(s.orgIds ?? [])] : [] })
    }
  }
  return rows
}

/** The scopes of the payload: 'none' rows dropped; org ids only for 'list', without duplicates. */
export function rowsToScopes(rows: readonly ScopeRow[]): RoleScope[] {
  return rows
    .filter((r): r is ScopeRow & { kind: ScopeKind } => r.kind !== 'none')
    .map((r) => ({ domain: r.domain, kind: r.kind, orgIds: r.kind === 'list' ? [...new Set(r.orgIds)] : [] }))
}

/** The first row that cannot be saved: 'list' without any org. */
export function scopeRowProblem(rows: readonly ScopeRow[]): ScopeRow | null {
  return rows.find((r) => r.kind === 'list' && r.orgIds.length === 0) ?? null
}

/** Keys of the leaves (nodes without children) of the permission catalog. */
export function leafKeys(nodes: readonly PermissionNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.children?.length) leafKeys(n.children, out)
    else out.push(n.key)
  }
  return out
}

/** Every key of the catalog, depth first. */
export function allKeys(nodes: readonly PermissionNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.key)
    if (n.children?.length) allKeys(n.children, out)
  }
  return out
}

/**
 * The keys to check in the tree for a role. The tree runs with check-strictly
 * (a menu key such as system:user:read is a permission of its own, with button
 * keys below it), so the role's keys are checked as they are; "*" checks all.
 */
export function initialCheckedKeys(permissions: readonly string[], catalog: readonly PermissionNode[]): string[] {
  const keys = allKeys(catalog)
  if (permissions.includes('*')) return keys
  const granted = new Set(permissions)
  return keys.filter((k) => granted.has(k))
}

/** Parent links of the catalog: key → parent key. */
function parents(nodes: readonly PermissionNode[], parent: string | null = null, out = new Map<string, string | null>()) {
  for (const n of nodes) {
    out.set(n.key, parent)
    if (n.children?.length) parents(n.children, n.key, out)
  }
  return out
}

function findNode(nodes: readonly PermissionNode[], key: string): PermissionNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return n
    const found = n.children && findNode(n.children, key)
    if (found) return found
  }
  return undefined
}

/**
 * 父子联动 on top of check-strictly: checking a node also checks its grantable
 * descendants and its ancestors (a button is useless without its menu);
 * unchecking a node unchecks its descendants. Keys the caller cannot grant keep
 * their state.
 */
export function cascadeCheck(
  catalog: readonly PermissionNode[],
  checked: readonly string[],
  key: string,
  on: boolean,
  grantable: (key: string) => boolean = () => true,
): string[] {
  const result = new Set(checked)
  const node = findNode(catalog, key)
  if (!node) return [...result]
  const below = allKeys(node.children ?? []).filter(grantable)
  if (on) {
    result.add(key)
    below.forEach((k) => result.add(k))
    const up = parents(catalog)
    for (let p = up.get(key) ?? null; p; p = up.get(p) ?? null) if (grantable(p)) result.add(p)
  } else {
    result.delete(key)
    below.forEach((k) => result.delete(k))
  }
  return allKeys(catalog).filter((k) => result.has(k))
}

/**
 * The role's permissions from the tree's checked keys, sorted. A role that held
 * "*" keeps it while every key stays checked; keys the catalog does not list
 * (another module's) are kept as they were.
 */
export function treeToPermissions(
  checked: readonly string[],
  original: readonly string[],
  catalog: readonly PermissionNode[],
): string[] {
  const keys = allKeys(catalog)
  const checkedSet = new Set(checked)
  if (original.includes('*') && keys.every((k) => checkedSet.has(k))) return ['*']
  const known = new Set(keys)
  const foreign = original.filter((k) => k !== '*' && !known.has(k))
  return [...new Set([...checked.filter((k) => known.has(k)), ...foreign])].sort()
}

/** The body of POST /roles and PUT /roles/{id}. */
export function buildRolePayload(
  form: { name: string; code: string; description?: string },
  permissions: string[],
  rows: readonly ScopeRow[],
): RoleInput {
  return {
    name: form.name.trim(),
    code: form.code.trim(),
    description: (form.description ?? '').trim(),
    permissions,
    scopes: rowsToScopes(rows),
  }
}
