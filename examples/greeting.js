// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The greeting story, in JavaScript (GJS) through the introspected API.
//
// A pluggable application ships Greeting; a local site replaces it with
// AnotherGreeting for French customers. A registry is set up once at
// startup; each request gets a child registry whose context is the
// request's customer, and a Greeter built there gets its Greeting and its
// Customer injected.
//
// It prints exactly what examples/greeting.c prints. From a build directory:
//
//     GI_TYPELIB_PATH=hopscotch LD_LIBRARY_PATH=hopscotch gjs ../examples/greeting.js
//
// GJS has no overrides from outside GJS: classes stand for their GType,
// GObject.TYPE_NONE means "no kind given" or "any context", and
// get_with_properties() takes props as two arrays, names and values.

imports.gi.versions.Hs = '1';
const {GLib, GObject, Hs} = imports.gi;

const NONE = GObject.TYPE_NONE;
const RW = GObject.ParamFlags.READWRITE;

// Greeting, with a "salutation" property.
const Greeting = GObject.registerClass({
    GTypeName: 'ExGreeting',
    Properties: {
        'salutation': GObject.ParamSpec.string('salutation', '', '', RW, 'Hello'),
    },
}, class Greeting extends GObject.Object {});

// AnotherGreeting: the local site's replacement.
const AnotherGreeting = GObject.registerClass({
    GTypeName: 'ExAnotherGreeting',
}, class AnotherGreeting extends Greeting {
    _init(props = {}) {
        super._init({salutation: 'Another Hello', ...props});
    }
});

// Customer, with a "first-name", and FrenchCustomer.
const Customer = GObject.registerClass({
    GTypeName: 'ExCustomer',
    Properties: {
        'first-name': GObject.ParamSpec.string('first-name', '', '', RW, null),
    },
}, class Customer extends GObject.Object {});

const FrenchCustomer = GObject.registerClass({
    GTypeName: 'ExFrenchCustomer',
}, class FrenchCustomer extends Customer {});

// Greeter: its "greeting" and "customer" are injected: they are its
// dependencies, construct-only properties (the GObject idiom).
const DEP = GObject.ParamFlags.READWRITE | GObject.ParamFlags.CONSTRUCT_ONLY;
const Greeter = GObject.registerClass({
    GTypeName: 'ExGreeter',
    Properties: {
        'greeting': GObject.ParamSpec.object('greeting', '', '', DEP, Greeting.$gtype),
        'customer': GObject.ParamSpec.object('customer', '', '', DEP, Customer.$gtype),
    },
}, class Greeter extends GObject.Object {
    greet() {
        return `${this.greeting.salutation}, ${this.customer.first_name}!`;
    }
});

function serve(root, customer) {
    // One child registry per request, with the customer as its context.
    const request = new Hs.Registry({parent: root, context: customer});
    const greeter = request.get(Greeter, null);
    print(`${customer.first_name}: ${greeter.greet()}`);
}

// At startup: the application's Greeting, the site's replacement for French
// customers, and the Greeter.
const root = new Hs.Registry();
root.register_type(Greeting, NONE, NONE);
root.register_type(AnotherGreeting, Greeting, FrenchCustomer);
root.register_type(Greeter, NONE, NONE);

// Per request.
serve(root, new Customer({first_name: 'Jill'}));
serve(root, new FrenchCustomer({first_name: 'Marie'}));

// Props: values for the constructed type's properties.
let greeting = root.get_with_properties(Greeting, null, ['salutation'], ['Hello Prop']);
print(`props: ${greeting.salutation}`);

// A singleton: the instance handed in is the answer.
const other = new Hs.Registry();
const singleton = new Greeting({salutation: 'I am a singleton'});
other.register_instance(singleton, NONE, NONE);
greeting = other.get(Greeting, null);
print(`singleton: ${greeting.salutation} (the same object: ${greeting === singleton ? 'yes' : 'no'})`);

// Asking for what nobody registered is an error, not a crash.
try {
    other.get(Customer, null);
} catch (error) {
    if (!error.matches(Hs.registry_error_quark(), Hs.RegistryError.NOT_FOUND))
        throw error;
    print(`error: ${error.message}`);
}
