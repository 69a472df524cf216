import { createApp } from 'vue'
import '@shared/styles/base.css'
import App from './App.vue'

createApp(App).mount('#app')
