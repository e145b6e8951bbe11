// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The registry from GJS (SPEC 1, 2, 3 and 5): registries, parents and
// contexts, registering types, instances and factories, unregistering, which
// registration wins, props, lookup and errors. Runs against the uninstalled
// build's typelib (GI_TYPELIB_PATH is set by meson test). Prints one line per
// check and exits 1 when any test fails.

imports.gi.versions.Hs = '1';
const {GObject, GLib, Gio, Hs} = imports.gi;
const System = imports.system;

// The shared harness, harness.js next to this file.
imports.searchPath.unshift(GLib.path_get_dirname(System.programPath));
const {test, check, checkEqual, checkType, checkIncludes, checkThrowsError, checkHsError,
    checkTypelibIsTheBuildTrees, get, run} = imports.harness;

const NONE = GObject.TYPE_NONE; // "no kind given" / "any context" from bindings
const RW = GObject.ParamFlags.READWRITE;

// The seed story, written in JavaScript.

const Greeting = GObject.registerClass({
    GTypeName: 'Greeting',
    Properties: {
        'salutation': GObject.ParamSpec.string('salutation', '', '', RW, 'Hello'),
    },
}, class Greeting extends GObject.Object {});

const AnotherGreeting = GObject.registerClass({
    GTypeName: 'AnotherGreeting',
    // Shadows the parent's property so that its default differs.
    Properties: {
        'salutation': GObject.ParamSpec.string('salutation', '', '', RW, 'Another Hello'),
    },
}, class AnotherGreeting extends Greeting {});

const Customer = GObject.registerClass({
    GTypeName: 'Customer',
    Properties: {
        'first-name': GObject.ParamSpec.string('first-name', '', '', RW, ''),
    },
}, class Customer extends GObject.Object {});

const FrenchCustomer = GObject.registerClass({
    GTypeName: 'FrenchCustomer',
}, class FrenchCustomer extends Customer {});

// A customer whose type implements an interface, for context scores.
const PoliteCustomer = GObject.registerClass({
    GTypeName: 'PoliteCustomer',
    Implements: [Gio.Initable],
}, class PoliteCustomer extends Customer {
    vfunc_init(_cancellable) {
        return true;
    }
});

// A greeting that implements an interface, for kind-omitted answers.
const PoliteGreeting = GObject.registerClass({
    GTypeName: 'PoliteGreeting',
    Implements: [Gio.Initable],
}, class PoliteGreeting extends Greeting {
    vfunc_init(_cancellable) {
        return true;
    }
});

const ReadOnlyGreeting = GObject.registerClass({
    GTypeName: 'ReadOnlyGreeting',
    Properties: {
        'frozen': GObject.ParamSpec.string('frozen', '', '', GObject.ParamFlags.READABLE, 'ice'),
    },
}, class ReadOnlyGreeting extends Greeting {
    get frozen() {
        return 'ice';
    }
});

// What the registry answers for a few kinds and contexts, without building
// anything: to compare before and after a refused call.
function snapshot(registry, contexts) {
    const answers = [];
    for (const kind of [Greeting, AnotherGreeting, PoliteGreeting, Customer,
        FrenchCustomer, Gio.Initable]) {
        for (const context of contexts) {
            const reg = registry.lookup(kind.$gtype, context);
            const name = gtype => gtype === null ? '-' : GObject.type_name(gtype);
            answers.push(reg === null ? 'none' : [reg.id, reg.registration_type,
                name(reg.kind), name(reg.implementation_type),
                name(reg.context_type)].join('/'));
        }
    }
    return answers.join(' ');
}

// Setup

test('the typelib is the build tree\'s', () => {
    checkTypelibIsTheBuildTrees();
});

// Enums and the error domain

test('registry error members', () => {
    checkEqual(Hs.RegistryError.NOT_FOUND, 0, 'NOT_FOUND');
    checkEqual(Hs.RegistryError.INVALID_REGISTRATION, 1, 'INVALID_REGISTRATION');
    checkEqual(Hs.RegistryError.INVALID_PROPERTY, 2, 'INVALID_PROPERTY');
    checkEqual(Hs.RegistryError.NO_CONTEXT, 3, 'NO_CONTEXT');
    checkEqual(Hs.RegistryError.CYCLE, 4, 'CYCLE');
    checkEqual(Hs.RegistryError.FACTORY_FAILED, 5, 'FACTORY_FAILED');
});

test('registration type members', () => {
    checkEqual(Hs.RegistrationType.TYPE, 0, 'TYPE');
    checkEqual(Hs.RegistrationType.INSTANCE, 1, 'INSTANCE');
    checkEqual(Hs.RegistrationType.FACTORY, 2, 'FACTORY');
});

