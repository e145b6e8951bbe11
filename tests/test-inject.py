# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Injection from Python (SPEC 4): what a registry puts into the properties of
# the objects it builds, the annotations (Hs.inject_context, Hs.inject_get,
# Hs.inject_skip), cycles and failures while building dependencies. Runs
# against the uninstalled build's typelib (GI_TYPELIB_PATH is set by meson
# test).

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


# Dependencies are construct-only properties, the GObject idiom: the
# library injects only them and the annotated properties.
DEP = GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY


class Greeter(GObject.Object):
    __gtype_name__ = 'Greeter'
    greeting = GObject.Property(type=Greeting, flags=DEP)
    customer = GObject.Property(type=Customer, flags=DEP)

    def greet(self):
        return f'{self.greeting.props.salutation} {self.customer.props.first_name}'


class RegistryUser(GObject.Object):
    __gtype_name__ = 'RegistryUser'
    registry = GObject.Property(type=Hs.Registry, flags=DEP)


class Plain(GObject.Object):
    """Properties that are never injected: not objects, or read-only. (A
    G_PARAM_DEPRECATED property cannot be declared from PyGObject 3.42: the
    flag overflows its int conversion.)"""
    __gtype_name__ = 'Plain'
    name = GObject.Property(type=str, default='plain')
    count = GObject.Property(type=int, default=7)
    frozen = GObject.Property(type=Greeting, flags=GObject.ParamFlags.READABLE)


def story_registry():
    """The root of the greeting story: Greeter, Greeting, and AnotherGreeting
    for French customers."""
    root = Hs.Registry()
    root.register_type(gtype(Greeter), NONE, NONE)
    root.register_type(gtype(Greeting), NONE, NONE)
    root.register_type(gtype(AnotherGreeting), gtype(Greeting), gtype(FrenchCustomer))
    return root


class InjectTestCase(unittest.TestCase):

    def assertHsError(self, code, func, *args):
        """Runs func(*args), which must raise an HS_REGISTRY_ERROR of code."""
        with self.assertRaises(GLib.Error) as cm:
            func(*args)
        error = cm.exception
        self.assertTrue(error.matches(Hs.registry_error_quark(), code),
                        f'expected HsRegistryError {code!r}, got {error!r}')
        self.assertEqual(error.code, int(code))
        return error


class TestSetup(InjectTestCase):

    def test_typelib_is_the_build_trees(self):
        check_typelib_is_the_build_trees(self)


