# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The registry from Python (SPEC 1, 2, 3 and 5): registries, parents and
# contexts, registering types, instances and factories, unregistering, which
# registration wins, props, lookup and errors. Runs against the uninstalled
# build's typelib (GI_TYPELIB_PATH is set by meson test).

import gc
import sys
import unittest

import gi

gi.require_version('Hs', '1')
from gi.repository import Gio, GLib, GObject, Hs  # noqa: E402

# The seed story, NONE, gtype(), get() and the typelib check: story.py, next
# to this file. (No bytecode written into the source tree.)
sys.dont_write_bytecode = True
from story import (NONE, AnotherGreeting, Customer, FrenchCustomer,  # noqa: E402
                   Greeting, check_typelib_is_the_build_trees, get, gtype)


class PoliteCustomer(Customer, Gio.Initable):
    """A customer whose type implements an interface, for context scores."""
    __gtype_name__ = 'PoliteCustomer'

    def do_init(self, cancellable):
        return True


class PoliteGreeting(Greeting, Gio.Initable):
    """A greeting that implements an interface, for kind-omitted answers."""
    __gtype_name__ = 'PoliteGreeting'

    def do_init(self, cancellable):
        return True


class ReadOnlyGreeting(Greeting):
    __gtype_name__ = 'ReadOnlyGreeting'
    frozen = GObject.Property(type=str, default='ice',
                              flags=GObject.ParamFlags.READABLE)


class UnownedWidget(GObject.InitiallyUnowned):
    """Like every Gtk.Widget subclass: PyGObject sinks it as it is made."""
    __gtype_name__ = 'UnownedWidget'
    label = GObject.Property(type=str, default='unowned')


class UnownedHolder(GObject.Object):
    __gtype_name__ = 'UnownedHolder'
    widget = GObject.Property(type=UnownedWidget,
                              flags=GObject.ParamFlags.READWRITE |
                              GObject.ParamFlags.CONSTRUCT_ONLY)


class RegistryTestCase(unittest.TestCase):

    def assertHsError(self, code, func, *args):
        """Runs func(*args), which must raise an HS_REGISTRY_ERROR of code."""
        with self.assertRaises(GLib.Error) as cm:
            func(*args)
        error = cm.exception
        self.assertTrue(error.matches(Hs.registry_error_quark(), code),
                        f'expected HsRegistryError {code!r}, got {error!r}')
        self.assertEqual(error.code, int(code))
        return error

    def assertGetIs(self, registry, cls, expected_type, context=None, **props):
        obj = get(registry, cls, context, **props)
        self.assertIs(type(obj), expected_type)
        return obj

    def snapshot(self, registry, contexts):
        """What the registry answers for a few kinds and contexts, without
        building anything: to compare before and after a refused call."""
        answers = []
        for kind in (Greeting, AnotherGreeting, PoliteGreeting, Customer,
                     FrenchCustomer, Gio.Initable):
            for context in contexts:
                reg = registry.lookup(gtype(kind), context)
                answers.append(None if reg is None else
                               (reg.props.id, reg.props.registration_type,
                                reg.props.kind, reg.props.implementation_type,
                                reg.props.context_type))
        return answers


class TestSetup(RegistryTestCase):

    def test_typelib_is_the_build_trees(self):
        check_typelib_is_the_build_trees(self)


class TestEnums(RegistryTestCase):

    def test_registry_error_members(self):
        self.assertEqual(Hs.RegistryError.NOT_FOUND, 0)
        self.assertEqual(Hs.RegistryError.INVALID_REGISTRATION, 1)
        self.assertEqual(Hs.RegistryError.INVALID_PROPERTY, 2)
        self.assertEqual(Hs.RegistryError.NO_CONTEXT, 3)
        self.assertEqual(Hs.RegistryError.CYCLE, 4)
        self.assertEqual(Hs.RegistryError.FACTORY_FAILED, 5)
        values = Hs.RegistryError.__enum_values__
        self.assertEqual(values[0].value_nick, 'not-found')
        self.assertEqual(values[5].value_nick, 'factory-failed')

    def test_registration_type_members(self):
        self.assertEqual(Hs.RegistrationType.TYPE, 0)
        self.assertEqual(Hs.RegistrationType.INSTANCE, 1)
        self.assertEqual(Hs.RegistrationType.FACTORY, 2)

    def test_error_domain(self):
        self.assertEqual(GLib.quark_to_string(Hs.registry_error_quark()),
                         'hs-registry-error-quark')
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND,
                                   get, Hs.Registry(), Greeting)
        self.assertEqual(error.domain, 'hs-registry-error-quark')


