#!/usr/bin/python3
"""check_pages.py - loads course-book pages in headless Chromium from file://
and checks what a reader would see: no console error or uncaught exception,
every image decoded (naturalWidth > 0), every formula typeset by KaTeX (no
raw TeX left on the page), every contents-bar link landing on its section,
and every local link and image pointing at a file that exists.

Chromium is driven through its DevTools protocol over a websocket
(python3-websocket): no network, no npm.

Usage: check_pages.py [--screenshot OUT.png] [--dark OUT.png] PAGE.html...
  One line per page, "[ page OK ] PAGE" or "[ page FAILED ] PAGE: why";
  exit 0 when all pass, 1 when one fails, 2 when Chromium cannot be run.
  The screenshots are of the first page (1280x900, light and dark).
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

import websocket  # python3-websocket

TIMEOUT = 30.0  # seconds for one page to load and be checked

CHECK_JS = r"""
(() => {
  const out = {images: [], maths: 0, untypeset: [], rawtex: [], toc: [], toc_bad: [], links: []};
  for (const img of document.images)
    if (!img.complete || img.naturalWidth === 0) out.images.push(img.getAttribute('src'));
  for (const m of document.querySelectorAll('.math')) {
    out.maths++;
    if (!m.querySelector('.katex') || m.querySelector('.katex-error'))
      out.untypeset.push(m.textContent.slice(0, 80));
  }
  // TeX left as text anywhere outside code, outputs and KaTeX's own markup.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('pre, code, .katex, script, style')) continue;
    const t = n.nodeValue;
    if (/\\[a-zA-Z]{2,}|\$\$|\\\[|\\\(/.test(t)) out.rawtex.push(t.trim().slice(0, 80));
  }
  for (const a of document.querySelectorAll('nav.contents a[href^="#"]')) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    const target = document.getElementById(id);
    out.toc.push(id);
    if (!target) { out.toc_bad.push(id + ' (no such section)'); continue; }
    a.click();
    const top = target.getBoundingClientRect().top;
    const atEnd = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
    if (!(top >= -2 && top < 160) && !(atEnd && top >= 0 && top < window.innerHeight))
      out.toc_bad.push(id + ' (lands ' + Math.round(top) + 'px from the top)');
  }
  window.scrollTo(0, 0);
  for (const a of document.querySelectorAll('a[href]')) out.links.push(a.href);
  for (const i of document.querySelectorAll('img[src], link[href], script[src]'))
    out.links.push(i.src || i.href);
  return JSON.stringify(out);
})()
"""


class Browser:
    def __init__(self):
        exe = shutil.which('chromium') or shutil.which('chromium-browser')
        if not exe:
            raise RuntimeError('chromium is not installed (make deps installs it)')
        self.profile = tempfile.mkdtemp(prefix='book-chromium-')
        self.proc = subprocess.Popen(
            [exe, '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
             '--disable-extensions', '--disable-background-networking',
             '--remote-debugging-port=0', '--user-data-dir=' + self.profile,
             '--window-size=1280,900', 'about:blank'],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url, deadline = None, time.time() + TIMEOUT
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            m = re.search(r'DevTools listening on (ws://\S+)', line)
            if m:
                url = m.group(1)
                break
        if not url:
            self.close()
            raise RuntimeError('chromium did not open its DevTools port')
        self.ws = websocket.create_connection(url, timeout=TIMEOUT)
        self.next_id = 0
        self.events = []
        target = self.call('Target.createTarget', {'url': 'about:blank'})['targetId']
        self.session = self.call('Target.attachToTarget',
                                 {'targetId': target, 'flatten': True})['sessionId']
        for domain in ('Page', 'Runtime', 'Log'):
            self.call(domain + '.enable', session=True)
        self.call('Emulation.setDeviceMetricsOverride',
                  {'width': 1280, 'height': 900, 'deviceScaleFactor': 1, 'mobile': False},
                  session=True)

    def call(self, method, params=None, session=False):
        self.next_id += 1
        msg = {'id': self.next_id, 'method': method, 'params': params or {}}
        if session:
            msg['sessionId'] = self.session
        self.ws.send(json.dumps(msg))
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            reply = json.loads(self.ws.recv())
            if reply.get('id') == self.next_id:
                if 'error' in reply:
                    raise RuntimeError('%s: %s' % (method, reply['error'].get('message')))
                return reply.get('result', {})
            if 'method' in reply:
                self.events.append(reply)
        raise RuntimeError(method + ': no answer in %g s' % TIMEOUT)

    def wait_event(self, name):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e['method'] == name:
                    del self.events[i]
                    return e
            self.events.append(json.loads(self.ws.recv()))
        raise RuntimeError(name + ': not seen in %g s' % TIMEOUT)

    def close(self):
        try:
            self.proc.kill()
            self.proc.wait(timeout=10)
        except Exception:
            pass
        shutil.rmtree(self.profile, ignore_errors=True)


def console_errors(events):
    """The console errors, uncaught exceptions and failed loads among events."""
    errs = []
    for e in events:
        p = e.get('params', {})
        if e['method'] == 'Runtime.exceptionThrown':
            d = p.get('exceptionDetails', {})
            errs.append('exception: ' + (d.get('exception', {}).get('description')
                                         or d.get('text', '?')).split('\n')[0])
        elif e['method'] == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'assert'):
            errs.append('console.error: ' + ' '.join(
                str(a.get('value', a.get('description', ''))) for a in p.get('args', [])))
        elif e['method'] == 'Log.entryAdded' and p.get('entry', {}).get('level') == 'error':
            entry = p['entry']
            errs.append('log: %s %s' % (entry.get('text', ''), entry.get('url', '')))
    return errs


def check_page(b, path):
    url = 'file://' + urllib.parse.quote(os.path.abspath(path))
    b.events = []
    b.call('Page.navigate', {'url': url}, session=True)
    b.wait_event('Page.loadEventFired')
    time.sleep(0.2)  # late console messages of deferred scripts
    res = b.call('Runtime.evaluate', {'expression': CHECK_JS, 'returnByValue': True},
                 session=True)
    if 'exceptionDetails' in res:
        return ['the check itself failed: %s' % res['exceptionDetails'].get('text')]
    got = json.loads(res['result']['value'])
    why = console_errors(b.events)
    why += ['image not decoded: %s' % s for s in got['images']]
    why += ['formula not typeset: %s' % s for s in got['untypeset']]
    why += ['raw TeX on the page: %s' % s for s in got['rawtex']]
    why += ['contents link %s' % s for s in got['toc_bad']]
    for link in got['links']:
        u = urllib.parse.urlparse(link)
        if u.scheme == 'file' and not os.path.exists(urllib.parse.unquote(u.path)):
            why.append('link to a missing file: %s' % urllib.parse.unquote(u.path))
        elif u.scheme not in ('file', 'about', 'data', ''):
            why.append('link off the machine: %s' % link)
    if os.path.basename(path) == 'index.html' and 'contents' in open(path).read() \
            and not got['toc']:
        why.append('the contents bar has no links')
    return why


def screenshot(b, out, dark):
    b.call('Emulation.setEmulatedMedia', {'features': [
        {'name': 'prefers-color-scheme', 'value': 'dark' if dark else 'light'}]}, session=True)
    shot = b.call('Page.captureScreenshot', {'format': 'png'}, session=True)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, 'wb') as f:
        f.write(base64.b64decode(shot['data']))


def main(argv):
    shots = {}
    pages = []
    i = 0
    while i < len(argv):
        if argv[i] in ('--screenshot', '--dark') and i + 1 < len(argv):
            shots[argv[i]] = argv[i + 1]
            i += 2
        else:
            pages.append(argv[i])
            i += 1
    if not pages:
        print(__doc__.strip().split('\n\n')[-1], file=sys.stderr)
        return 2
    try:
        b = Browser()
    except Exception as e:  # noqa: BLE001 - one line for whatever stops chromium
        print('check_pages: cannot run chromium: %s' % e, file=sys.stderr)
        return 2
    failed = 0
    try:
        for k, page in enumerate(pages):
            try:
                why = check_page(b, page)
            except Exception as e:  # noqa: BLE001
                why = ['%s' % e]
            if why:
                failed += 1
                print('[ page FAILED ] %s: %s' % (page, '; '.join(why[:30])))
            else:
                print('[ page OK ] %s' % page)
            if k == 0:
                if '--screenshot' in shots:
                    screenshot(b, shots['--screenshot'], False)
                if '--dark' in shots:
                    screenshot(b, shots['--dark'], True)
                    b.call('Emulation.setEmulatedMedia', {'features': []}, session=True)
    finally:
        b.close()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
