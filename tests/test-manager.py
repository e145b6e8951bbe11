# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The registry manager from Python (SPEC 7): registry functions written in
# Python (add_registry_function), subscribe, the signals, unload functions
# added from inside a function, unload_owner, a function that raises, and
# loading real modules. Runs against the uninstalled build's typelib
# (GI_TYPELIB_PATH is set by meson test).

import os
import sys
import unittest

import gi

gi.require_version('Hs', '1')
from gi.repository import GLib, GObject, Hs  # noqa: E402

# NONE: story.py, next to this file. (No bytecode written into the source tree.)
sys.dont_write_bytecode = True
from story import NONE  # noqa: E402


class Greeting(GObject.Object):
    __gtype_name__ = 'PyManagerGreeting'


def new_key(name):
    """A fresh key type: each function runs once per process, so every test
    uses keys of its own."""
    return type(name, (GObject.Object,), {'__gtype_name__': name}).__gtype__


def module_path(name):
    return os.path.join(os.environ['G_TEST_BUILDDIR'], 'modules', name + '.so')


class ManagerTestCase(unittest.TestCase):

    def setUp(self):
        self.manager = Hs.RegistryManager.get_default()
        self.log = []
        self.handlers = []

    def tearDown(self):
        for handler in self.handlers:
            self.manager.disconnect(handler)

    def connect(self, signal, callback, after=False):
        connect = self.manager.connect_after if after else self.manager.connect
        self.handlers.append(connect(signal, callback))

    def logger(self, event, result=True):
        """A registry function that logs *event*."""
        def function(manager):
            self.assertIs(manager, self.manager)
            self.log.append(event)
            return result
        return function

    def assertManagerError(self, code, func, *args):
        with self.assertRaises(GLib.Error) as cm:
            func(*args)
        self.assertTrue(cm.exception.matches(Hs.registry_manager_error_quark(), code),
                        f'expected HsRegistryManagerError {code!r}, got {cm.exception!r}')


class TestSubscribe(ManagerTestCase):

    def test_default_is_a_singleton(self):
        self.assertIs(Hs.RegistryManager.get_default(), self.manager)

    def test_functions_run_on_subscribe_in_order_once(self):
        key = new_key('PyKeyOrder')
        self.manager.add_registry_function(key, 'py-order', self.logger('one'))
        self.manager.add_registry_function(key, 'py-order', self.logger('two'))
        self.assertEqual(self.log, [])
        self.assertFalse(self.manager.is_subscribed(key))

        self.manager.subscribe(key)
        self.assertEqual(self.log, ['one', 'two'])
        self.assertTrue(self.manager.is_subscribed(key))

        self.manager.subscribe(key)
        self.assertEqual(self.log, ['one', 'two'])

        # Subscribed: a function added now runs at once.
        self.manager.add_registry_function(key, 'py-order', self.logger('three'))
        self.assertEqual(self.log, ['one', 'two', 'three'])
        self.assertTrue(self.manager.unload_owner('py-order'))

    def test_user_data(self):
        key = new_key('PyKeyData')
        seen = []
        self.manager.add_registry_function(
            key, 'py-data', lambda manager, data: seen.append(data) or True, 'data')
        self.manager.subscribe(key)
        self.assertEqual(seen, ['data'])
        self.manager.unload_owner('py-data')

    def test_unsubscribe(self):
        key = new_key('PyKeyUnsubscribe')
        self.manager.subscribe(key)
        self.manager.unsubscribe(key)
        self.assertFalse(self.manager.is_subscribed(key))
        self.manager.add_registry_function(key, 'py-unsub', self.logger('later'))
        self.assertEqual(self.log, [])
        self.manager.subscribe(key)
        self.assertEqual(self.log, ['later'])
        self.manager.unload_owner('py-unsub')

    def test_nested_subscribe(self):
        outer, inner = new_key('PyKeyOuter'), new_key('PyKeyInner')

        def outer_function(manager):
            self.log.append('outer-start')
            manager.subscribe(inner)
            self.log.append('inner-done')
            manager.subscribe(outer)  # the running key: returns at once
            self.log.append('outer-end')
            return True

        self.manager.add_registry_function(outer, 'py-nested', outer_function)
        self.manager.add_registry_function(outer, 'py-nested', self.logger('outer-after'))
        self.manager.add_registry_function(inner, 'py-nested', self.logger('inner'))
        self.manager.subscribe(outer)
        self.assertEqual(self.log, ['outer-start', 'inner', 'inner-done', 'outer-end',
                                    'outer-after'])
        self.manager.unload_owner('py-nested')

    def test_function_that_raises(self):
        key = new_key('PyKeyRaises')
        warnings = []

        def capture(domain, level, message, data):
            warnings.append(message)

        def bad(manager):
            raise ValueError('boom')

        self.manager.add_registry_function(key, 'py-raises', self.logger('before'))
        self.manager.add_registry_function(key, 'py-raises', bad)
        self.manager.add_registry_function(key, 'py-raises', self.logger('after'))

        handler = GLib.log_set_handler('Hopscotch', GLib.LogLevelFlags.LEVEL_WARNING,
                                       capture, None)
        try:
            self.manager.subscribe(key)
        finally:
            GLib.log_remove_handler('Hopscotch', handler)

        self.assertEqual(self.log, ['before', 'after'])
        # PyGObject prints the exception itself (it does not hand it over as
        # the callback's GError); the manager warns, naming owner and key.
        self.assertEqual(len(warnings), 1, warnings)
        self.assertIn('py-raises', warnings[0])
        self.assertIn('PyKeyRaises', warnings[0])
        self.manager.unload_owner('py-raises')

    def test_none_is_no_key(self):
        """GObject.TYPE_NONE ("void") is no key: a warning, no critical,
        nothing subscribed and no function added. (PyGObject itself refuses
        None for a GType with a TypeError.)"""
        warnings = []

        def capture(domain, level, message, data):
            warnings.append(message)

        handler = GLib.log_set_handler('Hopscotch', GLib.LogLevelFlags.LEVEL_WARNING,
                                       capture, None)
        try:
            self.manager.subscribe(GObject.TYPE_NONE)
            self.manager.add_registry_function(GObject.TYPE_NONE, 'py-none', self.logger('ran'))
            self.manager.unsubscribe(GObject.TYPE_NONE)
        finally:
            GLib.log_remove_handler('Hopscotch', handler)

        self.assertFalse(self.manager.is_subscribed(GObject.TYPE_NONE))
        with self.assertRaises(TypeError):
            self.manager.subscribe(None)
        self.assertEqual(self.log, [])
        self.assertEqual(len(warnings), 3, warnings)
        for warning in warnings:
            self.assertIn('G_TYPE_NONE', warning)
        self.assertFalse(self.manager.unload_owner('py-none'))