class TestRegistries(RegistryTestCase):

    def test_root(self):
        root = Hs.Registry()
        self.assertIsNone(root.get_parent())
        self.assertIsNone(root.get_context())
        self.assertIsNone(root.props.parent)
        self.assertIsNone(root.props.context)

    def test_parent_and_context_properties(self):
        root = Hs.Registry()
        customer = Customer(first_name='Anna')
        child = Hs.Registry(parent=root, context=customer)
        self.assertIs(child.get_parent(), root)
        self.assertIs(child.get_context(), customer)
        self.assertIs(child.props.parent, root)
        self.assertIs(child.props.context, customer)

    def test_new_is_a_constructor(self):
        customer = Customer()
        root = Hs.Registry.new(None, None)
        child = Hs.Registry.new(root, customer)
        self.assertIsNone(root.get_parent())
        self.assertIs(child.get_parent(), root)
        self.assertIs(child.get_context(), customer)

    def test_child_inherits_parent_context(self):
        customer = Customer()
        root = Hs.Registry(context=customer)
        child = Hs.Registry(parent=root)
        grandchild = Hs.Registry(parent=child)
        self.assertIs(child.get_context(), customer)
        self.assertIs(grandchild.get_context(), customer)

        french = FrenchCustomer()
        own = Hs.Registry(parent=root, context=french)
        self.assertIs(own.get_context(), french)
        self.assertIs(root.get_context(), customer)

    def test_keeps_parent_and_context_alive(self):
        finalized = []
        customer = Customer()
        customer.weak_ref(lambda: finalized.append('context'))
        root = Hs.Registry()
        root.weak_ref(lambda: finalized.append('parent'))
        child = Hs.Registry(parent=root, context=customer)
        del customer, root
        gc.collect()
        self.assertEqual(finalized, [])
        self.assertEqual(type(child.get_context()), Customer)
        del child
        gc.collect()
        self.assertEqual(sorted(finalized), ['context', 'parent'])


class TestRegisterType(RegistryTestCase):

    def test_returns_distinct_ids(self):
        registry = Hs.Registry()
        first = registry.register_type(gtype(Greeting), NONE, NONE)
        second = registry.register_type(gtype(Greeting), NONE, NONE)
        self.assertGreater(first, 0)
        self.assertGreater(second, 0)
        self.assertNotEqual(first, second)

    def test_new_instance_each_get(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeting), NONE, NONE)
        first = self.assertGetIs(registry, Greeting, Greeting)
        second = self.assertGetIs(registry, Greeting, Greeting)
        self.assertIsNot(first, second)
        self.assertEqual(first.props.salutation, 'Hello')

    def test_kind_omitted_answers_for_ancestors(self):
        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), NONE, NONE)
        greeting = self.assertGetIs(registry, Greeting, AnotherGreeting)
        self.assertEqual(greeting.props.salutation, 'Another Hello')
        self.assertGetIs(registry, AnotherGreeting, AnotherGreeting)
        # Not for GObject itself.
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, GObject.Object)

    def test_kind_omitted_answers_for_interfaces(self):
        registry = Hs.Registry()
        registry.register_type(gtype(PoliteGreeting), NONE, NONE)
        self.assertGetIs(registry, Gio.Initable, PoliteGreeting)
        self.assertGetIs(registry, Greeting, PoliteGreeting)

    def test_kind_given_answers_for_that_kind_only(self):
        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting), NONE)
        self.assertGetIs(registry, Greeting, AnotherGreeting)
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, AnotherGreeting)

    def test_kind_may_be_an_interface(self):
        registry = Hs.Registry()
        registry.register_type(gtype(PoliteGreeting), gtype(Gio.Initable), NONE)
        self.assertGetIs(registry, Gio.Initable, PoliteGreeting)
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, Greeting)

    def test_unregistered_type_is_not_constructed(self):
        registry = Hs.Registry()
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, Greeting)
        self.assertEqual(error.message, 'No kind “Greeting” in registry')


class TestContexts(RegistryTestCase):

    def setUp(self):
        self.registry = Hs.Registry()
        self.registry.register_type(gtype(Greeting), NONE, NONE)
        self.registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                                    gtype(FrenchCustomer))

    def test_context_given_to_get(self):
        self.assertGetIs(self.registry, Greeting, AnotherGreeting, FrenchCustomer())
        self.assertGetIs(self.registry, Greeting, Greeting, Customer())
        self.assertGetIs(self.registry, Greeting, Greeting, None)

    def test_registry_context_is_the_lookup_context(self):
        french = Hs.Registry(parent=self.registry, context=FrenchCustomer())
        plain = Hs.Registry(parent=self.registry, context=Customer())
        self.assertGetIs(french, Greeting, AnotherGreeting)
        self.assertGetIs(plain, Greeting, Greeting)
        # A context given to get beats the registry's own.
        self.assertGetIs(french, Greeting, Greeting, Customer())
        self.assertGetIs(plain, Greeting, AnotherGreeting, FrenchCustomer())

    def test_context_registration_never_matches_without_context(self):
        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                               gtype(Customer))
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, Greeting)
        self.assertEqual(error.message, 'No kind “Greeting” in registry')
        self.assertGetIs(registry, Greeting, AnotherGreeting, FrenchCustomer())

    def test_not_found_names_the_context_type(self):
        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                               gtype(FrenchCustomer))
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND,
                                   get, registry, Greeting, Customer())
        self.assertEqual(error.message,
                         'No kind “Greeting” for context “Customer” in registry')
        child = Hs.Registry(parent=registry, context=PoliteCustomer())
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND, get, child, Greeting)
        self.assertIn('“Greeting”', error.message)
        self.assertIn('“PoliteCustomer”', error.message)