class TestAutomaticInjection(InjectTestCase):

    def test_greeter_gets_greeting_and_customer(self):
        root = story_registry()
        marie = FrenchCustomer(first_name='Marie')
        request = Hs.Registry(parent=root, context=marie)
        greeter = get(request, Greeter)
        self.assertIs(type(greeter.props.greeting), AnotherGreeting)
        # Nothing is registered for Customer: the lookup context is injected.
        self.assertIs(greeter.props.customer, marie)
        self.assertEqual(greeter.greet(), 'Another Hello Marie')

        mary = Customer(first_name='Mary')
        greeter = get(Hs.Registry(parent=root, context=mary), Greeter)
        self.assertIs(type(greeter.props.greeting), Greeting)
        self.assertIs(greeter.props.customer, mary)
        self.assertEqual(greeter.greet(), 'Hello Mary')

    def test_context_given_to_get_is_injected(self):
        root = story_registry()
        marie = FrenchCustomer(first_name='Marie')
        greeter = get(root, Greeter, marie)
        self.assertIs(greeter.props.customer, marie)
        self.assertIs(type(greeter.props.greeting), AnotherGreeting)

    def test_nothing_to_inject_keeps_defaults(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeter), NONE, NONE)
        greeter = get(registry, Greeter)
        self.assertIsNone(greeter.props.greeting)
        self.assertIsNone(greeter.props.customer)
        # A context that is neither a Customer nor a Greeting is not injected.
        greeter = get(registry, Greeter, Plain())
        self.assertIsNone(greeter.props.customer)
        self.assertIsNone(greeter.props.greeting)

    def test_context_of_a_matching_type_fills_any_object_property(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Greeter), NONE, NONE)
        greeting = AnotherGreeting(salutation='context greeting')
        greeter = get(registry, Greeter, greeting)
        self.assertIs(greeter.props.greeting, greeting)
        self.assertIsNone(greeter.props.customer)

    def test_registration_beats_the_context(self):
        root = story_registry()
        registered = Customer(first_name='Registered')
        root.register_instance(registered, NONE, NONE)
        greeter = get(Hs.Registry(parent=root, context=Customer(first_name='Ctx')), Greeter)
        self.assertIs(greeter.props.customer, registered)

    def test_singleton_is_injected(self):
        root = story_registry()
        singleton = Greeting(salutation='I am a singleton')
        root.register_instance(singleton, NONE, NONE)
        first = get(root, Greeter)
        second = get(root, Greeter)
        self.assertIsNot(first, second)
        self.assertIs(first.props.greeting, singleton)
        self.assertIs(second.props.greeting, singleton)

    def test_factory_dependency_gets_building_registry_and_context(self):
        calls = []

        def factory(registry, context, n_properties, names, values):
            calls.append((registry, context, n_properties))
            return Greeting(salutation='Hi ' + context.props.first_name)

        root = Hs.Registry()
        root.register_type(gtype(Greeter), NONE, NONE)
        root.register_factory(gtype(Greeting), gtype(Customer), factory)
        ann = Customer(first_name='Ann')
        request = Hs.Registry(parent=root, context=ann)
        self.assertEqual(get(request, Greeter).greet(), 'Hi Ann Ann')
        self.assertEqual(calls, [(request, ann, 0)])

    def test_dependencies_are_built_by_the_building_registry(self):
        root = Hs.Registry()
        root.register_type(gtype(Greeter), NONE, NONE)
        child = Hs.Registry(parent=root)
        child.register_type(gtype(AnotherGreeting), NONE, NONE)
        self.assertIs(type(get(child, Greeter).props.greeting), AnotherGreeting)
        self.assertIsNone(get(root, Greeter).props.greeting)

    def test_dependencies_get_the_same_context(self):
        class PersonalGreeting(Greeting):
            __gtype_name__ = 'PersonalGreeting'
            customer = GObject.Property(type=Customer, flags=DEP)

        root = Hs.Registry()
        root.register_type(gtype(Greeter), NONE, NONE)
        root.register_type(gtype(PersonalGreeting), NONE, NONE)
        marie = FrenchCustomer(first_name='Marie')
        greeter = get(root, Greeter, marie)
        self.assertIs(type(greeter.props.greeting), PersonalGreeting)
        self.assertIs(greeter.props.greeting.props.customer, marie)

    def test_other_properties_keep_their_defaults(self):
        registry = Hs.Registry()
        registry.register_type(gtype(Plain), NONE, NONE)
        registry.register_type(gtype(Greeting), NONE, NONE)
        plain = get(registry, Plain, Customer(first_name='x'))
        self.assertEqual(plain.props.name, 'plain')
        self.assertEqual(plain.props.count, 7)
        self.assertIsNone(plain.props.frozen)


class TestRegistryProperty(InjectTestCase):

    def test_gets_the_building_registry(self):
        root = Hs.Registry()
        root.register_type(gtype(RegistryUser), NONE, NONE)
        self.assertIs(get(root, RegistryUser).props.registry, root)
        child = Hs.Registry(parent=root, context=Customer())
        grandchild = Hs.Registry(parent=child)
        self.assertIs(get(child, RegistryUser).props.registry, child)
        self.assertIs(get(grandchild, RegistryUser).props.registry, grandchild)

    def test_registered_registry_does_not_override(self):
        root = Hs.Registry()
        root.register_type(gtype(RegistryUser), NONE, NONE)
        other = Hs.Registry()
        root.register_instance(other, NONE, NONE)
        self.assertIs(get(root, Hs.Registry), other)
        self.assertIs(get(root, RegistryUser).props.registry, root)


class TestProps(InjectTestCase):

    def test_props_beat_injection(self):
        root = story_registry()
        mine = Greeting(salutation='Mine')
        marie = FrenchCustomer(first_name='Marie')
        request = Hs.Registry(parent=root, context=marie)
        greeter = get(request, Greeter, greeting=mine)
        self.assertIs(greeter.props.greeting, mine)
        self.assertIs(greeter.props.customer, marie)  # still injected
        # PyGObject 3.42 crashes on a bare None in a GValue array: spell it out.
        greeter = request.get_with_properties(gtype(Greeter), None, ['customer'],
                                               [GObject.Value(gtype(Customer), None)])
        self.assertIsNone(greeter.props.customer)
        self.assertIs(type(greeter.props.greeting), AnotherGreeting)

    def test_props_beat_the_registry_property(self):
        root = Hs.Registry()
        root.register_type(gtype(RegistryUser), NONE, NONE)
        other = Hs.Registry()
        self.assertIs(get(root, RegistryUser, registry=other).props.registry, other)

    def test_prop_of_the_wrong_object_type(self):
        root = story_registry()
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   lambda: get(root, Greeter, greeting=Customer()))
        self.assertIn('greeting', error.message)
        self.assertIn('Greeter', error.message)


