#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Hopscotch Documents: a GTK 4 application whose windows get their services
from a registry.

* The application registry (docservices.AppRegistry) holds the services:
  a Formatter, a LetterFormatter for the Letter context, the Presenter.
* Each window has a child registry of its own, whose context is the
  window's document; the window gets its Presenter there, with the document,
  the best Formatter for it and a StatusItem, when there is one, injected.
* The "Word count" button loads a plugin (plugins/wordcount.py) at run time:
  it declares a registry function for the application registry's key, which
  runs at once and registers a StatusItem; the windows ask their registries
  again and show it. Pressing the button again unloads the plugin's owner,
  which removes the registration.

Run it from a build directory with

    PYTHONPATH=hopscotch/pygobject GI_TYPELIB_PATH=hopscotch \\
        LD_LIBRARY_PATH=hopscotch python3 ../examples/gtk/documents.py

With --self-test it opens its windows, checks through the widget tree of
each mapped window that the injected content is shown, loads and unloads
the plugin checking again, prints what it saw, closes its windows and exits
with status 0 when everything was as expected (1 otherwise).
"""

import importlib
import os
import sys

import gi

gi.require_version('Gtk', '4.0')
gi.require_version('Hs', '1')
from gi.repository import Gio, GLib, Gtk, Hs  # noqa: E402

from docservices import AppRegistry, Letter, Note, Presenter  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'plugins'))

PLUGIN = 'wordcount'
PLUGIN_OWNER = 'documents-plugin:' + PLUGIN


def documents():
    return [
        Note(title='Shopping list', text='Eggs, milk and bread'),
        Letter(title='Hello again', recipient='Marie',
               text='Chère Marie, merci pour ta lettre.'),
    ]


class DocumentWindow(Gtk.ApplicationWindow):

    def __init__(self, application, document):
        super().__init__(application=application, title=document.props.title,
                         default_width=420, default_height=200)
        self.document = document
        # One child registry per window, with the window's document as its
        # context: what the window gets from it is chosen for that document.
        self.registry = Hs.Registry(parent=application.registry, context=document)

        header = Gtk.HeaderBar()
        header.pack_start(Gtk.ToggleButton(label='Word count',
                                           action_name='app.word-count'))
        self.set_titlebar(header)

        self.heading = Gtk.Label(xalign=0, css_classes=['title-2'])
        self.body = Gtk.Label(xalign=0, wrap=True)
        self.status = Gtk.Label(xalign=0, css_classes=['dim-label'])
        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=12,
                      margin_top=18, margin_bottom=18, margin_start=18, margin_end=18)
        for label in (self.heading, self.body, self.status):
            box.append(label)
        self.set_child(box)
        self.refresh()

    def refresh(self):
        """Gets a presenter from the window's registry: what plugins
        registered since the last time shows up."""
        presenter = self.registry.get(Presenter)
        self.heading.set_label(presenter.heading())
        self.body.set_label(presenter.props.document.props.text)
        self.status.set_label(presenter.status_line())


class DocumentsApplication(Gtk.Application):

    def __init__(self, self_test=False):
        super().__init__(application_id='org.gnome.Hopscotch.Documents',
                         flags=Gio.ApplicationFlags.NON_UNIQUE)
        self.self_test = self_test
        self.failures = 0
        self.registry = AppRegistry.get_default()
        self.manager = Hs.RegistryManager.get_default()

        action = Gio.SimpleAction.new_stateful('word-count', None,
                                               GLib.Variant.new_boolean(False))
        action.connect('change-state', self.on_word_count)
        self.add_action(action)

    def do_activate(self):
        for document in documents():
            DocumentWindow(self, document).present()
        if self.self_test:
            SelfTest(self).start()

    def on_word_count(self, action, state):
        if state.get_boolean():
            # Loading the plugin declares its registry function, which runs
            # at once: the application registry is subscribed already.
            plugin = importlib.import_module(PLUGIN)
            plugin.hopscotch_plugin(self.manager, PLUGIN_OWNER)
        else:
            self.manager.unload_owner(PLUGIN_OWNER)
        action.set_state(state)
        for window in self.get_windows():
            window.refresh()


def labels(widget):
    """The Gtk.Labels below *widget*, in widget-tree order."""
    found = []
    child = widget.get_first_child()
    while child is not None:
        if isinstance(child, Gtk.Label):
            found.append(child)
        found.extend(labels(child))
        child = child.get_next_sibling()
    return found


class SelfTest:
    """Drives the application from its main loop, and checks what its
    mapped windows show."""

    EXPECTED = {
        False: {'Shopping list': ['Note: Shopping list', 'Eggs, milk and bread',
                                  'No status plugin'],
                'Hello again': ['Letter to Marie: Hello again',
                                'Chère Marie, merci pour ta lettre.', 'No status plugin']},
        True: {'Shopping list': ['Note: Shopping list', 'Eggs, milk and bread', 'Words: 4'],
               'Hello again': ['Letter to Marie: Hello again',
                               'Chère Marie, merci pour ta lettre.', 'Words: 6']},
    }

    def __init__(self, application):
        self.app = application
        self.steps = self.run()

    def start(self):
        self.app.hold()  # until the test is over, whatever the windows do
        GLib.timeout_add_seconds(30, self.give_up)
        GLib.timeout_add(20, self.next_step)

    def next_step(self):
        try:
            next(self.steps)
        except StopIteration:
            self.app.release()
            return GLib.SOURCE_REMOVE
        return GLib.SOURCE_CONTINUE

    def give_up(self):
        print('self-test: timed out (are the windows ever mapped?)')
        self.app.failures += 1
        self.app.quit()
        return GLib.SOURCE_REMOVE

    def windows(self):
        return sorted(self.app.get_windows(), key=lambda w: w.get_title())

    def check(self, plugin):
        """Yields until every window is mapped, then compares the texts of
        its mapped labels with the expected ones."""
        while not all(window.get_mapped() for window in self.app.get_windows()):
            yield
        for window in self.windows():
            texts = [label.get_label() for label in labels(window.get_child())
                     if label.get_mapped()]
            expected = self.EXPECTED[plugin][window.get_title()]
            verdict = 'ok' if texts == expected else f'FAILED, expected {expected}'
            if texts != expected:
                self.app.failures += 1
            print(f'window “{window.get_title()}”: {" | ".join(texts)}: {verdict}')

    def run(self):
        yield from self.check(plugin=False)

        self.app.change_action_state('word-count', GLib.Variant.new_boolean(True))
        print(f'plugin {PLUGIN} loaded')
        yield from self.check(plugin=True)

        self.app.change_action_state('word-count', GLib.Variant.new_boolean(False))
        print(f'plugin {PLUGIN} unloaded')
        yield from self.check(plugin=False)

        for window in self.app.get_windows():
            window.close()
        print('self-test: ' + ('passed' if self.app.failures == 0 else 'FAILED'))


def main(argv):
    self_test = '--self-test' in argv
    argv = [arg for arg in argv if arg != '--self-test']
    app = DocumentsApplication(self_test=self_test)
    status = app.run(argv)
    if self_test and app.failures:
        return 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv))
