# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject override for Hopscotch (``from gi.repository import Hs``).

It gives Python the API of the original *hopscotch* library on top of the
introspected one, which keeps working unchanged::

    from gi.repository import GObject, Hs

    registry = Hs.Registry()
    registry.register(Greeting)                       # a type
    registry.register(AnotherGreeting, kind=Greeting,
                      context=FrenchCustomer)         # for French customers
    registry.register(Greeting(salutation='Hi'))      # a singleton
    registry.register(make_greeting, kind=Greeting)   # a factory

    request = Hs.Registry(parent=registry, context=customer)
    greeting = request.get(Greeting)
    greeting = registry.get(Greeting, salutation='Hello Prop')

What is added:

* :class:`Registry` -- ``Hs.Registry(parent=None, context=None)``, the
  ``parent`` and ``context`` attributes, :meth:`Registry.register`,
  :meth:`Registry.get` with props as keyword arguments,
  :meth:`Registry.scan` and :meth:`Registry.setup`;
* :func:`injectable` -- the class decorator that :meth:`Registry.scan` finds;
* :class:`RegistryManager` -- registry functions that need not return True;
* injection annotations: :func:`inject_context`, :func:`inject_get` and
  :func:`inject_skip` take a class, and :class:`Property` declares a GObject
  property together with its annotation (:class:`Context`, :class:`Get`,
  :class:`Skip`).

Kinds and contexts are given as classes (GObject classes and interfaces, such
as ``Greeting`` or ``Gio.ListModel``) or as GTypes; ``None`` means "no kind
given" or "any context". Python names of properties may use ``_`` where the
property name has ``-`` (``first_name`` for ``first-name``).

