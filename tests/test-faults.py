# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Faults from Python: a factory that raises (also deep inside an injection),
# and a Python plugin -- a registry function -- that raises after
# registering part of what it would, unloaded while its objects are still
# held. Each leaves the registry consistent, reaches the caller as a
# GLib.Error, and leaks nothing: the objects and the callables involved are
# released (checked with weak references).

import gc
import unittest
import weakref

import gi

gi.require_version('Hs', '1')
from gi.repository import GLib, GObject, Hs  # noqa: E402


class FaultGreeting(GObject.Object):
    __gtype_name__ = 'PyFaultGreeting'
    salutation = GObject.Property(type=str, default='Hello')


class FaultGreeter(GObject.Object):
    __gtype_name__ = 'PyFaultGreeter'
    greeting = GObject.Property(type=FaultGreeting)

    created = 0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        FaultGreeter.created += 1


def new_key(name):
    return type(name, (GObject.Object,), {'__gtype_name__': name}).__gtype__


def is_registry_error(error, code):
    return error.matches(Hs.registry_error_quark(), code)


class TestPythonFactoryRaises(unittest.TestCase):

    def test_raising_factory_is_an_error_and_leaves_the_registry_usable(self):
        registry = Hs.Registry()
        calls = []

        def factory(registry, context, **props):
            calls.append(1)
            raise ValueError('no greeting today')

        registration = registry.register(factory, kind=FaultGreeting)
        for _ in range(3):
            with self.assertRaises(GLib.Error) as cm:
                registry.get(FaultGreeting)
            self.assertTrue(is_registry_error(cm.exception, Hs.RegistryError.FACTORY_FAILED))
            self.assertIn('ValueError', cm.exception.message)
            self.assertIn('no greeting today', cm.exception.message)
            self.assertIsInstance(cm.exception.__cause__, ValueError)
        self.assertEqual(len(calls), 3)

        # Unregistering releases the factory (and what it holds) at once.
        # (The caught exception's traceback holds it too: drop that first.)
        del cm
        probe = weakref.ref(factory)
        self.assertTrue(registry.unregister(registration))
        del factory
        gc.collect()
        self.assertIsNone(probe())

        # The registry works as before.
        registry.register(FaultGreeting)
        self.assertIsInstance(registry.get(FaultGreeting), FaultGreeting)

    def test_raising_factory_inside_an_injection(self):
        registry = Hs.Registry()
        registry.register(FaultGreeter)

        def factory(registry, context, **props):
            raise RuntimeError('greeting broke')

        registry.register(factory, kind=FaultGreeting)
        before = FaultGreeter.created
        with self.assertRaises(GLib.Error) as cm:
            registry.get(FaultGreeter)
        self.assertTrue(is_registry_error(cm.exception, Hs.RegistryError.FACTORY_FAILED))
        self.assertIn('greeting', cm.exception.message)
        self.assertIn('RuntimeError', cm.exception.message)
        # The outer object was never made: nothing half-built escapes.
        self.assertEqual(FaultGreeter.created, before)

    def assertInterruptReachesTheCaller(self, interrupt, registry, kind):
        """get(kind) raises the very *interrupt* a factory raised, and the
        caller's finally blocks run."""
        ran_finally = []
        with self.assertRaises(type(interrupt)) as cm:
            try:
                registry.get(kind)
            finally:
                ran_finally.append(True)
        self.assertIs(cm.exception, interrupt)
        self.assertEqual(ran_finally, [True])

    def test_keyboard_interrupt_in_a_factory_reaches_the_caller(self):
        registry = Hs.Registry()
        registry.register(FaultGreeter)
        interrupt = KeyboardInterrupt()

        def factory(registry, context, **props):
            raise interrupt

        registry.register(factory, kind=FaultGreeting)
        self.assertInterruptReachesTheCaller(interrupt, registry, FaultGreeting)
        # Also from deep inside an injection; nothing half-built escapes.
        before = FaultGreeter.created
        self.assertInterruptReachesTheCaller(interrupt, registry, FaultGreeter)
        self.assertEqual(FaultGreeter.created, before)
        # And through the introspected register_factory.
        other = Hs.Registry()
        other.register_factory(FaultGreeting.__gtype__, GObject.TYPE_NONE,
                               lambda *args: factory(None, None))
        self.assertInterruptReachesTheCaller(interrupt, other, FaultGreeting)
        # Nothing of it is left over for the next get.
        registry.register(FaultGreeting(salutation='after'))
        self.assertEqual(registry.get(FaultGreeting).props.salutation, 'after')

    def test_system_exit_in_a_factory_reaches_the_caller(self):
        # It used to end the process inside get(), skipping finally blocks.
        registry = Hs.Registry()
        exit_request = SystemExit('the factory asked to exit')

        def factory(registry, context, **props):
            raise exit_request

        registry.register(factory, kind=FaultGreeting)
        self.assertInterruptReachesTheCaller(exit_request, registry, FaultGreeting)

    def test_introspected_factory_raising(self):
        # Without the override's wrapper, PyGObject prints the exception and
        # returns nothing: still an error of the get, never a crash.
        registry = Hs.Registry()

        def factory(*args):
            raise KeyError('raw')

        registry.register_factory(FaultGreeting.__gtype__, GObject.TYPE_NONE, factory)
        with self.assertRaises(GLib.Error) as cm:
            registry.get(FaultGreeting)
        self.assertTrue(is_registry_error(cm.exception, Hs.RegistryError.FACTORY_FAILED))


class TestPythonPluginFails(unittest.TestCase):

    def test_plugin_fails_midway_and_is_unloaded_while_objects_are_held(self):
        manager = Hs.RegistryManager.get_default()
        key = new_key('PyFaultKey')
        registry = Hs.Registry()
        singleton = FaultGreeting(salutation='from the plugin')
        singleton_ref = weakref.ref(singleton)
        warnings = []

        def plugin(manager):
            registry.register(singleton, kind=FaultGreeting)
            registry.register(FaultGreeter)
            raise OSError('plugin set-up failed halfway')

        def capture(domain, level, message, data):
            warnings.append(message)

        manager.add_registry_function(key, 'py-fault-plugin', plugin)
        handler = GLib.log_set_handler('Hopscotch', GLib.LogLevelFlags.LEVEL_WARNING,
                                       capture, None)
        try:
            manager.subscribe(key)
        finally:
            GLib.log_remove_handler('Hopscotch', handler)
        self.assertEqual(len(warnings), 1, warnings)
        self.assertIn('py-fault-plugin', warnings[0])

        # What it registered before failing is there; hold on to objects.
        greeter = registry.get(FaultGreeter)
        self.assertIs(greeter.props.greeting, singleton)
        del singleton
        gc.collect()

        self.assertTrue(manager.unload_owner('py-fault-plugin'))
        for kind in (FaultGreeting, FaultGreeter):
            with self.assertRaises(GLib.Error) as cm:
                registry.get(kind)
            self.assertTrue(is_registry_error(cm.exception, Hs.RegistryError.NOT_FOUND))

        # The held objects are still fine, and go when their holder lets go.
        self.assertEqual(greeter.props.greeting.props.salutation, 'from the plugin')
        self.assertIsNotNone(singleton_ref())
        del greeter
        gc.collect()
        self.assertIsNone(singleton_ref())
        manager.unsubscribe(key)


if __name__ == '__main__':
    unittest.main(verbosity=2)
