// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Injection from GJS (SPEC 4): what a registry puts into the properties of the
// objects it builds, the annotations (Hs.inject_context, Hs.inject_get,
// Hs.inject_skip), cycles and failures while building dependencies. Runs
// against the uninstalled build's typelib (GI_TYPELIB_PATH is set by meson
// test). Prints one line per check and exits 1 when any test fails.

imports.gi.versions.Hs = '1';
const {GObject, GLib, Gio, Hs} = imports.gi;
const System = imports.system;

// The shared harness, harness.js next to this file.
imports.searchPath.unshift(GLib.path_get_dirname(System.programPath));
const {test, check, checkEqual, checkType, checkIncludes, checkThrowsError, checkHsError,
    checkTypelibIsTheBuildTrees, get, run} = imports.harness;

const NONE = GObject.TYPE_NONE; // "no kind given" / "any context" from bindings
const RW = GObject.ParamFlags.READWRITE;

function stringProp(name, fallback, flags = RW) {
    return GObject.ParamSpec.string(name, '', '', flags, fallback);
}

// Dependencies are construct-only properties, the GObject idiom: the
// library injects only them and the annotated properties.
const DEP = GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY;

function objectProp(name, gtype, flags = DEP) {
    return GObject.ParamSpec.object(name, '', '', flags, gtype);
}

// Registers a GObject subclass of parent with the given properties.
function defineClass(name, parent, properties = {}, extra = {}) {
    return GObject.registerClass({GTypeName: name, Properties: properties, ...extra},
        class extends parent {});
}

// The seed story, written in JavaScript.

const Greeting = GObject.registerClass({
    GTypeName: 'Greeting',
    Properties: {'salutation': stringProp('salutation', 'Hello')},
}, class Greeting extends GObject.Object {});

const AnotherGreeting = GObject.registerClass({
    GTypeName: 'AnotherGreeting',
    Properties: {'salutation': stringProp('salutation', 'Another Hello')},
}, class AnotherGreeting extends Greeting {});

const Customer = GObject.registerClass({
    GTypeName: 'Customer',
    Properties: {'first-name': stringProp('first-name', '')},
}, class Customer extends GObject.Object {});

const FrenchCustomer = GObject.registerClass({
    GTypeName: 'FrenchCustomer',
}, class FrenchCustomer extends Customer {});

const Greeter = GObject.registerClass({
    GTypeName: 'Greeter',
    Properties: {
        'greeting': objectProp('greeting', Greeting.$gtype),
        'customer': objectProp('customer', Customer.$gtype),
    },
}, class Greeter extends GObject.Object {
    greet() {
        return `${this.greeting.salutation} ${this.customer.first_name}`;
    }
});

const RegistryUser = defineClass('RegistryUser', GObject.Object, {
    'registry': objectProp('registry', Hs.Registry.$gtype),
});

// Properties that are never injected: not objects, or read-only.
const Plain = GObject.registerClass({
    GTypeName: 'Plain',
    Properties: {
        'name': stringProp('name', 'plain'),
        'count': GObject.ParamSpec.int('count', '', '', RW, 0, 100, 7),
        'frozen': objectProp('frozen', Greeting.$gtype, GObject.ParamFlags.READABLE),
    },
}, class Plain extends GObject.Object {
    get frozen() {
        return this._frozen ?? null;
    }
});

// The root of the greeting story: Greeter, Greeting, and AnotherGreeting for
// French customers.
function storyRegistry() {
    const root = new Hs.Registry();
    root.register_type(Greeter.$gtype, NONE, NONE);
    root.register_type(Greeting.$gtype, NONE, NONE);
    root.register_type(AnotherGreeting.$gtype, Greeting.$gtype, FrenchCustomer.$gtype);
    return root;
}

// Setup

test('the typelib is the build tree\'s', () => {
    checkTypelibIsTheBuildTrees();
});

// Automatic injection

