// The server sends the TOTP QR code as SVG markup. It is shown through
// <img src="data:image/svg+xml;base64,...">: an image context never runs
// scripts or loads external resources, so the markup cannot inject anything.

/** UTF-8-safe base64 of a string. */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** An <img> source for the QR code: raw SVG markup, or an image data URI as it is. */
export function qrImageSrc(qrSvg: string): string {
  const s = (qrSvg ?? '').trim()
  if (/^data:image\/(svg\+xml|png)[;,]/i.test(s)) return s
  return `data:image/svg+xml;base64,${base64Utf8(s)}`
}

/** The secret in groups of four for reading and typing: "JBSW Y3DP EHPK 3PXP". */
export function groupSecret(secret: string): string {
  return (secret ?? '').replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ')
}
