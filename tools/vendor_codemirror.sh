#!/bin/sh
# Vendor CodeMirror 5 (MIT) into loader/privacykg/static/vendor/codemirror/ from the npm registry:
# the core, the SPARQL mode and the hint addon, with the package's LICENSE. Run from the repository
# root; npm checks the tarball against the registry's sha512 integrity, written to the README.
set -eu
VERSION=${1:-5.65.21}
DEST=loader/privacykg/static/vendor/codemirror
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "codemirror@$VERSION" >/dev/null && tar xzf "codemirror-$VERSION.tgz")
INTEGRITY=$(npm view "codemirror@$VERSION" dist.integrity)
mkdir -p "$DEST"
P="$TMP/package"
cp "$P/LICENSE" "$P/lib/codemirror.js" "$P/lib/codemirror.css" "$P/mode/sparql/sparql.js" \
   "$P/addon/hint/show-hint.js" "$P/addon/hint/show-hint.css" "$DEST/"
cat > "$DEST/README" <<END
CodeMirror $VERSION (MIT, see LICENSE), from the npm package codemirror@$VERSION
integrity $INTEGRITY
Files: lib/codemirror.js, lib/codemirror.css, mode/sparql/sparql.js, addon/hint/show-hint.js,
addon/hint/show-hint.css, copied unchanged by tools/vendor_codemirror.sh.
END
