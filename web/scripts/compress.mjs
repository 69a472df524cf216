#!/usr/bin/env node
// Writes <file>.gz next to every .js/.css/.html/.svg/.json file larger than
// 1 KiB under the given folder (default: dist), so the hrss server can answer
// `Accept-Encoding: gzip` with the pre-compressed file. Run after `vite build`.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join, extname, relative } from 'node:path'
import { gzipSync, constants } from 'node:zlib'

const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.map', '.txt'])
const MIN_BYTES = 1024

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(path)
    else if (entry.isFile()) yield path
  }
}

const root = process.argv[2] ?? 'dist'
try {
  await stat(root)
} catch {
  console.error(`compress: ${root} does not exist; run vite build first`)
  process.exit(1)
}

let count = 0
let before = 0
let after = 0
for await (const file of walk(root)) {
  const ext = extname(file)
  if (!COMPRESSIBLE.has(ext) || ext === '.map') continue
  const data = await readFile(file)
  if (data.length <= MIN_BYTES) continue
  const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION })
  await writeFile(`${file}.gz`, gz)
  count++
  before += data.length
  after += gz.length
}
const kib = (n) => (n / 1024).toFixed(1)
console.log(`compress: wrote ${count} .gz files under ${relative(process.cwd(), root) || '.'} (${kib(before)} KiB -> ${kib(after)} KiB)`)
