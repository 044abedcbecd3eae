#!/usr/bin/env bash
# The package test (`make package-test`, run by CI after `make test`): builds the Debian package
# with Tauri's bundler, installs it with apt as a user would, checks the desktop entry and the
# icons, opens the installed app from its desktop entry under Xvfb on a fresh home folder, finds
# its window and its database in the user's XDG data folder, then removes the package and checks
# that the user's data stayed.
#
# PROFILE=debug (the default here) bundles the test build's profile so CI does not compile
# everything a second time; the packaging under test is the same as `make package`'s.
set -euo pipefail
cd "$(dirname "$0")/../.."
PROFILE=${PROFILE:-debug}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
fail() { echo "package test FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }

work=$(mktemp -d)
display=:$((90 + RANDOM % 9))
cleanup() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "building the package ($PROFILE)"
flags=(--bundles deb --ci)
[ "$PROFILE" = debug ] && flags+=(--debug)
npx tauri build "${flags[@]}" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "tauri build failed"; }
deb=$(ls -t "target/$PROFILE/bundle/deb/"*.deb 2>/dev/null | head -1)
[ -f "$deb" ] || fail "no .deb in target/$PROFILE/bundle/deb"
echo "$deb"

step "control file"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
[ "$(dpkg-deb -f "$deb" Package)" = frontline ] || fail "package name is $(dpkg-deb -f "$deb" Package), not frontline"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version $(dpkg-deb -f "$deb" Version) is not Cargo.toml's $version"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3 libayatana-appindicator3-1; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done

step "installing with apt"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "./$deb" >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; fail "apt could not install $deb"; }
dpkg-query -W -f='${Status}\n' frontline | grep -q "install ok installed" || fail "dpkg does not list frontline as installed"
bin=$(command -v frontline) || fail "no frontline on PATH after install"
[ "$bin" = /usr/bin/frontline ] || fail "binary at $bin, expected /usr/bin/frontline"

step "every library the binary links comes with the package's dependencies"
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances frontline 2>/dev/null | grep -v '^ ' | sed 's/:amd64$//' | sort -u)
for lib in $(readelf -d /usr/bin/frontline | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'); do
  owner=$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$owner" ] || fail "no Debian package provides $lib"
  grep -qx "$owner" <<<"$closure" || fail "$lib comes from $owner, which the package does not depend on"
done

step "desktop entry and icons"
entry=$(dpkg -L frontline | grep '^/usr/share/applications/.*\.desktop$' | head -1)
[ -n "$entry" ] || fail "no desktop entry in /usr/share/applications"
desktop-file-validate "$entry" || fail "desktop-file-validate rejects $entry"
grep -q '^Exec=frontline' "$entry" || fail "desktop entry does not start frontline: $(grep ^Exec "$entry")"
icon=$(sed -n 's/^Icon=//p' "$entry")
dpkg -L frontline | grep -q "^/usr/share/icons/hicolor/.*/apps/$icon\.png$" \
  || fail "no $icon.png in the hicolor theme: $(dpkg -L frontline | grep icons || true)"

step "opening the installed app from its desktop entry (fresh home folder)"
home="$work/home"
mkdir -p "$home"
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 100); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
(
  cd /
  exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$home" DISPLAY="$display" NO_AT_BRIDGE=1 \
    dbus-run-session -- gio launch "$entry"
) >"$work/app.log" 2>&1 &
app_pid=$!
data="$home/.local/share/frontline"
# A window named Frontline that answers for its WM_CLASS (GTK may map and drop a transient one
# first: a window found can be gone by the time it is asked).
waited=0 wm_class=""
until [ -n "$wm_class" ]; do
  for window in $(DISPLAY=$display xdotool search --name '^Frontline$' 2>/dev/null); do
    wm_class=$(DISPLAY=$display xprop -id "$window" WM_CLASS 2>/dev/null) && break || wm_class=""
  done
  [ -n "$wm_class" ] && break
  sleep 0.2; waited=$((waited + 1))
  [ $waited -lt 600 ] || { cat "$work/app.log"; fail "no Frontline window within 120 s"; }
done
startup_class=$(sed -n 's/^StartupWMClass=//p' "$entry")
grep -q "\"$startup_class\"" <<<"$wm_class" \
  || fail "the window's $wm_class does not match the entry's StartupWMClass=$startup_class (the dock would show two icons)"
echo "window found ($wm_class)"
until grep -qs "queue painted" "$data"/logs/*; do
  sleep 0.2; waited=$((waited + 1))
  [ $waited -lt 900 ] || { cat "$work/app.log" "$data"/logs/* 2>/dev/null; fail "the queue never painted"; }
done
[ -s "$data/frontline.db" ] || fail "no database in the XDG data folder $data"
[ ! -e /usr/bin/frontline.db ] && [ ! -e /usr/lib/frontline/frontline.db ] || fail "data written beside the binary"
echo "queue painted; database at $data/frontline.db"
pkill -f '^/usr/bin/frontline|^frontline' || true
kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true

step "removing the package"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq frontline >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; fail "apt could not remove frontline"; }
[ ! -e /usr/bin/frontline ] || fail "/usr/bin/frontline is still there after apt remove"
[ -s "$data/frontline.db" ] || fail "apt remove took the user's database"
echo "package test passed"