test('a Greeter gets its greeting and its customer', () => {
    const root = storyRegistry();
    const marie = new FrenchCustomer({first_name: 'Marie'});
    let greeter = checkType(get(new Hs.Registry({parent: root, context: marie}), Greeter),
        Greeter, 'French request');
    checkType(greeter.greeting, AnotherGreeting, 'greeting from the registry');
    checkEqual(greeter.customer, marie, 'customer from the context (nothing registered)');
    checkEqual(greeter.greet(), 'Another Hello Marie', 'greet()');

    const mary = new Customer({first_name: 'Mary'});
    greeter = get(new Hs.Registry({parent: root, context: mary}), Greeter);
    checkType(greeter.greeting, Greeting, 'plain request: greeting');
    checkEqual(greeter.customer, mary, 'plain request: customer');
    checkEqual(greeter.greet(), 'Hello Mary', 'greet()');

    greeter = get(root, Greeter, marie);
    checkEqual(greeter.customer, marie, 'a context given to get is injected');
    checkType(greeter.greeting, AnotherGreeting, 'and drives the greeting');
});

test('nothing to inject keeps the defaults', () => {
    const registry = new Hs.Registry();
    registry.register_type(Greeter.$gtype, NONE, NONE);
    let greeter = get(registry, Greeter);
    checkEqual(greeter.greeting, null, 'no greeting');
    checkEqual(greeter.customer, null, 'no customer');
    greeter = get(registry, Greeter, new Plain());
    checkEqual(greeter.greeting, null, 'a context of another type: no greeting');
    checkEqual(greeter.customer, null, 'a context of another type: no customer');
    const greeting = new AnotherGreeting();
    greeter = get(registry, Greeter, greeting);
    checkEqual(greeter.greeting, greeting, 'a Greeting context fills the greeting');
    checkEqual(greeter.customer, null, 'but not the customer');
});

test('a registration beats the context', () => {
    const root = storyRegistry();
    const registered = new Customer({first_name: 'Registered'});
    root.register_instance(registered, NONE, NONE);
    const request = new Hs.Registry({parent: root, context: new Customer({first_name: 'Ctx'})});
    checkEqual(get(request, Greeter).customer, registered, 'registered customer');
});

test('a singleton is injected', () => {
    const root = storyRegistry();
    const singleton = new Greeting({salutation: 'I am a singleton'});
    root.register_instance(singleton, NONE, NONE);
    const first = get(root, Greeter);
    const second = get(root, Greeter);
    check(first !== second, 'two greeters');
    checkEqual(first.greeting, singleton, 'first has the singleton');
    checkEqual(second.greeting, singleton, 'second has the singleton');
});

test('a factory dependency gets the building registry and context', () => {
    const calls = [];
    const root = new Hs.Registry();
    root.register_type(Greeter.$gtype, NONE, NONE);
    root.register_factory(Greeting.$gtype, Customer.$gtype, (registry, context, names) => {
        calls.push([registry, context, names.length]);
        return new Greeting({salutation: `Hi ${context.first_name}`});
    });
    const ann = new Customer({first_name: 'Ann'});
    const request = new Hs.Registry({parent: root, context: ann});
    checkEqual(get(request, Greeter).greet(), 'Hi Ann Ann', 'greet()');
    checkEqual(calls.length, 1, 'factory called once');
    checkEqual(calls[0][0], request, 'building registry');
    checkEqual(calls[0][1], ann, 'lookup context');
    checkEqual(calls[0][2], 0, 'no props');
});

test('dependencies are built by the building registry', () => {
    const root = new Hs.Registry();
    root.register_type(Greeter.$gtype, NONE, NONE);
    const child = new Hs.Registry({parent: root});
    child.register_type(AnotherGreeting.$gtype, NONE, NONE);
    checkType(get(child, Greeter).greeting, AnotherGreeting, 'child\'s greeting');
    checkEqual(get(root, Greeter).greeting, null, 'the root has none');
});

