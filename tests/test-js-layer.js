// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The JavaScript layer (js/hopscotch.js, imports.hopscotch): register() of
// classes, instances and factories with a kind, a context and a lifetime,
// get() with a
// context and props, inject(), build(), the dependencies of JavaScript
// classes marked auto, the annotations made through the layer, and registry
// functions that need not return true. Runs against the uninstalled build:
// meson test puts the source tree's js/ on GJS_PATH and makes warnings
// fatal, so a registry function reported as failed aborts the suite.

imports.gi.versions.Hs = '1';
const {GObject, GLib, Hs} = imports.gi;
const System = imports.system;

// The shared harness, harness.js next to this file.
imports.searchPath.unshift(GLib.path_get_dirname(System.programPath));
const {test, check, checkEqual, checkType, checkHsError, checkTypelibIsTheBuildTrees, run} =
    imports.harness;

const hopscotch = imports.hopscotch;

const NONE = GObject.TYPE_NONE;
const RW = GObject.ParamFlags.READWRITE;

function stringProp(name, fallback) {
    return GObject.ParamSpec.string(name, '', '', RW, fallback);
}

// A plain read-write object property: injected only when marked auto.
function objectProp(name, gtype) {
    return GObject.ParamSpec.object(name, '', '', RW, gtype);
}

const Greeting = GObject.registerClass({
    GTypeName: 'JsLayerGreeting',
    Properties: {'salutation': stringProp('salutation', 'Hello')},
}, class Greeting extends GObject.Object {});

const AnotherGreeting = GObject.registerClass({
    GTypeName: 'JsLayerAnotherGreeting',
}, class AnotherGreeting extends Greeting {
    _init(props = {}) {
        super._init({salutation: 'Another Hello', ...props});
    }
});

const Customer = GObject.registerClass({
    GTypeName: 'JsLayerCustomer',
    Properties: {'first-name': stringProp('first-name', '')},
}, class Customer extends GObject.Object {});

const FrenchCustomer = GObject.registerClass({
    GTypeName: 'JsLayerFrenchCustomer',
}, class FrenchCustomer extends Customer {});

// A Greeter whose dependencies are plain read-write properties, as a
// JavaScript class declares them.
function defineGreeter(name, parent = GObject.Object) {
    return GObject.registerClass({
        GTypeName: name,
        Properties: {
            'greeting': objectProp('greeting', Greeting.$gtype),
            'customer': objectProp('customer', Customer.$gtype),
            'title': stringProp('title', 'none'),
        },
    }, class extends parent {});
}

const Greeter = defineGreeter('JsLayerGreeter');

test('the typelib is the build tree\'s', () => {
    checkTypelibIsTheBuildTrees();
});

test('the layer is imported and extends the introspected classes', () => {
    for (const name of ['register', 'get', 'inject', 'build'])
        check(Hs.Registry.prototype[name] === hopscotch[name], `Hs.Registry.prototype.${name}`);
    check(Hs.RegistryManager.prototype.addRegistryFunction === hopscotch.addRegistryFunction,
        'Hs.RegistryManager.prototype.addRegistryFunction');
    for (const name of ['injectContext', 'injectGet', 'injectSkip', 'injectAuto'])
        check(Hs[name] === hopscotch[name], `Hs.${name}`);
});

test('register a class with a kind and a context; get with a context', () => {
    const registry = new Hs.Registry();
    check(registry.register(Greeting) > 0, 'an id');
    registry.register(AnotherGreeting, {kind: Greeting, context: FrenchCustomer});
    checkType(registry.get(Greeting), Greeting, 'no context');
    checkType(registry.get(Greeting, {context: new Customer()}), Greeting, 'a Customer');
    checkType(registry.get(Greeting, {context: new FrenchCustomer()}), AnotherGreeting,
        'a FrenchCustomer');
    checkType(registry.get(Greeting.$gtype, {context: new FrenchCustomer()}), AnotherGreeting,
        'the kind as a GType');
    const request = new Hs.Registry({parent: registry, context: new FrenchCustomer()});
    checkType(request.get(Greeting), AnotherGreeting, 'the registry\'s own context');
});

