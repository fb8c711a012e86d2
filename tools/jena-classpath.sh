#!/usr/bin/env bash
# Prints a Java classpath that runs Apache Jena's command classes (arq.rsparql, arq.sparql)
# from Debian's libapache-jena-java, for the endpoint tests. Debian ships no wrapper scripts.
#  - jars: Jena's own and those of the Debian packages it depends on;
#  - exactly one SLF4J binding (slf4j-nop), so Jena starts quietly;
#  - Debian relocated Jena's shaded Xerces classes to package `xerces.*` but left their message
#    bundles under org/apache/jena/ext/xerces/: a folder with those .properties files copied
#    to xerces/ is added, or startup fails in XSSimpleTypeDecl.
# Usage: tools/jena-classpath.sh [CACHE_DIR]   (default: build/jena)
set -euo pipefail
cache="${1:-build/jena}"
mkdir -p "$cache"
if [ ! -f "$cache/xerces/impl/msg/XMLMessages.properties" ] && [ ! -f "$cache/.done" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && unzip -q -o /usr/share/java/jena-core.jar 'org/apache/jena/ext/xerces/*.properties' 2>/dev/null || true)
  if [ -d "$tmp/org/apache/jena/ext/xerces" ]; then
    mkdir -p "$cache/xerces"
    cp -r "$tmp/org/apache/jena/ext/xerces/." "$cache/xerces/"
  fi
  rm -rf "$tmp"
  touch "$cache/.done"
fi
jars=()
for pkg in libapache-jena-java $(apt-cache depends libapache-jena-java 2>/dev/null | awk '/Depends:/ {print $2}'); do
  while IFS= read -r f; do
    case "$f" in
      /usr/share/java/*.jar) ;;
      *) continue ;;
    esac
    base=$(basename "$f")
    # one version of each jar (the unversioned link), and no SLF4J binding but nop
    [[ "$base" =~ -[0-9] ]] && continue
    case "$base" in slf4j-*) [ "$base" = "slf4j-api.jar" ] || [ "$base" = "slf4j-nop.jar" ] || continue ;; esac
    jars+=("$f")
  done < <(dpkg -L "$pkg" 2>/dev/null)
done
[ -f /usr/share/java/slf4j-nop.jar ] && jars+=(/usr/share/java/slf4j-nop.jar)
cp="$(cd "$cache" && pwd)"
for j in "${jars[@]}"; do cp="$cp:$j"; done
echo "$cp"
