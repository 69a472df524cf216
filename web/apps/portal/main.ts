import { createApp } from 'vue'
import { createPinia } from 'pinia'
import '@shared/styles/base.css'
import './styles/portal.css'
import App from './App.vue'
import { createPortalRouter } from './router'

const app = createApp(App)
app.use(createPinia())
app.use(createPortalRouter())
app.mount('#app')