class TestPrecedence(RegistryTestCase):

    def test_exact_context_beats_ancestor_in_either_order(self):
        for order in ((Customer, FrenchCustomer), (FrenchCustomer, Customer)):
            registry = Hs.Registry()
            impl = {Customer: Greeting, FrenchCustomer: AnotherGreeting}
            for context in order:
                registry.register_type(gtype(impl[context]), gtype(Greeting),
                                       gtype(context))
            self.assertGetIs(registry, Greeting, AnotherGreeting, FrenchCustomer())
            self.assertGetIs(registry, Greeting, Greeting, Customer())

    def test_nearer_ancestor_beats_farther(self):
        for nearer_first in (True, False):
            registry = Hs.Registry()
            regs = [(AnotherGreeting, Customer), (Greeting, GObject.Object)]
            if not nearer_first:
                regs.reverse()
            for impl, context in regs:
                registry.register_type(gtype(impl), gtype(Greeting), gtype(context))
            self.assertGetIs(registry, Greeting, AnotherGreeting, FrenchCustomer())
            # Only the farther one matches a context that is no Customer.
            self.assertGetIs(registry, Greeting, Greeting, Greeting())

    def test_class_beats_interface(self):
        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                               gtype(GObject.Object))
        registry.register_type(gtype(PoliteGreeting), gtype(Greeting),
                               gtype(Gio.Initable))
        self.assertGetIs(registry, Greeting, AnotherGreeting, PoliteCustomer())

    def test_interface_beats_any_context(self):
        registry = Hs.Registry()
        registry.register_type(gtype(PoliteGreeting), gtype(Greeting),
                               gtype(Gio.Initable))
        registry.register_type(gtype(Greeting), NONE, NONE)
        self.assertGetIs(registry, Greeting, PoliteGreeting, PoliteCustomer())
        self.assertGetIs(registry, Greeting, Greeting, Customer())

    def test_any_context_type_beats_any_context(self):
        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                               gtype(Customer))
        registry.register_type(gtype(Greeting), NONE, NONE)  # more recent
        self.assertGetIs(registry, Greeting, AnotherGreeting, Customer())

    def test_most_recent_wins_among_equals(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeting), NONE, NONE)
        self.assertGetIs(registry, Greeting, Greeting)
        registry.register_type(gtype(AnotherGreeting), NONE, NONE)
        self.assertGetIs(registry, Greeting, AnotherGreeting)
        registry.register_type(gtype(Greeting), NONE, NONE)
        self.assertGetIs(registry, Greeting, Greeting)

    def test_same_thing_twice_is_a_newer_registration(self):
        registry = Hs.Registry()
        first = registry.register_type(gtype(Greeting), NONE, NONE)
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting), NONE)
        again = registry.register_type(gtype(Greeting), NONE, NONE)
        self.assertNotEqual(first, again)
        self.assertEqual(registry.lookup(gtype(Greeting), None).props.id, again)
        self.assertTrue(registry.unregister(again))
        self.assertGetIs(registry, Greeting, AnotherGreeting)


class TestChildRegistries(RegistryTestCase):

    def test_child_asks_parent(self):
        root = Hs.Registry()
        root.register_type(gtype(AnotherGreeting), NONE, NONE)
        child = Hs.Registry(parent=root)
        self.assertGetIs(child, Greeting, AnotherGreeting)

    def test_child_registration_beats_parent(self):
        root = Hs.Registry()
        root.register_type(gtype(Greeting), gtype(Greeting), gtype(FrenchCustomer))
        child = Hs.Registry(parent=root, context=FrenchCustomer())
        self.assertGetIs(child, Greeting, Greeting)
        # Context-free in the child beats context-specific in the parent.
        child.register_type(gtype(AnotherGreeting), NONE, NONE)
        self.assertGetIs(child, Greeting, AnotherGreeting)
        self.assertGetIs(root, Greeting, Greeting, FrenchCustomer())

    def test_parent_is_asked_with_the_same_lookup_context(self):
        root = Hs.Registry()
        root.register_type(gtype(Greeting), NONE, NONE)
        root.register_type(gtype(AnotherGreeting), gtype(Greeting),
                           gtype(FrenchCustomer))
        child = Hs.Registry(parent=root)
        child.register_type(gtype(Greeting), gtype(Greeting), gtype(Customer))
        # The child has a candidate for a Customer context: it decides.
        self.assertGetIs(child, Greeting, Greeting, FrenchCustomer())
        # No candidate in the child without a context: the root decides, with
        # the same (absent) context, then with a French one.
        grandchild = Hs.Registry(parent=Hs.Registry(parent=root),
                                 context=FrenchCustomer())
        self.assertGetIs(grandchild, Greeting, AnotherGreeting)

    def test_seed_story_per_request_child(self):
        root = Hs.Registry()
        root.register_type(gtype(Greeting), NONE, NONE)
        root.register_type(gtype(AnotherGreeting), gtype(Greeting),
                           gtype(FrenchCustomer))
        for customer, expected in ((FrenchCustomer(first_name='Marie'), AnotherGreeting),
                                   (Customer(first_name='Mary'), Greeting)):
            request = Hs.Registry(parent=root, context=customer)
            greeting = self.assertGetIs(request, Greeting, expected)
            self.assertEqual(greeting.props.salutation,
                             'Another Hello' if expected is AnotherGreeting else 'Hello')

    def test_child_sees_later_changes_of_parent(self):
        root = Hs.Registry()
        root.register_type(gtype(Greeting), NONE, NONE)
        child = Hs.Registry(parent=root)
        self.assertGetIs(child, Greeting, Greeting)
        reg_id = root.register_type(gtype(AnotherGreeting), NONE, NONE)
        self.assertGetIs(child, Greeting, AnotherGreeting)
        self.assertTrue(root.unregister(reg_id))
        self.assertGetIs(child, Greeting, Greeting)

    def test_child_registrations_do_not_reach_parent(self):
        root = Hs.Registry()
        child = Hs.Registry(parent=root)
        child.register_type(gtype(Greeting), NONE, NONE)
        self.assertGetIs(child, Greeting, Greeting)
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, root, Greeting)


