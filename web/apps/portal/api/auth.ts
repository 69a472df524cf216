// Sign-in and session API of the portal (docs/api/identity.md, "Authentication").
//
// POST /api/v1/auth/login   {username, password, totp?} → 200 {user: SessionUser, token}
//   + the HttpOnly `hrss_session` cookie and the readable `hrss_csrf` cookie.
//   401 TOTP_REQUIRED          password right, a second factor is needed: post again with `totp`
//   401 TOTP_INVALID           wrong or expired code
//   401 INVALID_CREDENTIALS    wrong username or password
//   423 ACCOUNT_LOCKED         5 failures → locked for 15 minutes
//   429 RATE_LIMITED           too many attempts from this address / for this account
//   403 ACCOUNT_DISABLED
//   403 PASSWORD_EXPIRED       older than 90 days; the error body carries `changeToken`
//                              for POST /auth/password/expired
//   403 TOTP_ENROLMENT_REQUIRED administrator without TOTP; the error body carries
//                              `enrolmentToken` for /auth/totp/enroll and /auth/totp/confirm
// POST /api/v1/auth/password/expired {username, changeToken, newPassword} → 204
// GET  /api/v1/me           → {user: SessionUser}, 401 when signed out (the session endpoint)
// POST /api/v1/auth/reauth  {password} | {totp} → 204 (sensitive actions for the next 5 minutes)
// POST /api/v1/auth/logout  → 204
import { http } from '@shared/api/http'

export type AdminRole = 'system' | 'security' | 'auditor'
export type ScopeKind = 'all' | 'org_subtree' | 'own_org' | 'self' | 'list'
/** Record ids: the server sends numbers; kept as they come (never stringified) so they round-trip. */
export type Id = string | number

/**
 * A data scope. In SessionUser.scopes the server sends the effective scope of a
 * domain: "all", "list" (org_subtree and own_org resolved to org ids), "self" or "none".
 */
export interface DataScope {
  kind: ScopeKind | 'none'
  orgIds?: Id[]
}

export interface DelegatedRight {
  delegationId: Id
  /** The delegator: a name, or an object with the user's names. */
  fromUser: string | { id?: string; username?: string; displayName?: string }
  permissions: string[]
  endsAt: number
}

export interface SessionUser {
  id: Id
  username: string
  displayName: string
  orgId?: Id
  orgName?: string
  divisionCode?: string
  /** Not in SessionUser of the contract; shown (masked) when the server sends it. */
  phone?: string
  staffNo?: string
  roles?: { id: Id; name: string }[]
  /** Function permissions such as "system:user:read"; "*" grants all. */
  permissions: string[]
  /** Data scope per business domain. */
  scopes?: Record<string, DataScope>
  adminRole?: AdminRole | null
  totpEnabled?: boolean
  passwordExpiresAt?: number
  delegatedFrom?: DelegatedRight[]
}

export interface LoginRequest {
  username: string
  password: string
  totp?: string
}

export interface SessionResponse {
  user: SessionUser
  token?: string
}

export interface TotpEnrolment {
  secret: string
  otpauthUri: string
  /** Server-generated SVG markup of the QR code (shown through an <img>, never as HTML). */
  qrSvg: string
}

export const authApi = {
  login: (body: LoginRequest) => http.post<SessionResponse>('/api/v1/auth/login', body, { noReauth: true }),
  /** The session endpoint: who is signed in. */
  me: () => http.get<SessionResponse>('/api/v1/me', { noReauth: true }),
  logout: () => http.post<void>('/api/v1/auth/logout', undefined, { noReauth: true }),
  reauth: (body: { password: string } | { totp: string }) =>
    http.post<void>('/api/v1/auth/reauth', body, { noReauth: true }),
  changeExpiredPassword: (body: { username: string; changeToken: string; newPassword: string }) =>
    http.post<void>('/api/v1/auth/password/expired', body, { noReauth: true }),
  /** Enrolment before the first sign-in of an administrator (token from TOTP_ENROLMENT_REQUIRED). */
  enrolTotp: (body: { username: string; enrolmentToken: string }) =>
    http.post<TotpEnrolment>('/api/v1/auth/totp/enroll', body, { noReauth: true }),
  confirmTotpEnrolment: (body: { username: string; enrolmentToken: string; code: string }) =>
    http.post<void>('/api/v1/auth/totp/confirm', body, { noReauth: true }),
}
