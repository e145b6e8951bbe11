// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The JavaScript layer of Hopscotch: what the PyGObject override
// (hopscotch/Hs.py) gives Python, for GJS, which has no overrides from
// outside GJS. Importing it extends the introspected classes once:
//
//     const {hopscotch} = imports;              // also from an ES module
//     import Hs from 'gi://Hs?version=1';
//
//     const registry = new Hs.Registry();
//     registry.register(Greeting);                                   // a class
//     registry.register(AnotherGreeting, {kind: Greeting, context: FrenchCustomer});
//     registry.register(new Greeting({salutation: 'Hi'}));           // an instance
//     registry.register(() => new Greeting(), {kind: Greeting});     // a factory
//     registry.register(Session, {lifetime: Hs.Lifetime.SCOPED});    // one per registry asked
//     const greeting = registry.get(Greeting, {context: customer, props: {salutation: 'Hi'}});
//
// It is a module of GJS's legacy import system, found as imports.hopscotch
// on GJS's search path: <datadir>/gjs-1.0 for each of the system data
// directories (XDG_DATA_DIRS; /usr/local/share and /usr/share when unset),
// and the directories of GJS_PATH. The introspected methods keep working:
// get(kind, context) and inject(object, context) take a context as before.
//
// Kinds and contexts are classes (GObject classes and interfaces) or
// GTypes; null or undefined means "not given": no kind (the implementation's
// own type) or any context. Errors of the library stay GLib.Error of the
// Hs.RegistryError domain.

imports.gi.versions.Hs = '1';
const {Gio, GObject, Hs} = imports.gi;

/**
 * The GType of a kind or context given as a class, a GType, null or
 * undefined (GObject.TYPE_NONE: "not given").
 *
 * @param {GObject.Object|GObject.Interface|GObject.GType|null} value
 * @param {string} what - what value is, for the TypeError
 * @returns {GObject.GType}
 */
function gtypeOf(value, what = 'kind') {
    if (value === null || value === undefined)
        return GObject.TYPE_NONE;
    if (typeof value === 'function' && value.$gtype !== undefined)
        return value.$gtype;
    if (typeof value === 'object' && typeof value.name === 'string' &&
        GObject.type_from_name(value.name) === value)
        return value;
    throw new TypeError(`${what} must be a GObject class, an interface, a GType, null or undefined, ` +
        `not ${String(value)}`);
}

/**
 * The GObject name of a property given in JavaScript style: `first_name`
 * and `firstName` are `first-name`.
 *
 * @param {string} name
 * @returns {string}
 */