test('dependencies get the same context', () => {
    const PersonalGreeting = defineClass('PersonalGreeting', Greeting, {
        'customer': objectProp('customer', Customer.$gtype),
    });
    const root = new Hs.Registry();
    root.register_type(Greeter.$gtype, NONE, NONE);
    root.register_type(PersonalGreeting.$gtype, NONE, NONE);
    const marie = new FrenchCustomer({first_name: 'Marie'});
    const greeter = get(root, Greeter, marie);
    checkType(greeter.greeting, PersonalGreeting, 'greeting');
    checkEqual(greeter.greeting.customer, marie, 'the greeting\'s customer');
});

test('other properties keep their defaults', () => {
    const registry = new Hs.Registry();
    registry.register_type(Plain.$gtype, NONE, NONE);
    registry.register_type(Greeting.$gtype, NONE, NONE);
    const plain = get(registry, Plain, new Customer({first_name: 'x'}));
    checkEqual(plain.name, 'plain', 'string');
    checkEqual(plain.count, 7, 'int');
    checkEqual(plain.frozen, null, 'read-only object');
});

// The registry property

test('an Hs.Registry property gets the building registry', () => {
    const root = new Hs.Registry();
    root.register_type(RegistryUser.$gtype, NONE, NONE);
    checkEqual(get(root, RegistryUser).registry, root, 'from the root');
    const child = new Hs.Registry({parent: root, context: new Customer()});
    const grandchild = new Hs.Registry({parent: child});
    checkEqual(get(child, RegistryUser).registry, child, 'from a child');
    checkEqual(get(grandchild, RegistryUser).registry, grandchild, 'from a grandchild');
    const other = new Hs.Registry();
    root.register_instance(other, NONE, NONE);
    checkEqual(get(root, Hs.Registry), other, 'a registered registry answers get(Registry)');
    checkEqual(get(root, RegistryUser).registry, root, 'but is not injected');
    checkEqual(get(root, RegistryUser, null, {registry: other}).registry, other, 'props win');
});

// Props

test('props beat injection', () => {
    const root = storyRegistry();
    const mine = new Greeting({salutation: 'Mine'});
    const marie = new FrenchCustomer({first_name: 'Marie'});
    const request = new Hs.Registry({parent: root, context: marie});
    const greeter = get(request, Greeter, null, {greeting: mine});
    checkEqual(greeter.greeting, mine, 'greeting from props');
    checkEqual(greeter.customer, marie, 'customer still injected');
    const error = checkHsError(Hs.RegistryError.INVALID_PROPERTY,
        () => get(request, Greeter, null, {greeting: new Customer()}), 'a prop of the wrong type');
    checkIncludes(error.message, 'greeting', 'message');
    checkIncludes(error.message, 'Greeter', 'message');
});

test('a null prop sets an object property to null, beating injection', () => {
    const root = storyRegistry();
    const marie = new FrenchCustomer({first_name: 'Marie'});
    const request = new Hs.Registry({parent: root, context: marie});
    const greeter = get(request, Greeter, null, {customer: null});
    checkEqual(greeter.customer, null, 'customer from props');
    check(greeter.greeting !== null, 'greeting still injected');
});

// Annotations

test('inject_context with attr', () => {
    const Letter = defineClass('LetterContextAttr', GObject.Object, {'name': stringProp('name', 'nobody')});
    const LongLetter = defineClass('LongLetterContextAttr', Letter);
    checkEqual(Hs.inject_context(Letter.$gtype, 'name', 'first-name'), true, 'annotate');
    const registry = new Hs.Registry();
    registry.register_type(Letter.$gtype, NONE, NONE);
    registry.register_type(LongLetter.$gtype, LongLetter.$gtype, NONE);
    checkEqual(get(registry, Letter, new Customer({first_name: 'Ann'})).name, 'Ann', 'first-name of the context');
    checkEqual(get(registry, LongLetter, new FrenchCustomer({first_name: 'Marie'})).name, 'Marie',
        'annotations are inherited');
    const error = checkHsError(Hs.RegistryError.NO_CONTEXT, () => get(registry, Letter), 'no context');
    checkIncludes(error.message, '“name”', 'message');
    checkIncludes(error.message, '“LetterContextAttr”', 'message');
    checkEqual(get(registry, Letter, null, {name: 'Prop'}).name, 'Prop', 'props win, also without context');
});