class TestAnnotations(InjectTestCase):

    def test_inject_context_with_attr(self):
        class Letter(GObject.Object):
            __gtype_name__ = 'LetterContextAttr'
            name = GObject.Property(type=str, default='nobody')

        class LongLetter(Letter):
            __gtype_name__ = 'LongLetterContextAttr'

        self.assertTrue(Hs.inject_context(gtype(Letter), 'name', 'first-name'))
        registry = Hs.Registry()
        registry.register_type(gtype(Letter), NONE, NONE)
        registry.register_type(gtype(LongLetter), gtype(LongLetter), NONE)
        letter = get(registry, LongLetter, FrenchCustomer(first_name='Marie'))
        self.assertEqual(letter.props.name, 'Marie')  # annotations are inherited

        # Without a lookup context: NO_CONTEXT, naming the property and type.
        error = self.assertHsError(Hs.RegistryError.NO_CONTEXT, get, registry, Letter)
        self.assertIn('name', error.message)
        self.assertIn('LetterContextAttr', error.message)

        # Props win over the annotation, also without a context.
        self.assertEqual(get(registry, Letter, name='Prop').props.name, 'Prop')

    def test_inject_context_itself(self):
        class Envelope(GObject.Object):
            __gtype_name__ = 'EnvelopeContext'
            addressee = GObject.Property(type=GObject.Object, flags=DEP)
            customer = GObject.Property(type=Customer, flags=DEP)

        self.assertTrue(Hs.inject_context(gtype(Envelope), 'addressee', None))
        self.assertTrue(Hs.inject_context(gtype(Envelope), 'customer', None))
        registry = Hs.Registry()
        registry.register_type(gtype(Envelope), NONE, NONE)
        # A registered Customer would win for automatic injection, not here.
        registry.register_instance(Customer(first_name='Registered'), NONE, NONE)
        marie = FrenchCustomer(first_name='Marie')
        envelope = get(Hs.Registry(parent=registry, context=marie), Envelope)
        self.assertIs(envelope.props.addressee, marie)
        self.assertIs(envelope.props.customer, marie)
        # A context that does not fit the property is an error.
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   get, registry, Envelope, Greeting())
        self.assertIn('customer', error.message)

    def test_inject_context_attr_missing_on_context(self):
        class Letter(GObject.Object):
            __gtype_name__ = 'LetterMissingAttr'
            name = GObject.Property(type=str, default='nobody')

        Hs.inject_context(gtype(Letter), 'name', 'first-name')
        registry = Hs.Registry()
        registry.register_type(gtype(Letter), NONE, NONE)
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   get, registry, Letter, Greeting())
        self.assertIn('first-name', error.message)
        self.assertIn('LetterMissingAttr', error.message)

    def test_inject_context_attr_of_unconvertible_type(self):
        class Tally(GObject.Object):
            __gtype_name__ = 'TallyContextAttr'
            count = GObject.Property(type=int, default=0)

        Hs.inject_context(gtype(Tally), 'count', 'first-name')
        registry = Hs.Registry()
        registry.register_type(gtype(Tally), NONE, NONE)
        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   get, registry, Tally, Customer(first_name='Ann'))
        self.assertIn('count', error.message)

    def test_inject_get_with_attr(self):
        class Letter(GObject.Object):
            __gtype_name__ = 'LetterGetAttr'
            opening = GObject.Property(type=str, default='Dear')

        self.assertTrue(Hs.inject_get(gtype(Letter), 'opening', gtype(Greeting), 'salutation'))
        root = story_registry()
        root.register_type(gtype(Letter), NONE, NONE)
        self.assertEqual(get(root, Letter).props.opening, 'Hello')
        # The get is made with the same lookup context.
        request = Hs.Registry(parent=root, context=FrenchCustomer())
        self.assertEqual(get(request, Letter).props.opening, 'Another Hello')
        # When nothing answers, the outer get fails.
        empty = Hs.Registry()
        empty.register_type(gtype(Letter), NONE, NONE)
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND, get, empty, Letter)
        self.assertIn('opening', error.message)
        self.assertIn('Greeting', error.message)

    def test_inject_get_with_kind(self):
        class Holder(GObject.Object):
            __gtype_name__ = 'HolderGetKind'
            thing = GObject.Property(type=GObject.Object, flags=DEP)
            greeting = GObject.Property(type=Greeting, flags=DEP)

        self.assertTrue(Hs.inject_get(gtype(Holder), 'thing', gtype(Greeting), None))
        self.assertTrue(Hs.inject_get(gtype(Holder), 'greeting', NONE, None))
        registry = Hs.Registry()
        registry.register_type(gtype(Holder), NONE, NONE)
        # Unannotated, a GObject-typed property would stay empty, and a
        # Greeting one would take the context.
        error = self.assertHsError(Hs.RegistryError.NOT_FOUND,
                                   get, registry, Holder, AnotherGreeting())
        self.assertIn('Greeting', error.message)
        registry.register_type(gtype(AnotherGreeting), NONE, NONE)
        holder = get(registry, Holder, Greeting())
        self.assertIs(type(holder.props.thing), AnotherGreeting)
        self.assertIs(type(holder.props.greeting), AnotherGreeting)
        self.assertIsNot(holder.props.thing, holder.props.greeting)

    def test_inject_skip(self):
        class Greeter2(Greeter):
            __gtype_name__ = 'GreeterSkip'

        self.assertTrue(Hs.inject_skip(gtype(Greeter2), 'greeting'))
        root = story_registry()
        root.register_type(gtype(Greeter2), gtype(Greeter2), NONE)
        marie = FrenchCustomer(first_name='Marie')
        greeter = get(root, Greeter2, marie)
        self.assertIsNone(greeter.props.greeting)
        self.assertIs(greeter.props.customer, marie)
        # Only for that class: Greeter itself still gets its greeting.
        greeter = get(root, Greeter, marie)
        self.assertIs(type(greeter), Greeter)
        self.assertIs(type(greeter.props.greeting), AnotherGreeting)
        # Props still set a skipped property.
        mine = Greeting()
        self.assertIs(get(root, Greeter2, marie, greeting=mine).props.greeting, mine)

    def test_nearest_annotation_wins(self):
        class Base(GObject.Object):
            __gtype_name__ = 'AnnotatedBase'
            name = GObject.Property(type=str, default='')

        class Derived(Base):
            __gtype_name__ = 'AnnotatedDerived'

        Hs.inject_context(gtype(Base), 'name', 'first-name')
        Hs.inject_get(gtype(Derived), 'name', gtype(Greeting), 'salutation')
        registry = Hs.Registry()
        registry.register_type(gtype(Base), NONE, NONE)
        registry.register_type(gtype(Derived), gtype(Derived), NONE)
        registry.register_type(gtype(Greeting), NONE, NONE)
        context = Customer(first_name='Ann')
        self.assertIs(type(get(registry, Base, context)), Base)
        self.assertEqual(get(registry, Base, context).props.name, 'Ann')
        self.assertIs(type(get(registry, Derived, context)), Derived)
        self.assertEqual(get(registry, Derived, context).props.name, 'Hello')

    def test_annotation_errors(self):
        class Target(GObject.Object):
            __gtype_name__ = 'AnnotationTarget'
            name = GObject.Property(type=str, default='')
            greeting = GObject.Property(type=Greeting, flags=DEP)
            frozen = GObject.Property(type=str, default='',
                                      flags=GObject.ParamFlags.READABLE)

        target = gtype(Target)
        cases = [
            ('unknown property', Hs.inject_context, (target, 'no-such-thing', None)),
            ('unknown property', Hs.inject_get, (target, 'no-such-thing', NONE, None)),
            ('unknown property', Hs.inject_skip, (target, 'no-such-thing')),
            ('read-only property', Hs.inject_context, (target, 'frozen', 'first-name')),
            ('read-only property', Hs.inject_get, (target, 'frozen', gtype(Greeting), 'salutation')),
            ('read-only property', Hs.inject_skip, (target, 'frozen')),
            ('string without attr', Hs.inject_context, (target, 'name', None)),
            ('string without attr', Hs.inject_get, (target, 'name', gtype(Greeting), None)),
            ('kind not an object', Hs.inject_get, (target, 'name', GObject.TYPE_INT, 'x')),
            ('kind does not fit', Hs.inject_get, (target, 'greeting', gtype(Customer), None)),
            ('not a GObject type', Hs.inject_skip, (GObject.TYPE_INT, 'name')),
        ]
        for what, func, args in cases:
            with self.subTest(what=what, func=func.__name__):
                self.assertHsError(Hs.RegistryError.INVALID_PROPERTY, func, *args)

        error = self.assertHsError(Hs.RegistryError.INVALID_PROPERTY,
                                   Hs.inject_skip, target, 'no-such-thing')
        self.assertIn('no-such-thing', error.message)
        self.assertIn('AnnotationTarget', error.message)

        # Refused annotations changed nothing: still automatic injection.
        registry = Hs.Registry()
        registry.register_type(gtype(Target), NONE, NONE)
        registry.register_type(gtype(AnotherGreeting), NONE, NONE)
        target_obj = get(registry, Target)
        self.assertIs(type(target_obj.props.greeting), AnotherGreeting)
        self.assertEqual(target_obj.props.name, '')


