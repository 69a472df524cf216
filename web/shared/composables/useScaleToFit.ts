import { onBeforeUnmount, onMounted, ref } from 'vue'

/**
 * For fixed-size display layouts (hall display, big screen): returns a CSS
 * transform that scales a `width`×`height` stage to fit the window, keeping
 * its aspect ratio, so the 1920×1080 design looks the same on any panel.
 */
export function useScaleToFit(width: number, height: number) {
  const scale = ref(1)
  const update = () => {
    scale.value = Math.min(window.innerWidth / width, window.innerHeight / height)
  }
  onMounted(() => {
    update()
    window.addEventListener('resize', update)
  })
  onBeforeUnmount(() => window.removeEventListener('resize', update))
  return scale
}
