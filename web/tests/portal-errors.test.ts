// Every API error reads as a Chinese sentence.
import { describe, expect, it } from 'vitest'
import { ApiError } from '@shared/api/http'
import { describeApiError, describeApiErrorWithId, describeLoginError } from '../apps/portal/api/errors'

const err = (status: number, code: string, message = code, requestId?: string) => new ApiError(status, code, message, requestId)

describe('API error messages', () => {
  it.each([
    [err(403, 'ESCALATION_DENIED'), '不能授予超出本人权限或数据范围的权限'],
    [err(403, 'CSRF_INVALID'), '页面已过期，请刷新页面后重试'],
    [err(401, 'SESSION_EXPIRED'), '登录已过期，请重新登录'],
    [err(403, 'PERMISSION_DENIED'), '您没有执行该操作的权限'],
    [err(404, 'NOT_FOUND', 'no such user'), '记录不存在，或不在您的数据范围内'],
    [err(0, 'NETWORK_ERROR', 'x'), '无法连接到服务器，请检查网络后重试'],
    [err(502, 'HTTP_502', 'Bad Gateway'), '服务暂不可用，请稍后再试'],
    [err(500, 'INTERNAL', 'boom'), '服务器内部错误，请稍后再试或联系系统管理员'],
    [err(403, 'SOMETHING_NEW', 'x'), '您没有执行该操作的权限'],
  ])('%s', (e, text) => {
    expect(describeApiError(e)).toBe(text)
  })

  it('appends the server message where it carries the rule', () => {
    expect(describeApiError(err(400, 'INVALID_ARGUMENT', 'username must be 3-32 characters'))).toBe('输入有误：username must be 3-32 characters')
    expect(describeApiError(err(400, 'PASSWORD_POLICY', '不能与最近 5 次使用过的密码相同'))).toBe('新密码不符合密码策略：不能与最近 5 次使用过的密码相同')
    expect(describeApiError(err(409, 'CONFLICT', '用户名 wang 已存在'))).toBe('数据冲突：记录已存在或已被他人修改：用户名 wang 已存在')
  })

  it('adds the request id for support', () => {
    expect(describeApiErrorWithId(err(403, 'ESCALATION_DENIED', 'x', 'req-9'))).toBe('不能授予超出本人权限或数据范围的权限（请求编号：req-9）')
  })

  it('login: locked, throttled, expired password', () => {
    expect(describeLoginError(err(423, 'ACCOUNT_LOCKED'))).toContain('账号已锁定')
    expect(describeLoginError(err(429, 'RATE_LIMITED'))).toBe('登录尝试过于频繁，请稍后再试')
    expect(describeLoginError(err(403, 'PASSWORD_EXPIRED'))).toContain('90 天')
  })
})