function propertyName(name) {
    if (typeof name !== 'string')
        throw new TypeError(`a property name must be a string, not ${String(name)}`);
    return name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`).replace(/_/g, '-');
}

// Properties annotated through this layer, as "GTypeName:property-name".
const _annotated = new Set();
// The classes whose dependencies were marked, by GType name.
const _marked = new Set();

const _annotationTarget = (type, property) => {
    const gtype = gtypeOf(type, 'type');
    const name = propertyName(property);
    _annotated.add(`${GObject.type_name(gtype)}:${name}`);
    return [gtype, name];
};

/**
 * Hs.inject_context(), remembered so that registering the class through
 * this layer does not mark the property auto: injects the lookup context
 * into `property` of `type`, or the context's property `attr`.
 *
 * @param {Function|GObject.GType} type - a class or a GType
 * @param {string} property
 * @param {string} [attr]
 */
function injectContext(type, property, attr = null) {
    const [gtype, name] = _annotationTarget(type, property);
    return Hs.inject_context(gtype, name, attr === null ? null : propertyName(attr));
}

/**
 * Hs.inject_get(), remembered like injectContext(): injects
 * `get(kind)` (the property's own type when kind is not given), or the
 * property `attr` of the object got.
 *
 * @param {Function|GObject.GType} type - a class or a GType
 * @param {string} property
 * @param {Function|GObject.GType|null} [kind]
 * @param {string} [attr]
 */
function injectGet(type, property, kind = null, attr = null) {
    const [gtype, name] = _annotationTarget(type, property);
    return Hs.inject_get(gtype, name, gtypeOf(kind), attr === null ? null : propertyName(attr));
}

/**
 * Hs.inject_skip(), remembered like injectContext(): never injects
 * `property` of `type`.
 *
 * @param {Function|GObject.GType} type - a class or a GType
 * @param {string} property
 */
function injectSkip(type, property) {
    return Hs.inject_skip(..._annotationTarget(type, property));
}

/**
 * Hs.inject_auto(), remembered like injectContext(): injects a plain
 * read-write property like a construct-only dependency. The layer does it
 * by itself for the object properties a JavaScript class declares.
 *
 * @param {Function|GObject.GType} type - a class or a GType
 * @param {string} property
 */
function injectAuto(type, property) {
    return Hs.inject_auto(..._annotationTarget(type, property));
}

/**
 * Marks auto the writable object properties that the JavaScript class
 * `klass` and its JavaScript base classes declare themselves (in the
 * Properties of GObject.registerClass), unless annotated through this
 * layer: the library injects only construct-only and annotated properties,
 * and a JavaScript class's object properties are its dependencies.
 * Introspected classes (GTK's, GLib's) are left as they are. register(),
 * build() and inject() call it; call it for a class that reaches a
 * registry some other way.
 *
 * @param {Function} klass - a class made with GObject.registerClass
 */
function markDependencies(klass) {
    for (let k = klass; typeof k === 'function' && k.$gtype !== undefined;
        k = Object.getPrototypeOf(k)) {
        // Only classes made with GObject.registerClass have properties of
        // their own under GObject.properties.
        if (!Object.prototype.hasOwnProperty.call(k, GObject.properties))
            continue;
        const gtype = k.$gtype;
        const typeName = GObject.type_name(gtype);
        if (_marked.has(typeName) || !GObject.type_is_a(gtype, GObject.TYPE_OBJECT))
            continue;
        _marked.add(typeName);
        for (const pspec of Object.values(k[GObject.properties])) {
            if (!(pspec.flags & GObject.ParamFlags.WRITABLE) ||
                _annotated.has(`${typeName}:${pspec.name}`) ||
                !(GObject.type_is_a(pspec.value_type, GObject.TYPE_OBJECT) ||
                  GObject.type_is_a(pspec.value_type, GObject.TYPE_INTERFACE)))
                continue;
            Hs.inject_auto(gtype, pspec.name);
        }
    }
}

// The introspected methods the layer's take over.
const _get = Hs.Registry.prototype.get;
const _inject = Hs.Registry.prototype.inject;
const _build = Hs.Registry.prototype.build;
const _list = Hs.Registry.prototype.list;

// The options of get() and inject(): {context, props}, or the lookup
// context of the introspected form (a GObject or null).
const _options = options => {
    if (options === null || options === undefined)
        return {};
    if (options instanceof GObject.Object)
        return {context: options};
    return options;
};

/**
 * Registers `implementation`:
 *
 * - a GObject class (or a GType) registers a type: get() builds a new
 *   instance, with injection;
 * - a GObject instance registers that instance, a singleton;
 * - a function registers a factory, called as
 *   `factory(registry, context, names, values)`; it needs a kind.
 *
 * `kind` (a class or GType; not given: the implementation's own type)
 * is what get() asks for; `context` (not given: any) restricts the
 * registration to lookups whose context is an instance of it.
 *
 * `lifetime` (an Hs.Lifetime; not given: TRANSIENT) tells how long what a
 * class or a factory builds is kept: TRANSIENT, built on every get;
 * SINGLETON, built once by this registry, with its context, and shared
 * with its descendants; SCOPED, built once per registry that get() is
 * called on, and released when that registry is closed. An instance is a
 * singleton already and takes no lifetime.
 *
 * @param {Function|GObject.Object|GObject.GType} implementation
 * @param {{kind?: Function|GObject.GType, context?: Function|GObject.GType,
 *          lifetime?: Hs.Lifetime}} [options]
 * @returns {number} the registration's id
 */
function register(implementation, {kind = null, context = null, lifetime = null} = {}) {
    const kindGType = gtypeOf(kind, 'kind');
    const contextGType = gtypeOf(context, 'context');
    const given = lifetime !== null && lifetime !== undefined;
    if (given && !Object.values(Hs.Lifetime).includes(lifetime))
        throw new TypeError(`register(): ${lifetime} is not an Hs.Lifetime`);
    if (!given)
        lifetime = Hs.Lifetime.TRANSIENT;
    if (implementation instanceof GObject.Object) {
        if (lifetime !== Hs.Lifetime.TRANSIENT)
            throw new TypeError('register(): an instance is a singleton already: it takes no lifetime');
        return this.register_instance(implementation, kindGType, contextGType);
    }
    if (typeof implementation === 'function' && implementation.$gtype === undefined) {
        if (kind === null || kind === undefined)
            throw new TypeError('register(): a factory needs a kind ({kind: …})');
        return this.register_factory_full(kindGType, contextGType, lifetime, implementation);
    }
    markDependencies(implementation);
    return this.register_type_full(gtypeOf(implementation, 'implementation'), kindGType,
        contextGType, lifetime);
}

/**
 * What answers `kind` (a class or GType) in this registry or its
 * ancestors, for the lookup context `context` (not given: the registry's
 * own), built with `props` (`{salutation: 'Hi'}`; names may use `_` or
 * camelCase for `-`), which win over injection. The introspected form
 * `get(kind, context)` still works.
 *
 * @param {Function|GObject.GType} kind
 * @param {{context?: GObject.Object, props?: Object}|GObject.Object|null} [options]
 * @returns {GObject.Object}
 * @throws {GLib.Error} Hs.RegistryError.NOT_FOUND when nothing answers,
 *   and the other errors of hs_registry_get_with_properties()
 */
function get(kind, options) {
    const {context = null, props = {}} = _options(options);
    const names = Object.keys(props);
    if (names.length === 0)
        return _get.call(this, kind, context);
    return this.get_with_properties(kind, context, names.map(propertyName), Object.values(props));
}

// `await registry.get_async(kind, context, cancellable)`: the introspected
// pair returns a Promise when called without a callback.
Gio._promisify(Hs.Registry.prototype, 'get_async', 'get_finish');
// `await registry.build_async(registration, context, cancellable)`: an item
// of a list, built as get_async builds a winner.
Gio._promisify(Hs.Registry.prototype, 'build_async', 'build_finish');

/**
 * What answers `kind` (a class or GType) for the lookup context `context`
 * (not given: the registry's own), built without blocking: GAsyncInitable
 * types with init_async(), asynchronous factories through their finish,
 * dependencies all at once (hs_registry_get_async()). Cancelling
 * `cancellable`, or closing the registry, rejects the promise with
 * Gio.IOErrorEnum.CANCELLED.
 *
 *     const greeter = await registry.getAsync(Greeter, {context: customer});
 *
 * @param {Function|GObject.GType} kind
 * @param {{context?: GObject.Object, cancellable?: Gio.Cancellable}|GObject.Object|null} [options]
 * @returns {Promise<GObject.Object>}
 */
function getAsync(kind, options) {
    const {context = null, cancellable = null} = _options(options);
    return this.get_async(gtypeOf(kind), context, cancellable);
}

/**
 * hs_registry_register_async_factory() with `kind` and `context` as
 * classes, GTypes or null: `factory(registry, context, cancellable,
 * callback)` starts the build and calls `callback(source, result)` when
 * done; `finish(registry, result)` returns the object.
 *
 * @param {Function|GObject.GType} kind
 * @param {function} factory
 * @param {function} finish
 * @param {{context?: Function|GObject.GType, lifetime?: Hs.Lifetime}} [options]
 * @returns {number} the registration's id
 */
function registerAsyncFactory(kind, factory, finish, {context = null, lifetime = Hs.Lifetime.TRANSIENT} = {}) {
    return this.register_async_factory(gtypeOf(kind, 'kind'), gtypeOf(context, 'context'),
        lifetime, factory, finish);
}

/**
 * Injects `object`, made elsewhere (GtkBuilder, a plugin engine), as a
 * build by this registry would: its annotated and auto properties get
 * their values, construct-only ones are left alone. A JavaScript class's
 * dependencies are marked first, as register() does. The introspected form
 * `inject(object, context)` still works.
 *
 * @param {GObject.Object} object
 * @param {{context?: GObject.Object}|GObject.Object|null} [options]
 * @returns {GObject.Object} object
 */
function inject(object, options) {
    const {context = null} = _options(options);
    markDependencies(object.constructor);
    _inject.call(this, object, context);
    return object;
}

/**
 * Builds `klass`, a GObject class that need not be registered, as get()
 * would build a registration of it: with injection from this registry,
 * `props` winning over it. A short-lived child registry that holds only
 * `klass` builds it, so a dependency on the registry gets that child,
 * which answers as this registry does.
 *
 * `klass` may also be an Hs.Registration of this registry or an ancestor
 * (an item of list(), what lookup() returns): it is built as get() would
 * build it, honouring its lifetime (hs_registry_build()), with no props.
 * The introspected form `build(registration, context)` still works.
 *
 * @param {Function|Hs.Registration} klass
 * @param {{context?: GObject.Object, props?: Object}|GObject.Object|null} [options]
 * @returns {GObject.Object}
 */
function build(klass, options = {}) {
    if (klass instanceof Hs.Registration) {
        const {context = null} = _options(options);
        return _build.call(this, klass, context);
    }
    const builder = new Hs.Registry({parent: this});
    builder.register(klass);
    return builder.get(klass, _options(options));
}

/**
 * Every registration that answers `kind` (a class or GType) for the lookup
 * context (not given: the registry's own) in this registry and its
 * ancestors: a live Gio.ListModel of Hs.Registration, this registry's
 * first, in the order of precedence (item 0 is what get() returns),
 * iterable with `for (const registration of registry.list(Kind))`. It
 * emits items-changed as registrations come and go, in the thread-default
 * main context. The introspected form `list(kind, context)` still works.
 *
 * @param {Function|GObject.GType} kind
 * @param {{context?: GObject.Object}|GObject.Object|null} [options]
 * @returns {Gio.ListModel}
 */
function list(kind, options) {
    const {context = null} = _options(options);
    const model = _list.call(this, gtypeOf(kind), context);
    // GJS 1.74 iterates Gio.ListStore, not any Gio.ListModel: the lists'
    // class (not in the typelib) gets the iterator on first use.
    const proto = Object.getPrototypeOf(model);
    if (!(Symbol.iterator in proto)) {
        proto[Symbol.iterator] = function* () {
            for (let i = 0; i < this.get_n_items(); i++)
                yield this.get_item(i);
        };
    }
    return model;
}

/**
 * Builds every registration that answers `kind` for the lookup context,
 * in list() order, as get() would build each; an Array. Throws the first
 * error of building one, as get() does.
 *
 * @param {Function|GObject.GType} kind
 * @param {{context?: GObject.Object}|GObject.Object|null} [options]
 * @returns {GObject.Object[]}
 */
function getAll(kind, options) {
    const {context = null} = _options(options);
    return Array.from(this.list(kind, {context}), registration =>
        _build.call(this, registration, context));
}

/**
 * Declares `func` for `key` (a class or GType) on behalf of `owner` (the
 * name unload_owner() takes; null: the program), as add_registry_function()
 * does, but `func(manager)` need not return true: it succeeds unless it
 * throws (the manager reports the exception with g_warning()) or returns
 * false.
 *
 * @param {Function|GObject.GType} key
 * @param {string|null} owner
 * @param {function(Hs.RegistryManager)} func
 */
function addRegistryFunction(key, owner, func) {
    return this.add_registry_function(gtypeOf(key, 'key'), owner, manager => func(manager) !== false);
}

Object.assign(Hs.Registry.prototype, {register, get, getAsync, registerAsyncFactory, inject, build, list, getAll});
Object.assign(Hs.RegistryManager.prototype, {addRegistryFunction});
Object.assign(Hs, {injectContext, injectGet, injectSkip, injectAuto});
