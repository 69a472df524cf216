// Plays an HLS playlist in a <video>: hls.js where Media Source Extensions
// exist (Chromium, Firefox), the browser's own HLS otherwise (Safari, iOS).
// Errors come back as Chinese messages; network and media errors are retried.

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
      return /manifest/i.test(details) ? '视频流地址无法访问，正在重试…' : '视频流网络中断，正在重试…'
    case 'mediaError':
      return '视频解码出错，正在恢复…'
    case 'unsupported':
      return '当前浏览器不支持 HLS 视频播放'
    case 'muxError':
      return '视频流格式错误'
    case 'forbidden':
      return '没有权限观看该视频流'
    case '1':
      return '视频加载被中止'
    case '2':
      return '视频流网络错误'
    case '3':
      return '视频解码失败'
    case '4':
      return '视频格式不受支持或地址无效'
    default:
      return '视频无法播放'
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
