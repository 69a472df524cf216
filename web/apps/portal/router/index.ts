import {
  createRouter,
  createWebHistory,
  type RouteComponent,
  type RouteRecordRaw,
  type RouterHistory,
} from 'vue-router'
import { useSessionStore, type PermissionNeed } from '../stores/session'
import { hiddenEntries, menuEntries, menuLeaves, routeAliases, visibleMenu } from './menu'
import { messages } from '../i18n/messages'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** Function permission required (see SessionUser.permissions); a list means any of them. */
    permission?: PermissionNeed
    title?: string
    /** Title of the menu group, for the breadcrumb. */
    group?: string
  }
}

/** The server serves the portal under this prefix and falls back to index.html below it. */
export const PORTAL_BASE = '/portal/'

type Lazy = () => Promise<RouteComponent>

/** Pages that exist; every other menu entry shows the placeholder of its module. */
const views: Record<string, Lazy> = {
  workbench: () => import('../views/WorkbenchView.vue'),
  profile: () => import('../views/profile/ProfileView.vue'),
  'system-org': () => import('../views/system/OrgView.vue'),
  'system-user': () => import('../views/system/UserView.vue'),
  'system-role': () => import('../views/system/RoleView.vue'),
  'system-delegation': () => import('../views/system/DelegationView.vue'),
  'system-online': () => import('../views/system/OnlineView.vue'),
  'system-audit': () => import('../views/system/AuditView.vue'),
  'system-apps': () => import('../views/system/AppsView.vue'),
  'datacenter-dictionary': () => import('../views/datacenter/DictionaryView.vue'),
  'datacenter-search': () => import('../views/datacenter/SearchView.vue'),
  'datacenter-person360': () => import('../views/datacenter/PersonView.vue'),
  'datacenter-unit360': () => import('../views/datacenter/UnitView.vue'),
  'datacenter-domain': () => import('../views/datacenter/DomainQueryView.vue'),
  'datacenter-jobs': () => import('../views/datacenter/JobsView.vue'),
  'datacenter-quarantine': () => import('../views/datacenter/QuarantineView.vue'),
  'datacenter-codemaps': () => import('../views/datacenter/CodeMapsView.vue'),
  'datacenter-quality': () => import('../views/datacenter/QualityView.vue'),
  'datacenter-conflicts': () => import('../views/datacenter/ConflictsView.vue'),
  'datacenter-exports': () => import('../views/datacenter/ExportsView.vue'),
  'analytics-pivot': () => import('../views/analytics/PivotView.vue'),
  'analytics-leader': () => import('../views/analytics/LeaderView.vue'),
  'analytics-domain': () => import('../views/analytics/DomainView.vue'),
  'analytics-views': () => import('../views/analytics/ViewsView.vue'),
  'analytics-screen': () => import('../views/analytics/ScreenConfigView.vue'),
}
const placeholder: Lazy = () => import('../views/ModulePlaceholderView.vue')

const pageRoutes: RouteRecordRaw[] = [...menuLeaves(), ...menuLeaves(hiddenEntries)].map(({ entry, parent }) => ({
  path: entry.path ?? entry.name,
  name: entry.name,
  component: views[entry.name] ?? placeholder,
  meta: { permission: entry.permission, title: entry.title, group: parent?.title },
}))

/**
 * A group's own path (e.g. /system) opens its first child the user may see.
 * beforeEnter runs after the global guard, so the session is known by then.
 */
const groupRoutes: RouteRecordRaw[] = menuEntries
  .filter((e) => e.children?.length)
  .map((group) => ({
    path: group.name,
    component: placeholder,
    beforeEnter: () => {
      const session = useSessionStore()
      const visible = visibleMenu([group], session.can)[0]?.children ?? []
      return visible.length ? { name: visible[0].name } : { name: 'forbidden' }
    },
  }))

const aliasRoutes: RouteRecordRaw[] = routeAliases.map((a) => ({ path: a.path, redirect: { name: a.to } }))

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
      ...pageRoutes,
      ...groupRoutes,
      ...aliasRoutes,
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