class TestSingletons(RegistryTestCase):

    def test_same_object_each_get(self):
        registry = Hs.Registry()
        singleton = Greeting(salutation='I am a singleton')
        self.assertGreater(registry.register_instance(singleton, NONE, NONE), 0)
        self.assertIs(get(registry, Greeting), singleton)
        self.assertIs(get(registry, Greeting), singleton)
        self.assertEqual(singleton.props.salutation, 'I am a singleton')

    def test_kind_omitted_answers_for_ancestors(self):
        registry = Hs.Registry()
        singleton = AnotherGreeting()
        registry.register_instance(singleton, NONE, NONE)
        self.assertIs(get(registry, Greeting), singleton)
        self.assertIs(get(registry, AnotherGreeting), singleton)

    def test_kind_given(self):
        registry = Hs.Registry()
        singleton = AnotherGreeting()
        registry.register_instance(singleton, gtype(Greeting), NONE)
        self.assertIs(get(registry, Greeting), singleton)
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, AnotherGreeting)

    def test_singleton_beats_type_of_equal_specificity(self):
        registry = Hs.Registry()
        singleton = Greeting(salutation='I am a singleton')
        registry.register_instance(singleton, NONE, NONE)
        registry.register_type(gtype(AnotherGreeting), NONE, NONE)  # more recent
        self.assertIs(get(registry, Greeting), singleton)

        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting), gtype(Customer))
        registry.register_instance(singleton, gtype(Greeting), gtype(Customer))
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting), gtype(Customer))
        self.assertIs(get(registry, Greeting, Customer()), singleton)

    def test_singleton_beats_factory_of_equal_specificity(self):
        registry = Hs.Registry()
        singleton = Greeting()
        registry.register_instance(singleton, NONE, NONE)
        registry.register_factory(gtype(Greeting), NONE,
                                  lambda *args: AnotherGreeting())
        self.assertIs(get(registry, Greeting), singleton)

    def test_more_specific_type_beats_singleton(self):
        registry = Hs.Registry()
        singleton = Greeting()
        registry.register_instance(singleton, NONE, NONE)
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                               gtype(FrenchCustomer))
        self.assertGetIs(registry, Greeting, AnotherGreeting, FrenchCustomer())
        self.assertIs(get(registry, Greeting, Customer()), singleton)

    def test_most_recent_singleton_wins(self):
        registry = Hs.Registry()
        first, second = Greeting(), Greeting()
        registry.register_instance(first, NONE, NONE)
        second_id = registry.register_instance(second, NONE, NONE)
        self.assertIs(get(registry, Greeting), second)
        self.assertTrue(registry.unregister(second_id))
        self.assertIs(get(registry, Greeting), first)

    def test_registry_keeps_the_instance(self):
        finalized = []
        registry = Hs.Registry()
        singleton = Greeting(salutation='kept')
        singleton.weak_ref(lambda: finalized.append(True))
        reg_id = registry.register_instance(singleton, NONE, NONE)
        del singleton
        gc.collect()
        self.assertEqual(finalized, [])
        # A lookup caches the winner too; the Registration is dropped here.
        self.assertEqual(registry.lookup(gtype(Greeting), None).props.instance.props.salutation,
                         'kept')
        gc.collect()
        self.assertEqual(finalized, [])
        self.assertTrue(registry.unregister(reg_id))
        gc.collect()
        self.assertEqual(finalized, [True])

    # A get caches the winning registration: the stale cache entry must not
    # keep the unregistered singleton alive.
    def test_unregister_releases_a_singleton_that_was_got(self):
        finalized = []
        registry = Hs.Registry()
        singleton = Greeting(salutation='kept')
        singleton.weak_ref(lambda: finalized.append(True))
        reg_id = registry.register_instance(singleton, NONE, NONE)
        del singleton
        self.assertEqual(get(registry, Greeting).props.salutation, 'kept')
        gc.collect()
        self.assertEqual(finalized, [])
        self.assertTrue(registry.unregister(reg_id))
        gc.collect()
        self.assertEqual(finalized, [True])

    def test_objects_handed_out_survive_unregister(self):
        registry = Hs.Registry()
        singleton = Greeting(salutation='still here')
        reg_id = registry.register_instance(singleton, NONE, NONE)
        got = get(registry, Greeting)
        del singleton
        self.assertTrue(registry.unregister(reg_id))
        gc.collect()
        self.assertEqual(got.props.salutation, 'still here')