test('error domain', () => {
    checkEqual(GLib.quark_to_string(Hs.registry_error_quark()), 'hs-registry-error-quark',
        'quark string');
    const error = checkHsError(Hs.RegistryError.NOT_FOUND, () => get(new Hs.Registry(), Greeting),
        'get from an empty registry');
    checkEqual(error.domain, Hs.registry_error_quark(), 'error domain is the quark');
});

// Registries

test('root registry', () => {
    const root = new Hs.Registry();
    checkEqual(root.get_parent(), null, 'no parent');
    checkEqual(root.get_context(), null, 'no context');
    checkEqual(root.parent, null, 'parent property');
    checkEqual(root.context, null, 'context property');
});

test('parent and context properties', () => {
    const root = new Hs.Registry();
    const customer = new Customer({first_name: 'Anna'});
    const child = new Hs.Registry({parent: root, context: customer});
    checkEqual(child.get_parent(), root, 'get_parent');
    checkEqual(child.get_context(), customer, 'get_context');
    checkEqual(child.parent, root, 'parent property');
    checkEqual(child.context, customer, 'context property');
});

test('Hs.Registry.new is a constructor', () => {
    const customer = new Customer();
    const root = Hs.Registry.new(null, null);
    const child = Hs.Registry.new(root, customer);
    checkEqual(root.get_parent(), null, 'a root');
    checkEqual(child.get_parent(), root, 'the parent given');
    checkEqual(child.get_context(), customer, 'the context given');
});

test('child inherits the parent context', () => {
    const customer = new Customer();
    const root = new Hs.Registry({context: customer});
    const child = new Hs.Registry({parent: root});
    const grandchild = new Hs.Registry({parent: child});
    checkEqual(child.get_context(), customer, 'child takes the parent context');
    checkEqual(grandchild.get_context(), customer, 'grandchild too');
    const french = new FrenchCustomer();
    const own = new Hs.Registry({parent: root, context: french});
    checkEqual(own.get_context(), french, 'a context given wins');
    checkEqual(root.get_context(), customer, 'the parent keeps its own');
});

// Registering types

test('register_type returns distinct ids', () => {
    const registry = new Hs.Registry();
    const first = registry.register_type(Greeting.$gtype, NONE, NONE);
    const second = registry.register_type(Greeting.$gtype, NONE, NONE);
    check(first > 0, 'first id > 0');
    check(second > 0, 'second id > 0');
    check(first !== second, 'ids differ');
});

test('a type is constructed on each get', () => {
    const registry = new Hs.Registry();
    registry.register_type(Greeting.$gtype, NONE, NONE);
    const first = checkType(get(registry, Greeting), Greeting, 'first get');
    const second = checkType(get(registry, Greeting), Greeting, 'second get');
    check(first !== second, 'two different objects');
    checkEqual(first.salutation, 'Hello', 'default salutation');
});

test('kind omitted answers for its type and ancestors', () => {
    const registry = new Hs.Registry();
    registry.register_type(AnotherGreeting.$gtype, NONE, NONE);
    const greeting = checkType(get(registry, Greeting), AnotherGreeting, 'get(Greeting)');
    checkEqual(greeting.salutation, 'Another Hello', 'its default salutation');
    checkType(get(registry, AnotherGreeting), AnotherGreeting, 'get(AnotherGreeting)');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => get(registry, GObject.Object),
        'not for GObject itself');
});

test('kind omitted answers for interfaces', () => {
    const registry = new Hs.Registry();
    registry.register_type(PoliteGreeting.$gtype, NONE, NONE);
    checkType(get(registry, Gio.Initable), PoliteGreeting, 'get(GInitable)');
    checkType(get(registry, Greeting), PoliteGreeting, 'get(Greeting)');
});

test('kind given answers for that kind only', () => {
    const registry = new Hs.Registry();
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, NONE);
    checkType(get(registry, Greeting), AnotherGreeting, 'get(Greeting)');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => get(registry, AnotherGreeting),
        'get(AnotherGreeting)');
    registry.register_type(PoliteGreeting.$gtype, Gio.Initable.$gtype, NONE);
    checkType(get(registry, Gio.Initable), PoliteGreeting, 'an interface as kind');
    checkType(get(registry, Greeting), AnotherGreeting, 'the interface kind does not answer Greeting');
});

test('an unregistered type is not constructed', () => {
    const error = checkHsError(Hs.RegistryError.NOT_FOUND,
        () => get(new Hs.Registry(), Greeting), 'get(Greeting)');
    checkEqual(error.message, 'No kind “Greeting” in registry', 'message');
});

// Contexts

function contextRegistry() {
    const registry = new Hs.Registry();
    registry.register_type(Greeting.$gtype, NONE, NONE);
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, FrenchCustomer.$gtype);
    return registry;
}

test('context given to get', () => {
    const registry = contextRegistry();
    checkType(get(registry, Greeting, new FrenchCustomer()), AnotherGreeting, 'French customer');
    checkType(get(registry, Greeting, new Customer()), Greeting, 'plain customer');
    checkType(get(registry, Greeting, null), Greeting, 'no context');
});

