#!/usr/bin/env bash
# The command center's demo video streams: four local HLS test streams (one
# per camera of the default screen configuration) under <media-dir>, made
# once with ffmpeg (web/scripts/make-test-stream.sh). Existing streams are kept.
#
#   scripts/demo-media.sh <media-dir> [seconds]
set -euo pipefail
media=${1:?usage: demo-media.sh <media-dir> [seconds]}
seconds=${2:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
make_stream() {  # id caption hue
  [[ -f "$media/$1/index.m3u8" ]] && return 0
  "$here/web/scripts/make-test-stream.sh" "$media/$1" "$2" "$seconds" "$3" >/dev/null 2>&1
}
make_stream hall '县政务服务中心 人社大厅' 0
make_stream window '县政务服务中心 社保窗口' 90
make_stream zhuyang '竹阳街道便民中心 服务区' 180
make_stream selfservice '县政务服务中心 自助服务区' 270