test('the introspected forms still work', () => {
    const registry = new Hs.Registry();
    registry.register_type(Greeting, NONE, NONE);
    registry.register_type(AnotherGreeting, Greeting, FrenchCustomer);
    checkType(registry.get(Greeting, null), Greeting, 'get(kind, null)');
    checkType(registry.get(Greeting, new FrenchCustomer()), AnotherGreeting, 'get(kind, context)');
    const greeting = registry.get_with_properties(Greeting, null, ['salutation'], ['Hi']);
    checkEqual(greeting.salutation, 'Hi', 'get_with_properties');
});

test('get with props, in JavaScript names too', () => {
    const registry = new Hs.Registry();
    registry.register(Greeting);
    registry.register(Customer);
    checkEqual(registry.get(Greeting, {props: {salutation: 'Hi'}}).salutation, 'Hi', 'salutation');
    checkEqual(registry.get(Customer, {props: {firstName: 'Ann'}}).first_name, 'Ann', 'firstName');
    checkEqual(registry.get(Customer, {props: {first_name: 'Bo'}}).first_name, 'Bo', 'first_name');
    checkEqual(registry.get(Customer, {props: {'first-name': 'Cy'}}).first_name, 'Cy', 'first-name');
    const greeting = registry.get(Greeting, {context: new FrenchCustomer(), props: {salutation: 'Yo'}});
    checkEqual(greeting.salutation, 'Yo', 'with a context');
    checkHsError(Hs.RegistryError.INVALID_PROPERTY,
        () => registry.get(Greeting, {props: {nonsense: 1}}), 'an unknown prop');
});

test('register an instance', () => {
    const registry = new Hs.Registry();
    const singleton = new Greeting({salutation: 'I am a singleton'});
    registry.register(singleton);
    checkEqual(registry.get(Greeting), singleton, 'the same object');
    const french = new AnotherGreeting();
    registry.register(french, {kind: Greeting, context: FrenchCustomer});
    checkEqual(registry.get(Greeting, {context: new FrenchCustomer()}), french, 'with kind and context');
});

test('register a factory', () => {
    const registry = new Hs.Registry();
    const calls = [];
    registry.register((reg, context) => {
        calls.push([reg, context]);
        return new AnotherGreeting({salutation: `Bonjour ${context.first_name}`});
    }, {kind: Greeting, context: FrenchCustomer});
    const marie = new FrenchCustomer({first_name: 'Marie'});
    checkEqual(registry.get(Greeting, {context: marie}).salutation, 'Bonjour Marie', 'built');
    checkEqual(calls.length, 1, 'called once');
    checkEqual(calls[0][0], registry, 'given the registry');
    checkEqual(calls[0][1], marie, 'given the context');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => registry.get(Greeting), 'not for other contexts');

    let error = null;
    try {
        registry.register(() => new Greeting());
    } catch (e) {
        error = e;
    }
    check(error instanceof TypeError, `a factory without a kind is a TypeError (got ${error})`);
});

test('errors are GLib.Error of the Hs.RegistryError domain', () => {
    const registry = new Hs.Registry();
    const error = checkHsError(Hs.RegistryError.NOT_FOUND, () => registry.get(Customer), 'get');
    check(error.matches(Hs.registry_error_quark(), Hs.RegistryError.NOT_FOUND), 'matches the quark');
    let typeError = null;
    try {
        registry.register(Greeting, {kind: 'Greeting'});
    } catch (e) {
        typeError = e;
    }
    check(typeError instanceof TypeError, `a kind that is not a class is a TypeError (got ${typeError})`);
});

