// Single sign-on applications (OIDC clients) of the sso module (src/modules/sso;
// not part of docs/api/identity.md yet, shapes as the server sends them):
//   GET    /api/v1/sso/apps        system:app:read   {items:[SsoClient], total}
//   POST   /api/v1/sso/apps        system:app:write  SsoClientInput → 201 {clientId, clientSecret?}
//                                                    (the secret is shown once, stored as a hash)
//   DELETE /api/v1/sso/apps/{id}   system:app:write  disables the client and revokes its tokens
//   GET    /api/v1/sso/catalog     self:apps         {items:[{id,name,url,description}]} enabled
//                                                    clients the user may open (workbench 应用目录)
import { http } from '@shared/api/http'
import type { SsoApp } from './me'
import { asItems } from './list'

export interface SsoClient {
  clientId: string
  name: string
  confidential: boolean
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  appUrl: string
  description: string
  requiredPermission: string
  enabled: boolean
  createdAt: number
}

export interface SsoClientInput {
  clientId: string
  name: string
  appUrl: string
  description: string
  requiredPermission: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  confidential: boolean
}

export const ssoApi = {
  apps: async () => asItems<SsoClient>(await http.get('/api/v1/sso/apps')),
  createApp: (body: SsoClientInput) => http.post<{ clientId: string; clientSecret?: string }>('/api/v1/sso/apps', body),
  disableApp: (clientId: string) => http.delete<void>(`/api/v1/sso/apps/${encodeURIComponent(clientId)}`),
  catalog: async () => asItems<SsoApp>(await http.get('/api/v1/sso/catalog')),
}
