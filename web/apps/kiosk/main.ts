import { createApp } from 'vue'
import '@shared/styles/base.css'
import './kiosk.css'
import App from './App.vue'

// A shared terminal: no context menu (long press) over the UI.
window.addEventListener('contextmenu', (e) => e.preventDefault())

createApp(App).mount('#app')
