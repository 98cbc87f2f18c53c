#!/usr/bin/env bash
# Installs what the report and browser tests drive, when missing: Debian's poppler-utils
# (pdftotext, pdftoppm: the report tests read the PDFs back), chromium (the web UI tests run
# it headless) and fonts-noto-cjk (a Chinese font for chromium: without one the zh-CN pages
# render as boxes in the screenshots; the PDF reports embed their own font). Needs root (or sudo) and apt-get on a machine that lacks them; a machine that has
# them needs neither. Prints the chromium path for PIAFLOW_CHROMIUM.
set -euo pipefail
exec 3>&1 1>&2

have() { command -v "$1" >/dev/null 2>&1; }
pkgs=()
have pdftotext && have pdftoppm || pkgs+=(poppler-utils)
chrome=""
for c in chromium chromium-browser google-chrome; do
	if have "$c"; then chrome=$(command -v "$c"); break; fi
done
[ -n "$chrome" ] || pkgs+=(chromium)
# fc-list comes with fontconfig, which chromium pulls in; without it no CJK font is known either.
if ! have fc-list || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
	pkgs+=(fonts-noto-cjk)
fi

if [ ${#pkgs[@]} -gt 0 ]; then
	echo "test-tools.sh: installing ${pkgs[*]} with apt-get"
	as_root=()
	if [ "$(id -u)" -ne 0 ]; then
		have sudo || { echo "test-tools.sh: need root or sudo to install ${pkgs[*]}" >&2; exit 1; }
		as_root=(sudo)
	fi
	have apt-get || { echo "test-tools.sh: ${pkgs[*]} missing and no apt-get to install them" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	"${as_root[@]}" apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null ||
		{ "${as_root[@]}" apt-get update >/dev/null && "${as_root[@]}" apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null; }
	[ -n "$chrome" ] || chrome=$(command -v chromium)
fi
echo "$chrome" >&3