class TestOwnership(RegistryTestCase):
    """SPEC 4 Ownership: every get returns the caller's own reference."""

    def test_initially_unowned_subclass_is_owned(self):
        registry = Hs.Registry()
        registry.register_type(gtype(UnownedWidget), NONE, NONE)
        widget = registry.get(gtype(UnownedWidget), None)
        self.assertFalse(widget.is_floating())
        # The wrapper's reference is the caller's, and it is the only one.
        self.assertEqual(widget.__grefcount__, 1)
        gc.collect()
        self.assertEqual(widget.props.label, 'unowned')
        finalized = []
        widget.weak_ref(lambda: finalized.append(True))
        del widget
        gc.collect()
        self.assertEqual(finalized, [True])

    def test_initially_unowned_subclass_injected(self):
        registry = Hs.Registry()
        registry.register_type(gtype(UnownedWidget), NONE, NONE)
        registry.register_type(gtype(UnownedHolder), NONE, NONE)
        holder = registry.get(gtype(UnownedHolder), None)
        gc.collect()
        widget = holder.props.widget
        self.assertIsInstance(widget, UnownedWidget)
        self.assertEqual(widget.props.label, 'unowned')
        del widget
        gc.collect()
        # The holder's reference keeps it.
        self.assertEqual(holder.props.widget.__grefcount__, 1)
        self.assertEqual(holder.props.widget.props.label, 'unowned')


class TestProps(RegistryTestCase):

    def test_props_set_properties(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeting), NONE, NONE)
        greeting = registry.get_with_properties(gtype(Greeting), None, ['salutation'], ['Hello Prop'])
        self.assertIs(type(greeting), Greeting)
        self.assertEqual(greeting.props.salutation, 'Hello Prop')
        self.assertEqual(get(registry, Greeting).props.salutation, 'Hello')

    def test_props_on_subclass(self):
        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), NONE, NONE)
        greeting = self.assertGetIs(registry, Greeting, AnotherGreeting,
                                    salutation='Hello Prop')
        self.assertEqual(greeting.props.salutation, 'Hello Prop')

    def test_props_exclude_singletons(self):
        registry = Hs.Registry()
        singleton = Greeting(salutation='I am a singleton')
        registry.register_type(gtype(AnotherGreeting), NONE, NONE)
        registry.register_instance(singleton, NONE, NONE)
        self.assertIs(get(registry, Greeting), singleton)
        greeting = self.assertGetIs(registry, Greeting, AnotherGreeting,
                                    salutation='Hello Prop')
        self.assertEqual(greeting.props.salutation, 'Hello Prop')
        self.assertEqual(singleton.props.salutation, 'I am a singleton')

    def test_props_with_only_a_singleton_is_not_found(self):
        registry = Hs.Registry()
        registry.register_instance(Greeting(), NONE, NONE)
        self.assertHsError(Hs.RegistryError.NOT_FOUND,
                           lambda: get(registry, Greeting, salutation='Hello Prop'))
        # The lookup (a get without props) still finds it.
        self.assertEqual(registry.lookup(gtype(Greeting), None).props.registration_type,
                         Hs.RegistrationType.INSTANCE)

    def test_props_singleton_in_child_does_not_hide_parent_type(self):
        root = Hs.Registry()
        root.register_type(gtype(AnotherGreeting), NONE, NONE)
        child = Hs.Registry(parent=root)
        child.register_instance(Greeting(), NONE, NONE)
        self.assertGetIs(child, Greeting, Greeting)
        self.assertGetIs(child, Greeting, AnotherGreeting, salutation='Hello Prop')

    def test_values_are_converted(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeting), NONE, NONE)
        greeting = get(registry, Greeting, salutation=42)
        self.assertEqual(greeting.props.salutation, '42')


