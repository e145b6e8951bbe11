# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Lifetimes and closing from Python (SPEC 9), through the override: register
# with a lifetime, the registry as a context manager, CLOSED raised as a
# RuntimeError, closing order, and building exactly once across threads.

import sys
import threading
import time
import unittest

import gi

gi.require_version('Hs', '1')
from gi.repository import GLib, GObject, Hs  # noqa: E402

sys.dont_write_bytecode = True


class Greeting(GObject.Object):
    __gtype_name__ = 'LifeGreeting'


class Customer(GObject.Object):
    __gtype_name__ = 'LifeCustomer'


class Index(GObject.Object):
    __gtype_name__ = 'LifeIndex'


class LifetimesTest(unittest.TestCase):
    def test_override_is_loaded(self):
        self.assertTrue(hasattr(Hs.Registry, '__enter__'))

    def test_singleton_shared_by_descendants(self):
        root = Hs.Registry()
        root.register(Greeting, lifetime=Hs.Lifetime.SINGLETON)
        child, other = Hs.Registry(parent=root), Hs.Registry(parent=root)
        first = child.get(Greeting)
        self.assertIs(first, other.get(Greeting))
        self.assertIs(first, root.get(Greeting))
        self.assertEqual(root.lookup(Greeting, None).get_lifetime(), Hs.Lifetime.SINGLETON)
        self.assertEqual(root.lookup(Greeting, None).props.lifetime, Hs.Lifetime.SINGLETON)

    def test_scoped_per_registry(self):
        root = Hs.Registry()
        root.register(Greeting, lifetime=Hs.Lifetime.SCOPED)
        a, b = Hs.Registry(parent=root), Hs.Registry(parent=root)
        self.assertIs(a.get(Greeting), a.get(Greeting))
        self.assertIsNot(a.get(Greeting), b.get(Greeting))
        self.assertIsNot(a.get(Greeting), root.get(Greeting))

    def test_transient_by_default(self):
        root = Hs.Registry()
        root.register(Greeting)
        self.assertIsNot(root.get(Greeting), root.get(Greeting))
        self.assertEqual(root.lookup(Greeting, None).get_lifetime(), Hs.Lifetime.TRANSIENT)

    def test_factory_lifetimes_and_holder_context(self):
        root_ctx, child_ctx = Customer(), Customer()
        root = Hs.Registry(context=root_ctx)
        seen = []

        def make(registry, context):
            seen.append((registry, context))
            return Greeting()

        root.register(make, kind=Greeting, lifetime=Hs.Lifetime.SINGLETON)
        child = Hs.Registry(parent=root, context=child_ctx)
        self.assertIs(child.get(Greeting), child.get(Greeting))
        self.assertEqual(len(seen), 1)
        self.assertIs(seen[0][0], root)
        self.assertIs(seen[0][1], root_ctx)

        scoped_seen = []
        root.register(lambda registry, context: scoped_seen.append((registry, context)) or Index(),
                      kind=Index, lifetime=Hs.Lifetime.SCOPED)
        child.get(Index)
        child.get(Index)
        self.assertEqual(len(scoped_seen), 1)
        self.assertIs(scoped_seen[0][0], child)
        self.assertIs(scoped_seen[0][1], child_ctx)

    def test_context_manager_closes_in_order(self):
        root = Hs.Registry()
        for kind in (Greeting, Customer, Index):
            root.register(kind, lifetime=Hs.Lifetime.SCOPED)
        released = []
        closed = []
        handles = []
        with Hs.Registry(parent=root) as request:
            request.connect('closed', lambda r: closed.append(
                (r.is_closed(), r.get_cancellable().is_cancelled())))
            for kind in (Customer, Index, Greeting):
                obj = request.get(kind)
                # A GObject weak reference: the Python wrapper may go first.
                handles.append(obj.weak_ref(released.append, kind.__name__))
                del obj
            self.assertEqual(released, [])
        self.assertEqual(released, ['Greeting', 'Index', 'Customer'])
        self.assertEqual(closed, [(True, True)])
        self.assertTrue(request.is_closed())

    def test_closed_errors(self):
        root = Hs.Registry()
        root.register(Greeting)
        root.close()
        with self.assertRaises(RuntimeError) as caught:
            root.get(Greeting)
        self.assertIsInstance(caught.exception, GLib.Error)
        self.assertTrue(caught.exception.matches(Hs.registry_error_quark(), Hs.RegistryError.CLOSED))
        with self.assertRaises(RuntimeError):
            root.register(Customer)
        with self.assertRaises(RuntimeError):
            root.inject(Customer())
        self.assertTrue(root.get_cancellable().is_cancelled())

    def test_peek(self):
        root = Hs.Registry()
        greeting = Greeting()
        root.register(greeting)
        child = Hs.Registry(parent=root)
        self.assertIs(root.peek(Greeting), greeting)
        self.assertIs(child.peek(Greeting, None), greeting)

        root.register(Customer, lifetime=Hs.Lifetime.SINGLETON)
        with self.assertRaises(GLib.Error) as caught:
            child.peek(Customer)
        self.assertTrue(caught.exception.matches(Hs.registry_error_quark(),
                                                 Hs.RegistryError.NOT_SINGLETON))
        self.assertIn('LifeCustomer', caught.exception.message)
        built = child.get(Customer)
        self.assertIs(child.peek(Customer), built)

        root.register(Index)
        with self.assertRaises(GLib.Error) as caught:
            root.peek(Index)
        self.assertTrue(caught.exception.matches(Hs.registry_error_quark(),
                                                 Hs.RegistryError.NOT_SINGLETON))
        with self.assertRaises(LookupError):
            Hs.Registry().peek(Greeting)
        root.close()
        with self.assertRaises(RuntimeError):
            root.peek(Greeting)

    def test_peek_threads(self):
        root = Hs.Registry()
        greeting = Greeting()
        root.register(greeting)
        seen = []

        def peek():
            child = Hs.Registry(parent=root)
            seen.append(all(child.peek(Greeting) is greeting for _ in range(200)))

        threads = [threading.Thread(target=peek) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(seen, [True] * 4)

    def test_props_skip_kept(self):
        class Named(GObject.Object):
            __gtype_name__ = 'LifeNamed'
            name = GObject.Property(type=str, default='')

        root = Hs.Registry()
        root.register(Named, lifetime=Hs.Lifetime.SINGLETON)
        with self.assertRaises(LookupError):
            root.get(Named, name='x')
        root.register(Named, lifetime=Hs.Lifetime.TRANSIENT)
        self.assertEqual(root.get(Named, name='x').props.name, 'x')

    def test_instance_takes_no_lifetime(self):
        root = Hs.Registry()
        with self.assertRaises(TypeError):
            root.register(Greeting(), lifetime=Hs.Lifetime.SCOPED)

    def _race(self, lifetime, fail_first):
        root = Hs.Registry()
        calls = []
        lock = threading.Lock()

        def slow():
            with lock:
                calls.append(1)
                n = len(calls)
            time.sleep(0.2)
            if n <= fail_first:
                raise OSError('first build fails')
            return Greeting()

        root.register(slow, kind=Greeting, lifetime=lifetime)
        child = Hs.Registry(parent=root)
        barrier = threading.Barrier(8)
        results = [None] * 8

        def run(i):
            barrier.wait()
            try:
                results[i] = child.get(Greeting)
            except GLib.Error as error:
                results[i] = error

        threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return root, child, calls, results

    def test_exactly_once_threads(self):
        for lifetime in (Hs.Lifetime.SINGLETON, Hs.Lifetime.SCOPED):
            _, _, calls, results = self._race(lifetime, 0)
            self.assertEqual(len(calls), 1)
            self.assertTrue(all(r is results[0] for r in results))
            self.assertIsInstance(results[0], Greeting)

    def test_failing_first_build_threads(self):
        root, child, calls, results = self._race(Hs.Lifetime.SINGLETON, 1)
        failed = [r for r in results if isinstance(r, GLib.Error)]
        built = [r for r in results if isinstance(r, Greeting)]
        self.assertGreaterEqual(len(failed), 1)
        self.assertTrue(all(b is built[0] for b in built))
        self.assertEqual(len(calls), 2 if built else 1)
        after = child.get(Greeting)
        self.assertEqual(len(calls), 2)
        self.assertTrue(not built or after is built[0])


if __name__ == '__main__':
    unittest.main(verbosity=2)
