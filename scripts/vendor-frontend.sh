#!/usr/bin/env bash
# Re-vendors the front-end files from the npm registry (no build step at run time).
# govuk-frontend: its built CSS and ES-module JS, with the GDS Transport @font-face rules
# removed (that font is reserved for GOV.UK; the CSS falls back to Arial/sans-serif).
# axe-core: used only by the accessibility tests.
set -euo pipefail
GOVUK=${GOVUK:-6.6.0}
AXE=${AXE:-4.14.1}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "govuk-frontend@$GOVUK" "axe-core@$AXE" >/dev/null
mkdir govuk axe
tar xzf "govuk-frontend-$GOVUK.tgz" -C govuk
tar xzf "axe-core-$AXE.tgz" -C axe
dest="$top/flourish/core/static/vendor/govuk-frontend"
mkdir -p "$dest"
python3 - "govuk/package/dist/govuk/govuk-frontend.min.css" "$dest/govuk-frontend.min.css" <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"@font-face\{font-family:GDS Transport;[^}]*\}", "", css)
css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
open(sys.argv[2], "w", encoding="utf-8").write(css)
PY
sed "s@//# sourceMappingURL=.*@@" govuk/package/dist/govuk/govuk-frontend.min.js > "$dest/govuk-frontend.min.js"
# The npm package ships no LICENSE file; record the licence its package.json declares.
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(p["name"], p["version"], "licence:", p["license"], "(c) Crown copyright, https://github.com/alphagov/govuk-frontend")' govuk/package/package.json > "$dest/LICENSE.txt"
echo "$GOVUK" > "$dest/VERSION"
cp axe/package/axe.min.js "$top/flourish/testing/axe.min.js"
cp axe/package/LICENSE "$top/flourish/testing/axe-LICENSE"
echo "$AXE" > "$top/flourish/testing/axe-VERSION"
echo "vendored govuk-frontend $GOVUK and axe-core $AXE"