class TestFactories(RegistryTestCase):

    def test_factory_receives_registry_context_and_props(self):
        calls = []

        def factory(registry, context, n_properties, names, values):
            calls.append((registry, context, n_properties, list(names), list(values)))
            return AnotherGreeting(**{n: v for n, v in zip(names, values)})

        root = Hs.Registry()
        self.assertGreater(root.register_factory(gtype(Greeting), NONE, factory), 0)
        customer = Customer(first_name='Ann')
        child = Hs.Registry(parent=root, context=customer)

        greeting = self.assertGetIs(child, Greeting, AnotherGreeting,
                                    salutation='Hello Prop')
        self.assertEqual(greeting.props.salutation, 'Hello Prop')
        registry, context, n_properties, names, values = calls[-1]
        self.assertIs(registry, child)  # the building registry
        self.assertIs(context, customer)
        self.assertEqual(n_properties, 1)
        self.assertEqual(names, ['salutation'])
        self.assertEqual(values, ['Hello Prop'])

        french = FrenchCustomer()
        self.assertGetIs(root, Greeting, AnotherGreeting, french)
        registry, context, n_properties, names, values = calls[-1]
        self.assertIs(registry, root)
        self.assertIs(context, french)
        self.assertEqual((n_properties, names, values), (0, [], []))

        self.assertGetIs(root, Greeting, AnotherGreeting)
        self.assertIsNone(calls[-1][1])
        self.assertEqual(len(calls), 3)

    def test_factory_called_on_each_get(self):
        made = []

        def factory(*args):
            made.append(Greeting(salutation=f'Hello {len(made)}'))
            return made[-1]

        registry = Hs.Registry()
        registry.register_factory(gtype(Greeting), NONE, factory)
        self.assertEqual(get(registry, Greeting).props.salutation, 'Hello 0')
        self.assertEqual(get(registry, Greeting).props.salutation, 'Hello 1')

    def test_factory_for_a_context_type(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeting), NONE, NONE)
        registry.register_factory(
            gtype(Greeting), gtype(FrenchCustomer),
            lambda reg, ctx, n, names, values: AnotherGreeting(
                salutation='Bonjour ' + ctx.props.first_name))
        greeting = self.assertGetIs(registry, Greeting, AnotherGreeting,
                                    FrenchCustomer(first_name='Marie'))
        self.assertEqual(greeting.props.salutation, 'Bonjour Marie')
        self.assertGetIs(registry, Greeting, Greeting, Customer())

    def test_factory_calls_back_into_the_registry(self):
        def factory(registry, context, n_properties, names, values):
            customer = registry.get(gtype(Customer), None)
            # Registering from inside a factory must not deadlock either.
            reg_id = registry.register_type(gtype(AnotherGreeting), gtype(AnotherGreeting), NONE)
            inner = registry.get(gtype(AnotherGreeting))
            registry.unregister(reg_id)
            return Greeting(salutation=f'{inner.props.salutation} {customer.props.first_name}')

        registry = Hs.Registry()
        registry.register_instance(Customer(first_name='Bob'), NONE, NONE)
        registry.register_factory(gtype(Greeting), NONE, factory)
        self.assertEqual(get(registry, Greeting).props.salutation, 'Another Hello Bob')
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, AnotherGreeting)

    def test_factory_error_propagates_unchanged(self):
        def factory(*args):
            raise GLib.Error.new_literal(Gio.io_error_quark(), 'no greeting today',
                                         Gio.IOErrorEnum.PERMISSION_DENIED)

        registry = Hs.Registry()
        registry.register_factory(gtype(Greeting), NONE, factory)
        with self.assertRaises(GLib.Error) as cm:
            get(registry, Greeting)
        self.assertTrue(cm.exception.matches(Gio.io_error_quark(),
                                             Gio.IOErrorEnum.PERMISSION_DENIED))
        self.assertEqual(cm.exception.message, 'no greeting today')

    def test_factory_returning_nothing(self):
        registry = Hs.Registry()
        registry.register_factory(gtype(Greeting), NONE, lambda *args: None)
        error = self.assertHsError(Hs.RegistryError.FACTORY_FAILED, get, registry, Greeting)
        self.assertIn('“Greeting”', error.message)

    def test_factory_returning_the_wrong_kind(self):
        registry = Hs.Registry()
        registry.register_factory(gtype(Greeting), NONE, lambda *args: Customer())
        error = self.assertHsError(Hs.RegistryError.FACTORY_FAILED, get, registry, Greeting)
        self.assertIn('“Greeting”', error.message)
        self.assertIn('“Customer”', error.message)

    def test_factory_needs_a_kind(self):
        registry = Hs.Registry()
        self.assertHsError(Hs.RegistryError.INVALID_REGISTRATION,
                           registry.register_factory, NONE, NONE, lambda *args: Greeting())
        self.assertIsNone(registry.lookup(gtype(Greeting), None))

    class Factory:
        """A callable that holds a probe object, to see when it is dropped."""

        def __init__(self, finalized, tag):
            self.probe = Greeting()
            self.probe.weak_ref(lambda: finalized.append(tag))

        def __call__(self, *args):
            return Greeting()

    def test_factory_is_kept_then_released(self):
        finalized = []
        registry = Hs.Registry()
        reg_id = registry.register_factory(gtype(Greeting), NONE,
                                           self.Factory(finalized, 'registered'))
        gc.collect()
        self.assertEqual(finalized, [])
        self.assertTrue(registry.unregister(reg_id))
        gc.collect()
        self.assertEqual(finalized, ['registered'])

    def test_refused_factory_is_released(self):
        finalized = []
        registry = Hs.Registry()
        # Held in a variable: a GObject weak-ref callback run while the
        # exception unwinds would hit a PyGObject limitation.
        factory = self.Factory(finalized, 'refused')
        with self.assertRaises(GLib.Error):
            registry.register_factory(gtype(Greeting), GObject.TYPE_INT, factory)
        del factory
        gc.collect()
        self.assertEqual(finalized, ['refused'])

    # As for singletons: a stale cache entry must not keep the factory.
    def test_unregister_releases_a_factory_that_was_used(self):
        finalized = []
        registry = Hs.Registry()
        reg_id = registry.register_factory(gtype(Greeting), NONE,
                                           self.Factory(finalized, 'used'))
        self.assertIs(type(get(registry, Greeting)), Greeting)
        self.assertTrue(registry.unregister(reg_id))
        gc.collect()
        self.assertEqual(finalized, ['used'])


