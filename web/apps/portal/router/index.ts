import {
  createRouter,
  createWebHistory,
  type RouteRecordRaw,
  type RouterHistory,
} from 'vue-router'
import { useSessionStore } from '../stores/session'
import { menuEntries } from './menu'
import { messages } from '../i18n/messages'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** Function permission required (see SessionUser.permissions). */
    permission?: string
    title?: string
  }
}

/** The server serves the portal under this prefix and falls back to index.html below it. */
export const PORTAL_BASE = '/portal/'

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../views/LoginView.vue'),
    meta: { public: true, title: messages.login.title },
  },
  {
    path: '/',
    component: () => import('../layout/AppLayout.vue'),
    redirect: { name: 'workbench' },
    children: [
      ...menuEntries.map<RouteRecordRaw>((entry) => ({
        path: entry.name,
        name: entry.name,
        component:
          entry.name === 'workbench'
            ? () => import('../views/WorkbenchView.vue')
            : () => import('../views/ModulePlaceholderView.vue'),
        meta: { permission: entry.permission, title: entry.title },
      })),
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('../views/ForbiddenView.vue'),
        meta: { title: messages.forbidden.title },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('../views/NotFoundView.vue'),
        meta: { title: messages.notFound.title },
      },
    ],
  },
]

export function createPortalRouter(history: RouterHistory = createWebHistory(PORTAL_BASE)) {
  const router = createRouter({ history, routes })

  router.beforeEach(async (to) => {
    const session = useSessionStore()
    if (to.meta.public) {
      if (to.name === 'login') {
        await session.ensureLoaded()
        if (session.isAuthenticated) return { name: 'workbench' }
      }
      return true
    }
    await session.ensureLoaded()
    if (!session.isAuthenticated) {
      return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    }
    if (!session.can(to.meta.permission)) return { name: 'forbidden' }
    return true
  })

  router.afterEach((to) => {
    const page = to.meta.title
    document.title = page ? `${page} - ${messages.document.title}` : messages.document.title
  })

  return router
}
