#!/bin/sh
# Refreshes the Qt Linguist catalogues from the sources of every ui library, the app's main and
# the model downloader, then reports how many messages each language still lacks.
#   translations/update.sh            update the .ts files in place
# Exit status 1 when a catalogue has unfinished messages.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
lupdate=${LUPDATE:-$(command -v lupdate6 || command -v lupdate || echo /usr/lib/qt6/bin/lupdate)}
[ -x "$lupdate" ] || lupdate=/usr/lib/qt6/bin/lupdate
sources=$(find "$root/ui" "$root/app/studio" -name '*.cpp' -o -name '*.h' | sort)
status=0
for ts in "$here"/medvae_studio_*.ts; do
    # shellcheck disable=SC2086
    "$lupdate" -silent -no-obsolete -locations none $sources "$root/core/jobs/model_downloader.cpp" -ts "$ts"
    total=$(grep -c '<message' "$ts" || true)
    unfinished=$(grep -c 'type="unfinished"' "$ts" || true)
    echo "$(basename "$ts"): $total messages, $unfinished unfinished"
    [ "$unfinished" -eq 0 ] || status=1
done
exit $status