test('a JavaScript class\'s own object properties are injected through the layer', () => {
    const marie = new FrenchCustomer({first_name: 'Marie'});
    const registry = new Hs.Registry();
    registry.register(Greeting);
    registry.register(Greeter);
    const greeter = registry.get(Greeter, {context: marie});
    checkType(greeter.greeting, Greeting, 'greeting from the registry');
    checkEqual(greeter.customer, marie, 'customer from the context');
    checkEqual(greeter.title, 'none', 'a string keeps its default');

    // A subclass: its base's properties are marked through it.
    const Sub = defineGreeter('JsLayerSubBase');
    const SubGreeter = GObject.registerClass({GTypeName: 'JsLayerSubGreeter'}, class extends Sub {});
    registry.register(SubGreeter);
    checkType(registry.get(SubGreeter).greeting, Greeting, 'a base class\'s property');
});

test('the bare introspected API leaves them alone', () => {
    const Bare = defineGreeter('JsLayerBareGreeter');
    const registry = new Hs.Registry();
    registry.register_type(Greeting, NONE, NONE);
    registry.register_type(Bare, NONE, NONE);
    const greeter = registry.get(Bare, {context: new Customer()});
    checkEqual(greeter.greeting, null, 'greeting not injected');
    checkEqual(greeter.customer, null, 'customer not injected');
});

test('annotations through the layer are not overridden', () => {
    const Annotated = defineGreeter('JsLayerAnnotatedGreeter');
    Hs.injectSkip(Annotated, 'customer');
    Hs.injectGet(Annotated, 'greeting', AnotherGreeting);
    Hs.injectContext(Annotated, 'title', 'firstName');
    const registry = new Hs.Registry();
    registry.register(Greeting);
    registry.register(AnotherGreeting);
    registry.register(Annotated);
    const greeter = registry.get(Annotated, {context: new Customer({first_name: 'Ann'})});
    checkEqual(greeter.customer, null, 'skipped');
    checkType(greeter.greeting, AnotherGreeting, 'the kind annotated');
    checkEqual(greeter.title, 'Ann', 'the context\'s property');
});

test('inject an object made elsewhere', () => {
    const Made = defineGreeter('JsLayerMadeGreeter');
    const registry = new Hs.Registry();
    registry.register(Greeting);
    const customer = new Customer();
    const greeter = new Made();
    checkEqual(registry.inject(greeter, {context: customer}), greeter, 'returns the object');
    checkType(greeter.greeting, Greeting, 'greeting injected');
    checkEqual(greeter.customer, customer, 'customer injected');

    const other = new Made();
    registry.inject(other, null);
    checkType(other.greeting, Greeting, 'the introspected form');
});

test('build a class that is not registered', () => {
    const Built = defineGreeter('JsLayerBuiltGreeter');
    const registry = new Hs.Registry();
    registry.register(Greeting);
    const customer = new Customer();
    const greeter = checkType(registry.build(Built, {context: customer, props: {title: 'Dr'}}),
        Built, 'built');
    checkType(greeter.greeting, Greeting, 'greeting injected');
    checkEqual(greeter.customer, customer, 'customer injected');
    checkEqual(greeter.title, 'Dr', 'props');
    checkEqual(registry.lookup(Built, null), null, 'still not registered');
});

test('register with a lifetime: singleton, scoped, transient', () => {
    const root = new Hs.Registry();
    const customer = new Customer({first_name: 'Jill'});
    const holder = new Hs.Registry({parent: root, context: customer});
    holder.register(Greeting, {lifetime: Hs.Lifetime.SINGLETON});
    holder.register(Customer, {lifetime: Hs.Lifetime.SCOPED});
    holder.register(AnotherGreeting, {kind: Greeting, context: FrenchCustomer,
        lifetime: Hs.Lifetime.TRANSIENT});
    const a = new Hs.Registry({parent: holder});
    const b = new Hs.Registry({parent: holder});

    const greeting = holder.get(Greeting);
    check(a.get(Greeting) === greeting && b.get(Greeting) === greeting,
        'a singleton: the holder\'s, shared by its descendants');
    check(a.get(Customer) === a.get(Customer), 'scoped: once per registry asked');
    check(a.get(Customer) !== b.get(Customer), 'scoped: each child its own');
    check(holder.get(Customer) !== a.get(Customer), 'scoped: the holder its own too');
    const french = new FrenchCustomer();
    check(a.get(Greeting, {context: french}) !== a.get(Greeting, {context: french}),
        'transient: new each time');

    const lifetimes = ids => ids.map(k => holder.lookup(k.$gtype, null).get_lifetime());
    checkEqual(JSON.stringify(lifetimes([Greeting, Customer])),
        JSON.stringify([Hs.Lifetime.SINGLETON, Hs.Lifetime.SCOPED]), 'lookup reports them');
});

