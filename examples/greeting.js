// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The greeting story, in JavaScript (GJS): an ES module, with Hopscotch's
// JavaScript layer (imports.hopscotch).
//
// A pluggable application ships Greeting; a local site replaces it with
// AnotherGreeting for French customers. A registry is set up once at
// startup; each request gets a child registry whose context is the
// request's customer, and a Greeter built there gets its Greeting and its
// Customer injected.
//
// It prints exactly what examples/greeting.c prints. From a build directory
// (the layer is in the source tree's js/; installed, GJS finds it by itself):
//
//     GJS_PATH=../js GI_TYPELIB_PATH=hopscotch LD_LIBRARY_PATH=hopscotch gjs -m ../examples/greeting.js

import GObject from 'gi://GObject';
import Hs from 'gi://Hs?version=1';

// The layer is a module of GJS's legacy import system, which ES modules
// reach as the global imports. It adds register(), get() with options,
// inject() and build() to Hs.Registry.
imports.hopscotch;

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

// Greeter: its object properties "greeting" and "customer" are its
// dependencies. Registered through the layer, they are injected.
const Greeter = GObject.registerClass({
    GTypeName: 'ExGreeter',
    Properties: {
        'greeting': GObject.ParamSpec.object('greeting', '', '', RW, Greeting.$gtype),
        'customer': GObject.ParamSpec.object('customer', '', '', RW, Customer.$gtype),
    },
}, class Greeter extends GObject.Object {
    greet() {
        return `${this.greeting.salutation}, ${this.customer.firstName}!`;
    }
});

function serve(root, customer) {
    // One child registry per request, with the customer as its context.
    const request = new Hs.Registry({parent: root, context: customer});
    const greeter = request.get(Greeter);
    print(`${customer.firstName}: ${greeter.greet()}`);
}

// At startup: the application's Greeting, the site's replacement for French
// customers, and the Greeter.
const root = new Hs.Registry();
root.register(Greeting);
root.register(AnotherGreeting, {kind: Greeting, context: FrenchCustomer});
root.register(Greeter);

// Per request.
serve(root, new Customer({firstName: 'Jill'}));
serve(root, new FrenchCustomer({firstName: 'Marie'}));

// Props: values for the constructed type's properties.
let greeting = root.get(Greeting, {props: {salutation: 'Hello Prop'}});
print(`props: ${greeting.salutation}`);

// A singleton: the instance handed in is the answer.
const other = new Hs.Registry();
const singleton = new Greeting({salutation: 'I am a singleton'});
other.register(singleton);
greeting = other.get(Greeting);
print(`singleton: ${greeting.salutation} (the same object: ${greeting === singleton ? 'yes' : 'no'})`);

// Asking for what nobody registered is an error, not a crash.
try {
    other.get(Customer);
} catch (error) {
    if (!error.matches(Hs.registry_error_quark(), Hs.RegistryError.NOT_FOUND))
        throw error;
    print(`error: ${error.message}`);
}
