import { createRouter, createWebHistory, type RouterHistory } from 'vue-router'
import { messages } from '../i18n/messages'

/** The server serves the mobile app under this prefix with SPA fallback. */
export const MOBILE_BASE = '/m/'

export function createMobileRouter(history: RouterHistory = createWebHistory(MOBILE_BASE)) {
  const router = createRouter({
    history,
    routes: [
      { path: '/', name: 'home', component: () => import('../views/HomeView.vue'), meta: { title: messages.tabs.home } },
      { path: '/services', name: 'services', component: () => import('../views/ServicesView.vue'), meta: { title: messages.tabs.services } },
      { path: '/query', name: 'query', component: () => import('../views/QueryView.vue'), meta: { title: messages.tabs.query } },
      { path: '/me', name: 'me', component: () => import('../views/MeView.vue'), meta: { title: messages.tabs.me } },
      { path: '/:pathMatch(.*)*', redirect: { name: 'home' } },
    ],
  })
  router.afterEach((to) => {
    document.title = to.name === 'home' ? messages.document.title : `${String(to.meta.title ?? '')} - ${messages.document.title}`
  })
  return router
}
