import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** A reactive "now" that ticks every `intervalMs` while the component is mounted. */
export function useClock(intervalMs = 1000): Ref<Date> {
  const now = ref(new Date())
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    now.value = new Date()
    timer = setInterval(() => (now.value = new Date()), intervalMs)
  })
  onBeforeUnmount(() => clearInterval(timer))
  return now
}

const pad = (n: number) => String(n).padStart(2, '0')

/** YYYY-MM-DD in local time (the displays run in Asia/Shanghai). */
export function formatDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** HH:mm:ss in local time. */
export function formatTime(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