test('the registry context is the lookup context', () => {
    const registry = contextRegistry();
    const french = new Hs.Registry({parent: registry, context: new FrenchCustomer()});
    const plain = new Hs.Registry({parent: registry, context: new Customer()});
    checkType(get(french, Greeting), AnotherGreeting, 'French child');
    checkType(get(plain, Greeting), Greeting, 'plain child');
    checkType(get(french, Greeting, new Customer()), Greeting, 'context given beats the French child\'s');
    checkType(get(plain, Greeting, new FrenchCustomer()), AnotherGreeting, 'context given beats the plain child\'s');
});

test('a context registration never matches without context', () => {
    const registry = new Hs.Registry();
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, Customer.$gtype);
    const error = checkHsError(Hs.RegistryError.NOT_FOUND, () => get(registry, Greeting),
        'get without context');
    checkEqual(error.message, 'No kind “Greeting” in registry', 'message');
    checkType(get(registry, Greeting, new FrenchCustomer()), AnotherGreeting, 'with a context');
});

test('NOT_FOUND names the context type', () => {
    const registry = new Hs.Registry();
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, FrenchCustomer.$gtype);
    let error = checkHsError(Hs.RegistryError.NOT_FOUND,
        () => get(registry, Greeting, new Customer()), 'get for a plain customer');
    checkEqual(error.message, 'No kind “Greeting” for context “Customer” in registry', 'message');
    const child = new Hs.Registry({parent: registry, context: new PoliteCustomer()});
    error = checkHsError(Hs.RegistryError.NOT_FOUND, () => get(child, Greeting),
        'get from a child with a context');
    checkIncludes(error.message, '“Greeting”', 'message');
    checkIncludes(error.message, '“PoliteCustomer”', 'message');
});

// Which registration wins

test('the exact context beats an ancestor, in either order', () => {
    for (const order of [[Customer, FrenchCustomer], [FrenchCustomer, Customer]]) {
        const registry = new Hs.Registry();
        for (const context of order) {
            const impl = context === Customer ? Greeting : AnotherGreeting;
            registry.register_type(impl.$gtype, Greeting.$gtype, context.$gtype);
        }
        checkType(get(registry, Greeting, new FrenchCustomer()), AnotherGreeting, 'French customer');
        checkType(get(registry, Greeting, new Customer()), Greeting, 'plain customer');
    }
});

test('a nearer ancestor beats a farther one', () => {
    for (const nearerFirst of [true, false]) {
        const registry = new Hs.Registry();
        const regs = [[AnotherGreeting, Customer], [Greeting, GObject.Object]];
        if (!nearerFirst)
            regs.reverse();
        for (const [impl, context] of regs)
            registry.register_type(impl.$gtype, Greeting.$gtype, context.$gtype);
        checkType(get(registry, Greeting, new FrenchCustomer()), AnotherGreeting,
            `French customer (nearer first: ${nearerFirst})`);
        checkType(get(registry, Greeting, new Greeting()), Greeting, 'a context that is no customer');
    }
});

test('a class beats an interface, an interface beats any context', () => {
    let registry = new Hs.Registry();
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, GObject.Object.$gtype);
    registry.register_type(PoliteGreeting.$gtype, Greeting.$gtype, Gio.Initable.$gtype);
    checkType(get(registry, Greeting, new PoliteCustomer()), AnotherGreeting, 'class context wins');

    registry = new Hs.Registry();
    registry.register_type(PoliteGreeting.$gtype, Greeting.$gtype, Gio.Initable.$gtype);
    registry.register_type(Greeting.$gtype, NONE, NONE);
    checkType(get(registry, Greeting, new PoliteCustomer()), PoliteGreeting, 'interface context wins');
    checkType(get(registry, Greeting, new Customer()), Greeting, 'any context for the others');
});

test('any context type beats any context', () => {
    const registry = new Hs.Registry();
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, Customer.$gtype);
    registry.register_type(Greeting.$gtype, NONE, NONE);
    checkType(get(registry, Greeting, new Customer()), AnotherGreeting, 'context type wins');
});

test('the most recent wins among equals', () => {
    const registry = new Hs.Registry();
    registry.register_type(Greeting.$gtype, NONE, NONE);
    checkType(get(registry, Greeting), Greeting, 'one registration');
    registry.register_type(AnotherGreeting.$gtype, NONE, NONE);
    checkType(get(registry, Greeting), AnotherGreeting, 'newer registration');
    const again = registry.register_type(Greeting.$gtype, NONE, NONE);
    checkType(get(registry, Greeting), Greeting, 'registering again is newer');
    checkEqual(registry.lookup(Greeting.$gtype, null).id, again, 'lookup names it');
    check(registry.unregister(again), 'unregister the newest');
    checkType(get(registry, Greeting), AnotherGreeting, 'back to the previous');
});

// Child registries

