// The role editor's model: the permission tree and the per-domain data-scope
// editor turned into the body of POST/PUT /api/v1/roles.
import { describe, expect, it } from 'vitest'
import type { PermissionNode, ScopeDomain } from '../apps/portal/api/security'
import {
  buildRolePayload,
  cascadeCheck,
  initialCheckedKeys,
  rowsToScopes,
  scopeKindAllowed,
  scopeRowProblem,
  scopesToRows,
  treeToPermissions,
} from '../apps/portal/views/system/roleModel'

const domains: ScopeDomain[] = [
  { domain: 'jubao', name: '居保' },
  { domain: 'shebao', name: '社保' },
  { domain: 'jiancha', name: '劳动监察' },
]

const catalog: PermissionNode[] = [
  {
    key: 'system', name: '系统管理', kind: 'menu', children: [
      { key: 'system:user:read', name: '用户管理', kind: 'menu', children: [{ key: 'system:user:write', name: '维护用户', kind: 'button' }] },
      { key: 'system:org:read', name: '机构管理', kind: 'menu' },
    ],
  },
  { key: 'audit:log:read', name: '审计日志', kind: 'menu' },
]

describe('data scopes', () => {
  it('one row per domain, filled from the role; unknown domains are kept', () => {
    const rows = scopesToRows(domains, [
      { domain: 'shebao', kind: 'org_subtree', orgIds: ['ignored'] },
      { domain: 'jiancha', kind: 'list', orgIds: ['o-1', 'o-2'] },
      { domain: 'dangan', kind: 'self', orgIds: [] },
    ])
    expect(rows).toEqual([
      { domain: 'jubao', name: '居保', kind: 'none', orgIds: [] },
      { domain: 'shebao', name: '社保', kind: 'org_subtree', orgIds: [] },
      { domain: 'jiancha', name: '劳动监察', kind: 'list', orgIds: ['o-1', 'o-2'] },
      { domain: 'dangan', name: 'dangan', kind: 'self', orgIds: [] },
    ])
  })

  it('the payload drops "none", keeps org ids only for "list", without duplicates', () => {
    expect(
      rowsToScopes([
        { domain: 'jubao', name: '居保', kind: 'none', orgIds: [] },
        { domain: 'shebao', name: '社保', kind: 'own_org', orgIds: ['o-9'] },
        { domain: 'jiancha', name: '劳动监察', kind: 'list', orgIds: ['o-1', 'o-2', 'o-1'] },
      ]),
    ).toEqual([
      { domain: 'shebao', kind: 'own_org', orgIds: [] },
      { domain: 'jiancha', kind: 'list', orgIds: ['o-1', 'o-2'] },
    ])
  })

  it('"list" without an org cannot be saved', () => {
    const bad = { domain: 'jiancha', name: '劳动监察', kind: 'list' as const, orgIds: [] }
    expect(scopeRowProblem([{ domain: 'jubao', name: '居保', kind: 'all', orgIds: [] }, bad])).toBe(bad)
    expect(scopeRowProblem([{ ...bad, orgIds: ['o-1'] }])).toBeNull()
  })

  it('offers no kind wider than the caller holds in that domain', () => {
    const mine = {
      shebao: { kind: 'org_subtree' as const },
      jubao: { kind: 'own_org' as const },
      jiancha: { kind: 'list' as const, orgIds: [101, 102] },
      dangan: { kind: 'self' as const },
      jibao: { kind: 'none' as const },
      system: { kind: 'all' as const },
    }
    expect(scopeKindAllowed('all', mine, 'system')).toBe(true)
    expect(scopeKindAllowed('all', mine, 'shebao')).toBe(false)
    expect(scopeKindAllowed('org_subtree', mine, 'shebao')).toBe(true)
    expect(scopeKindAllowed('list', mine, 'shebao')).toBe(true)
    expect(scopeKindAllowed('list', mine, 'jubao')).toBe(false)
    expect(scopeKindAllowed('self', mine, 'jubao')).toBe(true)
    // The server reports effective scopes ("list"): short of "all" it decides on the org ids.
    expect(scopeKindAllowed('all', mine, 'jiancha')).toBe(false)
    expect(scopeKindAllowed('own_org', mine, 'jiancha')).toBe(true)
    expect(scopeKindAllowed('org_subtree', mine, 'dangan')).toBe(false)
    expect(scopeKindAllowed('self', mine, 'dangan')).toBe(true)
    expect(scopeKindAllowed('self', mine, 'jibao')).toBe(false) // "none"
    expect(scopeKindAllowed('self', mine, 'renshi')).toBe(false) // nothing held there
    expect(scopeKindAllowed('all', undefined, 'renshi')).toBe(true) // server did not say: it decides
  })
})

describe('permission tree', () => {
  it('checks the role keys as they are (menu keys too); "*" checks all', () => {
    expect(initialCheckedKeys(['system:user:read', 'other:key'], catalog)).toEqual(['system:user:read'])
    expect(initialCheckedKeys(['*'], catalog)).toEqual(['system', 'system:user:read', 'system:user:write', 'system:org:read', 'audit:log:read'])
  })

  it('父子联动: checking a button checks its menus; unchecking a menu unchecks its buttons', () => {
    expect(cascadeCheck(catalog, [], 'system:user:write', true)).toEqual(['system', 'system:user:read', 'system:user:write'])
    expect(cascadeCheck(catalog, ['system', 'system:user:read', 'system:user:write', 'audit:log:read'], 'system:user:read', false))
      .toEqual(['system', 'audit:log:read'])
    expect(cascadeCheck(catalog, [], 'system', true)).toEqual(['system', 'system:user:read', 'system:user:write', 'system:org:read'])
  })

  it('联动 leaves keys the caller cannot grant alone', () => {
    const grantable = (k: string) => k !== 'system:user:write'
    expect(cascadeCheck(catalog, [], 'system', true, grantable)).toEqual(['system', 'system:user:read', 'system:org:read'])
  })

  it('payload: checked keys sorted; foreign keys kept; "*" kept while everything stays checked', () => {
    expect(treeToPermissions(['system:user:read', 'system'], ['gig:view'], catalog)).toEqual(['gig:view', 'system', 'system:user:read'])
    const all = initialCheckedKeys(['*'], catalog)
    expect(treeToPermissions(all, ['*'], catalog)).toEqual(['*'])
    expect(treeToPermissions(all.slice(1), ['*'], catalog)).toEqual([...all.slice(1)].sort())
  })

  it('builds the whole body', () => {
    expect(
      buildRolePayload(
        { name: ' 乡镇窗口经办员 ', code: 'clerk_township ', description: ' 仅本乡镇 ' },
        ['acceptance:view'],
        [
          { domain: 'jubao', name: '居保', kind: 'own_org', orgIds: [] },
          { domain: 'shebao', name: '社保', kind: 'none', orgIds: [] },
        ],
      ),
    ).toEqual({
      name: '乡镇窗口经办员',
      code: 'clerk_township',
      description: '仅本乡镇',
      permissions: ['acceptance:view'],
      scopes: [{ domain: 'jubao', kind: 'own_org', orgIds: [] }],
    })
  })
})
