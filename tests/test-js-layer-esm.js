// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The JavaScript layer from an ES module (gjs -m): the introspected
// namespaces come from gi:// imports, the layer from GJS's legacy import
// system, which ES modules reach as the global `imports`. Both see the same
// Hs classes, so the layer's methods are there on classes imported with
// gi://. Runs against the uninstalled build, like test-js-layer.js.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Hs from 'gi://Hs?version=1';

// The shared harness, harness.js next to this file.
imports.searchPath.unshift(GLib.path_get_dirname(GLib.filename_from_uri(import.meta.url)[0]));
const {test, check, checkEqual, checkType, checkHsError, checkTypelibIsTheBuildTrees, run} =
    imports.harness;

const {hopscotch} = imports;

const RW = GObject.ParamFlags.READWRITE;

const Greeting = GObject.registerClass({
    GTypeName: 'JsModuleGreeting',
    Properties: {'salutation': GObject.ParamSpec.string('salutation', '', '', RW, 'Hello')},
}, class Greeting extends GObject.Object {});

const Greeter = GObject.registerClass({
    GTypeName: 'JsModuleGreeter',
    Properties: {'greeting': GObject.ParamSpec.object('greeting', '', '', RW, Greeting.$gtype)},
}, class Greeter extends GObject.Object {});

test('the typelib is the build tree\'s', () => {
    checkTypelibIsTheBuildTrees();
});

test('gi:// and imports.gi give the same Hs', () => {
    check(Hs === imports.gi.Hs, 'the same namespace');
    check(Hs.Registry.prototype.register === hopscotch.register, 'register() is the layer\'s');
});

test('the layer works on classes imported with gi://', () => {
    const registry = new Hs.Registry();
    registry.register(Greeting);
    registry.register(Greeter);
    const greeter = checkType(registry.get(Greeter), Greeter, 'get');
    checkType(greeter.greeting, Greeting, 'its own object property injected');
    checkEqual(registry.get(Greeting, {props: {salutation: 'Hi'}}).salutation, 'Hi', 'props');
    checkHsError(Hs.RegistryError.NOT_FOUND, () => registry.get(Hs.Registry), 'NOT_FOUND');
});

run();