test('register a factory with a lifetime: built by the holder, with its context', () => {
    const customer = new Customer({first_name: 'Jill'});
    const root = new Hs.Registry({context: customer});
    const seen = [];
    root.register((registry, context) => {
        seen.push([registry, context]);
        return new Greeting({salutation: `Hello ${context.first_name}`});
    }, {kind: Greeting, lifetime: Hs.Lifetime.SINGLETON});
    const child = new Hs.Registry({parent: root, context: new Customer({first_name: 'Ann'})});
    const greeting = child.get(Greeting);
    checkEqual(greeting.salutation, 'Hello Jill', 'the holder\'s context');
    check(root.get(Greeting) === greeting, 'the same object from the holder');
    checkEqual(seen.length, 1, 'built once');
    check(seen[0][0] === root && seen[0][1] === customer, 'by the holder');
});

function thrown(func) {
    try {
        func();
    } catch (e) {
        return e;
    }
    return null;
}

test('register: a lifetime for an instance, or a value not a lifetime, is a TypeError', () => {
    const registry = new Hs.Registry();
    const instance = thrown(() => registry.register(new Greeting(), {lifetime: Hs.Lifetime.SCOPED}));
    check(instance instanceof TypeError, `an instance with a lifetime (got ${instance})`);
    const other = thrown(() => registry.register(Greeting, {lifetime: 42}));
    check(other instanceof TypeError, `a value not a lifetime (got ${other})`);
    check(registry.register(new Greeting(), {lifetime: Hs.Lifetime.TRANSIENT}) > 0,
        'TRANSIENT, what an instance has, is accepted');
});

test('close a request registry: closed and cancelled, then CLOSED', () => {
    const root = new Hs.Registry();
    root.register(Greeting, {lifetime: Hs.Lifetime.SCOPED});
    const request = new Hs.Registry({parent: root});
    const greeting = request.get(Greeting);
    const seen = [];
    request.connect('closed', r => seen.push(r.get_cancellable().is_cancelled()));
    request.close();
    checkEqual(JSON.stringify(seen), '[true]', 'closed, the cancellable cancelled');
    checkHsError(Hs.RegistryError.CLOSED, () => request.get(Greeting), 'get fails');
    checkHsError(Hs.RegistryError.CLOSED, () => request.register(Customer), 'register fails');
    checkType(greeting, Greeting, 'what JavaScript holds stays usable');
    check(root.get(Greeting) !== greeting, 'the root builds its own');
});

test('registry functions need not return true', () => {
    const manager = Hs.RegistryManager.get_default();
    const Key = GObject.registerClass({GTypeName: 'JsLayerKey'}, class extends GObject.Object {});
    const log = [];
    // Returns undefined: reported as failed with g_warning() (fatal in this
    // suite) unless the layer wraps it.
    manager.addRegistryFunction(Key, 'js-layer', m => {
        log.push(m === manager);
    });
    manager.addRegistryFunction(Key.$gtype, 'js-layer', () => {
        log.push('second');
    });
    manager.subscribe(Key);
    checkEqual(JSON.stringify(log), '[true,"second"]', 'both ran, given the manager');
    check(manager.unload_owner('js-layer'), 'unload_owner');
});

run();
