// Plays an HLS playlist in a <video>: hls.js where Media Source Extensions
// exist (Chromium, Firefox), the browser's own HLS otherwise (Safari, iOS).
// Errors come back as Chinese messages; network and media errors are retried.
import { messages } from '../i18n/messages'

const e = messages.video.errors

export interface StreamHandle {
  destroy(): void
}

export interface StreamCallbacks {
  onError: (message: string) => void
  onRecovered?: () => void
}

/** Chinese text for an hls.js error (type / details) or a media element error code. */
export function videoErrorText(kind: string, details = ''): string {
  switch (kind) {
    case 'networkError':
      return /manifest/i.test(details) ? e.manifest : e.network
    case 'mediaError':
      return e.media
    case 'unsupported':
      return e.unsupported
    case 'muxError':
      return e.mux
    case 'forbidden':
      return e.forbidden
    case '1':
      return e.aborted
    case '2':
      return e.mediaNetwork
    case '3':
      return e.decode
    case '4':
      return e.srcNotSupported
    default:
      return e.other
  }
}

export async function attachStream(video: HTMLVideoElement, url: string, cb: StreamCallbacks): Promise<StreamHandle> {
  const { default: Hls } = await import('hls.js')
  if (Hls.isSupported()) {
    const hls = new Hls({ enableWorker: true, lowLatencyMode: false, manifestLoadingMaxRetry: 2, levelLoadingMaxRetry: 2 })
    let retries = 0
    let retryTimer: ReturnType<typeof setTimeout> | null = null
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (!data.fatal) return
      const status = (data.response as { code?: number } | undefined)?.code
      if (status === 401 || status === 403) {
        cb.onError(videoErrorText('forbidden'))
        return
      }
      cb.onError(videoErrorText(data.type, data.details))
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && retries++ < 5) hls.recoverMediaError()
      else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
        retryTimer = setTimeout(() => hls.loadSource(url), Math.min(30_000, 2000 * 2 ** Math.min(retries++, 4)))
      }
    })
    hls.on(Hls.Events.FRAG_BUFFERED, () => {
      retries = 0
      cb.onRecovered?.()
    })
    hls.loadSource(url)
    hls.attachMedia(video)
    return {
      destroy() {
        if (retryTimer) clearTimeout(retryTimer)
        hls.destroy()
      },
    }
  }
  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    const onError = () => cb.onError(videoErrorText(String(video.error?.code ?? 0)))
    const onPlaying = () => cb.onRecovered?.()
    video.addEventListener('error', onError)
    video.addEventListener('playing', onPlaying)
    video.src = url
    return {
      destroy() {
        video.removeEventListener('error', onError)
        video.removeEventListener('playing', onPlaying)
        video.removeAttribute('src')
        video.load()
      },
    }
  }
  cb.onError(videoErrorText('unsupported'))
  return { destroy() {} }
}