class TestUnregister(RegistryTestCase):

    def test_true_then_false(self):
        registry = Hs.Registry()
        reg_id = registry.register_type(gtype(Greeting), NONE, NONE)
        self.assertTrue(registry.unregister(reg_id))
        self.assertFalse(registry.unregister(reg_id))
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, Greeting)

    def test_unknown_id(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeting), NONE, NONE)
        self.assertFalse(registry.unregister(0))
        self.assertFalse(registry.unregister(0x7fffffff))
        self.assertGetIs(registry, Greeting, Greeting)

    def test_only_this_registrys_ids(self):
        root = Hs.Registry()
        child = Hs.Registry(parent=root)
        reg_id = root.register_type(gtype(Greeting), NONE, NONE)
        self.assertFalse(child.unregister(reg_id))
        self.assertGetIs(child, Greeting, Greeting)
        self.assertTrue(root.unregister(reg_id))
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, child, Greeting)

    def test_removes_one_registration(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeting), NONE, NONE)
        another = registry.register_type(gtype(AnotherGreeting), NONE, NONE)
        self.assertGetIs(registry, Greeting, AnotherGreeting)
        self.assertTrue(registry.unregister(another))
        self.assertGetIs(registry, Greeting, Greeting)
        self.assertHsError(Hs.RegistryError.NOT_FOUND, get, registry, AnotherGreeting)

    def test_every_registration_type(self):
        registry = Hs.Registry()
        type_id = registry.register_type(gtype(Greeting), NONE, NONE)
        instance_id = registry.register_instance(Greeting(), NONE, NONE)
        factory_id = registry.register_factory(gtype(Greeting), NONE,
                                               lambda *a: Greeting())
        self.assertEqual(len({type_id, instance_id, factory_id}), 3)
        # The singleton first, then the most recent of the others.
        for reg_id in (instance_id, factory_id, type_id):
            self.assertEqual(registry.lookup(gtype(Greeting), None).props.id, reg_id)
            self.assertTrue(registry.unregister(reg_id))
        self.assertIsNone(registry.lookup(gtype(Greeting), None))


class TestLookup(RegistryTestCase):

    def test_type_registration(self):
        root = Hs.Registry()
        reg_id = root.register_type(gtype(AnotherGreeting), NONE, NONE)
        reg = root.lookup(gtype(Greeting), None)
        self.assertIsInstance(reg, Hs.Registration)
        self.assertEqual(reg.props.id, reg_id)
        self.assertEqual(reg.get_id(), reg_id)
        self.assertEqual(reg.props.registration_type, Hs.RegistrationType.TYPE)
        self.assertEqual(reg.get_registration_type(), Hs.RegistrationType.TYPE)
        self.assertEqual(reg.props.kind, gtype(AnotherGreeting))  # kind omitted
        self.assertEqual(reg.get_kind(), gtype(AnotherGreeting))
        self.assertEqual(reg.props.implementation_type, gtype(AnotherGreeting))
        self.assertEqual(reg.get_implementation_type(), gtype(AnotherGreeting))
        self.assertEqual(reg.props.context_type, GObject.TYPE_INVALID)
        self.assertIsNone(reg.props.instance)
        self.assertIs(reg.props.registry, root)
        self.assertIs(reg.get_registry(), root)

    def test_kind_and_context_given(self):
        registry = Hs.Registry()
        registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                               gtype(FrenchCustomer))
        self.assertIsNone(registry.lookup(gtype(Greeting), Customer()))
        self.assertIsNone(registry.lookup(gtype(Greeting), None))
        reg = registry.lookup(gtype(Greeting), FrenchCustomer())
        self.assertEqual(reg.props.kind, gtype(Greeting))
        self.assertEqual(reg.props.implementation_type, gtype(AnotherGreeting))
        self.assertEqual(reg.props.context_type, gtype(FrenchCustomer))
        self.assertEqual(reg.get_context_type(), gtype(FrenchCustomer))
        # The registry's own context is the lookup context.
        child = Hs.Registry(parent=registry, context=FrenchCustomer())
        reg = child.lookup(gtype(Greeting), None)
        self.assertIs(reg.props.registry, registry)
        self.assertEqual(reg.props.context_type, gtype(FrenchCustomer))

    def test_instance_registration(self):
        registry = Hs.Registry()
        singleton = Greeting()
        reg_id = registry.register_instance(singleton, NONE, NONE)
        reg = registry.lookup(gtype(Greeting), None)
        self.assertEqual(reg.props.id, reg_id)
        self.assertEqual(reg.props.registration_type, Hs.RegistrationType.INSTANCE)
        self.assertIs(reg.props.instance, singleton)
        self.assertIs(reg.get_instance(), singleton)
        self.assertEqual(reg.props.implementation_type, gtype(Greeting))

    def test_factory_registration_builds_nothing(self):
        calls = []
        registry = Hs.Registry()
        reg_id = registry.register_factory(gtype(Greeting), gtype(Customer),
                                           lambda *a: calls.append(a) or Greeting())
        reg = registry.lookup(gtype(Greeting), Customer())
        self.assertEqual(reg.props.id, reg_id)
        self.assertEqual(reg.props.registration_type, Hs.RegistrationType.FACTORY)
        self.assertEqual(reg.props.kind, gtype(Greeting))
        self.assertEqual(reg.props.implementation_type, GObject.TYPE_INVALID)
        self.assertEqual(reg.props.context_type, gtype(Customer))
        self.assertIs(reg.props.registry, registry)
        self.assertEqual(calls, [])

    def test_lookup_without_candidate(self):
        registry = Hs.Registry()
        self.assertIsNone(registry.lookup(gtype(Greeting), None))
        self.assertIsNone(registry.lookup(GObject.TYPE_INT, None))

    def test_explain(self):
        registry = Hs.Registry()
        plain = registry.register_type(gtype(Greeting), NONE, NONE)
        french = registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                                        gtype(Customer))
        text = registry.explain(gtype(Greeting), FrenchCustomer())
        self.assertIsInstance(text, str)
        self.assertIn(': 2 candidates', text)
        self.assertIn(f'1. #{french} type “{gtype(AnotherGreeting).name}”, '
                      f'context “{gtype(Customer).name}”', text)
        self.assertIn(f'2. #{plain} type “{gtype(Greeting).name}”, any context, '
                      'transient', text)
        self.assertIn('this registry decides, by context specificity', text)
        self.assertIn(f'winner: #{french}', text)
        self.assertIn(f'nothing answers: No kind “{gtype(Customer).name}” in registry',
                      registry.explain(gtype(Customer), None))


