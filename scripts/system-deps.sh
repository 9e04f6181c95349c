#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real (chromium, prometheus, promtool,
# alertmanager, pre-commit) when they are missing: `npm run system-deps`, and the global set-up of the
# end-to-end tests (test/support/system-deps.ts) runs it too. A no-op when all are present.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ] || need+=(prometheus)
[ -x /usr/bin/prometheus-alertmanager ] || need+=(prometheus-alertmanager)
# The pre-commit framework, to run the README's pre-commit recipe for real (test/ci-recipes.test.ts).
command -v pre-commit >/dev/null || need+=(pre-commit)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "system-deps: missing ${need[*]}; install them with: apt-get install ${need[*]}" >&2
  exit 1
fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "system-deps: installing ${need[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
# The Debian packages start their own services where systemd runs; the tests start their own
# instances on loopback ports, so the packaged services are not needed.
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
