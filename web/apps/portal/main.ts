import { createApp } from 'vue'
import { createPinia } from 'pinia'
import '@shared/styles/base.css'
import './styles/portal.css'
import App from './App.vue'
import { createPortalRouter } from './router'
import { installAuthHooks } from './stores/reauth'

const app = createApp(App)
const pinia = createPinia()
const router = createPortalRouter()
app.use(pinia)
app.use(router)
installAuthHooks(pinia, router)
app.mount('#app')
