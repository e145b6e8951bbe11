# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Live lists from Python (SPEC 11), through the override: a list is a
# sequence (iteration, len(), indexing, negative indices), it follows
# registrations as they come and go (items-changed, here and from another
# thread through the main context), build() takes an item, and get_all()
# builds every item in list order.

import sys
import threading
import unittest

import gi

gi.require_version('Hs', '1')
from gi.repository import GLib, GObject, Hs  # noqa: E402

sys.dont_write_bytecode = True


class Transformer(GObject.Object):
    __gtype_name__ = 'ListPyTransformer'


class Blur(Transformer):
    __gtype_name__ = 'ListPyBlur'


class Sharpen(Transformer):
    __gtype_name__ = 'ListPySharpen'


class Customer(GObject.Object):
    __gtype_name__ = 'ListPyCustomer'


class French(Customer):
    __gtype_name__ = 'ListPyFrench'


def ids(model):
    return [registration.props.id for registration in model]


class ListTest(unittest.TestCase):
    def test_override_is_loaded(self):
        self.assertTrue(hasattr(Hs.Registry, 'get_all'))

    def test_sequence(self):
        registry = Hs.Registry()
        blur = registry.register(Blur, kind=Transformer)
        sharpen = registry.register(Sharpen, kind=Transformer)
        model = registry.list(Transformer)
        self.assertEqual(len(model), 2)
        self.assertEqual(ids(model), [sharpen, blur])
        self.assertEqual(model[0].props.id, sharpen)
        self.assertEqual(model[-1].props.id, blur)
        self.assertEqual(model[-2].props.id, sharpen)
        with self.assertRaises(IndexError):
            model[2]
        self.assertEqual([r.props.implementation_type for r in model[:]],
                         [Sharpen.__gtype__, Blur.__gtype__])
        # Item 0 is what lookup() and get() answer.
        self.assertEqual(registry.lookup(Transformer).props.id, model[0].props.id)
        self.assertIsInstance(registry.get(Transformer), Sharpen)

    def test_order_with_context_and_parent(self):
        root = Hs.Registry()
        plain = root.register(Blur, kind=Transformer)
        french = root.register(Sharpen, kind=Transformer, context=French)
        instance = Blur()
        single = root.register(instance, kind=Transformer)
        request = Hs.Registry(parent=root, context=French())
        own = request.register(Blur, kind=Transformer)
        self.assertEqual(ids(request.list(Transformer)), [own, french, single, plain])
        self.assertEqual(ids(root.list(Transformer)), [single, plain])
        self.assertEqual(ids(root.list(Transformer, context=French())), [french, single, plain])

    def test_live(self):
        root = Hs.Registry()
        child = Hs.Registry(parent=root)
        model = child.list(Transformer)
        changes = []
        model.connect('items-changed', lambda m, p, r, a: changes.append((p, r, a)))
        first = root.register(Blur, kind=Transformer)
        own = child.register(Sharpen, kind=Transformer)
        root.register(Customer)
        self.assertEqual(changes, [(0, 0, 1), (0, 0, 1)])
        self.assertTrue(root.unregister(first))
        self.assertEqual(changes[-1], (1, 1, 0))
        self.assertEqual(ids(model), [own])
        root.close()
        self.assertEqual(changes[-1], (0, 1, 0))
        self.assertEqual(len(model), 0)

    def test_other_thread(self):
        registry = Hs.Registry()
        model = registry.list(Transformer)
        changes = []
        model.connect('items-changed', lambda m, p, r, a: changes.append(
            (threading.current_thread() is threading.main_thread(), p, r, a)))
        ids_made = []
        thread = threading.Thread(target=lambda: ids_made.append(
            registry.register(Blur, kind=Transformer)))
        thread.start()
        thread.join()
        self.assertEqual(changes, [])
        context = GLib.MainContext.default()
        while context.iteration(False):
            pass
        self.assertEqual(changes, [(True, 0, 0, 1)])
        self.assertEqual(ids(model), ids_made)

    def test_build_and_get_all(self):
        root = Hs.Registry()
        instance = Blur()
        root.register(instance, kind=Transformer)
        root.register(Sharpen, kind=Transformer, lifetime=Hs.Lifetime.SINGLETON)
        root.register(lambda: Blur(), kind=Transformer)
        child = Hs.Registry(parent=root)
        model = child.list(Transformer)
        built = child.get_all(Transformer)
        self.assertEqual(len(built), 3)
        self.assertIs(built[0], instance)
        self.assertIsInstance(built[1], Blur)
        self.assertIsInstance(built[2], Sharpen)
        self.assertIs(child.build(model[2]), built[2])
        self.assertIsNot(child.build(model[1]), built[1])
        self.assertEqual(Hs.Registry().get_all(Transformer), [])

    def test_build_errors(self):
        registry = Hs.Registry()
        other = Hs.Registry()
        reg_id = other.register(Blur, kind=Transformer)
        registration = other.list(Transformer)[0]
        with self.assertRaises(LookupError):
            registry.build(registration)
        other.unregister(reg_id)
        with self.assertRaises(GLib.Error) as raised:
            other.build(registration)
        self.assertTrue(raised.exception.matches(Hs.registry_error_quark(),
                                                 Hs.RegistryError.NOT_FOUND))
        with self.assertRaises(TypeError):
            registry.build(registration, salutation='Hi')


if __name__ == '__main__':
    unittest.main(verbosity=2)