test('a child asks its parent', () => {
    const root = new Hs.Registry();
    root.register_type(AnotherGreeting.$gtype, NONE, NONE);
    checkType(get(new Hs.Registry({parent: root}), Greeting), AnotherGreeting, 'get from child');
});

test('a child registration beats the parent', () => {
    const root = new Hs.Registry();
    root.register_type(Greeting.$gtype, Greeting.$gtype, FrenchCustomer.$gtype);
    const child = new Hs.Registry({parent: root, context: new FrenchCustomer()});
    checkType(get(child, Greeting), Greeting, 'parent answers');
    child.register_type(AnotherGreeting.$gtype, NONE, NONE);
    checkType(get(child, Greeting), AnotherGreeting, 'context-free child registration wins');
    checkType(get(root, Greeting, new FrenchCustomer()), Greeting, 'the parent is unchanged');
});

test('the seed story: a child per request', () => {
    const root = new Hs.Registry();
    root.register_type(Greeting.$gtype, NONE, NONE);
    root.register_type(AnotherGreeting.$gtype, Greeting.$gtype, FrenchCustomer.$gtype);
    const marie = new Hs.Registry({parent: root, context: new FrenchCustomer({first_name: 'Marie'})});
    const mary = new Hs.Registry({parent: root, context: new Customer({first_name: 'Mary'})});
    checkEqual(checkType(get(marie, Greeting), AnotherGreeting, 'French request').salutation,
        'Another Hello', 'French salutation');
    checkEqual(checkType(get(mary, Greeting), Greeting, 'plain request').salutation,
        'Hello', 'plain salutation');
});

test('a child sees later changes of its parent', () => {
    const root = new Hs.Registry();
    root.register_type(Greeting.$gtype, NONE, NONE);
    const child = new Hs.Registry({parent: root});
    checkType(get(child, Greeting), Greeting, 'before');
    const id = root.register_type(AnotherGreeting.$gtype, NONE, NONE);
    checkType(get(child, Greeting), AnotherGreeting, 'after a registration in the parent');
    check(root.unregister(id), 'unregister in the parent');
    checkType(get(child, Greeting), Greeting, 'after the unregistration');
});

test('child registrations do not reach the parent', () => {
    const root = new Hs.Registry();
    const child = new Hs.Registry({parent: root});
    child.register_type(Greeting.$gtype, NONE, NONE);
    checkType(get(child, Greeting), Greeting, 'child answers');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => get(root, Greeting), 'root does not');
});

// Singletons

test('a singleton is the same object each get', () => {
    const registry = new Hs.Registry();
    const singleton = new Greeting({salutation: 'I am a singleton'});
    check(registry.register_instance(singleton, NONE, NONE) > 0, 'id > 0');
    checkEqual(get(registry, Greeting), singleton, 'first get');
    checkEqual(get(registry, Greeting), singleton, 'second get');
    checkEqual(singleton.salutation, 'I am a singleton', 'unchanged');
});

test('a singleton with kind omitted or given', () => {
    let registry = new Hs.Registry();
    const singleton = new AnotherGreeting();
    registry.register_instance(singleton, NONE, NONE);
    checkEqual(get(registry, Greeting), singleton, 'kind omitted: get(Greeting)');
    checkEqual(get(registry, AnotherGreeting), singleton, 'kind omitted: get(AnotherGreeting)');
    registry = new Hs.Registry();
    registry.register_instance(singleton, Greeting.$gtype, NONE);
    checkEqual(get(registry, Greeting), singleton, 'kind given: get(Greeting)');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => get(registry, AnotherGreeting),
        'kind given: get(AnotherGreeting)');
});

test('a singleton beats a type or factory of equal specificity', () => {
    const singleton = new Greeting({salutation: 'I am a singleton'});
    let registry = new Hs.Registry();
    registry.register_instance(singleton, NONE, NONE);
    registry.register_type(AnotherGreeting.$gtype, NONE, NONE);
    registry.register_factory(Greeting.$gtype, NONE, () => new AnotherGreeting());
    checkEqual(get(registry, Greeting), singleton, 'any context');

    registry = new Hs.Registry();
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, Customer.$gtype);
    registry.register_instance(singleton, Greeting.$gtype, Customer.$gtype);
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, Customer.$gtype);
    checkEqual(get(registry, Greeting, new Customer()), singleton, 'Customer context');
});

test('a more specific type beats a singleton', () => {
    const registry = new Hs.Registry();
    const singleton = new Greeting();
    registry.register_instance(singleton, NONE, NONE);
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, FrenchCustomer.$gtype);
    checkType(get(registry, Greeting, new FrenchCustomer()), AnotherGreeting, 'French customer');
    checkEqual(get(registry, Greeting, new Customer()), singleton, 'plain customer');
});