class TestCycles(InjectTestCase):

    def assertCycle(self, registry, cls, *names):
        error = self.assertHsError(Hs.RegistryError.CYCLE, get, registry, cls)
        self.assertIn('→', error.message)
        for name in names:
            self.assertIn(name, error.message)
        return error

    def test_two_classes_need_each_other(self):
        class CycleB(GObject.Object):
            __gtype_name__ = 'CycleB'

        class CycleA(GObject.Object):
            __gtype_name__ = 'CycleA'
            b = GObject.Property(type=CycleB, flags=DEP)

        class CycleBImpl(CycleB):
            __gtype_name__ = 'CycleBImpl'
            a = GObject.Property(type=CycleA, flags=DEP)

        registry = Hs.Registry()
        registry.register_type(gtype(CycleA), NONE, NONE)
        registry.register_type(gtype(CycleBImpl), NONE, NONE)
        error = self.assertCycle(registry, CycleA, 'CycleA', 'CycleB')
        self.assertIn('CycleA → CycleB (CycleBImpl) → CycleA', error.message)
        self.assertCycle(registry, CycleB, 'CycleA', 'CycleB')
        # Skipping one side breaks the cycle.
        Hs.inject_skip(gtype(CycleBImpl), 'a')
        a = get(registry, CycleA)
        self.assertIs(type(a.props.b), CycleBImpl)
        self.assertIsNone(a.props.b.props.a)

    def test_class_needs_itself(self):
        class Node(GObject.Object):
            __gtype_name__ = 'CycleNode'

        class LinkedNode(Node):
            __gtype_name__ = 'CycleLinkedNode'
            next = GObject.Property(type=Node, flags=DEP)

        registry = Hs.Registry()
        registry.register_type(gtype(LinkedNode), NONE, NONE)
        self.assertCycle(registry, LinkedNode, 'CycleLinkedNode')

    def test_cycle_through_annotations(self):
        class Left(GObject.Object):
            __gtype_name__ = 'CycleLeft'
            other = GObject.Property(type=GObject.Object, flags=DEP)

        class Right(GObject.Object):
            __gtype_name__ = 'CycleRight'
            other = GObject.Property(type=GObject.Object, flags=DEP)

        Hs.inject_get(gtype(Left), 'other', gtype(Right), None)
        Hs.inject_get(gtype(Right), 'other', gtype(Left), None)
        registry = Hs.Registry()
        registry.register_type(gtype(Left), NONE, NONE)
        registry.register_type(gtype(Right), NONE, NONE)
        self.assertCycle(registry, Left, 'CycleLeft', 'CycleRight')

    def test_cycle_through_a_factory(self):
        def factory(registry, context, n_properties, names, values):
            return registry.get(gtype(Greeting), context)

        registry = Hs.Registry()
        registry.register_factory(gtype(Greeting), NONE, factory)
        self.assertCycle(registry, Greeting, 'Greeting')

    def test_not_a_cycle_when_the_same_kind_is_needed_twice(self):
        class Pair(GObject.Object):
            __gtype_name__ = 'GreetingPair'
            first = GObject.Property(type=Greeting, flags=DEP)
            second = GObject.Property(type=Greeting, flags=DEP)

        registry = Hs.Registry()
        registry.register_type(gtype(Pair), NONE, NONE)
        registry.register_type(gtype(Greeting), NONE, NONE)
        pair = get(registry, Pair)
        self.assertIs(type(pair.props.first), Greeting)
        self.assertIs(type(pair.props.second), Greeting)
        self.assertIsNot(pair.props.first, pair.props.second)


