# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The PyGObject override (hopscotch/Hs.py, SPEC 8): every example of the
# original hopscotch documentation of the registry and of injection, through
# the Pythonic API -- Hs.Registry(parent, context), register(), get(**props),
# @Hs.injectable and scan() (of a module and of a package: tests/hsfixtures),
# setup(), the injection helpers -- and the introspected API, which must keep
# working through the override. Runs against the uninstalled build: meson test
# puts the build's pygobject/ directory (holding gi/overrides/Hs.py) first in
# PYTHONPATH, and GI_TYPELIB_PATH into the build tree.

import gc
import os
import sys
import threading
import types
import typing
import unittest
from typing import ClassVar, Optional

import gi

gi.require_version('Hs', '1')
from gi.repository import Gio, GLib, GObject, Hs  # noqa: E402

import hsfixtures  # noqa: E402  (next to this file, so on sys.path)
from hsfixtures import greeters as fixture_greeters  # noqa: E402
from hsfixtures import greetings as fixture_greetings  # noqa: E402


# The seed story, written in Python, as the original documentation has it.

class Greeting(GObject.Object):
    __gtype_name__ = 'OvGreeting'
    salutation = GObject.Property(type=str, default='Hello')


class AnotherGreeting(Greeting):
    __gtype_name__ = 'OvAnotherGreeting'
    salutation = GObject.Property(type=str, default='Another Hello')


class Customer(GObject.Object):
    __gtype_name__ = 'OvCustomer'
    first_name = GObject.Property(type=str, default='')


class FrenchCustomer(Customer):
    __gtype_name__ = 'OvFrenchCustomer'


class Greeter(GObject.Object):
    """Injection by type: a Greeting and a Customer."""
    __gtype_name__ = 'OvGreeter'
    greeting = GObject.Property(type=Greeting)
    customer = GObject.Property(type=Customer)


class GreeterGetAnother(Greeter):
    """The original's `greeting: Greeting = get(AnotherGreeting)`."""
    __gtype_name__ = 'OvGreeterGetAnother'
    another = Hs.Property(type=Greeting, inject=Hs.Get(AnotherGreeting))


class GreeterFirstName(Greeter):
    """The original's `customer_name: str = get(Customer, attr="first_name")`."""
    __gtype_name__ = 'OvGreeterFirstName'
    customer_name = Hs.Property(type=str, inject=Hs.Get(Customer, attr='first_name'))


class GreeterFrenchCustomer(Greeter):
    """The original's `customer_name: str = context(attr="first_name")`."""
    __gtype_name__ = 'OvGreeterFrenchCustomer'
    customer_name = Hs.Property(type=str, inject=Hs.Context(attr='first_name'))
    cache = Hs.Property(type=Greeting, inject=Hs.Skip())


class Plain(GObject.Object):
    """Annotated with the class-level helpers, after the class exists."""
    __gtype_name__ = 'OvPlain'
    name = GObject.Property(type=str, default='')
    salutation = GObject.Property(type=str, default='')
    greeting = GObject.Property(type=Greeting)
    count = GObject.Property(type=GObject.TYPE_INT64, default=0)
    weight = GObject.Property(type=float, default=0.0)


Hs.inject_context(Plain, 'name', attr='first_name')
Hs.inject_get(Plain, 'salutation', Greeting, attr='salutation')
Hs.inject_skip(Plain, 'greeting')


# Decorated here, for scan() of this module.

@Hs.injectable()
class ScannedGreeting(Greeting):
    __gtype_name__ = 'OvScannedGreeting'
    salutation = GObject.Property(type=str, default='Scanned Hello')


@Hs.injectable(kind=Greeting, context=FrenchCustomer)
@Hs.injectable(kind=ScannedGreeting, context=FrenchCustomer)
class ScannedFrenchGreeting(ScannedGreeting):
    __gtype_name__ = 'OvScannedFrenchGreeting'
    salutation = GObject.Property(type=str, default='Bonjour')


def hopscotch_setup(registry):
    registry.register(Customer(first_name='set up'))
    return 'done'


class OverrideTestCase(unittest.TestCase):

    def assertHsError(self, code, func, *args, **kwargs):
        """Runs func, which must raise a GLib.Error of HS_REGISTRY_ERROR code."""
        with self.assertRaises(GLib.Error) as cm:
            func(*args, **kwargs)
        error = cm.exception
        self.assertTrue(error.matches(Hs.registry_error_quark(), code),
                        f'expected HsRegistryError {code!r}, got {error!r}')
        return error


class TestTheOverrideIsUsed(OverrideTestCase):

    def test_loaded_from_pythonpath(self):
        import gi.overrides.Hs as override
        self.assertIs(Hs.Registry, override.Registry)
        # The copy PYTHONPATH points at (the build tree's, when run by meson
        # test), not one installed elsewhere that would shadow it.
        roots = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep)
                 if os.path.exists(os.path.join(p, 'gi', 'overrides', 'Hs.py'))]
        if roots:
            self.assertEqual(os.path.realpath(override.__file__),
                             os.path.realpath(os.path.join(roots[0], 'gi', 'overrides', 'Hs.py')))

    def test_gtype_pytype_is_the_override(self):
        self.assertIs(Hs.Registry.__gtype__.pytype, Hs.Registry)
        root = Hs.Registry()
        child = Hs.Registry.new(root, None)  # built by C, wrapped by Python
        self.assertIsInstance(child, Hs.Registry)
        self.assertIs(type(child.parent), Hs.Registry)


class TestCreatingARegistry(OverrideTestCase):
    """'Creating a Registry' and 'Context' of the registry documentation."""

    def test_plain(self):
        registry = Hs.Registry()
        self.assertIsNone(registry.parent)
        self.assertIsNone(registry.context)

    def test_parent_and_context(self):
        registry = Hs.Registry()
        customer = Customer(first_name='mary')
        child = Hs.Registry(parent=registry, context=customer)
        self.assertIsNone(registry.context)
        self.assertIs(child.parent, registry)
        self.assertEqual(child.context.props.first_name, 'mary')
        # Positional, like the original.
        self.assertIs(Hs.Registry(registry, customer).context, customer)

    def test_child_takes_its_parents_context(self):
        customer = Customer()
        parent = Hs.Registry(context=customer)
        self.assertIs(Hs.Registry(parent=parent).context, customer)

    def test_parent_and_context_are_read_only_attributes(self):
        registry = Hs.Registry()
        with self.assertRaises(AttributeError):
            registry.context = Customer()


