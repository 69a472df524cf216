// Identity API used by the portal. The server side arrives with the identity
// issue; until then these endpoints answer 404 and the UI says so.
//
// POST /api/v1/auth/login   body {username, password, totp?}
//   200 → {user: SessionUser}; the server sets the HttpOnly session cookie and
//         the readable `hrss_csrf` cookie.
//   401 {code: "TOTP_REQUIRED"}   password right, a TOTP code is needed:
//                                 the client asks for it and posts again with `totp`.
//   401 {code: "TOTP_INVALID"}    the TOTP code was wrong or expired.
//   401 {code: "INVALID_CREDENTIALS"}  wrong username or password.
//   423 {code: "ACCOUNT_LOCKED"} / 429 {code: "RATE_LIMITED"}  too many attempts.
//   403 {code: "ACCOUNT_DISABLED"}
// GET  /api/v1/auth/session → 200 {user: SessionUser} or 401 when not signed in.
// POST /api/v1/auth/logout  → 204.
import { http } from '@shared/api/http'

export interface SessionUser {
  id: string
  username: string
  displayName: string
  orgName?: string
  /** Function permissions such as "datacenter:view"; "*" grants all. */
  permissions: string[]
}

export interface LoginRequest {
  username: string
  password: string
  totp?: string
}

export interface SessionResponse {
  user: SessionUser
}

export const authApi = {
  login: (body: LoginRequest) => http.post<SessionResponse>('/api/v1/auth/login', body),
  session: () => http.get<SessionResponse>('/api/v1/auth/session'),
  logout: () => http.post<void>('/api/v1/auth/logout'),
}