class TestRegistrationErrors(RegistryTestCase):

    def setUp(self):
        self.registry = Hs.Registry()
        self.registry.register_type(gtype(Greeting), NONE, NONE)
        self.registry.register_type(gtype(AnotherGreeting), gtype(Greeting),
                                    gtype(FrenchCustomer))
        self.singleton = Customer(first_name='Sam')
        self.registry.register_instance(self.singleton, NONE, NONE)
        self.contexts = [None, Customer(), FrenchCustomer(), PoliteCustomer()]
        self.before = self.snapshot(self.registry, self.contexts)

    def assertRefused(self, func, *args):
        error = self.assertHsError(Hs.RegistryError.INVALID_REGISTRATION, func, *args)
        self.assertEqual(self.snapshot(self.registry, self.contexts), self.before)
        self.assertIs(type(get(self.registry, Greeting)), Greeting)
        self.assertIs(type(get(self.registry, Greeting, FrenchCustomer())), AnotherGreeting)
        self.assertIs(get(self.registry, Customer), self.singleton)
        return error

    def test_abstract_type(self):
        error = self.assertRefused(self.registry.register_type,
                                   gtype(Gio.InputStream), NONE, NONE)
        self.assertIn('GInputStream', error.message)

    def test_interface_as_implementation(self):
        self.assertRefused(self.registry.register_type, gtype(Gio.Initable), NONE, NONE)

    def test_not_an_object_type(self):
        self.assertRefused(self.registry.register_type, GObject.TYPE_STRING, NONE, NONE)
        self.assertRefused(self.registry.register_type, GObject.TYPE_NONE, NONE, NONE)

    def test_not_a_kind_of(self):
        error = self.assertRefused(self.registry.register_type,
                                   gtype(Customer), gtype(Greeting), NONE)
        self.assertIn('“Customer”', error.message)
        self.assertIn('“Greeting”', error.message)
        self.assertRefused(self.registry.register_type,
                           gtype(Greeting), gtype(AnotherGreeting), NONE)
        self.assertRefused(self.registry.register_type,
                           gtype(Greeting), gtype(Gio.Initable), NONE)

    def test_bad_kind(self):
        self.assertRefused(self.registry.register_type,
                           gtype(Greeting), GObject.TYPE_INT, NONE)

    def test_bad_context_type(self):
        error = self.assertRefused(self.registry.register_type,
                                   gtype(AnotherGreeting), NONE, GObject.TYPE_INT)
        self.assertIn('gint', error.message)
        self.assertRefused(self.registry.register_type,
                           gtype(AnotherGreeting), NONE, GObject.TYPE_STRING)

    def test_instance_not_a_kind_of(self):
        self.assertRefused(self.registry.register_instance,
                           Customer(), gtype(Greeting), NONE)
        self.assertRefused(self.registry.register_instance,
                           AnotherGreeting(), NONE, GObject.TYPE_INT)

    def test_factory_bad_kind_or_context(self):
        def factory(*args):
            return AnotherGreeting()

        self.assertRefused(self.registry.register_factory,
                           GObject.TYPE_INT, NONE, factory)
        self.assertRefused(self.registry.register_factory,
                           gtype(Greeting), GObject.TYPE_DOUBLE, factory)
        self.assertRefused(self.registry.register_factory, NONE, NONE, factory)


class TestPropertyErrors(RegistryTestCase):

    def setUp(self):
        self.registry = Hs.Registry()
        self.registry.register_type(gtype(ReadOnlyGreeting), NONE, NONE)

    def assertStillAnswers(self):
        greeting = get(self.registry, Greeting)
        self.assertIs(type(greeting), ReadOnlyGreeting)
        self.assertEqual(greeting.props.salutation, 'Hello')

    def assertBadProp(self, name, value):
        """A get with the prop name=value is INVALID_PROPERTY, names the
        property and the type, and leaves the registry as it was."""
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   self.registry.get_with_properties, gtype(Greeting), None,
                                   [name], [value])
        self.assertIn(name, error.message)
        self.assertIn('ReadOnlyGreeting', error.message)
        self.assertStillAnswers()

    def test_unknown_property(self):
        self.assertBadProp('no-such-thing', 'x')

    def test_read_only_property(self):
        self.assertBadProp('frozen', 'water')

    def test_unconvertible_value(self):
        self.assertBadProp('salutation', Customer())

    def test_property_given_twice(self):
        self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                           self.registry.get_with_properties, gtype(Greeting), None,
                           ['salutation', 'salutation'], ['a', 'b'])
        self.assertStillAnswers()

    def test_good_props_after_bad(self):
        with self.assertRaises(GLib.Error):
            self.registry.get_with_properties(gtype(Greeting), None, ['frozen'], ['water'])
        greeting = self.registry.get_with_properties(gtype(Greeting), None, ['salutation'], ['Hello Prop'])
        self.assertEqual(greeting.props.salutation, 'Hello Prop')
        self.assertEqual(greeting.props.frozen, 'ice')


if __name__ == '__main__':
    unittest.main(verbosity=2)
