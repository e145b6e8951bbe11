#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Widgets and windows from Python: built and injected through registries,
owned by the caller, and the HsGtk companion with a Gtk.Template widget.
Runs under Xvfb (real windows), with criticals fatal."""

import gc
import sys
import unittest

import gi

gi.require_version('Gtk', '4.0')
gi.require_version('Hs', '1')
gi.require_version('HsGtk', '1')
from gi.repository import GLib, GObject, Gtk, Hs, HsGtk  # noqa: E402

# Before any widget class is made.
Gtk.init()


class Service(GObject.Object):
    name = GObject.Property(type=str, default='default service')


class ServiceWindow(Gtk.ApplicationWindow):
    """A window whose dependency is a property the class declares."""
    service = GObject.Property(type=Service)


class ServiceBox(Gtk.Box):
    service = GObject.Property(type=Service)


class PlainBox(Gtk.Box):
    """Nothing of its own: registered with the kind omitted, it answers for
    Gtk.Widget."""


TEMPLATE = b'''
<interface>
  <template class="StatusPanel" parent="GtkBox">
    <child><object class="GtkLabel" id="label"/></child>
  </template>
</interface>
'''


@Gtk.Template(string=TEMPLATE)
class StatusPanel(Gtk.Box):
    __gtype_name__ = 'StatusPanel'
    label = Gtk.Template.Child()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.injected = 0
        self.connect('notify::service', self._on_service)
        HsGtk.widget_inject_when_rooted(self)

    service = GObject.Property(type=Service)

    def _on_service(self, *args):
        self.injected += 1
        self.label.set_text(self.props.service.props.name if self.props.service else '')


# Mark the template widget's dependency: it is built by GtkBuilder, never
# registered, so nothing else would.
Hs.apply_injections(StatusPanel)


def iterate():
    context = GLib.MainContext.default()
    while context.iteration(False):
        pass


class TestWidgets(unittest.TestCase):

    def test_window_with_the_kind_omitted(self):
        registry = Hs.Registry()
        service = Service(name='the service')
        registry.register(service)
        registry.register(ServiceWindow)
        registry.register(PlainBox)
        window = registry.get(Gtk.Window)
        self.assertIsInstance(window, ServiceWindow)
        self.assertIs(window.props.service, service)
        # GTK's own properties are not injected: no cycle, no stray child.
        self.assertIsNone(window.get_child())
        self.assertIsNone(window.get_titlebar())
        self.assertIsNone(window.get_default_widget())
        self.assertIsNone(window.get_focus())
        self.assertIsNone(window.get_transient_for())
        window.present()
        iterate()
        # The caller owns a reference besides GTK's toplevel one.
        self.assertEqual(window.__grefcount__, 2)
        window.destroy()
        iterate()
        self.assertEqual(window.__grefcount__, 1)
        self.assertIs(window.props.service, service)

    def test_widget_subclass_alive_and_owned(self):
        registry = Hs.Registry()
        service = Service(name='boxed')
        registry.register(service)
        registry.register(ServiceBox, kind=Gtk.Widget)
        boxes = [registry.get(Gtk.Widget) for _ in range(20)]
        gc.collect()
        for box in boxes:
            self.assertIsInstance(box, ServiceBox)
            self.assertFalse(box.is_floating())
            self.assertEqual(box.__grefcount__, 1)
            self.assertIs(box.props.service, service)
        window = Gtk.Window()
        window.set_child(boxes[0])
        self.assertIs(window.get_child(), boxes[0])
        window.destroy()

    def test_inject_and_build(self):
        registry = Hs.Registry()
        registry.register(Service(name='injected'))
        box = ServiceBox()
        registry.inject(box)
        self.assertEqual(box.props.service.props.name, 'injected')
        built = registry.build(ServiceBox, spacing=6)
        self.assertEqual(built.props.spacing, 6)
        self.assertEqual(built.props.service.props.name, 'injected')
        self.assertEqual(built.__grefcount__, 1)


class TestHsGtk(unittest.TestCase):

    def test_nearest_registry(self):
        app_registry = Hs.Registry()
        window_registry = Hs.Registry(parent=app_registry)
        app = Gtk.Application(application_id=None, flags=0)
        app.register(None)
        window = Gtk.ApplicationWindow(application=app)
        box = Gtk.Box()
        label = Gtk.Label()
        box.append(label)
        window.set_child(box)
        self.assertIsNone(HsGtk.widget_get_registry(label))
        HsGtk.application_set_registry(app, app_registry)
        self.assertIs(HsGtk.application_get_registry(app), app_registry)
        self.assertIs(HsGtk.widget_get_registry(label), app_registry)
        HsGtk.widget_set_registry(window, window_registry)
        self.assertIs(HsGtk.widget_get_registry(label), window_registry)
        HsGtk.widget_set_registry(window, None)
        self.assertIs(HsGtk.widget_get_registry(label), app_registry)
        window.destroy()

    def test_template_widget_injected_when_rooted_and_moved(self):
        first = Hs.Registry()
        first.register(Service(name='first window'))
        second = Hs.Registry()
        second.register(Service(name='second window'))
        window1 = Gtk.Window()
        window2 = Gtk.Window()
        panel = StatusPanel()
        window1.set_child(panel)
        self.assertIsNone(panel.props.service)       # no registry yet
        HsGtk.widget_set_registry(window1, first)    # attached later: injected
        self.assertEqual(panel.label.get_text(), 'first window')
        HsGtk.widget_set_registry(window2, second)
        window1.set_child(None)
        window2.set_child(panel)                     # a new root: injected again
        self.assertEqual(panel.label.get_text(), 'second window')
        count = panel.injected
        second.register(Service(name='a plugin'))
        HsGtk.widget_reinject(window2)
        self.assertEqual(panel.label.get_text(), 'a plugin')
        self.assertEqual(panel.injected, count + 1)
        window1.destroy()
        window2.destroy()


if __name__ == '__main__':
    unittest.main(verbosity=2)