test('the most recent singleton wins', () => {
    const registry = new Hs.Registry();
    const first = new Greeting();
    const second = new Greeting();
    registry.register_instance(first, NONE, NONE);
    const id = registry.register_instance(second, NONE, NONE);
    checkEqual(get(registry, Greeting), second, 'newest');
    check(registry.unregister(id), 'unregister it');
    checkEqual(get(registry, Greeting), first, 'then the first');
});

// Props

test('props set properties', () => {
    const registry = new Hs.Registry();
    registry.register_type(Greeting.$gtype, NONE, NONE);
    const greeting = registry.get_with_properties(Greeting.$gtype, null, ['salutation'], ['Hello Prop']);
    checkType(greeting, Greeting, 'get with props');
    checkEqual(greeting.salutation, 'Hello Prop', 'salutation prop');
    checkEqual(get(registry, Greeting).salutation, 'Hello', 'without props');
    registry.register_type(AnotherGreeting.$gtype, NONE, NONE);
    checkEqual(get(registry, Greeting, null, {salutation: 'Hello Prop'}).salutation,
        'Hello Prop', 'on the subclass');
    checkEqual(get(registry, Greeting, null, {salutation: 42}).salutation, '42',
        'a number is converted');
});

test('props exclude singletons', () => {
    const registry = new Hs.Registry();
    const singleton = new Greeting({salutation: 'I am a singleton'});
    registry.register_type(AnotherGreeting.$gtype, NONE, NONE);
    registry.register_instance(singleton, NONE, NONE);
    checkEqual(get(registry, Greeting), singleton, 'without props: the singleton');
    const greeting = checkType(get(registry, Greeting, null, {salutation: 'Hello Prop'}),
        AnotherGreeting, 'with props: the type');
    checkEqual(greeting.salutation, 'Hello Prop', 'salutation prop');
    checkEqual(singleton.salutation, 'I am a singleton', 'singleton unchanged');

    const only = new Hs.Registry();
    only.register_instance(singleton, NONE, NONE);
    checkHsError(Hs.RegistryError.NOT_FOUND,
        () => get(only, Greeting, null, {salutation: 'Hello Prop'}), 'only a singleton');

    const child = new Hs.Registry({parent: registry});
    child.register_instance(new Greeting(), NONE, NONE);
    checkType(get(child, Greeting, null, {salutation: 'x'}), AnotherGreeting,
        'a singleton in a child does not hide the parent\'s type');
});

// SPEC 4: a number is taken only by a property that can hold it, and null
// by a property of any pointer-like type.
const Sizes = GObject.registerClass({
    GTypeName: 'Sizes',
    Properties: {
        'count': GObject.ParamSpec.int('count', '', '', RW, GLib.MININT32, GLib.MAXINT32, 0),
        'length': GObject.ParamSpec.uint('length', '', '', RW, 0, GLib.MAXUINT32, 0),
        'label': GObject.ParamSpec.string('label', '', '', RW, 'default'),
        'friend': GObject.ParamSpec.object('friend', '', '', RW, GObject.Object.$gtype),
        'tags': GObject.ParamSpec.boxed('tags', '', '', RW, GObject.type_from_name('GStrv')),
        'data': GObject.param_spec_variant('data', '', '', new GLib.VariantType('*'), null, RW),
    },
}, class Sizes extends GObject.Object {});

test('out-of-range numbers are refused, not replaced', () => {
    const registry = new Hs.Registry();
    registry.register_type(Sizes.$gtype, NONE, NONE);
    for (const [name, value] of [['count', 2 ** 40], ['count', 2 ** 32 + 5], ['count', 1.5],
        ['count', NaN], ['count', Infinity], ['count', 1e300], ['length', -1]]) {
        const error = checkHsError(Hs.RegistryError.INVALID_PROPERTY,
            () => get(registry, Sizes, null, {[name]: value}), `${name} = ${value}`);
        checkIncludes(error.message, name, 'the message names the property');
        checkIncludes(error.message, 'Sizes', 'and the type');
    }
    checkEqual(get(registry, Sizes, null, {count: -(2 ** 31)}).count, -(2 ** 31), 'G_MININT');
    checkEqual(get(registry, Sizes, null, {length: 2 ** 32 - 1}).length, 2 ** 32 - 1, 'G_MAXUINT');
});

test('null is taken by a property of any pointer-like type', () => {
    const registry = new Hs.Registry();
    registry.register_type(Sizes.$gtype, NONE, NONE);
    for (const name of ['label', 'friend', 'tags', 'data']) {
        const sizes = get(registry, Sizes, null, {[name]: null});
        checkType(sizes, Sizes, `${name} = null`);
        const value = sizes[name];
        // GJS gives an empty array for a NULL strv.
        check(value === null || (Array.isArray(value) && value.length === 0), `${name} is null`);
    }
});

// Factories

