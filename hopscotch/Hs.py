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
  :class:`Skip`);
* :class:`Injectable` -- a base class whose annotated fields
  (``greeting: Greeting``, ``name: str = Hs.context(attr='first_name')``,
  ``= Hs.get(Settings, attr='title')``, ``= Hs.skip()``) are injected
  properties, with a kind wider than its field checked when built.

Kinds and contexts are given as classes (GObject classes and interfaces, such
as ``Greeting`` or ``Gio.ListModel``) or as GTypes; ``None`` means "no kind
given" or "any context". Python names of properties may use ``_`` where the
property name has ``-`` (``first_name`` for ``first-name``).

Errors of the library are ``GLib.Error`` exceptions of the
``Hs.RegistryError`` domain, to be matched with
``error.matches(Hs.registry_error_quark(), Hs.RegistryError.NOT_FOUND)``,
and are also the matching builtin exception, so that the original's
``except LookupError`` works: ``NOT_FOUND`` and ``NO_CONTEXT`` are
``LookupError``, ``INVALID_PROPERTY`` a ``TypeError`` (a ``ValueError`` for
a number out of its property's range), ``INVALID_REGISTRATION`` a
``TypeError`` and ``CYCLE`` a ``RecursionError``.
Their messages name GType names: a Python class declared without
``__gtype_name__`` has a GType name such as ``__main__+Greeting`` (module,
``+``, class); give your classes a ``__gtype_name__`` for shorter messages.
Passing something that is neither a class, a GType nor ``None`` where a kind
or context is expected is a ``TypeError``.

The messages the override writes itself are translated as the library's
are (gettext domain ``hopscotch-1``, the library's catalogue), so both come
in the user's language -- or both in English, where the program did not
call ``locale.setlocale()`` (GTK does it for its applications).
"""

import gettext
import importlib
import importlib.util
import inspect
import itertools
import locale
import os
import pkgutil
import sys
import threading
import typing
import weakref

from gi.repository import Gio, GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

Hs = get_introspection_module('Hs')

__all__ = []

_NONE = GObject.TYPE_NONE

# The introspected functions behind the override's get.
_get_raw = Hs.Registry.get
_get_with_properties = Hs.Registry.get_with_properties
_object_init = Hs.Registry.__init__


# Translations

_DOMAIN = 'hopscotch-1'
_translate = None


def _(message):
    """*message* translated as the library translates its own messages:
    with the C library's gettext (``locale.dgettext``), from the same
    catalogue, by the same rules (``setlocale``, ``LANGUAGE``...), so that
    the messages of the override and those of the library always come in
    the same language."""
    return (_translate or _bind_text_domain())(_DOMAIN, message)


def _bind_text_domain():
    """The function that translates; binds the text domain first.

    The library binds its domain to its own LOCALEDIR (or to
    ``HOPSCOTCH_LOCALEDIR``, for the build tree) before its first
    translation, and a binding holds for the whole process. The LOCALEDIR
    compiled into the library is not visible from Python, so the override
    lets the library make its binding -- one lookup that fails, translating
    its message -- rather than guess a directory that could differ.
    Without the C library's gettext in ``locale``, Python's ``gettext``
    reads the catalogue of ``HOPSCOTCH_LOCALEDIR`` or of
    ``<sys.prefix>/share/locale``.
    """
    global _translate
    translate = getattr(locale, 'dgettext', None)
    if translate is not None:
        try:
            _get_raw(Hs.Registry(), GObject.TYPE_OBJECT, None)
        except GLib.Error:
            pass
    else:
        gettext.bindtextdomain(_DOMAIN, os.environ.get('HOPSCOTCH_LOCALEDIR')
                               or os.path.join(sys.prefix, 'share', 'locale'))
        translate = gettext.dgettext
    _translate = translate
    return translate


# Kinds and contexts given as classes, by class: a class's GType never
# changes, and GObject classes live as long as the process.
_gtypes = {None: _NONE}


def _gtype(value, what):
    """The GType for a kind or context given as a class, a GType or None."""
    try:
        return _gtypes[value]
    except (KeyError, TypeError):  # (TypeError: unhashable)
        pass
    if isinstance(value, GObject.GType):
        return _NONE if value == GObject.TYPE_INVALID else value
    if isinstance(value, type):
        gtype = getattr(value, '__gtype__', None)
        if isinstance(gtype, GObject.GType):
            _gtypes[value] = gtype
            return gtype
        raise TypeError(_('{what} must be a GObject class, an interface or a GType: '
                          '{name} is not a GObject type').format(
                              what=what, name=value.__qualname__))
    raise TypeError(_('{what} must be a GObject class, an interface, a GType or None, '
                      'not {value}').format(what=what, value=repr(value)))


def _property_name(name):
    return name.replace('_', '-')


def _property_argument(name, what, nullable=False):
    """The property name argument *what* (``_`` for ``-``): a str, or None
    when *nullable*; anything else is a TypeError."""
    if name is None and nullable:
        return None
    if not isinstance(name, str):
        raise TypeError(_('{what} must be a property name (a str), not {value}').format(
            what=what, value=repr(name)))
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
            raise TypeError(_('inject must be Hs.Context(), Hs.Get() or Hs.Skip(), '
                              'not {value}').format(value=repr(inject)))
        super().__init__(*args, **kwargs)
        self.inject = inject

    # The narrower type of an Injectable's property declared with a Get of
    # a wider kind (see _widen_narrowed), or None.
    narrow = None

    def __set__(self, instance, value):
        if self.narrow is not None and instance is not None:
            error = _narrow_mismatch(self, instance, value)
            if error is not None:
                raise error
        super().__set__(instance, value)

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
        _mark_dependencies(klass)
    return cls


# Properties annotated through this module: (GType, canonical name).
_annotated = set()
# The classes whose dependencies were marked (their GTypes).
_marked = set()


def _mark_dependencies(klass):
    """Marks *auto* the object properties that the Python class *klass*
    itself declares, unless annotated: the library injects only
    construct-only and annotated properties, and a Python class's
    properties are its dependencies (``greeting = GObject.Property(type=
    Greeting)``). Classes that PyGObject wraps (GTK's, GLib's) are left as
    they are."""
    if (not _is_gobject_class(klass) or '__gtype__' not in klass.__dict__
            or klass.__module__.split('.')[0] in ('gi', 'gobject')):
        return
    gtype = klass.__gtype__
    if not GObject.type_is_a(gtype, GObject.TYPE_OBJECT):
        return
    with _pending_lock:
        if gtype in _marked:
            return
        _marked.add(gtype)
    for pspec in GObject.list_properties(klass):
        if (pspec.owner_type != gtype
                or not pspec.flags & GObject.ParamFlags.WRITABLE
                or (gtype, pspec.name) in _annotated
                or not (GObject.type_is_a(pspec.value_type, GObject.TYPE_OBJECT)
                        or GObject.type_is_a(pspec.value_type, GObject.TYPE_INTERFACE))):
            continue
        Hs.inject_auto(gtype, pspec.name)


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
    gtype, name = _annotation_target(type, property, 'inject_context')
    return Hs.inject_context(gtype, name,
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
    gtype, name = _annotation_target(type, property, 'inject_get')
    return Hs.inject_get(gtype, name, _gtype(kind, 'kind'),
                         _property_argument(attr, 'inject_get(): attr', True))


def inject_skip(type, property):
    """Never injects *property* of *type* (a class or a GType)::

        Hs.inject_skip(Greeter, 'cache')

    Raises ``TypeError`` when *property* is not a property name.
    """
    gtype, name = _annotation_target(type, property, 'inject_skip')
    return Hs.inject_skip(gtype, name)


def inject_auto(type, property):
    """Injects *property* of *type* (a class or a GType) like a
    construct-only dependency although it is a plain read-write property.
    The object properties a Python class declares are marked so when it is
    registered or decorated; use this for classes defined elsewhere::

        Hs.inject_auto(Gtk.Label, 'tooltip-widget')   # (an example only)

    Raises ``GLib.Error`` when *type* has no such writable object property,
    ``TypeError`` when *property* is not a property name.
    """
    gtype, name = _annotation_target(type, property, 'inject_auto')
    return Hs.inject_auto(gtype, name)


def _annotation_target(type, property, what):
    """(GType, canonical property name) of an annotation, remembered so that
    marking a class's dependencies later does not undo it."""
    gtype = _gtype(type, 'type')
    name = _property_argument(property, f'{what}(): property')
    _annotated.add((gtype, name))
    return gtype, name


__all__ += ['inject_context', 'inject_get', 'inject_skip', 'inject_auto']


# The decorator

_MARKS = '__hs_injectable__'


class injectable:
    """Class decorator: marks a GObject class for :meth:`Registry.scan`::

        @Hs.injectable()
        class Greeting(GObject.Object):
            ...

        @Hs.injectable(kind=Greeting, context=FrenchCustomer)
        class AnotherGreeting(Greeting):
            ...

        @Hs.injectable(is_singleton=True)
        class Settings(GObject.Object):
            ...

    Nothing is registered until a registry scans the class's module. The
    arguments are those of :meth:`Registry.register`; with *is_singleton*,
    the scan builds one instance (with injection, from the registry
    scanning) and registers that instance. Decorating a class again adds
    another registration; subclasses do not inherit the mark.

    It is a class, so that custom decorators can subclass it and give
    their own defaults, as with the original hopscotch::

        class view(Hs.injectable):
            kind = View

        @view(context=Customer)
        class CustomerView(View):
            ...
    """

    kind = None
    context = None
    is_singleton = False

    def __init__(self, kind=None, context=None, is_singleton=None):
        self.kind_gtype = _gtype(kind if kind is not None else self.kind, 'kind')
        self.context_gtype = _gtype(context if context is not None else self.context,
                                    'context')
        if is_singleton is not None:
            self.is_singleton = bool(is_singleton)

    def __call__(self, cls):
        if not _is_gobject_class(cls):
            raise TypeError(_('@{decorator}() decorates GObject classes, not {value}').format(
                decorator=type(self).__name__, value=repr(cls)))
        marks = cls.__dict__.get(_MARKS)
        if marks is None:
            marks = []
            setattr(cls, _MARKS, marks)
        marks.append((self.kind_gtype, self.context_gtype, self.is_singleton))
        apply_injections(cls)
        return cls


__all__ += ['injectable']


# Fields: injected properties declared as annotations

def context(attr=None):
    """The default of a field of an :class:`Injectable` that takes the
    lookup context, or its property *attr*::

        customer: Customer = Hs.context()
        name: str = Hs.context(attr='first_name')
    """
    return Context(attr)


def get(kind=None, attr=None):
    """The default of a field of an :class:`Injectable` that takes
    ``get(kind)`` (the field's own type when *kind* is None), or the
    property *attr* of its result::

        greeting: Greeting = Hs.get(AnotherGreeting)
        title: str = Hs.get(Settings, attr='title')
    """
    return Get(kind, attr)


def skip():
    """The default of a field of an :class:`Injectable` that is never
    injected::

        cache: Cache = Hs.skip()
    """
    return Skip()


_FIELD_TYPES = (str, int, float, bool)


def _field_hint(hint, field, namespace):
    """The class a field's annotation names: a string is evaluated in
    the class's module (``from __future__ import annotations``), and
    ``Optional[X]`` is X. None for a ``ClassVar``."""
    if isinstance(hint, str):
        module = sys.modules.get(namespace.get('__module__'))
        try:
            hint = eval(hint, vars(module) if module else {}, dict(namespace))
        except Exception:
            raise TypeError(_('Field “{field}”: cannot resolve its annotation '
                              '“{hint}”').format(field=field, hint=hint)) from None
    origin = typing.get_origin(hint)
    if hint is typing.ClassVar or origin is typing.ClassVar:
        return None
    if origin is typing.Union or type(hint).__name__ == 'UnionType':
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            hint = args[0]
    return hint


def _field_property(class_name, field, hint, value):
    """The :class:`Property` that the field *field* declares."""
    inject = value if isinstance(value, _Injection) else None
    if _is_gobject_class(hint):
        if value is not None and inject is None:
            raise TypeError(_('Field “{field}” of {cls}: an object field takes no default '
                              'but Hs.context(), Hs.get() or Hs.skip(), not {value}').format(
                                  field=field, cls=class_name, value=repr(value)))
        return Property(type=hint, inject=inject)
    if hint in _FIELD_TYPES:
        if inject is not None or value is None:
            return Property(type=hint, inject=inject)
        return Property(type=hint, default=value)
    raise TypeError(_('Field “{field}” of {cls}: {hint} is not a GObject class, an '
                      'interface, str, int, float or bool').format(
                          field=field, cls=class_name, hint=repr(hint)))


def _declare_fields(class_name, namespace):
    """Turns the annotated fields of a class namespace into properties,
    in place, before the class (and its GType) exist."""
    for field, hint in namespace.get('__annotations__', {}).items():
        value = namespace.get(field)
        if isinstance(value, GObject.Property):
            continue  # declared in full: the annotation is only a hint
        hint = _field_hint(hint, field, namespace)
        if hint is None:
            continue
        namespace[field] = _field_property(class_name, field, hint, value)


# Get of a kind wider than the property (the original's get(Greeting)
# into an AnotherGreeting field). The library refuses to inject a kind
# that its property cannot hold, so such a property of an Injectable is
# declared, as the class is created, with the kind as its GObject type:
# the library injects get(kind) into it, and the override checks the
# narrower type as the value is set. A value of another type is not set;
# the error is kept on the object and raised by its GInitable init, which
# the library runs as it builds the object, so the get fails with it, and
# by Registry.inject.

_MISMATCH = '_hs_narrow_mismatch'


def _narrow_mismatch(prop, instance, value):
    """The error of setting *value* into the narrowed *prop*, or None."""
    if value is None or (isinstance(value, GObject.Object)
                         and value.__gtype__.is_a(prop.narrow)):
        return None
    value_type = (value.__gtype__.name if isinstance(value, GObject.Object)
                  else type(value).__name__)
    return _invalid_property(TypeError, _(
        'Property “{name}” of “{type}” holds a “{narrow}” (a kind of “{kind}”), '
        'not a “{value_type}”').format(
            name=prop.name, type=instance.__gtype__.name, narrow=prop.narrow.name,
            kind=prop.type.name, value_type=value_type))


def _narrowed_setter(prop):
    def fset(instance, value):
        error = _narrow_mismatch(prop, instance, value)
        if error is not None:
            instance.__dict__[_MISMATCH] = error
            return
        prop._default_setter(instance, value)
    return fset


def _checking_init(own_init, bases):
    """The GInitable init of a class with narrowed properties: raises
    what setting them met, then runs the class's own init, if any."""
    if own_init is None:
        for base in bases:
            inherited = getattr(base, 'do_init', None)
            if inspect.isfunction(inherited):
                own_init = inherited
                break

    def do_init(self, cancellable):
        error = self.__dict__.pop(_MISMATCH, None)
        if error is not None:
            raise error
        return own_init(self, cancellable) if own_init is not None else True
    return do_init


def _widen_narrowed(namespace, bases):
    """Declares the narrowed properties of a class namespace with their
    kind as GObject type, in place; returns the bases, with Gio.Initable
    when there is one."""
    narrowed = False
    for value in namespace.values():
        if not (isinstance(value, Property) and isinstance(value.inject, Get)
                and value.inject.kind is not None and value.inject.attr is None
                and isinstance(value.type, GObject.GType)):
            continue
        kind = _gtype(value.inject.kind, 'kind')
        if kind.is_a(value.type) or not value.type.is_a(kind):
            continue  # a kind the property holds, or one the library refuses
        value.narrow, value.type = value.type, kind
        value.fset = _narrowed_setter(value)
        narrowed = True
    if not narrowed:
        return bases
    from gi.repository import Gio
    namespace['do_init'] = _checking_init(namespace.get('do_init'), bases)
    if not any(issubclass(base, Gio.Initable) for base in bases):
        bases += (Gio.Initable,)
    return bases


class _InjectableMeta(type(GObject.Object)):
    """The metaclass of :class:`Injectable`: PyGObject registers the GType
    of a class when the class is created, from the properties in its
    namespace, so fields are turned into properties here, before that."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        if any(isinstance(base, _InjectableMeta) for base in bases):
            namespace = dict(namespace)
            _declare_fields(name, namespace)
            bases = _widen_narrowed(namespace, bases)
        return super().__new__(mcls, name, bases, namespace, **kwargs)


class Injectable(GObject.Object, metaclass=_InjectableMeta):
    """A base class whose annotated fields are injected GObject
    properties, as with the original hopscotch's dataclasses::

        class Greeter(Hs.Injectable):
            greeting: Greeting                      # get(Greeting)
            customer: Customer = Hs.context()       # the lookup context
            name: str = Hs.context(attr='first_name')
            title: str = Hs.get(Settings, attr='title')
            punctuation: str = '!'                  # a plain property
            cache: Cache = Hs.skip()                # never injected

    A field annotated with a GObject class or interface (or
    ``Optional`` of one) is an object property of that type, injected as
    the class's dependency; one annotated with ``str``, ``int``,
    ``float`` or ``bool`` is a property of that type, whose default is the
    field's value (else ``''``, 0, 0.0, False), injected only when the
    field's value is :func:`context`, :func:`get` or :func:`skip`. A field
    whose value is a ``GObject.Property`` (or :class:`Property`) is that
    property; a ``ClassVar`` is no field. Any other annotation is a
    ``TypeError``, as the class is defined. Annotations written as strings
    are evaluated in the class's module.

    A field (or :class:`Property`) of an Injectable may get a kind wider
    than its type, as the original's ``greeting: AnotherGreeting =
    get(Greeting)``: its GObject property then holds the kind, and the
    narrower type is checked as the object is built (the class is made a
    ``Gio.Initable`` for that), injected or set. A value of another type
    fails the get (or ``inject``, or the assignment) with an
    ``Hs.RegistryError.INVALID_PROPERTY`` error, a ``TypeError``, that
    names the property and the types.

    The injection annotations are applied as those of :class:`Property`
    are: the first time the class is registered, decorated, built or
    injected. ``Greeter(greeting=...)`` builds one by hand, as with any
    GObject class.
    """


__all__ += ['context', 'get', 'skip', 'Injectable']


# Factories

_state = threading.local()


def _factory_arguments(factory):
    """What *factory* takes, from its signature, looked at once: a function
    that calls it as ``call(registry, context, props)``.

    As the original hopscotch's callers: no argument; one, the registry
    (the context instead when it is named ``context``, or annotated with a
    class that is not a registry); two or more, the registry and the
    context; and the props as keyword arguments (given whatever the
    signature, so that a prop it does not take is its TypeError).
    """
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):  # no signature to read (a builtin...)
        return lambda registry, context, props: factory(registry, context, **props)
    positional = [p for p in parameters
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                  and p.default is p.empty]
    if any(p.kind == p.VAR_POSITIONAL for p in parameters) or len(positional) >= 2:
        return lambda registry, context, props: factory(registry, context, **props)
    if not positional:
        return lambda registry, context, props: factory(**props)
    (parameter,) = positional
    annotation = parameter.annotation
    takes_context = (parameter.name == 'context'
                     or (isinstance(annotation, type)
                         and not issubclass(annotation, Hs.Registry)
                         and annotation is not parameter.empty))
    if takes_context:
        return lambda registry, context, props: factory(context, **props)
    return lambda registry, context, props: factory(registry, **props)


def _factory_wrapper(factory, kind_gtype):
    """Adapts *factory* (see :func:`_factory_arguments`) to HsFactory, whose
    binding in PyGObject 3.42 is (registry, context, n_properties, names,
    values)."""
    arguments = _factory_arguments(factory)

    def call(registry, context, n_properties, names, values, *user_data):
        props = {_python_name(name): value for name, value in zip(names or (), values or ())}
        try:
            return arguments(registry, context, props)
        except GLib.Error as error:
            # Crosses C unchanged (domain, code, message); remember the
            # Python error when it has a history worth showing.
            if error.__cause__ is not None:
                _remember(error, error.message)
            raise
        except Exception as exc:
            message = _('The factory for “{kind}” raised {exception}: {message}').format(
                kind=kind_gtype.name, exception=type(exc).__name__, message=exc)
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
            if sys._getframe(1).f_code not in _GET_CODES:
                raise  # not under the override's get: nowhere to take it
            # KeyboardInterrupt, SystemExit...: PyGObject would print it
            # (and exit, for SystemExit) here, inside the library's call.
            # The factory returns nothing instead, and the get re-raises it.
            _interrupted(exc)
            return None

    weakref.finalize(trampoline, _forget_factory, factories_ref, key).atexit = False
    return trampoline, key


def _forget_factory(factories_ref, key):
    factories = factories_ref()
    if factories is not None:
        factories.pop(key, None)


def _remember(exc, message):
    _state.pending = (exc, message)


# Interrupts (KeyboardInterrupt, SystemExit...) of factories waiting for
# the get that called them to return: per thread, and how many in all, so
# that a get checks its thread's only when there is one.
_interrupts = 0
_interrupts_lock = threading.Lock()


def _interrupted(exc):
    global _interrupts
    if getattr(_state, 'interrupt', None) is None:
        with _interrupts_lock:
            _interrupts += 1
    _state.interrupt = exc


def _raise_interrupt():
    """Raises the interrupt of this thread's factories, if there is one."""
    global _interrupts
    interrupt = getattr(_state, 'interrupt', None)
    if interrupt is not None:
        _state.interrupt = None
        with _interrupts_lock:
            _interrupts -= 1
        raise interrupt


def _get(registry, kind_gtype, context, names, values):
    """The library's get, which may call Python factories: re-raises the
    exception of one of them that is not an ``Exception``
    (KeyboardInterrupt, SystemExit...) unchanged once the library's call
    has returned, and chains a GLib.Error to the exception a factory raised
    for it."""
    try:
        result = _get_with_properties(registry, kind_gtype, context, names, values)
    except GLib.Error as error:
        _raise_error(error)
    if result is None or _interrupts:
        _raise_interrupt()
    return result


def _raise_error(error):
    """Raises *error* (a GLib.Error out of the library) as the error class
    that is also the matching builtin, chained to the Python exception a
    factory raised for it, so that its traceback is not lost; or the
    interrupt of a factory, which caused it."""
    _raise_interrupt()
    pending = getattr(_state, 'pending', None)
    _state.pending = None
    typed = _typed_error(error)
    if pending is not None and pending[1] in error.message:
        raise typed from pending[0]
    raise typed from None


# The registry

# Python values that PyGObject puts into a GValue of the right type by
# itself, by the GType of the property they are right for.
_PLAIN_TYPES = {str: GObject.TYPE_STRING, bool: GObject.TYPE_BOOLEAN,
                float: GObject.TYPE_DOUBLE}
_prop_types_cache = {}


def _prop_types(kind_gtype):
    """{Python name of a property: (property name, value GType)}."""
    types = _prop_types_cache.get(kind_gtype)
    if types is None:
        types = {}
        for name, pspec in _property_specs(kind_gtype).items():
            types[_python_name(name)] = types[name] = (name, pspec.value_type)
        _prop_types_cache[kind_gtype] = types
    return types


def _props(kind_gtype, props):
    """The names and values for get_with_properties of *props*, a dict of
    keyword arguments: plain Python values where PyGObject marshals them
    into a GValue of the property's type, GObject.Values where it cannot
    (None, numbers, whose GValue type it would guess)."""
    types = _prop_types(kind_gtype)
    names = []
    values = []
    for key, value in props.items():
        found = types.get(key)
        if found is not None:
            name, value_type = found
            if (_PLAIN_TYPES.get(type(value)) != value_type
                    and not (isinstance(value, GObject.Object)
                             and value.__gtype__.is_a(value_type))):
                value = _gvalue(kind_gtype, name, value)
        else:
            name = _property_name(key)
            value = _gvalue(kind_gtype, name, value)
        names.append(name)
        values.append(value)
    return names, values


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
                TypeError, _('Property “{name}” of “{type}” cannot take an uninitialized '
                             'GObject.Value').format(name=name, type=kind_gtype.name))
        return value
    pspec = _property_specs(kind_gtype).get(name)
    if pspec is not None:
        value_type = pspec.value_type
        try:
            return GObject.Value(value_type, value)
        except (TypeError, ValueError, OverflowError, SystemError) as exc:
            # (SystemError: PyGObject 3.42 putting a str into a GStrv.)
            if value is None:
                raise _invalid_property(
                    TypeError, _('None is not a value of property “{name}” ({value_type})').format(
                        name=name, value_type=value_type.name)) from None
            source_type = _value_gtype(value)
            if (source_type is not None
                    and GObject.value_type_transformable(source_type, value_type)):
                # Let the library convert it (an int for a string, ...).
                return GObject.Value(source_type, value)
            if isinstance(exc, (ValueError, OverflowError)) and hasattr(pspec, 'minimum'):
                raise _invalid_property(
                    ValueError, _('Property “{name}” of “{type}” takes a {value_type} from '
                                  '{minimum} to {maximum}, not {value}').format(
                        name=name, type=kind_gtype.name, value_type=value_type.name,
                        minimum=pspec.minimum, maximum=pspec.maximum, value=repr(value))) from None
            raise _invalid_property(
                TypeError, _('Property “{name}” of “{type}” takes a {value_type}, not '
                             '{value_class} {value}').format(
                    name=name, type=kind_gtype.name, value_type=value_type.name,
                    value_class=type(value).__name__, value=repr(value))) from None
    if value is None:
        raise TypeError(_('“{type}” has no property “{name}” to tell the type of None: '
                          'pass a GObject.Value').format(type=kind_gtype.name, name=name))
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


# Errors: GLib.Error subclasses that are also the matching builtin, so that
# ``except LookupError`` works as with the original hopscotch.
_error_builtins = {
    Hs.RegistryError.NOT_FOUND: LookupError,
    Hs.RegistryError.NO_CONTEXT: LookupError,
    Hs.RegistryError.INVALID_PROPERTY: TypeError,
    Hs.RegistryError.INVALID_REGISTRATION: TypeError,
    Hs.RegistryError.CYCLE: RecursionError,
    Hs.RegistryError.CLOSED: RuntimeError,
}
_error_classes = {}
_ERROR_DOMAIN = GLib.quark_to_string(Hs.registry_error_quark())


def _error_class(code, builtin):
    key = (code, builtin)
    cls = _error_classes.get(key)
    if cls is None:
        nick = Hs.RegistryError(code).value_nick.title().replace('-', '')
        cls = type(f'{nick}{builtin.__name__}', (GLib.Error, builtin), {
            '__module__': __name__,
            '__doc__': f'Hs.RegistryError.{Hs.RegistryError(code).value_name} '
                       f'errors: a GLib.Error that is also a {builtin.__name__}.'})
        cls = _error_classes.setdefault(key, cls)
    return cls


def _registry_error(code, message, builtin=None):
    """An ``Hs.RegistryError`` GLib.Error of *code*, that is also *builtin*
    (by default the builtin matching *code*)."""
    builtin = builtin or _error_builtins.get(code)
    if builtin is None:
        return GLib.Error.new_literal(Hs.registry_error_quark(), message, code)
    return _error_class(code, builtin)(message, _ERROR_DOMAIN, code)


def _typed_error(error):
    """*error* as the error class that is also its builtin, when it is an
    ``Hs.RegistryError`` that has one."""
    if (isinstance(error, GLib.Error) and error.domain == _ERROR_DOMAIN
            and error.code in _error_builtins and type(error) is GLib.Error):
        return _registry_error(error.code, error.message)
    return error


def _typed_call(function, *args):
    """Calls the introspected *function*, raising its errors as
    :func:`_typed_error` does."""
    try:
        return function(*args)
    except GLib.Error as error:
        raise _typed_error(error) from None


def _invalid_property(builtin, message):
    """An ``Hs.RegistryError.INVALID_PROPERTY`` error that is also *builtin*
    (TypeError, ValueError)."""
    return _registry_error(Hs.RegistryError.INVALID_PROPERTY, message, builtin)


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


class _AsyncGet:
    """What :meth:`Registry.get_async_awaitable` returns: awaited once, in
    a running asyncio loop, it starts the get and iterates the GLib main
    context of the thread until the get has completed."""

    # How often the GLib main context is iterated while waiting, in
    # seconds: small against the asynchronous work a get waits for.
    _PUMP_INTERVAL = 0.002

    def __init__(self, registry, kind, context, cancellable, build=None):
        self._registry = registry
        self._kind = kind
        self._context = context
        self._cancellable = cancellable
        # An Hs.Registration: build_async() of it instead of get_async().
        self._build = build

    def __await__(self):
        import asyncio

        loop = asyncio.get_running_loop()
        future = loop.create_future()
        main_context = GLib.MainContext.ref_thread_default()
        # The get's own, so that cancelling the task cancels nothing of the
        # caller's; the caller's cancels it.
        cancellable = Gio.Cancellable()
        handler = None
        if self._cancellable is not None:
            if self._cancellable.is_cancelled():
                cancellable.cancel()
            else:
                handler = GObject.Object.connect(self._cancellable, 'cancelled',
                                                 lambda _c: cancellable.cancel())

        def settle(result=None, error=None):
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)

        def done(registry, result, *_user_data):
            try:
                if self._build is not None:
                    obj = registry.build_finish(result)
                else:
                    obj = registry.get_finish(result)
            except GLib.Error as error:
                loop.call_soon_threadsafe(settle, None, _typed_error(error))
            else:
                loop.call_soon_threadsafe(settle, obj)

        def pump():
            if future.done():
                return
            while main_context.iteration(False):
                pass
            loop.call_later(self._PUMP_INTERVAL, pump)

        if self._build is not None:
            self._registry.build_async(self._build, self._context, cancellable, done)
        else:
            self._registry.get_async(self._kind, self._context, cancellable, done)
        pump()
        try:
            return (yield from future.__await__())
        except asyncio.CancelledError:
            # The get completes with CANCELLED; nothing it built is kept.
            cancellable.cancel()
            while main_context.pending():
                main_context.iteration(False)
            raise
        finally:
            if handler is not None:
                self._cancellable.disconnect(handler)


