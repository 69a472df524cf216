// Personal center API (docs/api/identity.md, "Personal center"): every signed-in
// user, permission keys `self:*` are implicit.
import { http } from '@shared/api/http'
import type { Id, TotpEnrolment } from './auth'
import { asItems } from './list'

export interface MySession {
  id: Id
  current: boolean
  createdAt: number
  lastSeenAt: number
  ip: string
  userAgent: string
}

export interface Certificate {
  id: Id
  name: string
  algorithm: string
  fingerprint: string
  createdAt: number
}

export interface SsoApp {
  id: Id
  name: string
  url: string
  icon?: string
  description?: string
}

export const meApi = {
  /** 400 PASSWORD_POLICY with the broken rule in the message. */
  changePassword: (body: { oldPassword: string; newPassword: string }) => http.post<void>('/api/v1/me/password', body),
  sessions: async () => asItems<MySession>(await http.get('/api/v1/me/sessions')),
  revokeSession: (id: Id) => http.delete<void>(`/api/v1/me/sessions/${encodeURIComponent(id)}`),
  enrolTotp: () => http.post<TotpEnrolment>('/api/v1/me/totp/enroll'),
  confirmTotp: (code: string) => http.post<void>('/api/v1/me/totp/confirm', { code }),
  /** Needs a recent re-authentication; FAILED_PRECONDITION for administrators. */
  disableTotp: () => http.delete<void>('/api/v1/me/totp'),
  certificates: async () => asItems<Certificate>(await http.get('/api/v1/me/certificates')),
  addCertificate: (body: { name: string; publicKeyPem: string }) => http.post<Certificate>('/api/v1/me/certificates', body),
  deleteCertificate: (id: Id) => http.delete<void>(`/api/v1/me/certificates/${encodeURIComponent(id)}`),
  apps: async () => asItems<SsoApp>(await http.get('/api/v1/me/apps')),
}