test('a factory receives the registry, context and props', () => {
    const calls = [];
    const root = new Hs.Registry();
    check(root.register_factory(Greeting.$gtype, NONE, (registry, context, names, values) => {
        calls.push({registry, context, names, values});
        const greeting = new AnotherGreeting();
        names.forEach((name, i) => greeting.set_property(name, values[i]));
        return greeting;
    }) > 0, 'id > 0');
    const customer = new Customer({first_name: 'Ann'});
    const child = new Hs.Registry({parent: root, context: customer});

    const greeting = checkType(get(child, Greeting, null, {salutation: 'Hello Prop'}),
        AnotherGreeting, 'get from child');
    checkEqual(greeting.salutation, 'Hello Prop', 'props reached the factory');
    let call = calls[calls.length - 1];
    checkEqual(call.registry, child, 'registry is the building registry');
    checkEqual(call.context, customer, 'context is the lookup context');
    checkEqual(call.names.join(), 'salutation', 'names');
    checkEqual(call.values.join(), 'Hello Prop', 'values');

    const french = new FrenchCustomer();
    checkType(get(root, Greeting, french), AnotherGreeting, 'get from root');
    call = calls[calls.length - 1];
    checkEqual(call.registry, root, 'registry is the root');
    checkEqual(call.context, french, 'context given');
    checkEqual(call.names.length, 0, 'no names');
    checkEqual(call.values.length, 0, 'no values');

    get(root, Greeting);
    checkEqual(calls[calls.length - 1].context, null, 'no context');
    checkEqual(calls.length, 3, 'called once per get');
});

test('a factory for a context type', () => {
    const registry = new Hs.Registry();
    registry.register_type(Greeting.$gtype, NONE, NONE);
    registry.register_factory(Greeting.$gtype, FrenchCustomer.$gtype,
        (reg, ctx) => new AnotherGreeting({salutation: `Bonjour ${ctx.first_name}`}));
    const greeting = checkType(get(registry, Greeting, new FrenchCustomer({first_name: 'Marie'})),
        AnotherGreeting, 'French customer');
    checkEqual(greeting.salutation, 'Bonjour Marie', 'built from the context');
    checkType(get(registry, Greeting, new Customer()), Greeting, 'plain customer');
});

test('a factory calls back into the registry', () => {
    const registry = new Hs.Registry();
    registry.register_instance(new Customer({first_name: 'Bob'}), NONE, NONE);
    registry.register_factory(Greeting.$gtype, NONE, reg => {
        const customer = reg.get(Customer.$gtype, null);
        // Registering from inside a factory must not deadlock either.
        const id = reg.register_type(AnotherGreeting.$gtype, AnotherGreeting.$gtype, NONE);
        const inner = reg.get(AnotherGreeting.$gtype, null);
        reg.unregister(id);
        return new Greeting({salutation: `${inner.salutation} ${customer.first_name}`});
    });
    checkEqual(get(registry, Greeting).salutation, 'Another Hello Bob', 'built from other gets');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => get(registry, AnotherGreeting),
        'its temporary registration is gone');
});

test('a factory error propagates unchanged', () => {
    const registry = new Hs.Registry();
    registry.register_factory(Greeting.$gtype, NONE, () => {
        throw new GLib.Error(Gio.IOErrorEnum, Gio.IOErrorEnum.PERMISSION_DENIED, 'no greeting today');
    });
    const error = checkThrowsError(Gio.IOErrorEnum, Gio.IOErrorEnum.PERMISSION_DENIED,
        () => get(registry, Greeting), 'get');
    checkEqual(error.message, 'no greeting today', 'message');
});

test('a factory returning nothing or the wrong kind', () => {
    let registry = new Hs.Registry();
    registry.register_factory(Greeting.$gtype, NONE, () => null);
    let error = checkHsError(Hs.RegistryError.FACTORY_FAILED, () => get(registry, Greeting),
        'returning null');
    checkIncludes(error.message, '“Greeting”', 'message');

    registry = new Hs.Registry();
    registry.register_factory(Greeting.$gtype, NONE, () => new Customer());
    error = checkHsError(Hs.RegistryError.FACTORY_FAILED, () => get(registry, Greeting),
        'returning a Customer');
    checkIncludes(error.message, '“Greeting”', 'message');
    checkIncludes(error.message, '“Customer”', 'message');
});

test('a factory must be given a kind', () => {
    const registry = new Hs.Registry();
    checkHsError(Hs.RegistryError.INVALID_REGISTRATION,
        () => registry.register_factory(NONE, NONE, () => new Greeting()), 'no kind');
    checkEqual(registry.lookup(Greeting.$gtype, null), null, 'nothing registered');
});

// Unregistering

test('unregister returns true then false', () => {
    const registry = new Hs.Registry();
    const id = registry.register_type(Greeting.$gtype, NONE, NONE);
    checkEqual(registry.unregister(id), true, 'first unregister');
    checkEqual(registry.unregister(id), false, 'second unregister');
    checkEqual(registry.unregister(0x7fffffff), false, 'unknown id');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => get(registry, Greeting), 'get after');
});

