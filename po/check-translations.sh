#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Fails when a translation falls behind the sources:
#   - a file under hopscotch/ marks messages with _() or N_() but is not
#     listed in po/POTFILES.in;
#   - a language of po/LINGUAS has no .po file;
#   - a message of the sources is missing from a .po file, or is fuzzy or
#     untranslated there, or its format specifiers do not match.
#
# The template is extracted afresh into a temporary file (with the keywords
# of meson's 'glib' preset), so the source tree is left untouched.
#
# usage: check-translations.sh SOURCE_ROOT
set -eu

srcdir=$1
po="$srcdir/po"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$po/POTFILES.in" | sort -u >"$tmp/listed"
(cd "$srcdir" && grep -rlE --include='*.c' --include='*.h' --include='*.py' '(^|[^[:alnum:]_])N?_ ?\("' hopscotch) |
  sort -u >"$tmp/marked"
for f in $(comm -23 "$tmp/marked" "$tmp/listed"); do
  echo "po/POTFILES.in: $f has translatable messages but is not listed" >&2
  status=1
done
for f in $(cat "$tmp/listed"); do
  [ -f "$srcdir/$f" ] || { echo "po/POTFILES.in: $f does not exist" >&2; status=1; }
done
[ $status = 0 ] || exit 1

xgettext --directory="$srcdir" --files-from="$tmp/listed" --output="$tmp/template.pot" \
  --from-code=UTF-8 --add-comments --package-name=hopscotch-1 \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_set_error:4:c-format --flag=g_prefix_error:2:c-format \
  --flag=g_propagate_prefixed_error:3:c-format --flag=g_strdup_printf:1:c-format
total=$(grep -c '^msgid ' "$tmp/template.pot")
total=$((total - 1))

for lang in $(sed -e 's/#.*//' "$po/LINGUAS"); do
  file="$po/$lang.po"
  if [ ! -f "$file" ]; then
    echo "po/LINGUAS: $lang is listed but po/$lang.po does not exist" >&2
    status=1
    continue
  fi
  # Every message of the template, translated and not fuzzy.
  if ! msgcmp "$file" "$tmp/template.pot" >"$tmp/msgcmp.log" 2>&1; then
    cat "$tmp/msgcmp.log" >&2
    echo "po/$lang.po: messages missing (see above)" >&2
    status=1
  fi
  # Format specifiers and header; then no fuzzy or untranslated message,
  # also among those the sources no longer use.
  if ! stats=$(LC_ALL=C msgfmt --check --statistics --output-file=/dev/null "$file" 2>&1); then
    echo "$stats" >&2
    status=1
  elif echo "$stats" | grep -Eq 'fuzzy|untranslated'; then
    echo "po/$lang.po: $stats" >&2
    status=1
  fi
  [ $status = 0 ] && echo "po/$lang.po: all $total messages translated"
done

exit $status