test('inject_context itself', () => {
    const Envelope = defineClass('EnvelopeContext', GObject.Object, {
        'addressee': objectProp('addressee', GObject.Object.$gtype),
        'customer': objectProp('customer', Customer.$gtype),
    });
    checkEqual(Hs.inject_context(Envelope.$gtype, 'addressee', null), true, 'annotate addressee');
    checkEqual(Hs.inject_context(Envelope.$gtype, 'customer', null), true, 'annotate customer');
    const registry = new Hs.Registry();
    registry.register_type(Envelope.$gtype, NONE, NONE);
    registry.register_instance(new Customer({first_name: 'Registered'}), NONE, NONE);
    const marie = new FrenchCustomer({first_name: 'Marie'});
    const envelope = get(new Hs.Registry({parent: registry, context: marie}), Envelope);
    checkEqual(envelope.addressee, marie, 'addressee is the context');
    checkEqual(envelope.customer, marie, 'customer is the context, not the registered one');
    const error = checkHsError(Hs.RegistryError.INVALID_PROPERTY,
        () => get(registry, Envelope, new Greeting()), 'a context that does not fit');
    checkIncludes(error.message, 'customer', 'message');
});

test('inject_context with a bad attr', () => {
    const Letter = defineClass('LetterBadAttr', GObject.Object, {
        'name': stringProp('name', 'nobody'),
    });
    const Tally = defineClass('TallyBadAttr', GObject.Object, {
        'count': GObject.ParamSpec.int('count', '', '', RW, 0, 100, 0),
    });
    Hs.inject_context(Letter.$gtype, 'name', 'first-name');
    Hs.inject_context(Tally.$gtype, 'count', 'first-name');
    const registry = new Hs.Registry();
    registry.register_type(Letter.$gtype, NONE, NONE);
    registry.register_type(Tally.$gtype, NONE, NONE);
    let error = checkHsError(Hs.RegistryError.INVALID_PROPERTY,
        () => get(registry, Letter, new Greeting()), 'context without the attr');
    checkIncludes(error.message, 'first-name', 'message');
    checkIncludes(error.message, 'LetterBadAttr', 'message');
    error = checkHsError(Hs.RegistryError.INVALID_PROPERTY,
        () => get(registry, Tally, new Customer({first_name: 'Ann'})), 'unconvertible attr');
    checkIncludes(error.message, 'count', 'message');
});

test('inject_get with attr', () => {
    const Letter = defineClass('LetterGetAttr', GObject.Object, {'opening': stringProp('opening', 'Dear')});
    checkEqual(Hs.inject_get(Letter.$gtype, 'opening', Greeting.$gtype, 'salutation'), true, 'annotate');
    const root = storyRegistry();
    root.register_type(Letter.$gtype, NONE, NONE);
    checkEqual(get(root, Letter).opening, 'Hello', 'salutation of the Greeting');
    const request = new Hs.Registry({parent: root, context: new FrenchCustomer()});
    checkEqual(get(request, Letter).opening, 'Another Hello', 'the get uses the same context');
    const empty = new Hs.Registry();
    empty.register_type(Letter.$gtype, NONE, NONE);
    const error = checkHsError(Hs.RegistryError.NOT_FOUND, () => get(empty, Letter), 'nothing answers');
    checkIncludes(error.message, 'opening', 'message');
    checkIncludes(error.message, 'Greeting', 'message');
});