test('unregister removes one registration of this registry', () => {
    const root = new Hs.Registry();
    const child = new Hs.Registry({parent: root});
    const base = root.register_type(Greeting.$gtype, NONE, NONE);
    const another = root.register_type(AnotherGreeting.$gtype, NONE, NONE);
    checkEqual(child.unregister(another), false, 'not through a child');
    checkType(get(child, Greeting), AnotherGreeting, 'still there');
    checkEqual(root.unregister(another), true, 'unregister in the root');
    checkType(get(child, Greeting), Greeting, 'the other registration answers');
    checkEqual(root.unregister(base), true, 'unregister the last');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => get(child, Greeting), 'nothing left');
});

test('unregister each registration type', () => {
    const registry = new Hs.Registry();
    const typeId = registry.register_type(Greeting.$gtype, NONE, NONE);
    const instanceId = registry.register_instance(new Greeting(), NONE, NONE);
    const factoryId = registry.register_factory(Greeting.$gtype, NONE, () => new Greeting());
    // The singleton first, then the most recent of the others.
    for (const id of [instanceId, factoryId, typeId]) {
        checkEqual(registry.lookup(Greeting.$gtype, null).id, id, 'winner before unregister');
        checkEqual(registry.unregister(id), true, 'unregister');
    }
    checkEqual(registry.lookup(Greeting.$gtype, null), null, 'nothing left');
});

// Lookup

test('lookup of a type registration', () => {
    const root = new Hs.Registry();
    const id = root.register_type(AnotherGreeting.$gtype, NONE, NONE);
    const reg = root.lookup(Greeting.$gtype, null);
    check(reg instanceof Hs.Registration, 'an Hs.Registration');
    checkEqual(reg.id, id, 'id');
    checkEqual(reg.get_id(), id, 'get_id()');
    checkEqual(reg.registration_type, Hs.RegistrationType.TYPE, 'registration type');
    checkEqual(reg.kind, AnotherGreeting.$gtype, 'kind omitted: the implementation');
    checkEqual(reg.implementation_type, AnotherGreeting.$gtype, 'implementation type');
    checkEqual(reg.get_implementation_type(), AnotherGreeting.$gtype, 'get_implementation_type()');
    checkEqual(reg.context_type, null, 'any context');
    checkEqual(reg.instance, null, 'no instance');
    checkEqual(reg.registry, root, 'registry');
    checkEqual(reg.get_registry(), root, 'get_registry()');
});

test('explain', () => {
    const registry = new Hs.Registry();
    const plain = registry.register_type(Greeting.$gtype, NONE, NONE);
    const french = registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, Customer.$gtype);
    const text = registry.explain(Greeting.$gtype, new FrenchCustomer());
    checkEqual(typeof text, 'string', 'a string');
    checkIncludes(text, ': 2 candidates', 'the candidates');
    checkIncludes(text, `1. #${french} type “${GObject.type_name(AnotherGreeting.$gtype)}”`, 'the context type first');
    checkIncludes(text, `2. #${plain} type “${GObject.type_name(Greeting.$gtype)}”, any context, transient`, 'then the rest');
    checkIncludes(text, 'this registry decides, by context specificity', 'the rule');
    checkIncludes(text, `winner: #${french}`, 'the winner');
    checkIncludes(registry.explain(Customer.$gtype, null), 'nothing answers: No kind', 'nothing answers');
});

test('lookup with kind and context', () => {
    const registry = new Hs.Registry();
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, FrenchCustomer.$gtype);
    checkEqual(registry.lookup(Greeting.$gtype, new Customer()), null, 'plain customer');
    checkEqual(registry.lookup(Greeting.$gtype, null), null, 'no context');
    let reg = registry.lookup(Greeting.$gtype, new FrenchCustomer());
    checkEqual(reg.kind, Greeting.$gtype, 'kind');
    checkEqual(reg.implementation_type, AnotherGreeting.$gtype, 'implementation type');
    checkEqual(reg.context_type, FrenchCustomer.$gtype, 'context type');
    const child = new Hs.Registry({parent: registry, context: new FrenchCustomer()});
    reg = child.lookup(Greeting.$gtype, null);
    checkEqual(reg.registry, registry, 'found in the parent, with the child\'s context');
});

test('lookup of an instance and a factory', () => {
    let registry = new Hs.Registry();
    const singleton = new Greeting();
    let id = registry.register_instance(singleton, NONE, NONE);
    let reg = registry.lookup(Greeting.$gtype, null);
    checkEqual(reg.id, id, 'instance id');
    checkEqual(reg.registration_type, Hs.RegistrationType.INSTANCE, 'INSTANCE');
    checkEqual(reg.instance, singleton, 'the instance');
    checkEqual(reg.implementation_type, Greeting.$gtype, 'the instance type');

    let calls = 0;
    registry = new Hs.Registry();
    id = registry.register_factory(Greeting.$gtype, Customer.$gtype, () => {
        calls++;
        return new Greeting();
    });
    reg = registry.lookup(Greeting.$gtype, new Customer());
    checkEqual(reg.id, id, 'factory id');
    checkEqual(reg.registration_type, Hs.RegistrationType.FACTORY, 'FACTORY');
    checkEqual(reg.kind, Greeting.$gtype, 'kind');
    checkEqual(reg.implementation_type, null, 'no implementation type');
    checkEqual(reg.context_type, Customer.$gtype, 'context type');
    checkEqual(calls, 0, 'lookup builds nothing');
});

