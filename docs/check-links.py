#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-links.py HTML_DIR [GTK_DOC_HTML_DIR]
#
# Checks the links of the generated reference: every href and src of every
# page names a file that exists, and every #anchor an id (or <a name>) of
# that page. Links to http(s) and mailto are not followed. Links that leave
# HTML_DIR go to another gtk-doc module installed next to this one
# (../gobject/…, as gtkdoc-fixxref writes them): they are looked up in
# GTK_DOC_HTML_DIR (where GLib's references are) when it is given.
import html.parser
import os
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get('id'):
            self.anchors.add(attrs['id'])
        if tag == 'a' and attrs.get('name'):
            self.anchors.add(attrs['name'])
        for name in ('href', 'src'):
            if attrs.get(name) is not None:
                self.links.append((self.getpos()[0], attrs[name]))


pages = {}


def parse(path):
    if path not in pages:
        page = Page()
        with open(path, encoding='utf-8', errors='replace') as f:
            page.feed(f.read())
        pages[path] = page
    return pages[path]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit('usage: check-links.py HTML_DIR [GTK_DOC_HTML_DIR]')
    root = os.path.realpath(sys.argv[1])
    others = os.path.realpath(sys.argv[2]) if len(sys.argv) == 3 else None
    files = sorted(f for f in os.listdir(root) if f.endswith('.html'))
    if not files:
        sys.exit('no HTML in ' + root)

    broken = []
    checked = 0
    for name in files:
        path = os.path.join(root, name)
        for line, link in parse(path).links:
            url = urllib.parse.urlsplit(link)
            if url.scheme or url.netloc:
                if url.scheme not in ('http', 'https', 'mailto', 'ftp'):
                    broken.append((name, line, link, 'unknown scheme'))
                continue
            target = path
            if url.path:
                target = os.path.normpath(os.path.join(root, urllib.parse.unquote(url.path)))
                if not target.startswith(root + os.sep):
                    if others is None:
                        continue
                    # ../module/page.html: another module's reference.
                    target = os.path.normpath(os.path.join(others, os.path.relpath(target, os.path.dirname(root))))
                if not os.path.isfile(target):
                    broken.append((name, line, link, 'no such file'))
                    continue
            checked += 1
            if url.fragment and target.endswith('.html'):
                if urllib.parse.unquote(url.fragment) not in parse(target).anchors:
                    broken.append((name, line, link, 'no such anchor'))

    for name, line, link, why in broken:
        print('{}:{}: {}: {}'.format(name, line, link, why))
    print('{} pages, {} local links, {} broken'.format(len(files), checked, len(broken)))
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main())
