#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-render.py HTML_DIR PAGE...
#
# Renders each PAGE of the generated reference in headless Chromium, 1280 px
# wide, and fails when content is clipped: the page is wider than the
# window (a horizontal scroll bar, as a too-wide table makes), or a code
# listing, table or table cell is narrower than what it holds. A screenshot
# of each page is left in render/ next to HTML_DIR, to be looked at.
# Exits with 77 (skipped) without Chromium.
#
# The measure is taken by a script added to a copy of each page, which
# writes its result into the page once the layout is done; Chromium's
# --dump-dom prints that page.
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

WIDTH, HEIGHT = 1280, 900

MEASURE = '''<script>
window.addEventListener('load', function () {
  var root = document.documentElement;
  var result = {width: window.innerWidth, viewport: root.clientWidth,
                scrollWidth: root.scrollWidth, clipped: []};
  var boxes = document.querySelectorAll('pre, table, td, th');
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    if (box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1) {
      var text = box.textContent.replace(/\\s+/g, ' ').trim();
      result.clipped.push(box.tagName.toLowerCase() + ' (' + box.clientWidth +
                          ' px showing ' + box.scrollWidth + ' px): ' +
                          text.substring(0, 60));
    }
  }
  var out = document.createElement('pre');
  out.id = 'render-check-result';
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
});
</script>
'''


def find_chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_run(chromium, profile, args):
    command = [chromium, '--headless', '--disable-gpu', '--no-sandbox',
               '--user-data-dir=' + profile, '--no-first-run',
               '--window-size={},{}'.format(WIDTH, HEIGHT)] + args
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=90)


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: check-render.py HTML_DIR PAGE...')
    html_dir = os.path.realpath(sys.argv[1])
    pages = sys.argv[2:]
    chromium = find_chromium()
    if chromium is None:
        print('SKIP: no Chromium (Debian: the chromium package)')
        return 77

    shots = os.path.join(os.path.dirname(html_dir), 'render')
    os.makedirs(shots, exist_ok=True)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, 'html')
        shutil.copytree(html_dir, copy)
        profile = os.path.join(tmp, 'profile')
        for page in pages:
            path = os.path.join(copy, page)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            if '</body>' not in text:
                print('{}: no </body>'.format(page))
                failed = True
                continue

            # The picture, of the page as it is.
            shot = os.path.join(shots, re.sub(r'\.html$', '', page) + '.png')
            proc = chromium_run(chromium, profile,
                                ['--screenshot=' + shot, 'file://' + path])
            if proc.returncode != 0 or not os.path.isfile(shot):
                print('{}: no screenshot:\n{}'.format(page, proc.stderr[-2000:]))
                failed = True

            # The measure, of a copy with the script.
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text.replace('</body>', MEASURE + '</body>', 1))
            proc = chromium_run(chromium, profile,
                                ['--run-all-compositor-stages-before-draw',
                                 '--virtual-time-budget=5000',
                                 '--dump-dom', 'file://' + path])
            m = re.search(r'<pre id="render-check-result">(.*?)</pre>', proc.stdout, re.S)
            if not m:
                print('{}: Chromium gave no measure (exit {}):\n{}'.format(
                    page, proc.returncode, proc.stderr[-2000:]))
                failed = True
                continue
            result = json.loads(html.unescape(m.group(1)))
            problems = []
            if result['width'] != WIDTH:
                problems.append('rendered {} px wide, not {}'.format(result['width'], WIDTH))
            if result['scrollWidth'] > result['viewport']:
                problems.append('the page is {} px wide, wider than the window ({} px)'.format(
                    result['scrollWidth'], result['viewport']))
            problems += ['clipped ' + c for c in result['clipped']]
            for problem in problems:
                print('{}: {}'.format(page, problem))
            print('{}: {} at {} px{}; screenshot {}'.format(
                page, 'FAIL' if problems else 'ok', result['width'],
                '' if problems else ', nothing clipped', shot))
            failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