test('inject_get with kind', () => {
    const Holder = defineClass('HolderGetKind', GObject.Object, {
        'thing': objectProp('thing', GObject.Object.$gtype),
        'greeting': objectProp('greeting', Greeting.$gtype),
    });
    checkEqual(Hs.inject_get(Holder.$gtype, 'thing', Greeting.$gtype, null), true, 'annotate thing');
    checkEqual(Hs.inject_get(Holder.$gtype, 'greeting', NONE, null), true, 'annotate greeting');
    const registry = new Hs.Registry();
    registry.register_type(Holder.$gtype, NONE, NONE);
    const error = checkHsError(Hs.RegistryError.NOT_FOUND,
        () => get(registry, Holder, new AnotherGreeting()), 'not the context, a get');
    checkIncludes(error.message, 'Greeting', 'message');
    registry.register_type(AnotherGreeting.$gtype, NONE, NONE);
    const holder = get(registry, Holder, new Greeting());
    checkType(holder.thing, AnotherGreeting, 'thing');
    checkType(holder.greeting, AnotherGreeting, 'greeting');
    check(holder.thing !== holder.greeting, 'two gets');
});

test('inject_skip', () => {
    const SkipGreeter = defineClass('GreeterSkip', Greeter);
    checkEqual(Hs.inject_skip(SkipGreeter.$gtype, 'greeting'), true, 'annotate');
    const root = storyRegistry();
    root.register_type(SkipGreeter.$gtype, SkipGreeter.$gtype, NONE);
    const marie = new FrenchCustomer({first_name: 'Marie'});
    const greeter = checkType(get(root, SkipGreeter, marie), SkipGreeter, 'get');
    checkEqual(greeter.greeting, null, 'greeting skipped');
    checkEqual(greeter.customer, marie, 'customer still injected');
    const plain = checkType(get(root, Greeter, marie), Greeter, 'the parent class');
    checkType(plain.greeting, AnotherGreeting, 'still gets its greeting');
    const mine = new Greeting();
    checkEqual(get(root, SkipGreeter, marie, {greeting: mine}).greeting, mine, 'props still set it');
});

test('the nearest annotation wins', () => {
    const Base = defineClass('AnnotatedBase', GObject.Object, {'name': stringProp('name', '')});
    const Derived = defineClass('AnnotatedDerived', Base);
    Hs.inject_context(Base.$gtype, 'name', 'first-name');
    Hs.inject_get(Derived.$gtype, 'name', Greeting.$gtype, 'salutation');
    const registry = new Hs.Registry();
    registry.register_type(Base.$gtype, NONE, NONE);
    registry.register_type(Derived.$gtype, Derived.$gtype, NONE);
    registry.register_type(Greeting.$gtype, NONE, NONE);
    const ann = new Customer({first_name: 'Ann'});
    checkEqual(checkType(get(registry, Base, ann), Base, 'base').name, 'Ann', 'base: context');
    checkEqual(checkType(get(registry, Derived, ann), Derived, 'derived').name, 'Hello', 'derived: get');
});

