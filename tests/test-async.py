# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Asynchronous construction from Python (SPEC 10), through the override:
# the callback form with a GLib.MainLoop, get_async_awaitable() in asyncio,
# Python classes that implement Gio.AsyncInitable, asynchronous factories,
# dependencies in flight together, shared builds, cancellation and
# NEEDS_ASYNC. Every loop is bounded: a hang fails after 5 s.

import asyncio
import sys
import time
import unittest

import gi

gi.require_version('Hs', '1')
from gi.repository import Gio, GLib, GObject, Hs  # noqa: E402

sys.dont_write_bytecode = True

TIMEOUT_MS = 5000


class Slow(GObject.Object, Gio.AsyncInitable):
    """init_async() completes after the class's delay, honouring its
    cancellable; counts constructions and inits per class."""
    __gtype_name__ = 'AsyncPySlow'
    delay_ms = 300
    fail = False
    constructed = 0
    inits = 0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        type(self).constructed += 1

    def do_init_async(self, io_priority, cancellable, callback, *_user_data):
        cls = type(self)
        cls.inits += 1
        task = Gio.Task.new(self, cancellable, lambda source, result, *_: callback(source, result))
        sources = []

        def finish(error=None):
            for source in sources:
                source.destroy()
            if error is not None:
                task.return_error(error)
            else:
                task.return_boolean(True)
            return GLib.SOURCE_REMOVE

        def expired():
            if cls.fail:
                return finish(GLib.Error.new_literal(Gio.io_error_quark(), f'{cls.__name__} failed',
                                                     Gio.IOErrorEnum.FAILED))
            return finish()

        def cancelled(*_args):
            return finish(GLib.Error.new_literal(Gio.io_error_quark(), 'cancelled',
                                                 Gio.IOErrorEnum.CANCELLED))

        timeout = GLib.timeout_source_new(cls.delay_ms)
        timeout.set_callback(lambda *_: expired())
        timeout.attach(GLib.MainContext.ref_thread_default())
        sources.append(timeout)
        if cancellable is not None:
            source = cancellable.source_new()
            source.set_callback(cancelled)
            source.attach(GLib.MainContext.ref_thread_default())
            sources.append(source)

    def do_init_finish(self, result):
        return result.propagate_boolean()


class SlowA(Slow):
    __gtype_name__ = 'AsyncPySlowA'


class SlowB(Slow):
    __gtype_name__ = 'AsyncPySlowB'


class Pair(GObject.Object):
    """Two slow dependencies: properties a Python class declares are
    injected when it is registered through the override."""
    __gtype_name__ = 'AsyncPyPair'
    a = GObject.Property(type=SlowA)
    b = GObject.Property(type=SlowB)


class Greeting(GObject.Object):
    __gtype_name__ = 'AsyncPyGreeting'
    salutation = GObject.Property(type=str, default='Hello')


def reset(cls, delay_ms=300):
    cls.delay_ms = delay_ms
    cls.fail = False
    cls.constructed = 0
    cls.inits = 0


def run_get(registry, kind, cancellable=None, context=None):
    """The callback form, with a bounded GLib.MainLoop: (object, error,
    elapsed seconds)."""
    loop = GLib.MainLoop()
    outcome = {}

    def done(source, result, *_):
        try:
            outcome['object'] = source.get_finish(result)
        except GLib.Error as error:
            outcome['error'] = error
        outcome['elapsed'] = time.monotonic() - start
        loop.quit()

    def hang():
        outcome['hang'] = True
        loop.quit()
        return GLib.SOURCE_REMOVE

    guard = GLib.timeout_add(TIMEOUT_MS, hang)
    start = time.monotonic()
    registry.get_async(kind, context, cancellable, done)
    loop.run()
    if 'hang' in outcome:
        raise AssertionError('the main loop ran for more than 5 s: a hang')
    GLib.source_remove(guard)
    return outcome.get('object'), outcome.get('error'), outcome['elapsed']


def run_async(coroutine):
    """An asyncio coroutine, bounded."""
    return asyncio.run(asyncio.wait_for(coroutine, TIMEOUT_MS / 1000))