_SCANNED = '_hs_scanned'

# What get(), build() and inject() return: editors see get(Greeting) as a
# Greeting.
_T = typing.TypeVar('_T')


class Registry(Hs.Registry):
    """A registry of implementations of kinds of things.

    ``Hs.Registry(parent=None, context=None)``: a child registry answers
    from its own registrations first, then from its parent's; *context* is
    the object lookups are about (a child without one takes its parent's).
    """

    def __init__(self, parent=None, context=None, **kwargs):
        _object_init(self, parent=parent, context=context, **kwargs)

    @property
    def parent(self):
        """The parent registry, or None."""
        return self.get_parent()

    @property
    def context(self):
        """The registry's context object, or None."""
        return self.get_context()

    def __enter__(self):
        """A registry is a context manager: ``with Hs.Registry(parent=root,
        context=c) as request:`` closes it at exit (see :meth:`close`)."""
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()
        return False

    def register(self, implementation, kind=None, context=None, lifetime=None):
        """Registers *implementation* and returns the registration id.

        * a GObject class (or a GType) registers a type: ``get`` builds a new
          instance each time, injecting its dependencies;
        * a GObject instance registers a singleton: ``get`` returns it;
        * a GObject class with a ``__hopscotch_factory__(cls, registry)``
          class method registers that method as its factory (for its own
          type, when no *kind* is given), as the original hopscotch does;
        * any other callable registers a factory, called on each ``get``
          with what its signature declares (looked at once): no argument,
          ``(registry)``, ``(context)`` (a parameter named ``context``, or
          annotated with a class that is not a registry), or ``(registry,
          context)``; and the props of the get as keyword arguments (with
          ``_`` for ``-``). *registry* is the registry ``get`` was called
          on, *context* the lookup context. It returns the object. A
          factory needs a *kind*. What it raises fails the get (see
          :meth:`get`).

        *kind* (a class or GType; None: the implementation's own type, its
        ancestors and interfaces) is what it answers for; *context* (a
        class or GType; None: any) restricts it to lookups whose context is
        an instance of that type.

        *lifetime* (an ``Hs.Lifetime``; None: ``TRANSIENT``) tells how long
        what a class or a factory builds is kept: ``SINGLETON`` builds it
        once, lazily, in this registry with its context, for it and its
        descendants; ``SCOPED`` once per registry ``get`` is called on,
        released when that registry is closed. An instance takes none.

        Raises ``GLib.Error`` (``Hs.RegistryError.INVALID_REGISTRATION``)
        when the library refuses the registration, ``TypeError`` when
        *implementation* is none of the above.
        """
        kind_gtype = _gtype(kind, 'kind')
        context_gtype = _gtype(context, 'context')
        if lifetime is None:
            lifetime = Hs.Lifetime.TRANSIENT
        if isinstance(implementation, GObject.Object):
            if lifetime != Hs.Lifetime.TRANSIENT:
                raise TypeError('an instance is a singleton already: it takes no lifetime')
            return self.register_instance(implementation, kind_gtype, context_gtype)
        factory = getattr(implementation, '__hopscotch_factory__', None)
        if _is_gobject_class(implementation) and factory is not None:
            # The class builds itself: __hopscotch_factory__(cls, registry).
            kind_gtype = kind_gtype if kind_gtype != _NONE else implementation.__gtype__
            return self.register_factory(kind_gtype, context_gtype,
                                         _factory_wrapper(factory, kind_gtype),
                                         lifetime=lifetime)
        if _is_gobject_class(implementation) or isinstance(implementation, GObject.GType):
            return self.register_type(implementation, kind_gtype, context_gtype, lifetime)
        if isinstance(implementation, type):
            raise TypeError(_('{name} is not a GObject class: register a GObject class, '
                              'an instance or a factory').format(
                                  name=implementation.__qualname__))
        if callable(implementation):
            return self.register_factory(kind_gtype, context_gtype,
                                         _factory_wrapper(implementation, kind_gtype),
                                         lifetime=lifetime)
        raise TypeError(_('register() takes a GObject class, a GObject instance or a '
                          'callable, not {value}').format(value=repr(implementation)))

    def register_type(self, implementation, kind=None, context=None,
                      lifetime=Hs.Lifetime.TRANSIENT):
        """The introspected ``register_type_full``, which also takes classes
        and None, and applies the class's :class:`Property` annotations."""
        if _is_gobject_class(implementation):
            apply_injections(implementation)
        return _typed_call(super().register_type_full, _gtype(implementation, 'implementation'),
                           _gtype(kind, 'kind'), _gtype(context, 'context'), lifetime)

    def register_instance(self, instance, kind=None, context=None):
        """The introspected ``register_instance``, which also takes classes
        and None for *kind* and *context*."""
        return _typed_call(super().register_instance, instance, _gtype(kind, 'kind'),
                           _gtype(context, 'context'))

    def register_factory(self, kind, context, factory, *user_data,
                         lifetime=Hs.Lifetime.TRANSIENT):
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
            return _typed_call(super().register_factory_full, _gtype(kind, 'kind'),
                               _gtype(context, 'context'), lifetime, trampoline)
        except BaseException:
            self.__dict__[_FACTORIES].pop(key, None)
            raise

    def get(self, kind: typing.Type[_T], context: typing.Optional[GObject.Object] = None,
            *args, **props) -> _T:
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
        try:
            kind_gtype = _gtypes[kind]
        except (KeyError, TypeError):
            kind_gtype = _gtype(kind, 'kind')
        if props or args:
            return self._get_props(kind_gtype, context, args, props)
        # What _get does, inline: this is the path of most gets.
        try:
            result = _get_raw(self, kind_gtype, context)
        except GLib.Error as error:
            _raise_error(error)
        if result is None or _interrupts:
            _raise_interrupt()
        return result

    def inject(self, obj: _T, context: typing.Optional[GObject.Object] = None) -> _T:
        """Injects *obj*, an object made elsewhere (by ``Gtk.Template``, a
        plugin engine, another library), as a build by this registry would:
        its annotated and *auto* properties -- for a Python class, the
        object properties it declares -- get their values; construct-only
        ones are left alone. *context* (None: the registry's own) is the
        lookup context. A failure sets nothing and raises the error, as
        ``get`` does. Returns *obj*::

            label = registry.inject(builder.get_object('status'))
        """
        if not isinstance(obj, GObject.Object):
            raise TypeError(_('inject() takes a GObject instance, not {value}').format(
                value=repr(obj)))
        apply_injections(type(obj))
        try:
            super().inject(obj, context)
        except GLib.Error as error:
            _raise_error(error)
        mismatch = obj.__dict__.pop(_MISMATCH, None)
        if mismatch is not None:
            raise mismatch
        return obj

    def build(self, cls: typing.Type[_T], context: typing.Optional[GObject.Object] = None,
              **props) -> _T:
        """Builds *cls*, a GObject class that need not be registered, as
        ``get`` would build a registration of it: with injection from this
        registry, *props* winning over it, and *context* (None: the
        registry's own) as the lookup context -- the original hopscotch's
        ``inject_callable``::

            view = registry.build(GreetingView, title='Hello')

        It is built by a short-lived child of this registry that holds only
        *cls*, so a dependency on the registry itself gets that child, which
        answers as this registry does.

        *cls* may also be an ``Hs.Registration`` of this registry or an
        ancestor (an item of :meth:`list`, what :meth:`lookup` returns): it
        is built as ``get`` would build it, honouring its lifetime
        (``hs_registry_build``), with no props.
        """
        if isinstance(cls, Hs.Registration):
            if props:
                raise TypeError(_('build() of a registration takes no props'))
            try:
                return super().build(cls, context)
            except GLib.Error as error:
                _raise_error(error)
        if not _is_gobject_class(cls) and not isinstance(cls, GObject.GType):
            raise TypeError(_('build() takes a GObject class or an Hs.Registration, '
                              'not {value}').format(value=repr(cls)))
        builder = Registry(parent=self)
        builder.register_type(cls)
        return builder.get(cls, context, **props)

    def _get_props(self, kind_gtype, context, args, props):
        if args:
            if len(args) != 2 or props:
                raise TypeError(_('get() takes props as keyword arguments: '
                                  'get(kind, context=None, **props)'))
            names, values = (list(a) for a in args)
        else:
            names, values = _props(kind_gtype, props)
        return _get(self, kind_gtype, context, names, values)

    def get_with_properties(self, kind, context, names, values):
        """The introspected ``get_with_properties``, which also takes a
        class for *kind*, and lets the exceptions of factories out as
        :meth:`get` does."""
        return _get(self, _gtype(kind, 'kind'), context, names, values)

    def peek(self, kind: typing.Type[_T],
             context: typing.Optional[GObject.Object] = None) -> _T:
        """Answers as ``get(kind, context)`` would, but only when a singleton
        built already answers (an instance, a lazy singleton or scoped object
        after its first get), and without a new reference in C: the
        registry that holds the object keeps it until that registry is
        finalized, so it stays valid even when unregistered::

            config = registry.peek(Config)

        Raises ``GLib.Error`` as ``get`` does, and
        ``Hs.RegistryError.NOT_SINGLETON`` when what answers is a type, a
        factory, or a kept registration not built yet.
        """
        try:
            return super().peek(_gtype(kind, 'kind'), context)
        except GLib.Error as error:
            _raise_error(error)

    def list(self, kind, context=None):
        """Every registration that answers *kind* (a class or GType) for
        *context* (None: the registry's own) in this registry and its
        ancestors: a live ``Gio.ListModel`` of ``Hs.Registration``, this
        registry's first, each registry's in the order of precedence, so
        that item 0 is what ``get`` returns. It is a sequence::

            for registration in registry.list(ImageTransformer):
                print(registration.props.implementation_type.name)

        and follows registrations as they come and go (``items-changed``,
        in the thread-default main context of the thread that made it).
        """
        return super().list(_gtype(kind, 'kind'), context)

    def get_all(self, kind, context=None):
        """Builds every registration that answers *kind* for *context* (None:
        the registry's own), in :meth:`list` order, as ``get`` would build
        each, and returns them in a Python list::

            transformers = registry.get_all(ImageTransformer)

        Raises the first error of building one, as ``get`` does.
        """
        return [self.build(registration, context) for registration in self.list(kind, context)]

    def register_async_factory(self, kind, context, lifetime, factory, finish):
        """``hs_registry_register_async_factory()``, with *kind* and *context*
        as classes, GTypes or None: ``factory(registry, context,
        cancellable, callback)`` starts the build and calls
        ``callback(source, result)`` (a ``Gio.Task``'s, say) when done;
        ``finish(registry, result)`` returns the object::

            registry.register_async_factory(Greeting, None, Hs.Lifetime.SINGLETON,
                                            start_greeting, finish_greeting)
        """
        return _typed_call(super().register_async_factory, _gtype(kind, 'kind'),
                           _gtype(context, 'context'), lifetime, factory, finish)

    def build_async_awaitable(self, registration, context=None, cancellable=None):
        """``hs_registry_build_async()`` as an awaitable, as
        :meth:`get_async_awaitable` is: builds *registration* (an item of
        :meth:`list`) without blocking::

            for registration in registry.list(Provider):
                provider = await registry.build_async_awaitable(registration)

        Returns the object, or raises what ``build_finish`` raises.
        """
        return _AsyncGet(self, None, context, cancellable, build=registration)

    def get_async_awaitable(self, kind: typing.Type[_T],
                            context: typing.Optional[GObject.Object] = None,
                            cancellable: typing.Optional[Gio.Cancellable] = None):
        """``hs_registry_get_async()`` as an awaitable, for asyncio::

            proxy_user = await registry.get_async_awaitable(Greeter)

        PyGObject 3.42 (Debian 12) has no event loop that runs GLib's main
        context and asyncio's together (``gi.events`` comes with 3.50), so
        while it is awaited the awaitable iterates the thread-default GLib
        main context of the caller from the running asyncio loop (every few
        milliseconds, without blocking), until the get completes. Cancelling
        the awaiting task cancels the get. With a ``GLib.MainLoop``
        instead, use the callback form, ``get_async(kind, context,
        cancellable, callback)`` and ``get_finish(result)``.

        Returns the object, or raises what ``get_finish`` raises
        (``GLib.Error``; ``Gio.IOErrorEnum.CANCELLED`` when cancelled).
        """
        return _AsyncGet(self, _gtype(kind, 'kind'), context, cancellable)

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
            raise TypeError(_('scan() takes a module, a package or a name, not '
                              '{value}').format(value=repr(target)))
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
                        for mark in value.__dict__.get(_MARKS, ()):
                            key = (value,) + mark
                            if key in scanned.keys:
                                continue
                            reg_id = self._register_mark(value, *mark)
                            scanned.keys.add(key)
                            done.append((key, reg_id))
            except BaseException:
                for key, reg_id in done:
                    self.unregister(reg_id)
                    scanned.keys.discard(key)
                raise
        return [reg_id for key, reg_id in done]

    def _register_mark(self, cls, kind_gtype, context_gtype, is_singleton):
        if not is_singleton:
            return self.register(cls, kind_gtype, context_gtype)
        # One instance, built as a get in this registry would build it.
        builder = Registry(parent=self)
        builder.register(cls)
        return self.register_instance(builder.get(cls), kind_gtype, context_gtype)

    def setup(self, target):
        """Calls ``hopscotch_setup(registry)`` of *target* (a module or its
        dotted name), where a module registers what it provides, and returns
        what it returns; a module without one is left alone (None), as with
        the original hopscotch."""
        if isinstance(target, str):
            target = importlib.import_module(target)
        setup = getattr(target, 'hopscotch_setup', None)
        if setup is None:
            return None
        return setup(self)


Registry = override(Registry)
__all__.append('Registry')

# The frames a factory's interrupt can wait in for the library to return.
_GET_CODES = frozenset((Registry.get.__code__, _get.__code__))


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
