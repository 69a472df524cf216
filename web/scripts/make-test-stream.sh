#!/usr/bin/env bash
# Makes a local HLS test stream (a VOD playlist: 10 s of testsrc2 video and a
# sine tone, 2 s segments) for the command-center video panel and its e2e test.
# The picture carries a caption like a hall camera ("大竹县政务服务中心 大厅" by
# default) when a CJK font is installed; otherwise it is left without text.
#
#   web/scripts/make-test-stream.sh <out-dir> [caption] [seconds] [hue-shift-degrees]
#
# Writes <out-dir>/index.m3u8 and <out-dir>/seg_NNN.ts. Needs Debian's ffmpeg
# (scripts/bootstrap.sh installs it).
set -euo pipefail

out=${1:?usage: make-test-stream.sh <out-dir> [caption] [seconds] [hue]}
caption=${2:-大竹县政务服务中心 大厅}
seconds=${3:-10}
hue=${4:-0}
[[ $seconds =~ ^[0-9]+$ ]] && ((seconds >= 2 && seconds <= 600)) || { echo "seconds must be 2..600" >&2; exit 2; }
[[ $hue =~ ^-?[0-9]+$ ]] || { echo "hue must be an integer" >&2; exit 2; }
command -v ffmpeg >/dev/null || { echo "ffmpeg not found (run scripts/bootstrap.sh)" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/index.m3u8 "$out"/seg_*.ts

font=""
for f in /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
         /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc \
         /usr/share/fonts/truetype/wqy/wqy-microhei.ttc; do
  if [[ -f $f ]]; then font=$f; break; fi
done
if [[ -z $font ]] && command -v fc-match >/dev/null; then
  f=$(fc-match -f '%{file}' ':lang=zh-cn' 2>/dev/null || true)
  [[ -n $f && -f $f ]] && font=$f
fi

vf="hue=h=${hue}"
filters=$(ffmpeg -hide_banner -filters 2>/dev/null || true)
if [[ -n $font && $filters == *" drawtext "* ]]; then
  # drawtext reads the caption from a file, so no escaping of user text is needed.
  capfile=$(mktemp)
  trap 'rm -f "$capfile"' EXIT
  printf '%s' "$caption" > "$capfile"
  vf+=",drawtext=fontfile=${font}:textfile=${capfile}:fontcolor=white:fontsize=34:box=1:boxcolor=black@0.45:boxborderw=10:x=24:y=h-th-28"
else
  echo "make-test-stream: no CJK font or drawtext; the stream has no caption" >&2
fi

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=960x540:rate=25:duration=${seconds}" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=${seconds}" \
  -vf "$vf" \
  -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p -g 50 -keyint_min 50 -sc_threshold 0 \
  -c:a aac -b:a 64k -ac 2 \
  -f hls -hls_time 2 -hls_list_size 0 -hls_playlist_type vod \
  -hls_segment_filename "$out/seg_%03d.ts" "$out/index.m3u8"

echo "make-test-stream: wrote $out/index.m3u8 ($(ls "$out"/seg_*.ts | wc -l) segments)"