test('annotation errors', () => {
    const Target = GObject.registerClass({
        GTypeName: 'AnnotationTarget',
        Properties: {
            'name': stringProp('name', ''),
            'greeting': objectProp('greeting', Greeting.$gtype),
            'frozen': stringProp('frozen', '', GObject.ParamFlags.READABLE),
        },
    }, class AnnotationTarget extends GObject.Object {
        get frozen() {
            return '';
        }
    });
    const target = Target.$gtype;
    const cases = [
        ['inject_context on an unknown property', () => Hs.inject_context(target, 'no-such-thing', null)],
        ['inject_get on an unknown property', () => Hs.inject_get(target, 'no-such-thing', NONE, null)],
        ['inject_skip on an unknown property', () => Hs.inject_skip(target, 'no-such-thing')],
        ['inject_context on a read-only property', () => Hs.inject_context(target, 'frozen', 'first-name')],
        ['inject_get on a read-only property', () => Hs.inject_get(target, 'frozen', Greeting.$gtype, 'salutation')],
        ['inject_skip on a read-only property', () => Hs.inject_skip(target, 'frozen')],
        ['inject_context without attr on a string', () => Hs.inject_context(target, 'name', null)],
        ['inject_get without attr on a string', () => Hs.inject_get(target, 'name', Greeting.$gtype, null)],
        ['inject_get of a kind that is no object', () => Hs.inject_get(target, 'name', GObject.TYPE_INT, 'x')],
        ['inject_get of a kind that does not fit', () => Hs.inject_get(target, 'greeting', Customer.$gtype, null)],
        ['an annotation on a type that is no GObject', () => Hs.inject_skip(GObject.TYPE_INT, 'name')],
    ];
    for (const [what, func] of cases)
        checkHsError(Hs.RegistryError.INVALID_PROPERTY, func, what);
    const error = checkHsError(Hs.RegistryError.INVALID_PROPERTY,
        () => Hs.inject_skip(target, 'no-such-thing'), 'unknown property');
    checkIncludes(error.message, 'no-such-thing', 'message');
    checkIncludes(error.message, 'AnnotationTarget', 'message');

    const registry = new Hs.Registry();
    registry.register_type(Target.$gtype, NONE, NONE);
    registry.register_type(AnotherGreeting.$gtype, NONE, NONE);
    const obj = get(registry, Target);
    checkType(obj.greeting, AnotherGreeting, 'refused annotations changed nothing');
    checkEqual(obj.name, '', 'name untouched');
});

// Cycles

function checkCycle(registry, klass, names, message) {
    const error = checkHsError(Hs.RegistryError.CYCLE, () => get(registry, klass), message);
    checkIncludes(error.message, '→', message);
    for (const name of names)
        checkIncludes(error.message, name, message);
    return error;
}

test('two classes that need each other', () => {
    const CycleB = defineClass('CycleB', GObject.Object);
    const CycleA = defineClass('CycleA', GObject.Object, {'b': objectProp('b', CycleB.$gtype)});
    const CycleBImpl = defineClass('CycleBImpl', CycleB, {'a': objectProp('a', CycleA.$gtype)});
    const registry = new Hs.Registry();
    registry.register_type(CycleA.$gtype, NONE, NONE);
    registry.register_type(CycleBImpl.$gtype, NONE, NONE);
    const error = checkCycle(registry, CycleA, ['CycleA', 'CycleB'], 'get(CycleA)');
    checkIncludes(error.message, 'CycleA → CycleB (CycleBImpl) → CycleA', 'the chain');
    checkCycle(registry, CycleB, ['CycleA', 'CycleB'], 'get(CycleB)');
    Hs.inject_skip(CycleBImpl.$gtype, 'a');
    const a = get(registry, CycleA);
    checkType(a.b, CycleBImpl, 'skipping one side breaks the cycle');
    checkEqual(a.b.a, null, 'the skipped side');
});

test('a class that needs itself', () => {
    const Node = defineClass('CycleNode', GObject.Object);
    const LinkedNode = defineClass('CycleLinkedNode', Node, {'next': objectProp('next', Node.$gtype)});
    const registry = new Hs.Registry();
    registry.register_type(LinkedNode.$gtype, NONE, NONE);
    checkCycle(registry, LinkedNode, ['CycleLinkedNode'], 'get(LinkedNode)');
});

test('a cycle through annotations', () => {
    const Left = defineClass('CycleLeft', GObject.Object, {'other': objectProp('other', GObject.Object.$gtype)});
    const Right = defineClass('CycleRight', GObject.Object, {'other': objectProp('other', GObject.Object.$gtype)});
    Hs.inject_get(Left.$gtype, 'other', Right.$gtype, null);
    Hs.inject_get(Right.$gtype, 'other', Left.$gtype, null);
    const registry = new Hs.Registry();
    registry.register_type(Left.$gtype, NONE, NONE);
    registry.register_type(Right.$gtype, NONE, NONE);
    checkCycle(registry, Left, ['CycleLeft', 'CycleRight'], 'get(Left)');
});

