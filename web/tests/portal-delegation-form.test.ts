// 新建权限转授: validation and the POST /api/v1/delegations body.
import { describe, expect, it } from 'vitest'
import type { SessionUser } from '../apps/portal/api/auth'
import {
  delegablePermissions,
  delegableScopeRows,
  emptyDelegationForm,
  toDelegationPayload,
  validateDelegation,
  type DelegationForm,
} from '../apps/portal/views/system/delegationForm'

const NOW = Date.UTC(2025, 5, 3, 1, 0, 0)
const HOUR = 3600_000

const me: SessionUser = {
  id: 'u-head',
  username: 'head_pension',
  displayName: '吴国强',
  permissions: ['acceptance:view', 'acceptance:handle', 'datacenter:view', 'command:view'],
  scopes: { shebao: { kind: 'org_subtree' }, jubao: { kind: 'own_org' }, jiancha: { kind: 'none' } },
  delegatedFrom: [{ delegationId: 'd-1', fromUser: 'leader', permissions: ['command:view'], endsAt: NOW + 10 * HOUR }],
}

function validForm(): DelegationForm {
  return {
    toUserId: 'u-clerk',
    permissions: ['acceptance:view'],
    scopes: [
      { domain: 'shebao', name: '社保', kind: 'own_org', orgIds: [] },
      { domain: 'jubao', name: '居保', kind: 'none', orgIds: [] },
    ],
    window: [NOW, NOW + 48 * HOUR],
    reason: '休假期间由其代为受理',
  }
}

const delegable = delegablePermissions(me)

describe('delegation form', () => {
  it('offers only own direct rights: not "*", not rights received by delegation', () => {
    expect(delegable).toEqual(['acceptance:view', 'acceptance:handle', 'datacenter:view'])
    expect(delegablePermissions({ ...me, permissions: ['*'] }, ['system', 'a:b', 'command:view', 'self:totp'])).toEqual(['a:b'])
    expect(delegablePermissions(null)).toEqual([])
  })

  it('one scope row per domain the user holds (not "none"), not delegated by default', () => {
    expect(delegableScopeRows(me, (d) => d.toUpperCase())).toEqual([
      { domain: 'shebao', name: 'SHEBAO', kind: 'none', orgIds: [] },
      { domain: 'jubao', name: 'JUBAO', kind: 'none', orgIds: [] },
    ])
  })

  it('accepts a complete form', () => {
    expect(validateDelegation(validForm(), me, delegable, NOW)).toEqual({})
  })

  it('an empty form names every missing field in Chinese', () => {
    const errors = validateDelegation(emptyDelegationForm(), me, delegable, NOW)
    expect(errors).toEqual({
      toUserId: '请选择转授对象',
      permissions: '请至少选择一项权限',
      window: '请选择有效期',
      reason: '请填写转授事由',
    })
  })

  it('refuses delegating to oneself', () => {
    expect(validateDelegation({ ...validForm(), toUserId: 'u-head' }, me, delegable, NOW).toUserId).toBe('不能转授给自己')
    // Ids arrive as numbers from the server.
    expect(validateDelegation({ ...validForm(), toUserId: 12 }, { ...me, id: 12 }, delegable, NOW).toUserId).toBe('不能转授给自己')
  })

  it('refuses permissions that are not the user\'s own direct ones', () => {
    expect(validateDelegation({ ...validForm(), permissions: ['command:view'] }, me, delegable, NOW).permissions).toBe('只能转授本人直接拥有的权限')
  })

  it('checks the time window: end after start, end in the future, at most 90 days', () => {
    expect(validateDelegation({ ...validForm(), window: [NOW + HOUR, NOW + HOUR] }, me, delegable, NOW).window).toBe('结束时间必须晚于开始时间')
    expect(validateDelegation({ ...validForm(), window: [NOW - 5 * HOUR, NOW - HOUR] }, me, delegable, NOW).window).toBe('结束时间必须晚于当前时间')
    expect(validateDelegation({ ...validForm(), window: [NOW, NOW + 91 * 24 * HOUR] }, me, delegable, NOW).window).toBe('转授有效期最长 90 天')
    // Counted from now when the window started in the past.
    expect(validateDelegation({ ...validForm(), window: [NOW - 10 * 24 * HOUR, NOW + 89 * 24 * HOUR] }, me, delegable, NOW)).toEqual({})
  })

  it('checks scopes: "list" needs orgs, nothing wider than the user\'s own', () => {
    const list = validForm()
    list.scopes[0] = { domain: 'shebao', name: '社保', kind: 'list', orgIds: [] }
    expect(validateDelegation(list, me, delegable, NOW).scopes).toBe('请为“社保”选择至少一个机构')
    const wide = validForm()
    wide.scopes[1] = { domain: 'jubao', name: '居保', kind: 'all', orgIds: [] }
    expect(validateDelegation(wide, me, delegable, NOW).scopes).toBe('“居保”的范围超出了您本人的数据范围')
  })

  it('checks the reason length after trimming', () => {
    expect(validateDelegation({ ...validForm(), reason: '   ' }, me, delegable, NOW).reason).toBe('请填写转授事由')
    expect(validateDelegation({ ...validForm(), reason: '休假' }, me, delegable, NOW).reason).toBe('转授事由为 4 至 80 个字')
    expect(validateDelegation({ ...validForm(), reason: '事'.repeat(81) }, me, delegable, NOW).reason).toBe('转授事由为 4 至 80 个字')
    expect(validateDelegation({ ...validForm(), reason: '事'.repeat(80) }, me, delegable, NOW).reason).toBeUndefined()
  })

  it('builds the request body', () => {
    const form = validForm()
    form.permissions = ['acceptance:view', 'acceptance:view', 'datacenter:view']
    form.reason = '  休假期间由其代为受理 '
    expect(toDelegationPayload(form)).toEqual({
      toUserId: 'u-clerk',
      permissions: ['acceptance:view', 'datacenter:view'],
      scopes: [{ domain: 'shebao', kind: 'own_org', orgIds: [] }],
      startsAt: NOW,
      endsAt: NOW + 48 * HOUR,
      reason: '休假期间由其代为受理',
    })
  })
})
