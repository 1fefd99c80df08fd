#!/usr/bin/env bash
# Installed-wheel smoke test: build the wheel, install it (not editable) into a fresh venv
# with its dependencies from PyPI, and use it from there as a newsroom would: the command,
# a store, an import of the samples, a check, an export and the window (offscreen).
# Usage: .ci/wheel-smoke.sh [PYTHON]   (default python3; PIP_CACHE_DIR is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
python=${1:-python3}
started=$SECONDS
work=$(mktemp -d -t wheel-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PIP_CACHE_DIR=${PIP_CACHE_DIR:-$HOME/.cache/pip}
export PIP_DISABLE_PIP_VERSION_CHECK=1

fail() { echo "wheel-smoke: FAILED: $*" >&2; exit 1; }
step() { echo "wheel-smoke: [$((SECONDS - started))s] $*"; }

step "building the wheel"
"$python" -m venv "$work/build-venv"
"$work/build-venv/bin/python" -m pip install --quiet "setuptools>=69" wheel
step "build tools installed"
# A build in a copy of the tree, so nothing (build/, *.egg-info) is left in the checkout.
mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard \
    | (cd "$repo" && xargs -0 cp --parents -t "$work/src" 2>/dev/null) || true
(cd "$work/src" && "$work/build-venv/bin/python" -m pip wheel --no-deps --no-build-isolation \
    -w "$work/dist" . >"$work/build.log" 2>&1) || { cat "$work/build.log"; fail "pip wheel"; }
if grep -iE "SetuptoolsDeprecationWarning|setuptools.*warning|UserWarning|_DeprecatedConfig" \
    "$work/build.log"; then
    fail "the wheel build printed setuptools warnings (above; full log: pip wheel -v)"
fi
wheel=$(ls "$work"/dist/newsroom_editor-*.whl) || fail "no newsroom_editor wheel was built"
"$work/build-venv/bin/python" -m zipfile -l "$wheel" >"$work/wheel.txt"
for needed in editor/resources/samples/ editor/resources/templates/article.html \
              editor/resources/css/article.css editor/resources/style/house.yml \
              editor/store/migrations/; do
    grep -q "$needed" "$work/wheel.txt" || fail "the wheel lacks $needed"
done
step "built $(basename "$wheel")"

step "installing it into a fresh venv (dependencies from PyPI, cache $PIP_CACHE_DIR)"
"$python" -m venv "$work/venv"
bin=$work/venv/bin
"$bin/python" -m pip install --quiet "$wheel" || fail "pip install of the wheel"
step "installed"

# From outside the checkout, so `editor` can only come from the wheel.
cd "$work"
"$bin/python" -c "import editor, sys; sys.exit(0 if '$work/venv' in editor.__file__ else 1)" \
    || fail "editor is not imported from the installed wheel"
store=$work/s.db
samples=$("$bin/python" -c "import editor.resources as r, os; print(os.path.dirname(r.__file__))")/samples

"$bin/newsroom" --help >/dev/null || fail "newsroom --help"
if "$bin/newsroom" init --help >/dev/null 2>&1; then
    "$bin/newsroom" --store "$store" init --admin ci || fail "newsroom init --admin ci"
else
    echo "wheel-smoke: note: this newsroom has no 'init'; using 'user add ci --role admin'"
    "$bin/newsroom" --store "$store" user add ci --role admin || fail "newsroom user add"
fi
"$bin/newsroom" --store "$store" --as ci user add ed --role editor || fail "newsroom user add ed"
"$bin/newsroom" --store "$store" --as ci import "$samples"/* || fail "newsroom import of the samples"
count=$("$bin/newsroom" --store "$store" --as ci list --json \
    | "$bin/python" -c "import json, sys; print(len(json.load(sys.stdin)))")
[ "$count" = 4 ] || fail "4 samples imported, the store lists $count"
slug=council-approves-40m-flood-defences-for-riverside-homes
set +e
"$bin/newsroom" --store "$store" --as ci check "$slug" >"$work/check.txt"
code=$?
set -e
[ "$code" -le 1 ] || { cat "$work/check.txt"; fail "newsroom check exited with $code"; }
"$bin/newsroom" --store "$store" --as ci status "$slug" --to submitted --note "wheel smoke" \
    || fail "newsroom status --to submitted"
"$bin/newsroom" --store "$store" --as ed status "$slug" --to approved \
    || fail "newsroom status --to approved (as the editor)"
"$bin/newsroom" --store "$store" --as ci export --all --out "$work/site" \
    || fail "newsroom export --all"
[ -f "$work/site/index.html" ] || fail "the export has no index.html"
find "$work/site" -path "*$slug*/index.html" | grep -q . || fail "the approved article's page"
[ -f "$work/site/assets/article.css" ] || ls -R "$work/site/assets" >/dev/null \
    || fail "the export has no assets"
step "command line: help, init, import, check, status, export all fine"

# The window, offscreen: still up after 12 s, then SIGTERM saves and closes it (exit 0).
QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox PYTHONFAULTHANDLER=1 \
    timeout 60 "$bin/newsroom" --store "$store" --as ci >"$work/gui.out" 2>"$work/gui.err" &
gui=$!
for _ in $(seq 24); do
    sleep 0.5
    kill -0 "$gui" 2>/dev/null || { cat "$work/gui.err"; fail "the window exited at once"; }
done
kill -TERM "$gui"
set +e
wait "$gui"
code=$?
set -e
if grep -E "Traceback|Fatal Python error|Segmentation fault" "$work/gui.err"; then
    fail "the window printed a traceback or crashed (above)"
fi
case $code in
    0) ;;  # SIGTERM closes the window as File > Quit does
    *) cat "$work/gui.err"; fail "the window exited with $code" ;;
esac
step "the window ran 12 s offscreen and closed cleanly on SIGTERM"
step "passed in $((SECONDS - started)) s"