class TestDependencyFailures(InjectTestCase):

    def test_factory_failure_fails_the_outer_get(self):
        root = Hs.Registry()
        root.register_type(gtype(Greeter), NONE, NONE)
        root.register_factory(gtype(Greeting), NONE, lambda *args: None)
        error = self.assertHsError(Hs.RegistryError.FACTORY_FAILED, get, root, Greeter)
        self.assertIn('“greeting”', error.message)
        self.assertIn('“Greeter”', error.message)

    def test_dependency_error_keeps_its_domain_and_code(self):
        def factory(*args):
            raise GLib.Error.new_literal(Gio.io_error_quark(), 'no greeting today',
                                         Gio.IOErrorEnum.PERMISSION_DENIED)

        root = Hs.Registry()
        root.register_type(gtype(Greeter), NONE, NONE)
        root.register_factory(gtype(Greeting), NONE, factory)
        with self.assertRaises(GLib.Error) as cm:
            get(root, Greeter)
        self.assertTrue(cm.exception.matches(Gio.io_error_quark(),
                                             Gio.IOErrorEnum.PERMISSION_DENIED))
        self.assertIn('no greeting today', cm.exception.message)
        self.assertIn('greeting', cm.exception.message)
        self.assertIn('Greeter', cm.exception.message)

    def test_nested_dependency_failure_names_each_level(self):
        class Outer(GObject.Object):
            __gtype_name__ = 'OuterNeedsGreeter'
            greeter = GObject.Property(type=Greeter, flags=DEP)

        root = Hs.Registry()
        root.register_type(gtype(Outer), NONE, NONE)
        root.register_type(gtype(Greeter), NONE, NONE)
        root.register_factory(gtype(Greeting), NONE, lambda *args: Customer())
        error = self.assertHsError(Hs.RegistryError.FACTORY_FAILED, get, root, Outer)
        for name in ('greeter', 'OuterNeedsGreeter', 'greeting', 'Greeter'):
            self.assertIn(name, error.message)

    def test_initable_failure(self):
        class Picky(GObject.Object, Gio.Initable):
            __gtype_name__ = 'PickyGreeting'
            salutation = GObject.Property(type=str, default='Hello')

            def do_init(self, cancellable):
                if self.props.salutation != 'Hello':
                    raise GLib.Error.new_literal(Gio.io_error_quark(), 'too informal',
                                                 Gio.IOErrorEnum.INVALID_DATA)
                return True

        registry = Hs.Registry()
        registry.register_type(gtype(Picky), NONE, NONE)
        self.assertEqual(get(registry, Picky).props.salutation, 'Hello')
        with self.assertRaises(GLib.Error) as cm:
            get(registry, Picky, salutation='Hi')
        self.assertTrue(cm.exception.matches(Gio.io_error_quark(),
                                             Gio.IOErrorEnum.INVALID_DATA))
        self.assertEqual(cm.exception.message, 'too informal')

    def test_nothing_is_kept_when_a_get_fails(self):
        created = []
        alive = set()

        def track(obj):
            key = len(created)
            created.append(type(obj).__name__)
            alive.add(key)
            obj.weak_ref(lambda: alive.discard(key))

        class Tracked(Greeting):
            __gtype_name__ = 'TrackedGreeting'

            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                track(self)

        class Failing(GObject.Object, Gio.Initable):
            __gtype_name__ = 'FailingHolder'
            greeting = GObject.Property(type=Greeting, flags=DEP)

            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                track(self)

            def do_init(self, cancellable):
                # Injection has happened by now.
                assert isinstance(self.props.greeting, Tracked)
                raise GLib.Error.new_literal(Gio.io_error_quark(), 'refused',
                                             Gio.IOErrorEnum.FAILED)

        class Outer(GObject.Object):
            __gtype_name__ = 'OuterOfFailing'
            failing = GObject.Property(type=Failing, flags=DEP)

        registry = Hs.Registry()
        registry.register_type(gtype(Outer), NONE, NONE)
        registry.register_type(gtype(Failing), NONE, NONE)
        registry.register_type(gtype(Tracked), NONE, NONE)
        with self.assertRaises(GLib.Error) as cm:
            get(registry, Outer)
        self.assertIn('refused', cm.exception.message)
        del cm
        gc.collect()
        # Both the failed object and the dependency built for it are gone.
        self.assertEqual(sorted(created), ['Failing', 'Tracked'])
        self.assertEqual(alive, set())


if __name__ == '__main__':
    unittest.main(verbosity=2)