class AsyncTest(unittest.TestCase):
    def setUp(self):
        for cls in (Slow, SlowA, SlowB):
            reset(cls)

    def test_callback_form(self):
        registry = Hs.Registry()
        registry.register(SlowA)
        reset(SlowA, 10)
        obj, error, _ = run_get(registry, SlowA)
        self.assertIsNone(error)
        self.assertIsInstance(obj, SlowA)
        self.assertEqual(SlowA.inits, 1)

    def test_plain_get(self):
        registry = Hs.Registry()
        registry.register(Greeting(salutation='Bonjour'))
        obj, error, _ = run_get(registry, Greeting)
        self.assertEqual(obj.props.salutation, 'Bonjour')
        obj, error, _ = run_get(registry, SlowA)
        self.assertTrue(error.matches(Hs.registry_error_quark(), Hs.RegistryError.NOT_FOUND))

    def test_concurrent_dependencies(self):
        registry = Hs.Registry()
        for cls in (SlowA, SlowB, Pair):
            registry.register(cls)
        obj, error, elapsed = run_get(registry, Pair)
        print(f'# two 300 ms dependencies injected in {elapsed * 1000:.1f} ms')
        self.assertIsNone(error)
        self.assertIsInstance(obj.props.a, SlowA)
        self.assertIsInstance(obj.props.b, SlowB)
        self.assertGreaterEqual(elapsed, 0.29)
        self.assertLess(elapsed, 0.5)

    def test_dependency_error(self):
        registry = Hs.Registry()
        for cls in (SlowA, SlowB, Pair):
            registry.register(cls)
        SlowA.delay_ms = SlowB.delay_ms = 10
        SlowA.fail = True
        obj, error, _ = run_get(registry, Pair)
        self.assertIsNone(obj)
        self.assertTrue(error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.FAILED))
        self.assertEqual(error.message, 'Cannot inject property “a” of “AsyncPyPair”: SlowA failed')

    def test_needs_async(self):
        registry = Hs.Registry()
        registry.register(SlowA)
        with self.assertRaises(GLib.Error) as caught:
            registry.get(SlowA)
        self.assertTrue(caught.exception.matches(Hs.registry_error_quark(),
                                                 Hs.RegistryError.NEEDS_ASYNC))
        self.assertIn('AsyncPySlowA', caught.exception.message)

    def test_shared_singleton(self):
        registry = Hs.Registry()
        registry.register(SlowA, lifetime=Hs.Lifetime.SINGLETON)
        reset(SlowA, 50)

        async def three():
            return await asyncio.gather(*(registry.get_async_awaitable(SlowA) for _ in range(3)))

        first, second, third = run_async(three())
        self.assertIs(first, second)
        self.assertIs(first, third)
        self.assertEqual(SlowA.constructed, 1)
        self.assertIs(registry.get(SlowA), first)

    def test_awaitable_errors_and_cancel(self):
        registry = Hs.Registry()
        registry.register(SlowA)

        async def cancelled_by_cancellable():
            cancellable = Gio.Cancellable()
            GLib.timeout_add(50, lambda: cancellable.cancel() and False)
            await registry.get_async_awaitable(SlowA, cancellable=cancellable)

        with self.assertRaises(GLib.Error) as caught:
            run_async(cancelled_by_cancellable())
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED))

        async def cancelled_task():
            task = asyncio.ensure_future(registry.get_async_awaitable(SlowA))
            await asyncio.sleep(0.05)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                return 'cancelled'

        self.assertEqual(run_async(cancelled_task()), 'cancelled')

        async def not_found():
            await registry.get_async_awaitable(Greeting)

        with self.assertRaises(LookupError):
            run_async(not_found())

    def test_async_factory(self):
        registry = Hs.Registry()
        calls = []

        def factory(registry, context, cancellable, callback, *_):
            calls.append(context)
            task = Gio.Task.new(None, cancellable, lambda source, result, *_: callback(source, result))
            GLib.timeout_add(10, lambda: task.return_boolean(True) or False)

        def finish(registry, result, *_):
            result.propagate_boolean()
            return Greeting(salutation='Async hello')

        registry.register_async_factory(Greeting, None, Hs.Lifetime.SCOPED, factory, finish)
        request = Hs.Registry(parent=registry)

        async def twice():
            return await asyncio.gather(request.get_async_awaitable(Greeting),
                                        request.get_async_awaitable(Greeting))

        first, second = run_async(twice())
        self.assertEqual(first.props.salutation, 'Async hello')
        self.assertIs(first, second)
        self.assertEqual(len(calls), 1)
        with self.assertRaises(GLib.Error) as caught:
            registry.get(Greeting)
        self.assertTrue(caught.exception.matches(Hs.registry_error_quark(),
                                                 Hs.RegistryError.NEEDS_ASYNC))

    def test_build_async_of_list_items(self):
        registry = Hs.Registry()
        registry.register(Greeting(salutation='Bonjour'))
        registry.register(SlowA)
        reset(SlowA, 10)
        items = list(registry.list(Slow))
        self.assertEqual(len(items), 1)
        # build() refuses what needs asynchronous construction.
        with self.assertRaises(GLib.Error) as caught:
            registry.build(items[0])
        self.assertTrue(caught.exception.matches(Hs.registry_error_quark(),
                                                 Hs.RegistryError.NEEDS_ASYNC))

        async def build_all():
            return [await registry.build_async_awaitable(item)
                    for item in list(registry.list(Slow)) + list(registry.list(Greeting))]

        slow, greeting = run_async(build_all())
        self.assertIsInstance(slow, SlowA)
        self.assertEqual(SlowA.inits, 1)
        self.assertEqual(greeting.props.salutation, 'Bonjour')
        with self.assertRaises(GLib.Error) as caught:
            run_async(Hs.Registry().build_async_awaitable(items[0]))
        self.assertTrue(caught.exception.matches(Hs.registry_error_quark(),
                                                 Hs.RegistryError.NOT_FOUND))

    def test_close_in_flight(self):
        root = Hs.Registry()
        root.register(SlowA)
        request = Hs.Registry(parent=root)
        GLib.timeout_add(50, lambda: request.close() or False)
        obj, error, elapsed = run_get(request, SlowA)
        self.assertIsNone(obj)
        self.assertTrue(error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED))
        self.assertLess(elapsed, 0.25)


if __name__ == '__main__':
    unittest.main(verbosity=2)
