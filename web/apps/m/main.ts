import { createApp } from 'vue'
import '@shared/styles/base.css'
import 'vant/es/toast/style'
import App from './App.vue'
import { createMobileRouter } from './router'

createApp(App).use(createMobileRouter()).mount('#app')