class TestRegistering(OverrideTestCase):
    """'Registering Things', 'Retrieving', 'Parent Registries' and 'Context'."""

    def test_kind_of(self):
        registry = Hs.Registry()
        self.assertGreater(registry.register(Greeting), 0)
        registry.register(AnotherGreeting, kind=Greeting)
        greeting = registry.get(Greeting)
        self.assertIs(type(greeting), AnotherGreeting)
        self.assertEqual(greeting.props.salutation, 'Another Hello')

    def test_ids(self):
        registry = Hs.Registry()
        ids = {registry.register(Greeting), registry.register(Greeting()),
               registry.register(lambda registry, context: Greeting(), kind=Greeting)}
        self.assertEqual(len(ids), 3)
        self.assertTrue(registry.unregister(max(ids)))

    def test_parent_registries(self):
        registry = Hs.Registry()
        registry.register(AnotherGreeting, kind=Greeting)
        child_registry = Hs.Registry(parent=registry)
        self.assertEqual(child_registry.get(Greeting).props.salutation, 'Another Hello')

    def test_context(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(AnotherGreeting, context=FrenchCustomer)

        child_registry = Hs.Registry(parent=registry, context=None)
        self.assertEqual(child_registry.get(Greeting).props.salutation, 'Hello')
        self.assertEqual(registry.get(Greeting).props.salutation, 'Hello')
        mary = Customer(first_name='mary')
        self.assertEqual(Hs.Registry(parent=registry, context=mary)
                         .get(Greeting).props.salutation, 'Hello')

        customer = FrenchCustomer(first_name='marie')
        child_registry = Hs.Registry(parent=registry, context=customer)
        self.assertEqual(child_registry.get(Greeting).props.salutation, 'Another Hello')
        # A context given to get, on a registry without one.
        self.assertEqual(registry.get(Greeting, context=customer).props.salutation,
                         'Another Hello')
        self.assertEqual(registry.get(Greeting, customer).props.salutation,
                         'Another Hello')

    def test_kinds_and_contexts_as_gtypes(self):
        registry = Hs.Registry()
        registry.register(Greeting.__gtype__)
        registry.register(AnotherGreeting.__gtype__, kind=Greeting.__gtype__,
                          context=FrenchCustomer.__gtype__)
        self.assertIs(type(registry.get(Greeting.__gtype__, FrenchCustomer())),
                      AnotherGreeting)

    def test_interface_kind_and_context(self):
        registry = Hs.Registry()
        registry.register(Gio.SimpleAction(name='quit'), kind=Gio.Action)
        self.assertEqual(registry.get(Gio.Action).props.name, 'quit')
        registry.register(AnotherGreeting, kind=Greeting, context=Gio.Action)
        self.assertIs(type(registry.get(Greeting, Gio.SimpleAction(name='x'))),
                      AnotherGreeting)

    def test_lookup(self):
        registry = Hs.Registry()
        reg_id = registry.register(AnotherGreeting, kind=Greeting, context=FrenchCustomer)
        self.assertIsNone(registry.lookup(Greeting))
        registration = registry.lookup(Greeting, FrenchCustomer())
        self.assertEqual(registration.props.id, reg_id)
        self.assertEqual(registration.props.implementation_type, AnotherGreeting.__gtype__)

    def test_not_a_kind_of(self):
        registry = Hs.Registry()
        error = self.assertHsError(Hs.RegistryError.INVALID_REGISTRATION,
                                   registry.register, Customer, kind=Greeting)
        self.assertIn('OvCustomer', error.message)
        self.assertIn('OvGreeting', error.message)

    def test_bad_arguments_are_type_errors(self):
        registry = Hs.Registry()

        class NotAGObject:
            pass

        for bad in (42, 'Greeting', NotAGObject):
            with self.subTest(bad=bad), self.assertRaises(TypeError):
                registry.register(bad)
        with self.assertRaises(TypeError):
            registry.register(Greeting, kind=42)
        with self.assertRaises(TypeError):
            registry.register(Greeting, context=Customer())  # an instance
        with self.assertRaises(TypeError):
            registry.get(NotAGObject)
        with self.assertRaises(TypeError):
            registry.get(Greeting, None, 'three', 'positional', 'args')


class TestSingletons(OverrideTestCase):
    """'Singletons' of the registry documentation."""

    def test_singleton(self):
        greeting = Greeting(salutation='I am a singleton')
        registry = Hs.Registry()
        registry.register(greeting)
        got = registry.get(Greeting)
        self.assertIs(got, greeting)
        self.assertEqual(got.props.salutation, 'I am a singleton')

    def test_singleton_as_a_kind_beats_a_type(self):
        # The original documentation states that singletons win ("this is the
        # answer in this registry") but prints 'Hello'; the contract follows
        # the stated intent (SPEC 3.2).
        greeting = AnotherGreeting()
        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(greeting, kind=Greeting)
        self.assertIs(registry.get(Greeting), greeting)
        self.assertEqual(registry.get(Greeting).props.salutation, 'Another Hello')

    def test_props_pass_singletons_over(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(AnotherGreeting(), kind=Greeting)
        greeting = registry.get(Greeting, salutation='Hello Prop')
        self.assertIs(type(greeting), Greeting)
        self.assertEqual(greeting.props.salutation, 'Hello Prop')


class TestProps(OverrideTestCase):
    """'Props' of both documentation pages."""

    def test_props(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        greeting = registry.get(Greeting, salutation='Hello Prop')
        self.assertEqual(greeting.props.salutation, 'Hello Prop')

    def test_python_names(self):
        registry = Hs.Registry()
        registry.register(Customer)
        self.assertEqual(registry.get(Customer, first_name='Ann').props.first_name, 'Ann')
        # Property names work too, through a dict.
        self.assertEqual(registry.get(Customer, **{'first-name': 'Bo'}).props.first_name, 'Bo')

    def test_values_are_typed_by_the_kinds_property(self):
        registry = Hs.Registry()
        registry.register(Plain)
        registry.register(Greeting)  # for the annotation of salutation
        plain = registry.get(Plain, count=2 ** 40, weight=3, name=None,
                             greeting=Greeting(salutation='given'))
        self.assertEqual(plain.props.count, 2 ** 40)
        self.assertEqual(plain.props.weight, 3.0)
        self.assertIsNone(plain.props.name)
        self.assertEqual(plain.props.greeting.props.salutation, 'given')

    def test_plain_values_of_every_kind(self):
        # str, bool, float and objects go to the library as they are; an
        # object of a subclass of the property's type too.
        class Every(GObject.Object):
            __gtype_name__ = 'OvEvery'
            text = GObject.Property(type=str)
            flag = GObject.Property(type=bool, default=False)
            ratio = GObject.Property(type=float, default=0.0)
            greeting = GObject.Property(type=Greeting)
            small = GObject.Property(type=GObject.TYPE_UINT, default=0)

        registry = Hs.Registry()
        registry.register(Every)
        another = AnotherGreeting()
        every = registry.get(Every, text='é', flag=True, ratio=0.25, greeting=another,
                             small=7)
        self.assertEqual((every.props.text, every.props.flag, every.props.ratio, every.props.small),
                         ('é', True, 0.25, 7))
        self.assertIs(every.props.greeting, another)
        # A float for a bool, a str for a float: converted or refused as before.
        self.assertEqual(registry.get(Every, ratio=2).props.ratio, 2.0)
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   registry.get, Every, greeting=Customer())
        self.assertIsInstance(error, TypeError)
        self.assertIn('“greeting” of “OvEvery”', error.message)

    def test_values_the_library_converts(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        self.assertEqual(registry.get(Greeting, salutation=42).props.salutation, '42')
        value = GObject.Value(GObject.TYPE_STRING, 'as a GValue')
        self.assertEqual(registry.get(Greeting, salutation=value).props.salutation,
                         'as a GValue')

    def test_props_of_the_implementation_not_the_kind(self):
        class Extra(Greeting):
            __gtype_name__ = 'OvExtra'
            extra = GObject.Property(type=str, default='')

        registry = Hs.Registry()
        registry.register(Extra, kind=Greeting)
        self.assertEqual(registry.get(Greeting, extra='yes').props.extra, 'yes')
        with self.assertRaises(TypeError):
            registry.get(Greeting, extra=None)  # no type to tell from

    def test_values_the_property_cannot_take(self):
        class Typed(GObject.Object):
            __gtype_name__ = 'OvTyped'
            count = GObject.Property(type=GObject.TYPE_INT64, default=0)
            names = GObject.Property(type=GObject.TYPE_STRV)

        registry = Hs.Registry()
        registry.register(Typed)
        # Out of range: the range of the property, not that of a guessed gint.
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   registry.get, Typed, count=2 ** 63)
        self.assertIsInstance(error, ValueError)
        self.assertIn('“count” of “OvTyped”', error.message)
        self.assertIn('-9223372036854775808 to 9223372036854775807', error.message)
        self.assertNotIn('2147483647', error.message)
        # Of the wrong type: what the property takes.
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   registry.get, Typed, names='one')
        self.assertIsInstance(error, TypeError)
        self.assertIn('“names” of “OvTyped”', error.message)
        self.assertIn('GStrv', error.message)
        # An uninitialized GObject.Value: refused, never a critical.
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   registry.get, Typed, count=GObject.Value())
        self.assertIsInstance(error, TypeError)
        self.assertIn('“count” of “OvTyped”', error.message)
        typed = registry.get(Typed, count=2 ** 63 - 1, names=['one'])
        self.assertEqual((typed.props.count, typed.props.names), (2 ** 63 - 1, ['one']))

    def test_unknown_property(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   registry.get, Greeting, nonsense='x')
        self.assertIn('nonsense', error.message)
        self.assertIn('OvGreeting', error.message)