// Errors

test('refused registrations leave the registry as it was', () => {
    const registry = new Hs.Registry();
    registry.register_type(Greeting.$gtype, NONE, NONE);
    registry.register_type(AnotherGreeting.$gtype, Greeting.$gtype, FrenchCustomer.$gtype);
    const singleton = new Customer({first_name: 'Sam'});
    registry.register_instance(singleton, NONE, NONE);
    const contexts = [null, new Customer(), new FrenchCustomer(), new PoliteCustomer()];
    const before = snapshot(registry, contexts);
    const factory = () => new AnotherGreeting();

    // [what, implementation or instance or factory, kind, context, a name the message mentions]
    const T = (impl, kind, context) => () => registry.register_type(impl.$gtype ?? impl, kind, context);
    const I = (instance, kind, context) => () => registry.register_instance(instance, kind, context);
    const F = (kind, context) => () => registry.register_factory(kind, context, factory);
    const cases = [
        ['abstract type', T(Gio.InputStream, NONE, NONE), 'GInputStream'],
        ['interface as implementation', T(Gio.Initable, NONE, NONE), 'GInitable'],
        ['not an object type', T(GObject.TYPE_STRING, NONE, NONE), 'gchararray'],
        ['not a kind of', T(Customer, Greeting.$gtype, NONE), '“Customer” is not a kind of “Greeting”'],
        ['parent is not a kind of its subclass', T(Greeting, AnotherGreeting.$gtype, NONE), 'AnotherGreeting'],
        ['not a kind of an interface', T(Greeting, Gio.Initable.$gtype, NONE), 'GInitable'],
        ['kind not an object type', T(Greeting, GObject.TYPE_INT, NONE), 'gint'],
        ['bad context type', T(AnotherGreeting, NONE, GObject.TYPE_INT), 'gint'],
        ['instance not a kind of', I(new Customer(), Greeting.$gtype, NONE), 'Customer'],
        ['instance with bad context type', I(new Greeting(), NONE, GObject.TYPE_INT), 'gint'],
        ['factory with bad kind', F(GObject.TYPE_INT, NONE), 'gint'],
        ['factory with bad context type', F(Greeting.$gtype, GObject.TYPE_DOUBLE), 'gdouble'],
        ['factory without kind', F(NONE, NONE), 'kind'],
    ];
    for (const [what, func, mentioned] of cases) {
        const error = checkHsError(Hs.RegistryError.INVALID_REGISTRATION, func, what);
        checkIncludes(error.message, mentioned, what);
        const after = snapshot(registry, contexts);
        check(after === before, after === before ? `${what}: registry unchanged`
            : `${what}: registry unchanged (before: ${before}; after: ${after})`);
        checkType(get(registry, Greeting), Greeting, `${what}: get(Greeting)`);
        checkType(get(registry, Greeting, new FrenchCustomer()), AnotherGreeting,
            `${what}: get(Greeting, French)`);
        checkEqual(get(registry, Customer), singleton, `${what}: get(Customer)`);
    }
});

test('invalid props', () => {
    const registry = new Hs.Registry();
    registry.register_type(ReadOnlyGreeting.$gtype, NONE, NONE);
    const cases = [
        ['unknown property', ['no-such-thing'], ['x'], 'no-such-thing'],
        ['read-only property', ['frozen'], ['water'], 'frozen'],
        ['unconvertible value', ['salutation'], [new Customer()], 'salutation'],
        ['property given twice', ['salutation', 'salutation'], ['a', 'b'], 'salutation'],
    ];
    for (const [what, names, values, mentioned] of cases) {
        const error = checkHsError(Hs.RegistryError.INVALID_PROPERTY,
            () => registry.get_with_properties(Greeting.$gtype, null, names, values), what);
        checkIncludes(error.message, mentioned, what);
        checkIncludes(error.message, 'ReadOnlyGreeting', what);
        const greeting = checkType(get(registry, Greeting), ReadOnlyGreeting, `${what}: still answers`);
        checkEqual(greeting.salutation, 'Hello', `${what}: default salutation`);
    }
    const greeting = registry.get_with_properties(Greeting.$gtype, null, ['salutation'], ['Hello Prop']);
    checkEqual(greeting.salutation, 'Hello Prop', 'good props after bad ones');
});

// Run

run();