test('a cycle through a factory', () => {
    const registry = new Hs.Registry();
    registry.register_factory(Greeting.$gtype, NONE,
        (reg, context) => reg.get(Greeting.$gtype, context));
    checkCycle(registry, Greeting, ['Greeting'], 'get(Greeting)');
});

test('the same kind needed twice is no cycle', () => {
    const Pair = defineClass('GreetingPair', GObject.Object, {
        'first': objectProp('first', Greeting.$gtype),
        'second': objectProp('second', Greeting.$gtype),
    });
    const registry = new Hs.Registry();
    registry.register_type(Pair.$gtype, NONE, NONE);
    registry.register_type(Greeting.$gtype, NONE, NONE);
    const pair = get(registry, Pair);
    checkType(pair.first, Greeting, 'first');
    checkType(pair.second, Greeting, 'second');
    check(pair.first !== pair.second, 'two objects');
});

// Failures while building dependencies

test('a factory failure fails the outer get', () => {
    const root = new Hs.Registry();
    root.register_type(Greeter.$gtype, NONE, NONE);
    root.register_factory(Greeting.$gtype, NONE, () => null);
    const error = checkHsError(Hs.RegistryError.FACTORY_FAILED, () => get(root, Greeter), 'get(Greeter)');
    checkIncludes(error.message, '“greeting”', 'message');
    checkIncludes(error.message, '“Greeter”', 'message');
});

test('a dependency error keeps its domain and code', () => {
    const root = new Hs.Registry();
    root.register_type(Greeter.$gtype, NONE, NONE);
    root.register_factory(Greeting.$gtype, NONE, () => {
        throw new GLib.Error(Gio.IOErrorEnum, Gio.IOErrorEnum.PERMISSION_DENIED, 'no greeting today');
    });
    const error = checkThrowsError(Gio.IOErrorEnum, Gio.IOErrorEnum.PERMISSION_DENIED,
        () => get(root, Greeter), 'get(Greeter)');
    checkIncludes(error.message, 'no greeting today', 'message');
    checkIncludes(error.message, 'greeting', 'message');
    checkIncludes(error.message, 'Greeter', 'message');
});

test('a nested dependency failure names each level', () => {
    const Outer = defineClass('OuterNeedsGreeter', GObject.Object, {
        'greeter': objectProp('greeter', Greeter.$gtype),
    });
    const root = new Hs.Registry();
    root.register_type(Outer.$gtype, NONE, NONE);
    root.register_type(Greeter.$gtype, NONE, NONE);
    root.register_factory(Greeting.$gtype, NONE, () => new Customer());
    const error = checkHsError(Hs.RegistryError.FACTORY_FAILED, () => get(root, Outer), 'get(Outer)');
    for (const name of ['greeter', 'OuterNeedsGreeter', 'greeting', 'Greeter'])
        checkIncludes(error.message, name, 'message');
});

test('a GInitable failure is the error of the get', () => {
    const Picky = GObject.registerClass({
        GTypeName: 'PickyGreeting',
        Implements: [Gio.Initable],
        Properties: {'salutation': stringProp('salutation', 'Hello')},
    }, class PickyGreeting extends GObject.Object {
        vfunc_init(_cancellable) {
            if (this.salutation !== 'Hello')
                throw new GLib.Error(Gio.IOErrorEnum, Gio.IOErrorEnum.INVALID_DATA, 'too informal');
            return true;
        }
    });
    const registry = new Hs.Registry();
    registry.register_type(Picky.$gtype, NONE, NONE);
    checkEqual(get(registry, Picky).salutation, 'Hello', 'init succeeds');
    const error = checkThrowsError(Gio.IOErrorEnum, Gio.IOErrorEnum.INVALID_DATA,
        () => get(registry, Picky, null, {salutation: 'Hi'}), 'init fails');
    checkEqual(error.message, 'too informal', 'message unchanged');
});

// Run

run();