class TestKinds(OverrideTestCase):

    def test_kinds_as_classes_gtypes_or_none_again_and_again(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        for _ in range(3):
            self.assertIsInstance(registry.get(Greeting), Greeting)
            self.assertIsInstance(registry.get(Greeting.__gtype__), Greeting)
            self.assertIsNotNone(registry.lookup(Greeting, None))
        for wrong in (object, 'Greeting', [Greeting]):
            with self.assertRaises(TypeError):
                registry.get(wrong)


class TestFactories(OverrideTestCase):

    def test_factories_get_what_they_declare(self):
        # The original's callers: no argument, the registry, the context,
        # both, and props as keyword arguments.
        registry = Hs.Registry(context=FrenchCustomer(first_name='Marie'))
        seen = []

        def nothing():
            return Greeting(salutation='nothing')

        def with_registry(registry):
            seen.append(registry)
            return Greeting(salutation='registry')

        def with_context(context):
            return Greeting(salutation=context.props.first_name)

        def annotated(customer: Customer):
            return Greeting(salutation='annotated ' + customer.props.first_name)

        def with_props(salutation='default'):
            return Greeting(salutation=salutation)

        expected = [(nothing, 'nothing'), (with_registry, 'registry'),
                    (with_context, 'Marie'), (annotated, 'annotated Marie'),
                    (with_props, 'default')]
        for factory, salutation in expected:
            child = Hs.Registry(parent=registry)
            child.register(factory, kind=Greeting)
            self.assertEqual(child.get(Greeting).props.salutation, salutation)
        self.assertIsInstance(seen[0], Hs.Registry)
        child = Hs.Registry(parent=registry)
        child.register(with_props, kind=Greeting)
        self.assertEqual(child.get(Greeting, salutation='given').props.salutation, 'given')
        # A prop the factory does not take is its TypeError, as a failed get.
        child.register(nothing, kind=Greeting)
        error = self.assertHsError(Hs.RegistryError.FACTORY_FAILED,
                                   child.get, Greeting, salutation='x')
        self.assertIsInstance(error.__cause__, TypeError)

    def test_hopscotch_factory_class_method(self):
        class SelfMade(Greeting):
            __gtype_name__ = 'OvSelfMade'

            @classmethod
            def __hopscotch_factory__(cls, registry):
                return cls(salutation=registry.get(Customer).props.first_name)

        registry = Hs.Registry()
        registry.register(Customer(first_name='made by the class'))
        registry.register(SelfMade)
        made = registry.get(SelfMade)
        self.assertIsInstance(made, SelfMade)
        self.assertEqual(made.props.salutation, 'made by the class')
        # With a kind, for that kind.
        registry.register(SelfMade, kind=Greeting)
        self.assertIsInstance(registry.get(Greeting), SelfMade)

    def test_factory(self):
        calls = []

        def make_greeting(registry, context, **props):
            calls.append((registry, context, props))
            return AnotherGreeting(**props)

        root = Hs.Registry()
        self.assertGreater(root.register(make_greeting, kind=Greeting), 0)
        customer = Customer(first_name='Ann')
        child = Hs.Registry(parent=root, context=customer)
        greeting = child.get(Greeting, salutation='Hello Prop')
        self.assertIs(type(greeting), AnotherGreeting)
        self.assertEqual(greeting.props.salutation, 'Hello Prop')
        self.assertEqual(calls, [(child, customer, {'salutation': 'Hello Prop'})])

    def test_factory_props_use_python_names(self):
        registry = Hs.Registry()
        registry.register(lambda registry, context, first_name='?':
                          Customer(first_name=first_name.upper()), kind=Customer)
        self.assertEqual(registry.get(Customer, first_name='ann').props.first_name, 'ANN')

    def test_factory_for_a_context(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(lambda registry, context: AnotherGreeting(
            salutation='Bonjour ' + context.props.first_name),
            kind=Greeting, context=FrenchCustomer)
        greeting = registry.get(Greeting, FrenchCustomer(first_name='Marie'))
        self.assertEqual(greeting.props.salutation, 'Bonjour Marie')

    def test_a_factory_needs_a_kind(self):
        registry = Hs.Registry()
        self.assertHsError(Hs.RegistryError.INVALID_REGISTRATION,
                           registry.register, lambda registry, context: Greeting())

    def test_python_exception_in_a_factory(self):
        def broken(registry, context):
            raise ValueError('no greeting today')

        registry = Hs.Registry()
        registry.register(broken, kind=Greeting)
        error = self.assertHsError(Hs.RegistryError.FACTORY_FAILED, registry.get, Greeting)
        self.assertIn('OvGreeting', error.message)
        self.assertIn('ValueError: no greeting today', error.message)
        self.assertIsInstance(error.__cause__, ValueError)

    def test_python_exception_in_a_dependencys_factory(self):
        def broken(registry, context):
            raise KeyError('salutation')

        registry = Hs.Registry()
        registry.register(Greeter)
        registry.register(broken, kind=Greeting)
        error = self.assertHsError(Hs.RegistryError.FACTORY_FAILED, registry.get, Greeter)
        self.assertIn('OvGreeter', error.message)  # what it was building
        self.assertIsInstance(error.__cause__, KeyError)

    def test_python_exception_through_nested_factories(self):
        def inner(registry, context):
            raise RuntimeError('inner')

        def outer(registry, context):
            return Greeter(customer=registry.get(Customer))

        registry = Hs.Registry()
        registry.register(inner, kind=Customer)
        registry.register(outer, kind=Greeter)
        with self.assertRaises(GLib.Error) as cm:
            registry.get(Greeter)
        cause = cm.exception.__cause__
        while cause is not None and not isinstance(cause, RuntimeError):
            cause = cause.__cause__
        self.assertIsInstance(cause, RuntimeError)

    def test_glib_error_in_a_factory_is_unchanged(self):
        def denied(registry, context):
            raise GLib.Error.new_literal(Gio.io_error_quark(), 'denied',
                                         Gio.IOErrorEnum.PERMISSION_DENIED)

        registry = Hs.Registry()
        registry.register(denied, kind=Greeting)
        with self.assertRaises(GLib.Error) as cm:
            registry.get(Greeting)
        self.assertTrue(cm.exception.matches(Gio.io_error_quark(),
                                             Gio.IOErrorEnum.PERMISSION_DENIED))
        self.assertEqual(cm.exception.message, 'denied')

    def test_factory_returning_the_wrong_kind(self):
        registry = Hs.Registry()
        registry.register(lambda registry, context: Customer(), kind=Greeting)
        self.assertHsError(Hs.RegistryError.FACTORY_FAILED, registry.get, Greeting)

    def test_an_earlier_failure_is_not_blamed(self):
        registry = Hs.Registry()
        registry.register(lambda registry, context: 1 / 0, kind=Greeting)
        self.assertHsError(Hs.RegistryError.FACTORY_FAILED, registry.get, Greeting)
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND, registry.get, Customer)
        self.assertIsNone(error.__cause__)

    def test_factories_from_threads(self):
        registry = Hs.Registry()
        registry.register(lambda registry, context, salutation='':
                          Greeting(salutation=salutation), kind=Greeting)
        results = {}

        def work(n):
            results[n] = registry.get(Greeting, salutation=str(n)).props.salutation

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(results, {n: str(n) for n in range(8)})


class TestInjection(OverrideTestCase):
    """The injection documentation: the simplest case, operators, context."""

    def test_the_simplest_case(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(Greeter)
        greeter = registry.get(Greeter)
        self.assertEqual(greeter.props.greeting.props.salutation, 'Hello')

    def test_greeter_in_a_per_request_registry(self):
        root = Hs.Registry()
        root.register(Greeting)
        root.register(AnotherGreeting, kind=Greeting, context=FrenchCustomer)
        root.register(Greeter)
        marie = FrenchCustomer(first_name='Marie')
        greeter = Hs.Registry(parent=root, context=marie).get(Greeter)
        self.assertIs(type(greeter.props.greeting), AnotherGreeting)
        self.assertIs(greeter.props.customer, marie)

    def test_python_properties_are_marked_when_registered(self):
        # The library injects only construct-only and annotated properties;
        # the override marks the object properties a Python class declares.
        class Marked(GObject.Object):
            greeting = GObject.Property(type=Greeting)
            skipped = Hs.Property(type=Greeting, inject=Hs.Skip())

        class NotYet(GObject.Object):
            greeting = GObject.Property(type=Greeting)

        Hs.inject_skip(NotYet, 'greeting')   # before registering: it stays
        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(Marked)
        registry.register(NotYet)
        marked = registry.get(Marked)
        self.assertIsInstance(marked.props.greeting, Greeting)
        self.assertIsNone(marked.props.skipped)
        self.assertIsNone(registry.get(NotYet).props.greeting)

    def test_marking_a_class_that_implements_an_interface(self):
        # Interfaces in the class's MRO are not classes to mark.
        class Listing(GObject.Object, Gio.ListModel):
            greeting = GObject.Property(type=Greeting)

            def do_get_item_type(self):
                return Greeting.__gtype__

            def do_get_n_items(self):
                return 0

            def do_get_item(self, position):
                return None

        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(Listing)
        listing = registry.get(Gio.ListModel)
        self.assertIsInstance(listing.props.greeting, Greeting)

    def test_the_introspected_register_type_marks_too(self):
        class ViaIntrospection(GObject.Object):
            greeting = GObject.Property(type=Greeting)

        registry = Hs.Registry()
        registry.register(Greeting)
        Hs.Registry.register_type(registry, ViaIntrospection, None, None)
        self.assertIsInstance(registry.get(ViaIntrospection).props.greeting, Greeting)

    def test_inject_an_object_made_elsewhere(self):
        class MadeElsewhere(GObject.Object):
            greeting = GObject.Property(type=Greeting)
            customer = GObject.Property(type=Customer)

        registry = Hs.Registry(context=Customer(first_name='Jill'))
        registry.register(Greeting)
        obj = MadeElsewhere()
        self.assertIs(registry.inject(obj), obj)
        self.assertIsInstance(obj.props.greeting, Greeting)
        self.assertEqual(obj.props.customer.props.first_name, 'Jill')
        marie = FrenchCustomer(first_name='Marie')
        registry.inject(obj, marie)
        self.assertIs(obj.props.customer, marie)
        with self.assertRaises(TypeError):
            registry.inject(Greeting)

    def test_inject_failure_changes_nothing(self):
        class NeedsContext(GObject.Object):
            greeting = GObject.Property(type=Greeting)
            customer = Hs.Property(type=Customer, inject=Hs.Context())

        registry = Hs.Registry()
        registry.register(Greeting)
        obj = NeedsContext()
        with self.assertRaises(LookupError) as cm:
            registry.inject(obj)
        self.assertIn('customer', str(cm.exception))
        self.assertIsNone(obj.props.greeting)

    def test_build_a_class_that_is_not_registered(self):
        class View(GObject.Object):
            greeting = GObject.Property(type=Greeting)
            customer = GObject.Property(type=Customer)
            title = GObject.Property(type=str, default='')

        root = Hs.Registry()
        root.register(Greeting)
        root.register(AnotherGreeting, kind=Greeting, context=FrenchCustomer)
        marie = FrenchCustomer(first_name='Marie')
        request = Hs.Registry(parent=root, context=marie)
        view = request.build(View, title='Hello')
        self.assertIsInstance(view, View)
        self.assertEqual(view.props.title, 'Hello')
        self.assertIs(type(view.props.greeting), AnotherGreeting)
        self.assertIs(view.props.customer, marie)
        # Still not registered.
        with self.assertRaises(LookupError):
            request.get(View)
        with self.assertRaises(TypeError):
            request.build(object)

    def test_get_operator(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        # Not `kind=Greeting` as in the original: then nothing would answer
        # get(AnotherGreeting), and unregistered types are not built.
        registry.register(AnotherGreeting)
        registry.register(GreeterGetAnother, kind=Greeter)
        greeter = registry.get(Greeter)
        self.assertIs(type(greeter), GreeterGetAnother)
        self.assertEqual(greeter.props.another.props.salutation, 'Another Hello')

    def test_get_operator_with_attr(self):
        registry = Hs.Registry()
        customer = Customer(first_name='Mary')
        registry.register(customer)  # A singleton
        registry.register(GreeterFirstName, kind=Greeter)
        registry.register(Greeting)
        greeter = registry.get(Greeter)
        self.assertEqual(greeter.props.customer_name, 'Mary')

    def test_context_operator(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(GreeterFrenchCustomer, kind=Greeter, context=FrenchCustomer)
        greeter = registry.get(Greeter, FrenchCustomer(first_name='Marie'))
        self.assertEqual(greeter.props.customer_name, 'Marie')
        self.assertIsNone(greeter.props.cache)  # skipped, although a Greeting
        # Without a context: NO_CONTEXT.
        other = Hs.Registry()
        other.register(GreeterFrenchCustomer)
        self.assertHsError(Hs.RegistryError.NO_CONTEXT, other.get, GreeterFrenchCustomer)

    def test_props_win_over_injection(self):
        registry = Hs.Registry()
        registry.register(GreeterFrenchCustomer)
        greeter = registry.get(GreeterFrenchCustomer, Customer(first_name='Ann'),
                               customer_name='Prop')
        self.assertEqual(greeter.props.customer_name, 'Prop')

    def test_class_level_helpers(self):
        registry = Hs.Registry(context=Customer(first_name='Zoe'))
        registry.register(Plain)
        registry.register(Greeting(salutation='from the singleton'))
        plain = registry.get(Plain)
        self.assertEqual(plain.props.name, 'Zoe')
        self.assertEqual(plain.props.salutation, 'from the singleton')
        self.assertIsNone(plain.props.greeting)

    def test_helpers_take_gtypes_and_property_names(self):
        class Late(GObject.Object):
            __gtype_name__ = 'OvLate'
            first_name = GObject.Property(type=str, default='')

        self.assertTrue(Hs.inject_context(Late.__gtype__, 'first-name', 'first-name'))
        registry = Hs.Registry(context=Customer(first_name='Yan'))
        registry.register_type(Late.__gtype__, GObject.TYPE_NONE, GObject.TYPE_NONE)
        self.assertEqual(registry.get(Late).props.first_name, 'Yan')

    def test_helper_errors(self):
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   Hs.inject_context, Plain, 'no_such_thing')
        self.assertIn('no-such-thing', error.message)
        with self.assertRaises(TypeError):
            Hs.inject_skip(Plain(), 'name')
        with self.assertRaises(TypeError):
            Hs.Property(type=str, inject='context')

    def test_helpers_need_a_property_name(self):
        for helper, args in ((Hs.inject_context, ()), (Hs.inject_get, (Greeting,)),
                             (Hs.inject_skip, ())):
            with self.subTest(helper=helper.__name__):
                with self.assertRaises(TypeError) as cm:
                    helper(Plain, None, *args)
                self.assertIn('property', str(cm.exception))
                self.assertIn('None', str(cm.exception))
        with self.assertRaises(TypeError) as cm:
            Hs.inject_context(Plain, 'name', attr=42)
        self.assertIn('attr', str(cm.exception))

    def test_a_refused_property_annotation_fails_each_time(self):
        class ReadOnly(GObject.Object):
            __gtype_name__ = 'OvReadOnly'
            name = Hs.Property(type=str, flags=GObject.ParamFlags.READABLE,
                               inject=Hs.Context())

        for _ in range(2):
            self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                               Hs.Registry().register, ReadOnly)

    def test_property_annotations_are_inherited(self):
        class Sub(GreeterFrenchCustomer):
            __gtype_name__ = 'OvSubGreeterFrenchCustomer'

        registry = Hs.Registry(context=Customer(first_name='Ida'))
        registry.register(Sub)
        self.assertEqual(registry.get(Sub).props.customer_name, 'Ida')

    def test_property_annotations_before_registration(self):
        class Pending(GObject.Object):
            __gtype_name__ = 'OvPending'
            name = Hs.Property(type=str, default='', inject=Hs.Context(attr='first-name'))

        # Registered without passing through the override: the annotation
        # is applied by apply_injections.
        self.assertIs(Hs.apply_injections(Pending), Pending)
        registry = Hs.Registry(context=Customer(first_name='Lu'))
        raw = gi.module.get_introspection_module('Hs')
        raw.Registry.register_type(registry, Pending.__gtype__,
                                   GObject.TYPE_NONE, GObject.TYPE_NONE)
        self.assertEqual(registry.get(Pending).props.name, 'Lu')

    def test_cycle(self):
        class Egg(GObject.Object):
            __gtype_name__ = 'OvEgg'

        class Chicken(GObject.Object):
            __gtype_name__ = 'OvChicken'
            egg = GObject.Property(type=Egg)

        registry = Hs.Registry()
        registry.register(lambda registry, context: registry.get(Chicken), kind=Egg)
        registry.register(Chicken)
        error = self.assertHsError(Hs.RegistryError.CYCLE, registry.get, Chicken)
        self.assertIn('OvChicken', error.message)


class TestDecoratorAndScan(OverrideTestCase):
    """'Decorator' of the registry documentation: @Hs.injectable and scan()."""

    def test_decorator_registers_nothing_by_itself(self):
        self.assertHsError(Hs.RegistryError.NOT_FOUND,
                           Hs.Registry().get, ScannedGreeting)

    def test_scan_a_module(self):
        registry = Hs.Registry()
        ids = registry.scan(sys.modules[__name__])
        self.assertEqual(len(ids), 3)  # one, and one twice decorated
        self.assertIs(type(registry.get(ScannedGreeting)), ScannedGreeting)
        self.assertIs(type(registry.get(ScannedGreeting, FrenchCustomer())),
                      ScannedFrenchGreeting)
        self.assertIs(type(registry.get(Greeting, FrenchCustomer())), ScannedFrenchGreeting)
        # ScannedGreeting answers for its ancestor Greeting too (kind not given).
        self.assertIs(type(registry.get(Greeting, Customer())), ScannedGreeting)

    def test_scan_twice_adds_nothing(self):
        registry = Hs.Registry()
        self.assertEqual(len(registry.scan(sys.modules[__name__])), 3)
        self.assertEqual(registry.scan(sys.modules[__name__]), [])
        # Another registry scans for itself.
        self.assertEqual(len(Hs.Registry().scan(sys.modules[__name__])), 3)

    def test_scan_without_argument_scans_the_caller(self):
        registry = Hs.Registry()
        registry.scan()
        self.assertIs(type(registry.get(ScannedGreeting)), ScannedGreeting)

    def test_scan_a_package(self):
        registry = Hs.Registry()
        ids = registry.scan(hsfixtures)
        self.assertEqual(len(ids), 3)  # Greeting, AnotherGreeting, Greeter
        self.assertIn('hsfixtures.greeters', sys.modules)
        french = fixture_greetings.FrenchCustomer(first_name='Marie')
        plain = fixture_greetings.Customer(first_name='Jill')
        greeter = Hs.Registry(parent=registry, context=french).get(fixture_greeters.Greeter)
        self.assertEqual(greeter.greet(), 'Another Hello, Marie!')
        greeter = Hs.Registry(parent=registry, context=plain).get(fixture_greeters.Greeter)
        self.assertEqual(greeter.greet(), 'Hello, Jill!')
        # Nothing undecorated was registered.
        self.assertHsError(Hs.RegistryError.NOT_FOUND,
                           registry.get, fixture_greetings.Customer)

    def test_scan_a_module_of_a_package(self):
        registry = Hs.Registry()
        # The module imports Greeting from its sibling: that does not count.
        self.assertEqual(len(registry.scan(fixture_greeters)), 1)
        self.assertHsError(Hs.RegistryError.NOT_FOUND,
                           registry.get, fixture_greetings.Greeting)
        # Then the package: only what is new.
        self.assertEqual(len(registry.scan(hsfixtures)), 2)

    def test_scan_by_name(self):
        registry = Hs.Registry()
        self.assertEqual(len(registry.scan('hsfixtures.greetings')), 2)
        self.assertEqual(len(registry.scan('hsfixtures')), 1)

    def test_scan_of_an_unknown_name(self):
        # Not a Python module: a native module, which is not loaded either.
        with self.assertRaises(GLib.Error):
            Hs.Registry().scan('no_such_module_anywhere')

    def test_custom_decorators_subclass_injectable(self):
        # The original's `class view(injectable)`: a decorator with defaults.
        class greeting_for_french(Hs.injectable):
            kind = Greeting
            context = FrenchCustomer

        module = types.ModuleType('ovcustomdecorator')
        french = type('French', (Greeting,), {'__module__': module.__name__,
                                              '__gtype_name__': 'OvCustomFrench'})
        module.French = greeting_for_french()(french)
        registry = Hs.Registry()
        registry.register(Greeting)
        self.assertEqual(len(registry.scan(module)), 1)
        self.assertIs(type(registry.get(Greeting, FrenchCustomer())), french)
        self.assertIs(type(registry.get(Greeting, Customer())), Greeting)
        self.assertIsInstance(greeting_for_french(), Hs.injectable)

    def test_scanned_singletons(self):
        # is_singleton=True: the scan registers one instance, built with
        # injection from the registry that scans.
        module = types.ModuleType('ovscannedsingleton')

        class Settings(GObject.Object):
            __gtype_name__ = 'OvScannedSettings'
            __module__ = module.__name__
            greeting = GObject.Property(type=Greeting)

        module.Settings = Hs.injectable(is_singleton=True)(Settings)
        registry = Hs.Registry()
        registry.register(Greeting(salutation='injected'))
        self.assertEqual(len(registry.scan(module)), 1)
        settings = registry.get(Settings)
        self.assertIs(registry.get(Settings), settings)
        self.assertEqual(settings.props.greeting.props.salutation, 'injected')
        self.assertEqual(registry.scan(module), [])

    def test_a_refused_registration_undoes_the_scan(self):
        module = types.ModuleType('ovscanned')
        good = type('Good', (Greeting,), {'__module__': module.__name__,
                                          '__gtype_name__': 'OvScanGood'})
        bad = type('Bad', (Greeting,), {'__module__': module.__name__,
                                        '__gtype_name__': 'OvScanBad'})
        module.Good = Hs.injectable()(good)
        module.Bad = Hs.injectable(kind=Customer)(bad)  # not a kind of Customer
        registry = Hs.Registry()
        self.assertHsError(Hs.RegistryError.INVALID_REGISTRATION, registry.scan, module)
        self.assertIsNone(registry.lookup(good))
        del module.Bad
        self.assertEqual(len(registry.scan(module)), 1)
        self.assertIs(type(registry.get(good)), good)

    def test_scan_from_threads_registers_each_declaration_once(self):
        module = types.ModuleType('ovthreadscan')
        for n in range(50):
            cls = type(f'Threaded{n}', (Greeting,), {'__module__': module.__name__,
                                                     '__gtype_name__': f'OvThreadScan{n}'})
            setattr(module, cls.__name__, Hs.injectable()(cls))
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # threads take turns as often as they can
        try:
            for _ in range(20):
                registry = Hs.Registry()
                start = threading.Barrier(4)
                ids = []

                def scan():
                    start.wait()
                    ids.extend(registry.scan(module))

                threads = [threading.Thread(target=scan) for _ in range(4)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                self.assertEqual(len(ids), 50)
                self.assertEqual(len(set(ids)), 50)
        finally:
            sys.setswitchinterval(switch_interval)

    def test_scan_rejects_other_things(self):
        with self.assertRaises(TypeError):
            Hs.Registry().scan(42)

    def test_decorator_rejects_non_gobject_classes(self):
        with self.assertRaises(TypeError):
            @Hs.injectable()
            class NotAGObject:
                pass
        with self.assertRaises(TypeError):
            Hs.injectable(kind='Greeting')

    def test_the_mark_is_not_inherited(self):
        class Unmarked(ScannedGreeting):
            __gtype_name__ = 'OvUnmarked'

        self.assertNotIn('__hs_injectable__', Unmarked.__dict__)


class TestSetup(OverrideTestCase):

    def test_setup_a_package(self):
        registry = Hs.Registry()
        self.assertIsNone(registry.setup(hsfixtures))
        self.assertEqual(registry.get(hsfixtures.SiteConfig).props.site_title,
                         'My Configuration')

    def test_setup_by_name(self):
        registry = Hs.Registry()
        self.assertEqual(registry.setup(__name__), 'done')
        self.assertEqual(registry.get(Customer).props.first_name, 'set up')

    def test_setup_without_a_setup_function_does_nothing(self):
        # As the original: a module with nothing to set up is left alone.
        registry = Hs.Registry()
        self.assertIsNone(registry.setup(fixture_greetings))
        self.assertIsNone(registry.lookup(fixture_greetings.Greeting))


class TestErrors(OverrideTestCase):

    def test_not_found(self):
        registry = Hs.Registry()
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND, registry.get, Greeting)
        self.assertEqual(error.message, 'No kind “OvGreeting” in registry')
        self.assertEqual(error.domain, 'hs-registry-error-quark')
        self.assertEqual(error.code, Hs.RegistryError.NOT_FOUND)

    def test_not_found_for_a_context(self):
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND, Hs.Registry().get,
                                   Greeting, FrenchCustomer())
        self.assertEqual(error.message,
                         'No kind “OvGreeting” for context “OvFrenchCustomer” in registry')

    def test_errors_are_also_builtins(self):
        # The original's `except LookupError` around a get.
        registry = Hs.Registry()
        try:
            registry.get(Greeting)
        except LookupError as error:
            self.assertIsInstance(error, GLib.Error)
            self.assertTrue(error.matches(Hs.registry_error_quark(),
                                          Hs.RegistryError.NOT_FOUND))
        else:
            self.fail('no LookupError')
        with self.assertRaises(LookupError):
            registry.get(Greeting, salutation='with props')
        class NeedsContext(GObject.Object):
            __gtype_name__ = 'OvNeedsContext'
            customer = Hs.Property(type=Customer, inject=Hs.Context())

        registry.register(NeedsContext)
        with self.assertRaises(LookupError) as cm:
            registry.get(NeedsContext)  # no context to inject
        self.assertEqual(cm.exception.code, Hs.RegistryError.NO_CONTEXT)
        registry.register(Greeting)
        with self.assertRaises(TypeError) as cm:
            registry.get(Greeting, nonsense='x')  # the library's own error
        self.assertEqual(cm.exception.code, Hs.RegistryError.INVALID_PROPERTY)
        with self.assertRaises(TypeError) as cm:
            registry.register(Customer, kind=Greeting)
        self.assertEqual(cm.exception.code, Hs.RegistryError.INVALID_REGISTRATION)
        # One class per code and builtin.
        with self.assertRaises(LookupError) as again:
            Hs.Registry().get(Customer)
        self.assertIs(type(again.exception), type(
            self.assertHsError(Hs.RegistryError.NOT_FOUND, Hs.Registry().get, Customer)))

    def test_python_type_names(self):
        class Unnamed(GObject.Object):
            pass

        error = self.assertHsError(Hs.RegistryError.NOT_FOUND, Hs.Registry().get, Unnamed)
        self.assertIn('__main__+Unnamed', error.message)


class TestIntrospectedAPI(OverrideTestCase):
    """The API that bindings without an override see keeps working."""

    NONE = GObject.TYPE_NONE

    def test_register_and_get(self):
        registry = Hs.Registry()
        registry.register_type(Greeting.__gtype__, self.NONE, self.NONE)
        registry.register_type(AnotherGreeting.__gtype__, Greeting.__gtype__,
                               FrenchCustomer.__gtype__)
        greeting = registry.get(Greeting.__gtype__, None, ['salutation'], ['Hello Prop'])
        self.assertEqual(greeting.props.salutation, 'Hello Prop')
        self.assertIs(type(registry.get(Greeting.__gtype__, FrenchCustomer(), [], [])),
                      AnotherGreeting)

    def test_register_instance(self):
        registry = Hs.Registry()
        singleton = Greeting()
        registry.register_instance(singleton, self.NONE, self.NONE)
        self.assertIs(registry.get(Greeting.__gtype__, None, [], []), singleton)

    def test_register_factory(self):
        def factory(registry, context, n_properties, names, values):
            return Greeting(**dict(zip(names, values)))

        registry = Hs.Registry()
        self.assertGreater(registry.register_factory(Greeting.__gtype__, self.NONE, factory), 0)
        greeting = registry.get(Greeting.__gtype__, None, ['salutation'], ['Hi'])
        self.assertEqual(greeting.props.salutation, 'Hi')

    def test_methods_and_properties(self):
        root = Hs.Registry()
        customer = Customer()
        child = Hs.Registry(parent=root, context=customer)
        self.assertIs(child.get_parent(), root)
        self.assertIs(child.get_context(), customer)
        self.assertIs(child.props.parent, root)
        self.assertIs(child.props.context, customer)
        self.assertIsNone(root.lookup(Greeting.__gtype__, None))

    def test_injection_functions(self):
        class Raw(GObject.Object):
            __gtype_name__ = 'OvRaw'
            name = GObject.Property(type=str, default='')
            other = GObject.Property(type=Greeting)

        self.assertTrue(Hs.inject_context(Raw.__gtype__, 'name', 'first-name'))
        self.assertTrue(Hs.inject_get(Raw.__gtype__, 'other', self.NONE, None))
        self.assertTrue(Hs.inject_skip(Raw.__gtype__, 'other'))

    def test_subclassing_the_registry(self):
        class AppRegistry(Hs.Registry):
            __gtype_name__ = 'OvAppRegistry'

            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.register(Greeting)

        registry = AppRegistry(context=Customer())
        self.assertIsInstance(registry.get(Greeting), Greeting)
        self.assertIsInstance(Hs.Registry(parent=registry).get(Greeting), Greeting)


class Settings(GObject.Object):
    __gtype_name__ = 'OvSettings'
    title = GObject.Property(type=str, default='Dr')


class FieldGreeter(Hs.Injectable):
    """The original's dataclass Greeter, with fields as annotations."""
    __gtype_name__ = 'OvFieldGreeter'
    greeting: Greeting
    another: Optional[Greeting] = Hs.get(AnotherGreeting)
    customer: Customer = Hs.context()
    name: str = Hs.context(attr='first_name')
    title: str = Hs.get(Settings, attr='title')
    cache: Greeting = Hs.skip()
    punctuation: str = '!'
    count: int = 3
    weight: float
    polite: bool = True
    greeters_made: ClassVar[int] = 0


class StringFieldGreeter(Hs.Injectable):
    """Annotations written as strings (``from __future__ import
    annotations``) name the classes of the module."""
    __gtype_name__ = 'OvStringFieldGreeter'
    greeting: 'Greeting'
    name: 'str' = Hs.context(attr='first_name')


class TestFields(OverrideTestCase):
    """Fields declared as annotations, as the original's dataclasses."""

    def make_registry(self, context):
        registry = Hs.Registry(context=context)
        registry.register(Greeting)
        registry.register(AnotherGreeting, kind=AnotherGreeting)
        registry.register(Settings(title='Prof'))
        return registry

    def test_fields_are_properties_of_their_types(self):
        types = {p.name: p.value_type for p in GObject.list_properties(FieldGreeter)}
        self.assertEqual(types, {
            'greeting': Greeting.__gtype__, 'another': Greeting.__gtype__,
            'customer': Customer.__gtype__, 'name': GObject.TYPE_STRING,
            'title': GObject.TYPE_STRING, 'cache': Greeting.__gtype__,
            'punctuation': GObject.TYPE_STRING, 'count': GObject.TYPE_INT,
            'weight': GObject.TYPE_DOUBLE, 'polite': GObject.TYPE_BOOLEAN})
        greeter = FieldGreeter()
        self.assertEqual((greeter.punctuation, greeter.count, greeter.weight, greeter.polite,
                          greeter.name), ('!', 3, 0.0, True, ''))
        self.assertEqual(FieldGreeter.greeters_made, 0)

    def test_fields_are_injected(self):
        marie = FrenchCustomer(first_name='Marie')
        registry = self.make_registry(marie)
        registry.register(FieldGreeter)
        greeter = registry.get(FieldGreeter)
        self.assertIs(type(greeter.greeting), Greeting)
        self.assertIs(type(greeter.another), AnotherGreeting)
        self.assertIs(greeter.customer, marie)
        self.assertEqual((greeter.name, greeter.title), ('Marie', 'Prof'))
        self.assertIsNone(greeter.cache)
        self.assertEqual((greeter.punctuation, greeter.count), ('!', 3))

    def test_props_win_over_fields(self):
        registry = self.make_registry(Customer(first_name='Marie'))
        registry.register(FieldGreeter)
        greeter = registry.get(FieldGreeter, name='Anne', count=5)
        self.assertEqual((greeter.name, greeter.count), ('Anne', 5))

    def test_build_and_inject_see_the_fields(self):
        registry = self.make_registry(Customer(first_name='Marie'))
        self.assertEqual(registry.build(FieldGreeter).name, 'Marie')
        greeter = registry.inject(FieldGreeter())
        self.assertEqual((greeter.name, type(greeter.greeting)), ('Marie', Greeting))

    def test_annotations_written_as_strings(self):
        registry = self.make_registry(Customer(first_name='Marie'))
        greeter = registry.build(StringFieldGreeter)
        self.assertIs(type(greeter.greeting), Greeting)
        self.assertEqual(greeter.name, 'Marie')

    def test_a_field_of_another_type_is_a_type_error_at_definition(self):
        with self.assertRaisesRegex(TypeError, 'items.*list'):
            class Listing(Hs.Injectable):
                items: list

        with self.assertRaisesRegex(TypeError, 'greeting.*default'):
            class Defaulted(Hs.Injectable):
                greeting: Greeting = Greeting()

    def test_registry_methods_have_type_hints(self):
        hints = typing.get_type_hints(Hs.Registry.get)
        self.assertIsInstance(hints['return'], typing.TypeVar)
        self.assertEqual(hints['kind'], typing.Type[hints['return']])
        self.assertIs(typing.get_type_hints(Hs.Registry.build)['return'], hints['return'])


class NarrowGreeter(Hs.Injectable):
    """The original's `greeting: AnotherGreeting = get(Greeting)`."""
    __gtype_name__ = 'OvNarrowGreeter'
    greeting: AnotherGreeting = Hs.get(Greeting)
    declared = Hs.Property(type=AnotherGreeting, inject=Hs.Get(Greeting))


class NarrowPage(Hs.Injectable):
    __gtype_name__ = 'OvNarrowPage'
    greeter: NarrowGreeter


class TestGetOfAWiderKind(OverrideTestCase):
    """Get(Greeting) into a property that holds an AnotherGreeting: accepted
    when declared, checked when built."""

    def assertNarrowError(self, func):
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY, func)
        self.assertIsInstance(error, TypeError)
        for name in ('“greeting”', '“OvNarrowGreeter”', '“OvAnotherGreeting”', '“OvGreeting”'):
            self.assertIn(name, error.message)
        return error

    def test_the_answer_of_the_kind_is_injected_when_it_fits(self):
        registry = Hs.Registry(context=FrenchCustomer(first_name='Marie'))
        registry.register(Greeting)
        registry.register(AnotherGreeting, kind=Greeting, context=FrenchCustomer)
        registry.register(NarrowGreeter)
        greeter = registry.get(NarrowGreeter)
        self.assertIs(type(greeter.greeting), AnotherGreeting)
        self.assertIs(type(greeter.declared), AnotherGreeting)

    def test_an_answer_that_does_not_fit_fails_the_get(self):
        registry = Hs.Registry(context=Customer(first_name='Anne'))
        registry.register(Greeting)
        registry.register(AnotherGreeting, kind=Greeting, context=FrenchCustomer)
        registry.register(NarrowGreeter)
        self.assertNarrowError(lambda: registry.get(NarrowGreeter))
        self.assertNarrowError(lambda: registry.build(NarrowGreeter))

    def test_it_fails_the_get_of_what_depends_on_it(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        registry.register(NarrowGreeter)
        error = self.assertNarrowError(lambda: registry.build(NarrowPage))
        self.assertIn('“greeter”', error.message)

    def test_props_and_sets_are_checked_too(self):
        registry = Hs.Registry()
        registry.register(AnotherGreeting)
        self.assertNarrowError(lambda: registry.build(NarrowGreeter, greeting=Greeting()))
        greeter = NarrowGreeter()
        self.assertNarrowError(lambda: setattr(greeter, 'greeting', Greeting()))
        greeter.greeting = AnotherGreeting()
        self.assertIs(type(greeter.greeting), AnotherGreeting)

    def test_inject_checks_it(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        self.assertNarrowError(lambda: registry.inject(NarrowGreeter()))

    def test_a_kind_unrelated_to_the_property_is_still_refused(self):
        class Unrelated(Hs.Injectable):
            greeting: AnotherGreeting = Hs.get(Customer)

        self.assertHsError(Hs.RegistryError.INVALID_PROPERTY, Hs.Registry().build, Unrelated)


class TestLifetimes(OverrideTestCase):

    def test_a_python_factory_is_released_with_its_registry(self):
        finalized = []
        probe = Greeting()
        probe.weak_ref(lambda: finalized.append(True))

        registry = Hs.Registry()
        registry.register(lambda registry, context, probe=probe: Greeting(), kind=Greeting)
        del probe
        registry.get(Greeting)
        gc.collect()
        self.assertEqual(finalized, [])
        del registry
        gc.collect()
        self.assertEqual(finalized, [True])

    def test_factories_that_refer_to_their_registry_do_not_keep_it_alive(self):
        # The natural singleton-registry code: a factory that closes over
        # its registry, or is a bound method of a Registry subclass.
        class SelfRegistry(Hs.Registry):
            __gtype_name__ = 'OvSelfRegistry'

            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.register(self.make_greeting, kind=Greeting)

            def make_greeting(self, registry, context):
                return Greeting(salutation=f'from {type(self).__name__}')

        def closing_over_it():
            registry = Hs.Registry()
            registry.register(lambda _registry, context: Greeting(
                salutation=f'from {type(registry).__name__}'), kind=Greeting)
            return registry

        finalized = []
        for make, expected in ((SelfRegistry, 'from SelfRegistry'),
                               (closing_over_it, 'from Registry')):
            for _ in range(100):
                registry = make()
                self.assertEqual(registry.get(Greeting).props.salutation, expected)
                registry.weak_ref(finalized.append, None)
        del registry
        gc.collect()
        self.assertEqual(len(finalized), 200)

    def test_a_factory_outlives_the_python_object_of_its_registry(self):
        root = Hs.Registry()
        root.register(lambda registry, context: Greeting(salutation='from the root'),
                      kind=Greeting)
        child = Hs.Registry(parent=root)  # holds the root, in C only
        del root
        gc.collect()
        self.assertEqual(child.get(Greeting).props.salutation, 'from the root')


if __name__ == '__main__':
    unittest.main(verbosity=2)