Errors of the library stay ``GLib.Error`` exceptions of the
``Hs.RegistryError`` domain, to be matched with
``error.matches(Hs.registry_error_quark(), Hs.RegistryError.NOT_FOUND)``.
Their messages name GType names: a Python class declared without
``__gtype_name__`` has a GType name such as ``__main__+Greeting`` (module,
``+``, class); give your classes a ``__gtype_name__`` for shorter messages.
Passing something that is neither a class, a GType nor ``None`` where a kind
or context is expected is a ``TypeError``.
"""

import importlib
import importlib.util
import itertools
import pkgutil
import sys
import threading
import weakref

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

Hs = get_introspection_module('Hs')

__all__ = []

_NONE = GObject.TYPE_NONE


def _gtype(value, what):
    """The GType for a kind or context given as a class, a GType or None."""
    if value is None:
        return _NONE
    if isinstance(value, GObject.GType):
        return _NONE if value == GObject.TYPE_INVALID else value
    if isinstance(value, type):
        gtype = getattr(value, '__gtype__', None)
        if isinstance(gtype, GObject.GType):
            return gtype
        raise TypeError(f'{what} must be a GObject class, an interface or a '
                        f'GType: {value.__qualname__} is not a GObject type')
    raise TypeError(f'{what} must be a GObject class, an interface, a GType '
                    f'or None, not {value!r}')


def _property_name(name):
    return name.replace('_', '-')


def _property_argument(name, what, nullable=False):
    """The property name argument *what* (``_`` for ``-``): a str, or None
    when *nullable*; anything else is a TypeError."""
    if name is None and nullable:
        return None
    if not isinstance(name, str):
        raise TypeError(f'{what} must be a property name (a str), not {name!r}')
    return _property_name(name)


def _is_gobject_class(value):
    return isinstance(value, type) and isinstance(getattr(value, '__gtype__', None),
                                                  GObject.GType)


# Injection annotations

class _Injection:
    """What Property(inject=...) does: Context, Get or Skip."""

    __slots__ = ()

    def annotate(self, cls, name):
        raise NotImplementedError


class Context(_Injection):
    """Injects the lookup context, or its property *attr*.

    Use it with :class:`Property`::

        name = Hs.Property(type=str, inject=Hs.Context(attr='first-name'))
    """

    __slots__ = ('attr',)

    def __init__(self, attr=None):
        self.attr = attr

    def annotate(self, cls, name):
        return inject_context(cls, name, self.attr)

    def __repr__(self):
        return f'Hs.Context(attr={self.attr!r})'


class Get(_Injection):
    """Injects ``get(kind)`` (the property's own type when *kind* is None),
    or the property *attr* of its result.

    Use it with :class:`Property`::

        greeting = Hs.Property(type=Greeting, inject=Hs.Get(AnotherGreeting))
        title = Hs.Property(type=str, inject=Hs.Get(Settings, attr='title'))
    """

    __slots__ = ('kind', 'attr')

    def __init__(self, kind=None, attr=None):
        _gtype(kind, 'kind')  # fail early, where the mistake is
        self.kind = kind
        self.attr = attr

    def annotate(self, cls, name):
        return inject_get(cls, name, self.kind, self.attr)

    def __repr__(self):
        return f'Hs.Get({self.kind!r}, attr={self.attr!r})'


class Skip(_Injection):
    """Never injects the property.

    Use it with :class:`Property`::

        cache = Hs.Property(type=Cache, inject=Hs.Skip())
    """

    __slots__ = ()

    def annotate(self, cls, name):
        return inject_skip(cls, name)

    def __repr__(self):
        return 'Hs.Skip()'


_pending_lock = threading.Lock()
_PENDING = '_hs_pending_injections'


class Property(GObject.Property):
    """A ``GObject.Property`` that carries an injection annotation.

    It takes the arguments of ``GObject.Property`` and *inject*, one of
    :class:`Context`, :class:`Get` or :class:`Skip`::

        class Greeter(GObject.Object):
            customer = Hs.Property(type=Customer, inject=Hs.Context())
            name = Hs.Property(type=str, inject=Hs.Context(attr='first-name'))
            greeting = Hs.Property(type=Greeting, inject=Hs.Get(AnotherGreeting))
            cache = Hs.Property(type=Cache, inject=Hs.Skip())

    The GType of a class exists only once its ``class`` statement has run, so
    the annotations are applied afterwards, the first time the class (or a
    subclass) is decorated with :func:`injectable`, registered with
    :meth:`Registry.register` or ``Registry.register_type``, or passed to
    :func:`apply_injections`. From then on they hold like those of
    :func:`inject_context` and friends.
    """

    def __init__(self, *args, inject=None, **kwargs):
        if inject is not None and not isinstance(inject, _Injection):
            raise TypeError('inject must be Hs.Context(), Hs.Get() or Hs.Skip(), '
                            f'not {inject!r}')
        super().__init__(*args, **kwargs)
        self.inject = inject

    def __set_name__(self, owner, name):
        parent = getattr(super(), '__set_name__', None)
        if parent is not None:
            parent(owner, name)
        if self.inject is None:
            return
        with _pending_lock:
            pending = owner.__dict__.get(_PENDING)
            if pending is None:
                pending = []
                setattr(owner, _PENDING, pending)
            pending.append((name, self))


def apply_injections(cls):
    """Applies the annotations of the :class:`Property` declarations of *cls*
    and of its base classes, once. Returns *cls*.

    :func:`injectable` and :meth:`Registry.register` call it; call it
    yourself when the class reaches a registry some other way.
    """
    for klass in reversed(cls.__mro__):
        pending = klass.__dict__.get(_PENDING)
        while pending:
            with _pending_lock:
                if not pending:
                    break
                attr_name, prop = pending[0]
            # Raises GLib.Error for a property that cannot take it; the
            # annotation then stays pending, to fail again next time.
            prop.inject.annotate(klass, prop.name or attr_name)
            with _pending_lock:
                if pending and pending[0][1] is prop:
                    pending.pop(0)
    return cls


__all__ += ['Context', 'Get', 'Skip', 'Property', 'apply_injections']


def inject_context(type, property, attr=None):
    """Injects the lookup context into *property* of *type* (a class or a
    GType), or the context's property *attr*::

        Hs.inject_context(Greeter, 'customer')
        Hs.inject_context(Greeter, 'name', attr='first_name')

    *attr* None injects the context itself. A get without a lookup context
    then fails with ``Hs.RegistryError.NO_CONTEXT``. Raises ``GLib.Error``
    when *type* has no such writable property, ``TypeError`` when
    *property* is not a property name (None included).
    """
    return Hs.inject_context(_gtype(type, 'type'),
                             _property_argument(property, 'inject_context(): property'),
                             _property_argument(attr, 'inject_context(): attr', True))


def inject_get(type, property, kind=None, attr=None):
    """Injects ``get(kind)`` into *property* of *type* (a class or a GType),
    with the same lookup context -- the property's own type when *kind* is
    None -- or the property *attr* of the object got::

        Hs.inject_get(Greeter, 'greeting', AnotherGreeting)
        Hs.inject_get(Greeter, 'salutation', Greeting, attr='salutation')

    When nothing answers, the outer get fails. Raises ``TypeError`` when
    *property* is not a property name (None included).
    """
    return Hs.inject_get(_gtype(type, 'type'),
                         _property_argument(property, 'inject_get(): property'),
                         _gtype(kind, 'kind'),
                         _property_argument(attr, 'inject_get(): attr', True))


def inject_skip(type, property):
    """Never injects *property* of *type* (a class or a GType)::

        Hs.inject_skip(Greeter, 'cache')

    Raises ``TypeError`` when *property* is not a property name.
    """
    return Hs.inject_skip(_gtype(type, 'type'),
                          _property_argument(property, 'inject_skip(): property'))


__all__ += ['inject_context', 'inject_get', 'inject_skip']


# The decorator

_MARKS = '__hs_injectable__'


def injectable(kind=None, context=None):
    """Class decorator: marks a GObject class for :meth:`Registry.scan`::

        @Hs.injectable()
        class Greeting(GObject.Object):
            ...

        @Hs.injectable(kind=Greeting, context=FrenchCustomer)
        class AnotherGreeting(Greeting):
            ...

    Nothing is registered until a registry scans the class's module. The
    arguments are those of :meth:`Registry.register`. Decorating a class
    again adds another registration; subclasses do not inherit the mark.
    """
    kind_gtype = _gtype(kind, 'kind')
    context_gtype = _gtype(context, 'context')

    def decorate(cls):
        if not _is_gobject_class(cls):
            raise TypeError(f'@Hs.injectable() decorates GObject classes, not {cls!r}')
        marks = cls.__dict__.get(_MARKS)
        if marks is None:
            marks = []
            setattr(cls, _MARKS, marks)
        marks.append((kind_gtype, context_gtype))
        apply_injections(cls)
        return cls

    return decorate


__all__ += ['injectable']


# Factories

_state = threading.local()


def _factory_wrapper(factory, kind_gtype):
    """Adapts func(registry, context, **props) to HsFactory, whose binding
    in PyGObject 3.42 is (registry, context, n_properties, names, values)."""

    def call(registry, context, n_properties, names, values, *user_data):
        props = {_python_name(name): value for name, value in zip(names or (), values or ())}
        try:
            return factory(registry, context, **props)
        except GLib.Error as error:
            # Crosses C unchanged (domain, code, message); remember the
            # Python error when it has a history worth showing.
            if error.__cause__ is not None:
                _remember(error, error.message)
            raise
        except Exception as exc:
            message = (f'The factory for “{kind_gtype.name}” raised '
                       f'{type(exc).__name__}: {exc}')
            _remember(exc, message)
            raise GLib.Error.new_literal(Hs.registry_error_quark(), message,
                                         Hs.RegistryError.FACTORY_FAILED) from exc

    return call


def _python_name(name):
    return name.replace('-', '_')


class _Factories(dict):
    """A registry's Python factories, {key: (factory, user_data)}."""

    __slots__ = ('__weakref__',)


_FACTORIES = '_hs_factories'
_factory_keys = itertools.count(1)


def _hold_factory(registry, factory, user_data):
    """Keeps *factory* in the ``__dict__`` of *registry* and returns the
    trampoline to hand to the library instead, and the factory's key.

    The library's closure is opaque to Python's garbage collector: had it
    held the factory, a factory that refers to its registry (a closure over
    it, a bound method of a Registry subclass) would make a cycle that is
    never collected. The trampoline holds the factory weakly; the registry's
    wrapper, which lives as long as the registry, holds it where the
    collector sees it. The library drops the trampoline when the
    registration goes (unregistered, or its registry finalized), and the
    factory goes with it.
    """
    factories = registry.__dict__.setdefault(_FACTORIES, _Factories())
    key = next(_factory_keys)
    factories[key] = (factory, user_data)
    factories_ref = weakref.ref(factories)

    def trampoline(*args):
        if getattr(_state, 'interrupt', None) is not None:
            return None  # on its way to the caller: run nothing more
        factories = factories_ref()
        held = factories.get(key) if factories is not None else None
        if held is None:
            return None  # the registry is being finalized
        factory, user_data = held
        try:
            return factory(*args, *user_data)
        except Exception:
            raise
        except BaseException as exc:
            if not getattr(_state, 'gets', 0):
                raise  # not under the override's get: nowhere to take it
            # KeyboardInterrupt, SystemExit...: PyGObject would print it
            # (and exit, for SystemExit) here, inside the library's call.
            # The factory returns nothing instead, and _get re-raises it.
            _state.interrupt = exc
            return None

    weakref.finalize(trampoline, _forget_factory, factories_ref, key).atexit = False
    return trampoline, key


def _forget_factory(factories_ref, key):
    factories = factories_ref()
    if factories is not None:
        factories.pop(key, None)


def _remember(exc, message):
    _state.pending = (exc, message)


def _get(registry, kind_gtype, context, names, values):
    """The library's get, which may call Python factories: re-raises the
    exception of one of them that is not an ``Exception``
    (KeyboardInterrupt, SystemExit...) unchanged once the library's call
    has returned, and chains a GLib.Error to the exception a factory raised
    for it."""
    _state.pending = None
    _state.gets = getattr(_state, 'gets', 0) + 1
    try:
        result = Hs.Registry.get_with_properties(registry, kind_gtype, context,
                                                 names, values)
        error = None
    except GLib.Error as exc:
        error = exc
    finally:
        _state.gets -= 1
    interrupt = getattr(_state, 'interrupt', None)
    if interrupt is not None:
        _state.interrupt = None
        raise interrupt
    if error is not None:
        _raise_with_cause(error)
    return result


def _raise_with_cause(error):
    """Re-raises *error* (a GLib.Error out of C) chained to the Python
    exception a factory raised for it, so its traceback is not lost."""
    pending = getattr(_state, 'pending', None)
    _state.pending = None
    if pending is not None and pending[1] in error.message:
        raise error from pending[0]
    raise error


# The registry

def _gvalue(kind_gtype, name, value):
    """A GValue for prop *name*, typed as the property of the kind when it
    has one: PyGObject 3.42 cannot guess a GValue type for None (and crashes
    on it), and guesses ``int`` for every Python integer.

    A value that the property's type cannot hold, and that the library
    could not convert to it either, is refused here, naming the property
    and what it takes: an ``Hs.RegistryError.INVALID_PROPERTY`` error, as
    the library's own, that is also a ``ValueError`` (a number out of the
    property's range) or a ``TypeError`` (any other value).
    """
    if isinstance(value, GObject.Value):
        # PyGObject cannot even copy an uninitialized GValue into the
        # array of values without a critical: refuse it here.
        if value.g_type == GObject.TYPE_INVALID:
            raise _invalid_property(
                TypeError, f'Property “{name}” of “{kind_gtype.name}” cannot take '
                'an uninitialized GObject.Value')
        return value
    pspec = _property_specs(kind_gtype).get(name)
    if pspec is not None:
        value_type = pspec.value_type
        try:
            return GObject.Value(value_type, value)
        except (TypeError, ValueError, OverflowError, SystemError) as exc:
            # (SystemError: PyGObject 3.42 putting a str into a GStrv.)
            if value is None:
                raise _invalid_property(TypeError, f'None is not a value of property '
                                        f'“{name}” ({value_type.name})') from None
            source_type = _value_gtype(value)
            if (source_type is not None
                    and GObject.value_type_transformable(source_type, value_type)):
                # Let the library convert it (an int for a string, ...).
                return GObject.Value(source_type, value)
            if isinstance(exc, (ValueError, OverflowError)) and hasattr(pspec, 'minimum'):
                raise _invalid_property(
                    ValueError, f'Property “{name}” of “{kind_gtype.name}” takes a '
                    f'{value_type.name} from {pspec.minimum} to {pspec.maximum}, '
                    f'not {value!r}') from None
            raise _invalid_property(
                TypeError, f'Property “{name}” of “{kind_gtype.name}” takes a '
                f'{value_type.name}, not {type(value).__name__} {value!r}') from None
    if value is None:
        raise TypeError(f'“{kind_gtype.name}” has no property “{name}” to tell '
                        'the type of None: pass a GObject.Value')
    return value


def _value_gtype(value):
    """The GType a GValue of the Python *value* would have, or None."""
    if isinstance(value, bool):
        return GObject.TYPE_BOOLEAN
    if isinstance(value, int):
        return GObject.TYPE_INT64 if -2 ** 63 <= value < 2 ** 63 else None
    if isinstance(value, float):
        return GObject.TYPE_DOUBLE
    if isinstance(value, str):
        return GObject.TYPE_STRING
    if isinstance(value, GObject.Object):
        return value.__gtype__
    return None


_invalid_property_classes = {}


def _invalid_property(builtin, message):
    """An ``Hs.RegistryError.INVALID_PROPERTY`` GLib.Error that is also a
    *builtin* exception (TypeError, ValueError), so that ``except
    GLib.Error`` and ``except TypeError`` both catch it."""
    cls = _invalid_property_classes.get(builtin)
    if cls is None:
        cls = type(f'InvalidProperty{builtin.__name__}', (GLib.Error, builtin), {})
        cls = _invalid_property_classes.setdefault(builtin, cls)
    return cls(message, GLib.quark_to_string(Hs.registry_error_quark()),
               Hs.RegistryError.INVALID_PROPERTY)


_property_specs_cache = {}


def _property_specs(gtype):
    """{property name: GParamSpec} of a class or interface type."""
    specs = _property_specs_cache.get(gtype)
    if specs is None:
        try:
            pspecs = GObject.list_properties(gtype) if gtype != _NONE else ()
        except TypeError:
            pspecs = ()
        specs = {pspec.name: pspec for pspec in pspecs}
        _property_specs_cache[gtype] = specs
    return specs


class _Scanned:
    """What :meth:`Registry.scan` registered into a registry: the keys
    ``(class, kind, context)``, and the lock that guards them."""

    __slots__ = ('keys', 'lock')

    def __init__(self):
        self.keys = set()
        self.lock = threading.RLock()


_SCANNED = '_hs_scanned'


class Registry(Hs.Registry):
    """A registry of implementations of kinds of things.

    ``Hs.Registry(parent=None, context=None)``: a child registry answers
    from its own registrations first, then from its parent's; *context* is
    the object lookups are about (a child without one takes its parent's).
    """

    def __init__(self, parent=None, context=None, **kwargs):
        super().__init__(parent=parent, context=context, **kwargs)

    @property
    def parent(self):
        """The parent registry, or None."""
        return self.get_parent()

    @property
    def context(self):
        """The registry's context object, or None."""
        return self.get_context()

    def register(self, implementation, kind=None, context=None):
        """Registers *implementation* and returns the registration id.

        * a GObject class (or a GType) registers a type: ``get`` builds a new
          instance each time, injecting its dependencies;
        * a GObject instance registers a singleton: ``get`` returns it;
        * any other callable registers a factory, called as
          ``factory(registry, context, **props)`` on each ``get`` (*registry*
          is the registry ``get`` was called on, *context* the lookup
          context, *props* the props of the get with ``_`` for ``-``); it
          returns the object. A factory needs a *kind*. What it raises
          fails the get (see :meth:`get`).

        *kind* (a class or GType; None: the implementation's own type, its
        ancestors and interfaces) is what it answers for; *context* (a
        class or GType; None: any) restricts it to lookups whose context is
        an instance of that type.

        Raises ``GLib.Error`` (``Hs.RegistryError.INVALID_REGISTRATION``)
        when the library refuses the registration, ``TypeError`` when
        *implementation* is none of the above.
        """
        kind_gtype = _gtype(kind, 'kind')
        context_gtype = _gtype(context, 'context')
        if isinstance(implementation, GObject.Object):
            return self.register_instance(implementation, kind_gtype, context_gtype)
        if _is_gobject_class(implementation) or isinstance(implementation, GObject.GType):
            return self.register_type(implementation, kind_gtype, context_gtype)
        if isinstance(implementation, type):
            raise TypeError(f'{implementation.__qualname__} is not a GObject class: '
                            'register a GObject class, an instance or a factory')
        if callable(implementation):
            return self.register_factory(kind_gtype, context_gtype,
                                         _factory_wrapper(implementation, kind_gtype))
        raise TypeError('register() takes a GObject class, a GObject instance or '
                        f'a callable, not {implementation!r}')

    def register_type(self, implementation, kind=None, context=None):
        """The introspected ``register_type``, which also takes classes and
        None, and applies the class's :class:`Property` annotations."""
        if _is_gobject_class(implementation):
            apply_injections(implementation)
        return super().register_type(_gtype(implementation, 'implementation'),
                                     _gtype(kind, 'kind'), _gtype(context, 'context'))

    def register_instance(self, instance, kind=None, context=None):
        """The introspected ``register_instance``, which also takes classes
        and None for *kind* and *context*."""
        return super().register_instance(instance, _gtype(kind, 'kind'),
                                         _gtype(context, 'context'))

    def register_factory(self, kind, context, factory, *user_data):
        """The introspected ``register_factory``: *factory* is called as
        ``factory(registry, context, n_properties, names, values)``; prefer
        :meth:`register`, which calls it with props as keyword arguments.

        The registry holds *factory* (and *user_data*) until the
        registration is unregistered or the registry is finalized, in a way
        Python's garbage collector sees through: a factory may refer to its
        registry (close over it, or be a bound method of a Registry
        subclass) without keeping it alive.
        """
        trampoline, key = _hold_factory(self, factory, user_data)
        try:
            return super().register_factory(_gtype(kind, 'kind'), _gtype(context, 'context'),
                                            trampoline)
        except BaseException:
            self.__dict__[_FACTORIES].pop(key, None)
            raise

    def get(self, kind, context=None, *args, **props):
        """Returns the best implementation of *kind* for *context* (None: the
        registry's own context)::

            greeting = registry.get(Greeting)
            greeting = registry.get(Greeting, context=marie)
            greeting = registry.get(Greeting, salutation='Hello Prop')

        Keyword arguments are props: property values for the object built,
        which win over injection (singletons cannot take props, so they are
        passed over).

        A factory's exception is a ``GLib.Error``
        (``Hs.RegistryError.FACTORY_FAILED``, chained to it), except the
        interpreter's own (KeyboardInterrupt, SystemExit: any that is not an
        ``Exception``): no other factory runs, and ``get`` raises that very
        exception once the library's call has returned.

        Raises ``GLib.Error``: ``Hs.RegistryError.NOT_FOUND``
        when nothing answers, ``Hs.RegistryError.INVALID_PROPERTY`` for a
        prop value its property cannot take (raised before anything is
        built, as an error that is also a ``ValueError`` when a number is
        out of the property's range and a ``TypeError`` otherwise), or the
        error that building the object met.

        The introspected form ``get_with_properties(kind, context, names,
        values)`` works too, and so does ``get(kind, context, names,
        values)`` (use one of them for a prop named ``kind`` or
        ``context``).
        """
        kind_gtype = _gtype(kind, 'kind')
        if args:
            if len(args) != 2 or props:
                raise TypeError('get() takes props as keyword arguments: '
                                'get(kind, context=None, **props)')
            names, values = (list(a) for a in args)
        else:
            names = [_property_name(name) for name in props]
            values = [_gvalue(kind_gtype, name, value)
                      for name, value in zip(names, props.values())]
        return _get(self, kind_gtype, context, names, values)

    def get_with_properties(self, kind, context, names, values):
        """The introspected ``get_with_properties``, which also takes a
        class for *kind*, and lets the exceptions of factories out as
        :meth:`get` does."""
        return _get(self, _gtype(kind, 'kind'), context, names, values)

    def lookup(self, kind, context=None):
        """Which registration would answer ``get(kind, context)``, without
        building anything: an ``Hs.Registration``, or None."""
        return super().lookup(_gtype(kind, 'kind'), context)

    def scan(self, target=None):
        """Registers the classes decorated with :func:`injectable` and
        returns the ids of the new registrations.

        *target* is a module, or a package: its modules too, all imported
        (``pkgutil.walk_packages``); or its dotted name. Only classes
        defined in the module itself (not imported into it), at its top
        level, count, in the order they are defined. Scanning what this
        registry scanned before registers nothing again, also when several
        threads scan into it at the same time. When the library
        refuses one registration, the scan registers nothing and raises its
        ``GLib.Error``.

        A name that is not a Python module names a native module: the
        registrations declared in C with ``HS_INJECTABLE`` in that library.
        With no *target*: every native declaration of the loaded libraries,
        then the package of the calling module (or the calling module, for
        a script). Native registrations have no ids to return.
        """
        if target is None:
            caller = sys._getframe(1).f_globals
            ids = list(self._scan_native(None))
            package = caller.get('__package__')
            module = (importlib.import_module(package) if package
                      else sys.modules[caller['__name__']])
            return ids + self._scan_python(module)
        if isinstance(target, str):
            try:
                found = importlib.util.find_spec(target) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                return self._scan_native(target)
            target = importlib.import_module(target)
        if not isinstance(target, type(sys)):
            raise TypeError(f'scan() takes a module, a package or a name, not {target!r}')
        return self._scan_python(target)

    def _scan_native(self, name):
        native = getattr(Hs.Registry, 'scan', None)
        if native is None:
            if name is None:
                return []
            raise ImportError(f'No module named {name!r}')
        native(self, name)
        return []

    def _scan_python(self, module):
        modules = [module]
        if hasattr(module, '__path__'):
            def onerror(name):
                # Called while walk_packages handles the error: a
                # package that does not import is an error, not a skip.
                raise

            for info in pkgutil.walk_packages(module.__path__, module.__name__ + '.',
                                              onerror=onerror):
                modules.append(importlib.import_module(info.name))
        scanned = self.__dict__.setdefault(_SCANNED, _Scanned())
        done = []  # (key, id), to undo all of it when one is refused
        # Checking what was scanned and registering it is one step, also
        # when several threads scan into this registry.
        with scanned.lock:
            try:
                for mod in modules:
                    for value in list(vars(mod).values()):
                        if not (_is_gobject_class(value) and value.__module__ == mod.__name__):
                            continue
                        for kind_gtype, context_gtype in value.__dict__.get(_MARKS, ()):
                            key = (value, kind_gtype, context_gtype)
                            if key in scanned.keys:
                                continue
                            reg_id = self.register_type(value, kind_gtype, context_gtype)
                            scanned.keys.add(key)
                            done.append((key, reg_id))
            except BaseException:
                for key, reg_id in done:
                    self.unregister(reg_id)
                    scanned.keys.discard(key)
                raise
        return [reg_id for key, reg_id in done]

    def setup(self, target):
        """Calls ``hopscotch_setup(registry)`` of *target* (a module or its
        dotted name), where a module registers what it provides, and returns
        what it returns."""
        if isinstance(target, str):
            target = importlib.import_module(target)
        setup = getattr(target, 'hopscotch_setup', None)
        if not callable(setup):
            raise AttributeError(f'{getattr(target, "__name__", target)!r} has no '
                                 'hopscotch_setup(registry) function')
        return setup(self)


Registry = override(Registry)
__all__.append('Registry')


# The registry manager

if hasattr(Hs, 'RegistryManager'):
    class RegistryManager(Hs.RegistryManager):
        """The registry manager, with Python registry functions that need
        not return anything."""

        def add_registry_function(self, key, owner, function, *user_data):
            """Declares *function* for *key* (a class or GType), on behalf of
            *owner* (the name :meth:`unload_owner` takes; None: the program).
            It is called as ``function(manager)`` when *key* is subscribed --
            at once if it already is -- and what it registers belongs to
            *owner*. It succeeds unless it raises (the manager reports the
            exception with ``g_warning()``) or returns False.
            """
            def call(manager, *data):
                return function(manager, *data) is not False

            return super().add_registry_function(_gtype(key, 'key'), owner, call, *user_data)

        def subscribe(self, key):
            return super().subscribe(_gtype(key, 'key'))

        def unsubscribe(self, key):
            return super().unsubscribe(_gtype(key, 'key'))

        def is_subscribed(self, key):
            return super().is_subscribed(_gtype(key, 'key'))

    RegistryManager = override(RegistryManager)
    __all__.append('RegistryManager')