class TestSignals(ManagerTestCase):

    def test_subscribed_is_detailed(self):
        key, other = new_key('PyKeySignal'), new_key('PyKeySignalOther')
        self.connect('subscribed::PyKeySignal', lambda m, k: self.log.append(('sub', k)))
        self.connect('unsubscribed', lambda m, k: self.log.append(('unsub', k)))
        self.manager.subscribe(other)
        self.manager.subscribe(key)
        self.manager.subscribe(key)
        self.manager.unsubscribe(key)
        self.manager.unsubscribe(key)
        self.assertEqual(self.log, [('sub', key), ('unsub', key)])
        self.manager.unsubscribe(other)

    def test_module_loaded_and_unloaded_order(self):
        key = new_key('PyKeyUnload')

        def function(manager):
            self.log.append('ran')
            self.assertTrue(manager.add_function_for_unload(lambda: self.log.append('unload-1')))
            self.assertTrue(manager.add_function_for_unload(lambda: self.log.append('unload-2')))
            return True

        self.connect('module-loaded', lambda m, name: self.log.append(('loaded', name)))
        self.connect('unloaded', lambda m, name: self.log.append(('before', name)))
        self.connect('unloaded', lambda m, name: self.log.append(('after', name)), after=True)

        self.manager.subscribe(key)
        self.manager.add_registry_function(key, 'py-signals', function)
        self.assertEqual(self.log, ['ran', ('loaded', 'py-signals')])

        self.log.clear()
        self.assertTrue(self.manager.unload_owner('py-signals'))
        self.assertEqual(self.log, [('before', 'py-signals'), 'unload-1', 'unload-2',
                                    ('after', 'py-signals')])
        self.assertFalse(self.manager.unload_owner('py-signals'))


class TestOwnership(ManagerTestCase):

    def test_unload_function_outside_a_function(self):
        self.assertFalse(self.manager.add_function_for_unload(lambda: self.log.append('never')))
        self.assertEqual(self.log, [])

    def test_registrations_go_with_their_owner(self):
        key = new_key('PyKeyOwned')
        registry = Hs.Registry()
        kept = registry.register_type(Greeting, NONE, NONE)

        def function(manager):
            registry.register_instance(Greeting(), NONE, NONE)
            return True

        self.manager.add_registry_function(key, 'py-owned', function)
        self.manager.subscribe(key)
        self.assertEqual(registry.lookup(Greeting, None).props.registration_type,
                         Hs.RegistrationType.INSTANCE)

        self.manager.unload_owner('py-owned')
        self.assertEqual(registry.lookup(Greeting, None).props.id, kept)

    def test_pending_function_of_unloaded_owner_never_runs(self):
        key = new_key('PyKeyForgotten')
        self.manager.add_registry_function(key, 'py-forgotten', self.logger('never'))
        self.assertTrue(self.manager.unload_owner('py-forgotten'))
        self.manager.subscribe(key)
        self.assertEqual(self.log, [])


class TestModules(ManagerTestCase):

    def test_errors(self):
        self.assertManagerError(Hs.RegistryManagerError.NOT_FOUND,
                                self.manager.load_module, '/nonexistent/plugin.so')
        self.assertManagerError(Hs.RegistryManagerError.NOT_LOADED,
                                self.manager.unload_module, module_path('plugin-b'))

    def test_load_and_unload_a_real_module(self):
        self.connect('module-loaded', lambda m, name: self.log.append(('loaded', name)))
        self.connect('unloaded', lambda m, name: self.log.append(('unloaded', name)))
        path = module_path('plugin-b')
        self.manager.load_module(path)
        self.manager.unload_module(path)
        self.assertEqual([(what, os.path.basename(name)) for what, name in self.log],
                         [('loaded', 'plugin-b.so'), ('unloaded', 'plugin-b.so')])


class TestPluginModule(ManagerTestCase):

    def test_one_per_name_attached_inside_a_function(self):
        types = Hs.PluginModule.get('py-plugin-types')
        self.assertIsInstance(types, GObject.TypeModule)
        self.assertIs(Hs.PluginModule.get('py-plugin-types'), types)
        self.assertFalse(types.attach())

        key = new_key('PyKeyPluginModule')

        def function(manager):
            self.log.append(types.attach())
            return True

        self.manager.add_registry_function(key, 'py-plugin-owner', function)
        self.manager.subscribe(key)
        self.assertTrue(self.manager.unload_owner('py-plugin-owner'))
        self.assertEqual(self.log, [True])


if __name__ == '__main__':
    unittest.main(verbosity=2)
